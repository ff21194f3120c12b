package exchange.engine.pipeline;

import exchange.engine.Command;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A ring slot of {@link ExchangePipeline}: the command, its events, and who waits for its result.
 * Allocated once with the ring; filled by a producer, read by the stage threads in ring order.
 */
final class Slot {
    private static final VarHandle HANDLER;

    static {
        try {
            HANDLER = MethodHandles.lookup().findVarHandle(Slot.class, "handler", ResultHandler.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final Command command = new Command();
    final EventBuffer events = new EventBuffer();
    /** Set by the producer before it publishes the slot; taken once, by the answer or by a failure. */
    ResultHandler handler;

    /**
     * The handler, and none from now on: whoever takes it (the results thread answering, a
     * failing thread failing the ring) calls it, so it is called exactly once even when the two race.
     */
    ResultHandler take() {
        return (ResultHandler) HANDLER.getAndSet(this, (ResultHandler) null);
    }
}
