package exchange.engine.state;

/** Reads back what {@link SnapshotOutput} wrote, in the same order. */
public interface SnapshotInput {
    long getLong();

    int getInt();

    byte getByte();

    String getString();

    /** Reads {@code length} longs into {@code dst[offset, offset + length)}. */
    default void getLongs(long[] dst, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            dst[i] = getLong();
        }
    }

    /** Reads {@code length} bytes into {@code dst[offset, offset + length)}. */
    default void getBytes(byte[] dst, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            dst[i] = getByte();
        }
    }
}
