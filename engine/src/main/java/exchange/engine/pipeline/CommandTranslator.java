package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * Fills a claimed ring slot. Implement it as a constant (non-capturing) so publishing allocates
 * nothing for the translator; pass per-request data as {@code arg}. The slot was cleared before
 * the call. The translator must set {@link Command#type} and {@link Command#timestampNanos}.
 */
@FunctionalInterface
public interface CommandTranslator<A> {
    void translate(Command slot, A arg);
}
