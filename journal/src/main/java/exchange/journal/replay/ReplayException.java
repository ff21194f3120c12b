package exchange.journal.replay;

/**
 * The replay tool cannot do what it was asked with this data directory (the journal does not start
 * at seq 1, the engine failed on a command, a session never closed). Its message is the one line
 * the tool prints.
 */
final class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReplayException(String message) {
        super(message);
    }

    ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
