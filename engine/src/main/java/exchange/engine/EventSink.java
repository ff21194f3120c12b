package exchange.engine;

/**
 * Receives the engine's output events, in order, on the engine thread. The event instance is a
 * flyweight reused for the next event: copy it ({@link EngineEvent#copy()}) to keep it.
 */
@FunctionalInterface
public interface EventSink {
    EventSink NONE = e -> { };

    void onEvent(EngineEvent event);
}
