package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * Fills a claimed ring slot. Implement it as a constant (non-capturing) so publishing allocates
 * nothing for the translator; pass per-request data as {@code arg}. The slot's input fields were
 * cleared before the call (unless {@link #writesEveryInputField()}); its result fields still hold
 * the previous command's outcome, which the engine stage clears before it writes this one's. The
 * translator must set {@link Command#type} and {@link Command#timestampNanos}.
 */
@FunctionalInterface
public interface CommandTranslator<A> {
    void translate(Command slot, A arg);

    /**
     * True if {@link #translate} writes every input field of the slot (a copy of a whole
     * command), so that clearing them first would only write each field twice.
     */
    default boolean writesEveryInputField() {
        return false;
    }
}
