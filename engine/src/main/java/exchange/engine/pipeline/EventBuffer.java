package exchange.engine.pipeline;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;

/**
 * The events of one command, held in its ring slot from the engine stage until the results
 * stage publishes them. Events are copied into preallocated instances, so steady state
 * allocates nothing; a command with unusually many events (an end-of-day sweep) grows the
 * buffer, which shrinks back once drained.
 *
 * <p>Written by the engine thread, drained by the results thread; the ring's sequence barrier
 * orders the two.
 */
final class EventBuffer implements EventSink {
    private static final int INITIAL = 4;
    private static final int RETAINED = 1024;

    private EngineEvent[] events = newEvents(INITIAL, 0, null);
    private int size;

    private static EngineEvent[] newEvents(int capacity, int keep, EngineEvent[] old) {
        EngineEvent[] a = new EngineEvent[capacity];
        for (int i = 0; i < capacity; i++) {
            a[i] = i < keep ? old[i] : new EngineEvent();
        }
        return a;
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (size == events.length) {
            events = newEvents(size * 2, size, events);
        }
        events[size++].copyFrom(event);
    }

    int size() {
        return size;
    }

    /** Hands every buffered event to {@code sink}, in order, and empties the buffer. */
    void drainTo(EventSink sink) {
        for (int i = 0; i < size; i++) {
            sink.onEvent(events[i]);
        }
        clear();
    }

    void clear() {
        size = 0;
        if (events.length > RETAINED) {
            events = newEvents(INITIAL, 0, null);
        }
    }
}
