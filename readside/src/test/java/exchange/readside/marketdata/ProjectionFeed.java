package exchange.readside.marketdata;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;

/**
 * Feeds a {@link MarketDataProjection} as the runner does, without the queue: whole commands, a
 * commit every {@code commandsPerCommit} commands (and at {@link #flush}). Test thread only.
 */
public final class ProjectionFeed implements EventSink {
    private final MarketDataProjection projection;
    private final int commandsPerCommit;
    private long lastSeq;
    private int commandsSinceCommit;

    public ProjectionFeed(MarketDataProjection projection, int commandsPerCommit) {
        this.projection = projection;
        this.commandsPerCommit = commandsPerCommit;
    }

    @Override
    public void onEvent(EngineEvent e) {
        if (e.seq != lastSeq && lastSeq != 0) {
            if (++commandsSinceCommit >= commandsPerCommit) {
                projection.commit(lastSeq);
                commandsSinceCommit = 0;
            }
        }
        lastSeq = e.seq;
        projection.apply(e);
    }

    /** Commits what was applied since the last commit. */
    public void flush() {
        if (lastSeq != 0) {
            projection.commit(lastSeq);
            commandsSinceCommit = 0;
        }
    }
}
