package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * Who waits for one published command: called exactly once, on the results thread, with either
 * the applied and journaled command or the failure that stopped the pipeline first. The command
 * is the ring slot: read what is needed during the call, never keep it (the slot is reused).
 *
 * <p>Give one long-lived handler to many commands where the caller can (a benchmark counting its
 * answers, a batch waiting for its last one): then publishing allocates nothing per command.
 * {@link FutureResult} is the one-shot handler that copies the outcome into a
 * {@link CommandResult} for a caller on another thread.
 */
public interface ResultHandler {
    /** The command is applied and, if journaled, durable per the configured mode. */
    void onResult(Command command);

    /** The pipeline stopped before the command was answered; no {@link #onResult} follows. */
    void onFailure(Throwable failure);
}
