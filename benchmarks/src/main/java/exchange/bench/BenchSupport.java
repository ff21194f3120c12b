package exchange.bench;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/** Shared set-up steps of the benchmarks and the latency harness. Stateless. */
final class BenchSupport {
    /** How long a producer parks when the ring is full: long enough not to spin on a 2-core box. */
    static final long RING_FULL_PARK_NANOS = 20_000;
    /** Copies a prepared command into the claimed ring slot (non-capturing, so publishing allocates no lambda). */
    static final CommandTranslator<Command> COPY = (slot, source) -> slot.copyInputFrom(source);

    private BenchSupport() {
    }

    /** A fresh exchange for the generator's stream with its set-up commands applied (each must succeed). */
    static Exchange preparedExchange(Command[] setup) {
        Exchange exchange = new Exchange(OrderFlowGenerator.config());
        for (Command c : setup) {
            applyExpectingOk(exchange, c);
        }
        return exchange;
    }

    /** Applies {@code c} as a live command (no journal sequence) and fails loudly unless it succeeds. */
    static void applyExpectingOk(Exchange exchange, Command c) {
        c.seq = 0;
        exchange.apply(c, EventSink.NONE);
        if (c.result != ResultCode.OK) {
            throw new IllegalStateException("set-up command failed: " + c);
        }
    }

    /** Publishes {@code c}, parking (not spinning) while the ring is full. */
    static CompletableFuture<CommandResult> publish(CommandPublisher publisher, Command c) {
        CompletableFuture<CommandResult> f;
        while ((f = publisher.tryPublish(COPY, c)) == null) {
            LockSupport.parkNanos(RING_FULL_PARK_NANOS);
        }
        return f;
    }
}
