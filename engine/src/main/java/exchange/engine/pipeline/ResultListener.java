package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * Sees every processed command on the results thread, in engine order, after it is applied and
 * journaled and before its caller is answered. The command is the ring slot: read it during the
 * call only. Used for metrics, market-data read models and tests.
 */
@FunctionalInterface
public interface ResultListener {
    ResultListener NONE = c -> { };

    void onResult(Command command);
}
