package exchange.engine.state;

/** Reads back what {@link SnapshotOutput} wrote, in the same order. */
public interface SnapshotInput {
    long getLong();

    int getInt();

    byte getByte();

    String getString();
}
