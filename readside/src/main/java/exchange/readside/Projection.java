package exchange.readside;

import exchange.engine.EngineEvent;
import exchange.journal.EventTailer;

/**
 * A read model built from the events queue: it applies events in sequence order and makes them
 * durable (or, for an in-memory model, visible) in {@link #commit} batches. A
 * {@link ProjectionRunner} drives it; adding a projection means implementing this and handing it
 * to a runner.
 *
 * <p><b>Thread.</b> After construction every method is called by the runner's one thread
 * ({@code readside-<name>}), never concurrently. What a projection serves to other threads (query
 * connections, published snapshots) is its own business and must only show committed state.
 *
 * <p><b>Contract.</b>
 * <ul>
 *   <li>{@link #appliedSeq()} is the sequence through which the projection's store holds every
 *       event, read once at open (0 for an empty store: the runner then rebuilds from the start of
 *       the queue).</li>
 *   <li>The runner calls {@link #apply} only with whole commands between two commits: every event
 *       of each sequence, in queue order, never a sequence at or below {@link #appliedSeq()}.</li>
 *   <li>{@link #commit(long, long)} makes everything applied since the previous commit durable
 *       together with {@code throughSeq} (and the queue index, if the store keeps it), atomically:
 *       after a crash the store is at the previous commit or at this one, never between.</li>
 *   <li>The {@link EngineEvent} given to {@link #apply} is reused: copy what you keep.</li>
 *   <li>An exception from any method stops the runner (fail-stop); no event is skipped.</li>
 * </ul>
 */
public interface Projection extends AutoCloseable {
    /** A queue index that is not known: the runner then finds its position by sequence. */
    long NO_INDEX = EventTailer.NO_INDEX;

    /** A short name for logs and the runner thread ({@code readside-<name>}). */
    String name();

    /** The sequence through which the store holds every event (read at open); 0 if it is empty. */
    long appliedSeq();

    /**
     * The Chronicle index of the last event of {@link #appliedSeq()}, as stored with it, or
     * {@link #NO_INDEX}. The runner moves straight there on start and checks the sequence it finds.
     */
    default long appliedQueueIndex() {
        return NO_INDEX;
    }

    /** Applies one event (a reused instance: copy what you keep). */
    void apply(EngineEvent event);

    /** Makes everything applied since the last commit durable with {@code throughSeq}, atomically. */
    void commit(long throughSeq);

    /**
     * As {@link #commit(long)}, also storing {@code queueIndex}, the Chronicle index of the last
     * event of {@code throughSeq}, for {@link #appliedQueueIndex()}. The runner calls this one.
     */
    default void commit(long throughSeq, long queueIndex) {
        commit(throughSeq);
    }

    /**
     * Called on the runner thread after each batch and each idle wake-up, with the sequence the
     * store holds: for work a projection does beside the event stream (the history writer stores
     * submitted end-of-day reports there and runs their batch checks once they are due).
     */
    default void housekeep(long appliedSeq) {
    }

    /**
     * Called on the runner thread each time a batch drains the queue with no command held back,
     * after its commit: the projection has caught up. A projection rebuilt from an empty store may
     * finish bulk work here (the history writer creates its secondary indexes); the runner reports
     * {@link ProjectionRunner#rebuilding()} until the first such call returns.
     */
    default void caughtUp(long appliedSeq) {
    }

    /**
     * Whether the runner may, now, hold the next batch back for the rest of its batch interval
     * (see {@link ProjectionRunner}); asked after each batch that drained the queue. True by
     * default; a projection whose consumers want each command at once (stream subscribers)
     * answers false while they are there.
     */
    default boolean batchesMayWait() {
        return true;
    }

    /** Releases the store; anything applied but not committed is discarded. */
    @Override
    void close();
}
