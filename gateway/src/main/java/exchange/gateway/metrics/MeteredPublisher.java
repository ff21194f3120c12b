package exchange.gateway.metrics;

import exchange.engine.CommandType;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link CommandPublisher} that counts what passes through it into {@link GatewayMetrics}:
 * every completed command by type and result, and every refusal by a full ring. Wraps the real
 * pipeline so the HTTP layer and the session scheduler are both counted. The command type of a
 * refusal is not known (the slot was never filled), so {@link #tryPublish(CommandType,
 * CommandTranslator, Object)} lets callers name it.
 */
public final class MeteredPublisher implements CommandPublisher {
    private final CommandPublisher delegate;
    private final GatewayMetrics metrics;

    public MeteredPublisher(CommandPublisher delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    @Override
    public <A> CompletableFuture<CommandResult> tryPublish(CommandTranslator<A> translator, A arg) {
        CompletableFuture<CommandResult> f = delegate.tryPublish(translator, arg);
        if (f != null) {
            f.thenAccept(this::completed);
        }
        return f;
    }

    /** As {@link #tryPublish(CommandTranslator, Object)}, counting a refusal under {@code type}. */
    public <A> CompletableFuture<CommandResult> tryPublish(CommandType type, CommandTranslator<A> translator, A arg) {
        CompletableFuture<CommandResult> f = tryPublish(translator, arg);
        if (f == null) {
            metrics.ringFull(type);
        }
        return f;
    }

    private void completed(CommandResult r) {
        metrics.commandCompleted(r.type(), r.result());
    }
}
