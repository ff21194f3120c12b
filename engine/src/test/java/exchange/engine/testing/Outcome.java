package exchange.engine.testing;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;

import java.util.ArrayList;
import java.util.List;

/**
 * What one applied command produced: the command with its result fields, and copies of the
 * events it emitted, in order.
 */
public record Outcome(Command command, List<EngineEvent> events) {

    public ResultCode code() {
        return command.result;
    }

    /** The order the command concerned, as it stood after the command (a copy). */
    public OrderView order() {
        return command.order.copy();
    }

    public long orderId() {
        return command.order.orderId;
    }

    public long seq() {
        return command.seq;
    }

    public List<EventType> eventTypes() {
        List<EventType> types = new ArrayList<>();
        for (EngineEvent e : events) {
            types.add(e.type);
        }
        return types;
    }

    /** The events of one type, in order. */
    public List<EngineEvent> events(EventType type) {
        List<EngineEvent> out = new ArrayList<>();
        for (EngineEvent e : events) {
            if (e.type == type) {
                out.add(e);
            }
        }
        return out;
    }

    /** The only event of {@code type}; fails if there is not exactly one. */
    public EngineEvent single(EventType type) {
        List<EngineEvent> matching = events(type);
        if (matching.size() != 1) {
            throw new AssertionError("expected exactly one " + type + " but got " + events);
        }
        return matching.get(0);
    }
}
