package exchange.engine;

/**
 * The session part of the engine's state: whether the market is open, for which date and until
 * when, where the session began in the sequence, and the idempotency window's clock. Plain data,
 * owned by the engine thread; {@link SessionSweep} changes it, the rest read it.
 *
 * <p>{@code closeCount} counts the successful {@code SESSION_CLOSE} commands applied (0 at
 * start); every order records it when created and when it ends. Invariants: it never decreases;
 * {@code lastEvictionSeq} is 0 or the sequence of a close.
 */
final class SessionState {
    boolean open;
    /** Sequence of the command that opened the current (or last) session; 0 before the first. */
    long firstSeq;
    /** Epoch day of the open (or last) session; 0 before the first. */
    long date;
    long closesAtNanos;
    long closeCount;
    /** Sequence of the last close that evicted at least one order; 0 if none has. */
    long lastEvictionSeq;

    /** {@code W = max(0, closeCount - sessions)}: the oldest close count whose orders are held. */
    long windowStart(int sessions) {
        return Math.max(0, closeCount - sessions);
    }
}
