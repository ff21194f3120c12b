package exchange.readside.history;

/**
 * The history database failed or cannot be used as it is: a JDBC error, a schema newer than this
 * build, a database that is not the history database. Unchecked: on the writer thread it stops the
 * runner (fail-stop); on a query thread it is the caller's 503.
 */
public final class HistoryStoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public HistoryStoreException(String message) {
        super(message);
    }

    public HistoryStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
