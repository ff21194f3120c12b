package exchange.journal;

/**
 * Recovery cannot rebuild a consistent state from the data directory: the journal does not
 * continue the chosen snapshot (a gap) or ends before it, or a snapshot does not match the state
 * it claims. The exchange must not start; the message says what was found.
 */
public final class RecoveryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RecoveryException(String message) {
        super(message);
    }

    public RecoveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
