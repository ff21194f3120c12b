package exchange.journal.replay;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps copies of the events of one command (the engine's event is a reused flyweight). The
 * copies are pooled and reused after {@link #clear}; {@link #events} is valid until then.
 * Confined to the replaying thread.
 */
final class EventBuffer implements EventSink {
    private final List<EngineEvent> pool = new ArrayList<>();
    private int size;

    @Override
    public void onEvent(EngineEvent event) {
        if (size == pool.size()) {
            pool.add(new EngineEvent());
        }
        pool.get(size++).copyFrom(event);
    }

    void clear() {
        size = 0;
    }

    /** The events received since the last {@link #clear}, in order. */
    List<EngineEvent> events() {
        return pool.subList(0, size);
    }
}
