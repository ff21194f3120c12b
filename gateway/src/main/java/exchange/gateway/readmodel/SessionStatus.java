package exchange.gateway.readmodel;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.EventType;

/**
 * Read model of the engine's session state (open or closed, trading date, scheduled close, when
 * it opened), fed by {@code SESSION_OPENED} / {@code SESSION_CLOSED} events on the engine thread
 * and read by any thread. After recovery it is initialised with {@link #reset} from the recovered
 * engine. Each state is one immutable {@link State} published through a volatile field, so a
 * reader never sees a half-updated mix.
 */
public final class SessionStatus implements EventSink {

    /**
     * One consistent view.
     *
     * @param open               whether orders are accepted
     * @param sessionDate        epoch day of the current (open) or last (closed) session; 0 = none yet
     * @param closesAtNanos      scheduled close of the open session, epoch nanos; 0 when unknown
     * @param openedAtNanos      when the open session was opened (stamped command time); 0 when unknown
     * @param seq                engine sequence of the event that produced this state; 0 when rebuilt
     */
    public record State(boolean open, long sessionDate, long closesAtNanos, long openedAtNanos, long seq) {
    }

    private volatile State state = new State(false, 0, 0, 0, 0);

    public State state() {
        return state;
    }

    /** Sets the state from a recovered engine (no event history: the opening time is unknown). */
    public void reset(boolean open, long sessionDate, long closesAtNanos, long seq) {
        state = new State(open, sessionDate, open ? closesAtNanos : 0, 0, seq);
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (event.type == EventType.SESSION_OPENED) {
            state = new State(true, event.sessionDate, event.amount, event.timestampNanos, event.seq);
        } else if (event.type == EventType.SESSION_CLOSED) {
            long date = event.sessionDate != 0 ? event.sessionDate : state.sessionDate();
            state = new State(false, date, 0, 0, event.seq);
        }
    }
}
