package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.EventSink;

/**
 * What the engine stage does with each slot, on the engine thread. Production uses
 * {@link ExchangeProcessor}; tests may plug in a slow or failing one.
 */
@FunctionalInterface
public interface CommandProcessor {
    /**
     * Processes {@code command}, sending its events to {@code events} (the slot's buffer: the
     * results stage publishes them once the command is also journaled). The result fields still
     * hold the slot's previous outcome: clear them before writing this one ({@link
     * exchange.engine.Exchange#apply} does, {@link Command#clearResult()}).
     */
    void process(Command command, EventSink events);

    /**
     * Reads, changing nothing, the memory that processing {@code commands[from, to)} will touch
     * first, so that their cache misses overlap; called on the engine thread for commands about
     * to be processed. Calling it or not never changes a result.
     */
    default void prefetch(Command[] commands, int from, int to) {
    }
}
