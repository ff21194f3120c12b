package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;

import java.util.function.Function;

/**
 * The engine stage: applies each command to the {@link Exchange} on the engine thread; its events
 * go to the slot's buffer, which the results stage publishes only after the command is also
 * journaled (so no consumer ever sees an event of a command a crash could lose). A SNAPSHOT
 * command captures the state here, at its exact place in the stream, through the given encoder
 * (which must do no I/O; the caller writes the bytes elsewhere).
 */
public final class ExchangeProcessor implements CommandProcessor {
    private final Exchange exchange;
    private final Function<Exchange, Object> snapshotEncoder;

    /** @param snapshotEncoder encodes the state for a SNAPSHOT command; null if snapshots are not taken */
    public ExchangeProcessor(Exchange exchange, Function<Exchange, Object> snapshotEncoder) {
        this.exchange = exchange;
        this.snapshotEncoder = snapshotEncoder;
    }

    public Exchange exchange() {
        return exchange;
    }

    @Override
    public void prefetch(Command[] commands, int from, int to) {
        exchange.prefetch(commands, from, to);
    }

    @Override
    public void process(Command command, EventSink events) {
        exchange.apply(command, events);
        if (command.type == CommandType.SNAPSHOT && snapshotEncoder != null) {
            command.queryResult = snapshotEncoder.apply(exchange);
        }
    }
}
