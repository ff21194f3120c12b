package exchange.engine.pipeline;

import java.util.concurrent.CompletableFuture;

/**
 * The producers' side of the ring. Never blocks: when the ring is full (or the pipeline has
 * stopped) it refuses and the caller answers "overloaded" (HTTP 503 with Retry-After).
 */
public interface CommandPublisher {
    /**
     * Publishes a command whose outcome goes to {@code handler} on the results thread once it is
     * both applied and (if journaled) durable per the configured mode. Allocates nothing.
     *
     * @param handler called exactly once if this returns true; may be null when nobody waits
     * @return false, and {@code handler} is never called, when the ring is full or the pipeline stopped
     */
    <A> boolean tryPublish(CommandTranslator<A> translator, A arg, ResultHandler handler);

    /** As above, answered through a future; null when the ring is full or the pipeline stopped. */
    default <A> CompletableFuture<CommandResult> tryPublish(CommandTranslator<A> translator, A arg) {
        FutureResult result = new FutureResult();
        return tryPublish(translator, arg, result) ? result : null;
    }
}
