package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.OrderView;

import java.util.concurrent.CompletableFuture;

/**
 * A future that is its command's {@link ResultHandler}: the results thread copies the outcome
 * out of the slot into a {@link CommandResult} (with a copy of the order's view) and completes
 * it. One object per command besides the result itself, where a separate future and handler
 * would be two.
 */
public class FutureResult extends CompletableFuture<CommandResult> implements ResultHandler {
    @Override
    public void onResult(Command c) {
        complete(resultOf(c));
    }

    @Override
    public void onFailure(Throwable failure) {
        completeExceptionally(failure);
    }

    /** The outcome of {@code c} copied out of its slot. */
    public static CommandResult resultOf(Command c) {
        OrderView order = c.order.isPresent() ? c.order.copy() : null;
        return new CommandResult(c.type, c.type != null && c.type.isJournaled() ? c.seq : 0,
                c.result, order, c.conflictFields, c.resultAccountId, c.queryResult);
    }
}
