package exchange.engine.pipeline;

import java.util.concurrent.CompletableFuture;

/**
 * The producers' side of the ring. Never blocks: when the ring is full (or the pipeline has
 * stopped) it returns null and the caller answers "overloaded" (HTTP 503 with Retry-After).
 * The future completes on the results thread once the command is both applied and (if
 * journaled) durable per the configured mode.
 */
public interface CommandPublisher {
    <A> CompletableFuture<CommandResult> tryPublish(CommandTranslator<A> translator, A arg);
}
