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
     * results stage publishes them once the command is also journaled).
     */
    void process(Command command, EventSink events);
}
