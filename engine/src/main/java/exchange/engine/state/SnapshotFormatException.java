package exchange.engine.state;

/**
 * A snapshot written in a layout this engine does not read (another engine version). Not damage:
 * recovery skips such a snapshot for an older one, or replays the whole journal.
 */
public final class SnapshotFormatException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SnapshotFormatException(String message) {
        super(message);
    }
}
