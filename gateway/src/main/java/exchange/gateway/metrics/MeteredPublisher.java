package exchange.gateway.metrics;

import exchange.engine.CommandType;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.ResultHandler;
import exchange.engine.pipeline.ResultListener;

import java.util.concurrent.CompletableFuture;

/**
 * A {@link CommandPublisher} that counts what passes through it into {@link GatewayMetrics}:
 * every refusal by a full ring, and (through {@link #countingListener}, chained into the
 * pipeline's result listener on the results thread) every completed command by type and result,
 * which costs no object per command. The command type of a refusal is not known (the slot was
 * never filled), so {@link #tryPublish(CommandType, CommandTranslator, Object)} lets callers name it.
 */
public final class MeteredPublisher implements CommandPublisher {
    private final CommandPublisher delegate;
    private final GatewayMetrics metrics;

    public MeteredPublisher(CommandPublisher delegate, GatewayMetrics metrics) {
        this.delegate = delegate;
        this.metrics = metrics;
    }

    /** Counts each completed command into {@code metrics}, then calls {@code next}. */
    public static ResultListener countingListener(GatewayMetrics metrics, ResultListener next) {
        return c -> {
            metrics.commandCompleted(c.type, c.result);
            next.onResult(c);
        };
    }

    @Override
    public <A> boolean tryPublish(CommandTranslator<A> translator, A arg, ResultHandler handler) {
        return delegate.tryPublish(translator, arg, handler);
    }

    /** As {@link #tryPublish(CommandTranslator, Object, ResultHandler)}, counting a refusal under {@code type}. */
    public <A> boolean tryPublish(CommandType type, CommandTranslator<A> translator, A arg, ResultHandler handler) {
        boolean published = delegate.tryPublish(translator, arg, handler);
        if (!published) {
            metrics.ringFull(type);
        }
        return published;
    }

    /** As {@link #tryPublish(CommandTranslator, Object)}, counting a refusal under {@code type}. */
    public <A> CompletableFuture<CommandResult> tryPublish(CommandType type,
            CommandTranslator<A> translator, A arg) {
        CompletableFuture<CommandResult> f = tryPublish(translator, arg);
        if (f == null) {
            metrics.ringFull(type);
        }
        return f;
    }
}
