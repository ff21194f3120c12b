package exchange.bench;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.FutureResult;
import exchange.engine.pipeline.ResultHandler;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;

/** Shared set-up steps of the benchmarks and the latency harness. Stateless. */
final class BenchSupport {
    /** How long a producer parks when the ring is full: long enough not to spin on a 2-core box. */
    static final long RING_FULL_PARK_NANOS = 20_000;
    /**
     * Copies a prepared command's input into the claimed ring slot (a constant, so publishing
     * allocates nothing); it writes every input field, so the ring does not clear them first.
     */
    static final CommandTranslator<Command> COPY = new CommandTranslator<>() {
        @Override
        public void translate(Command slot, Command source) {
            slot.copyInputFieldsFrom(source);
        }

        @Override
        public boolean writesEveryInputField() {
            return true;
        }
    };

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
        FutureResult f = new FutureResult();
        publish(publisher, c, f);
        return f;
    }

    /** Publishes {@code c} answered to {@code handler}, parking (not spinning) while the ring is full. */
    static void publish(CommandPublisher publisher, Command c, ResultHandler handler) {
        while (!publisher.tryPublish(COPY, c, handler)) {
            LockSupport.parkNanos(RING_FULL_PARK_NANOS);
        }
    }

    /**
     * One handler for a whole flow: counts the answers on the results thread, allocating nothing,
     * as a client that batches its orders would. Read {@link #answered()} after a later command's
     * own answer was seen (results are delivered in ring order).
     */
    static final class AnswerCounter implements ResultHandler {
        private long answered;
        private long notApplied;

        @Override
        public void onResult(Command command) {
            answered++;
            if (command.result == null) {
                notApplied++;
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            throw new IllegalStateException("pipeline failed", failure);
        }

        long answered() {
            return answered;
        }

        long notApplied() {
            return notApplied;
        }
    }
}
