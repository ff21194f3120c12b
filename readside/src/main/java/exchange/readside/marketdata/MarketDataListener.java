package exchange.readside.marketdata;

import java.util.List;

/**
 * Receives the market-data projection's updates, on the projector thread
 * ({@code readside-marketdata}), after each committed batch, in sequence order: by then every
 * snapshot the query side serves reflects at least these updates.
 *
 * <p><b>Must not block.</b> The projector calls listeners inline; a listener that waits (on a
 * socket, a lock held by a request thread, a full queue) stalls every market-data read model and
 * every other listener. Hand the updates to a bounded queue per consumer and drop or conflate a
 * slow consumer there. An exception thrown here is logged and the update batch is lost for this
 * listener only; the projection goes on.
 */
@FunctionalInterface
public interface MarketDataListener {
    /** One committed batch's updates, immutable, in sequence order (never empty). */
    void onUpdates(List<MarketDataUpdate> updates);

    /**
     * Updates the wall clock caused, not an event: candles closed by the clock and tickers whose
     * reference quote went stale. Each carries the committed seq it was found at, which a
     * subscriber's snapshot may already carry without reflecting the change (a snapshot taken
     * before the clock passed): unlike {@link #onUpdates}, a message at a snapshot's own seq is
     * not one the snapshot holds for sure. By default handled as any other update.
     */
    default void onClockUpdates(List<MarketDataUpdate> updates) {
        onUpdates(updates);
    }

    /**
     * Whether someone would see this listener's next updates as soon as they come (a stream
     * subscriber): while every listener says no, the projector gathers the commands of up to
     * {@link MarketDataService#QUIET_BATCH_INTERVAL} into one batch instead of waking for each.
     * Called on the projector thread after each batch; must be cheap. True by default.
     */
    default boolean awaitsUpdates() {
        return true;
    }
}
