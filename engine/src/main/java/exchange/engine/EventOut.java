package exchange.engine;

/**
 * Where the command being applied sends its events: the command (for the sequence and stamped
 * time every event carries), the caller's sink, and the one {@link EngineEvent} flyweight all
 * events are written into. Set by {@link Exchange#apply} for the length of one command.
 *
 * <p>Owned by the engine thread. Events into {@link EventSink#NONE} (a replay) are never read,
 * so the flyweight is not cleared for them: what each event sets is then written for nothing,
 * but cheaply.
 */
final class EventOut {
    private final EngineEvent event = new EngineEvent();
    private Command command;
    private EventSink sink = EventSink.NONE;

    void begin(Command c, EventSink s) {
        command = c;
        sink = s;
    }

    void end() {
        command = null;
        sink = EventSink.NONE;
    }

    /** Sequence of the command being applied. */
    long seq() {
        return command.seq;
    }

    /** Stamped time of the command being applied. */
    long timestampNanos() {
        return command.timestampNanos;
    }

    /** The flyweight, reset to {@code type} with the command's envelope unless nobody reads it. */
    EngineEvent event(EventType type) {
        return sink == EventSink.NONE ? event : event.reset(type, command.seq, command.timestampNanos);
    }

    void emit() {
        sink.onEvent(event);
    }
}
