package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * What the engine stage does with each slot, on the engine thread. Production uses
 * {@link ExchangeProcessor}; tests may plug in a slow or failing one.
 */
@FunctionalInterface
public interface CommandProcessor {
    void process(Command command);
}
