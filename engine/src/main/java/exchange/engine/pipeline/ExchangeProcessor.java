package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;

import java.util.function.Function;

/**
 * The engine stage: applies each command to the {@link Exchange} and sends its events to the
 * sink, all on the engine thread. A SNAPSHOT command captures the state here, at its exact
 * place in the stream, through the given encoder (which must do no I/O; the caller writes the
 * bytes elsewhere).
 */
public final class ExchangeProcessor implements CommandProcessor {
    private final Exchange exchange;
    private final EventSink sink;
    private final Function<Exchange, Object> snapshotEncoder;

    public ExchangeProcessor(Exchange exchange, EventSink sink, Function<Exchange, Object> snapshotEncoder) {
        this.exchange = exchange;
        this.sink = sink;
        this.snapshotEncoder = snapshotEncoder;
    }

    public Exchange exchange() {
        return exchange;
    }

    @Override
    public void process(Command command) {
        exchange.apply(command, sink);
        if (command.type == CommandType.SNAPSHOT && snapshotEncoder != null) {
            command.queryResult = snapshotEncoder.apply(exchange);
        }
    }
}
