package exchange.gateway.session;

import java.time.LocalDate;

/**
 * The scheduler's port to the engine's session state. The gateway implements it by publishing
 * {@code SESSION_OPEN} / {@code SESSION_CLOSE} commands through the ring (so they are journaled
 * and replay exactly) and by reading the engine's session state.
 *
 * <p>{@link #open} and {@link #close} return only once the engine has applied the command, so
 * the next {@link #state()} sees its effect. A refusal by the
 * engine ({@code SESSION_ALREADY_OPEN}, {@code SESSION_ALREADY_CLOSED}, {@code
 * INVALID_SESSION_DATE}: typically an operator got there first) is an outcome, not an error: return
 * {@code false}. Throw only when the command could not be applied at all (ring full, timeout,
 * pipeline stopped); the scheduler logs it and retries on its next tick.
 */
public interface SessionControl {

    /**
     * The engine's session state, read as one consistent snapshot (for example from a
     * {@code QUERY_SESSION} through the ring, whose {@code SessionStatus} carries both fields).
     *
     * @param open        whether the engine's session is open
     * @param sessionDate the current (if open) or last (if closed) session date; null before the
     *                    first session, never null when open
     */
    record State(boolean open, LocalDate sessionDate) {
        public State {
            if (open && sessionDate == null) {
                throw new IllegalArgumentException("an open session needs a session date");
            }
        }
    }

    /** The engine's session state now. */
    State state();

    /**
     * Publishes {@code SESSION_OPEN(session.date(), session.closesAt())} and waits until applied.
     *
     * @return true when the engine opened the session, false when it refused
     */
    boolean open(TradingSession session);

    /**
     * Publishes {@code SESSION_CLOSE} for {@code date} (the engine closes its open session, running
     * the end-of-day sweep) and waits until applied.
     *
     * @return true when the engine closed the session, false when it refused
     */
    boolean close(LocalDate date);
}
