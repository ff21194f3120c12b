package exchange.readside.history;

/**
 * The outcome of one session's batch check: the end-of-day report's per-account figures recomputed
 * in SQL from the history tables and compared with the engine's. {@code detail} names what was
 * compared, or the first account and figure that differ. Immutable; any thread.
 *
 * @param sessionDate the session, as epoch day
 */
public record BatchCheckResult(long sessionDate, boolean passed, String detail) {
}
