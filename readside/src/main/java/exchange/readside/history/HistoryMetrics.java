package exchange.readside.history;

/**
 * A snapshot of the history writer's progress, for {@code /metrics} and the admin state. Immutable; any thread.
 *
 * @param appliedSeq the sequence through which the database reflects every event
 * @param lagEvents sequences not applied yet (see {@code ProjectionRunner.lagEvents})
 * @param lagMillis now minus the stamp of the oldest event not yet committed; 0 when caught up
 * @param eventsApplied events committed since start
 * @param batches transactions committed since start
 * @param lastBatchEvents events in the last committed transaction
 * @param batchCheckFailures end-of-day batch checks that found a difference since start
 * @param rebuilding true while the database, created empty at start, is catching up with the queue
 * @param failed true if the writer stopped on a failure (fail-stop); the database then stops advancing
 */
public record HistoryMetrics(long appliedSeq, long lagEvents, long lagMillis, long eventsApplied, long batches,
                             long lastBatchEvents, long batchCheckFailures, boolean rebuilding, boolean failed) {
}
