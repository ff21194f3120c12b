package exchange.engine;

/**
 * The session's state at a point in the stream (result of QUERY_SESSION): whether it is open and
 * its date (epoch day of the current or last session; 0 before the first).
 */
public record SessionStatus(boolean open, long sessionDate) {
}
