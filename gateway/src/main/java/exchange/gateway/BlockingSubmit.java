package exchange.gateway;

import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes a command and waits for its result, retrying a full ring every millisecond until a
 * deadline. For start-up tasks and the session scheduler's thread only: request threads never
 * wait (they use {@code ctx.future}).
 */
final class BlockingSubmit {
    private BlockingSubmit() {
    }

    /**
     * @throws IllegalStateException when the ring stays full or the pipeline has stopped until the
     *                               deadline, the command fails, or the thread is interrupted
     */
    static <A> CommandResult submitAndWait(CommandPublisher publisher, CommandTranslator<A> translator, A arg,
                                           Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                CompletableFuture<CommandResult> f = publisher.tryPublish(translator, arg);
                if (f != null) {
                    return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("ring full or pipeline stopped: command not published within "
                            + timeout);
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a command's result", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("command failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no result for a command within " + timeout, e);
        }
    }
}
