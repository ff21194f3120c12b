package exchange.engine.state;

/**
 * A sink for the engine's snapshot encoding. The engine writes its whole state as a sequence of
 * primitives; the journal module supplies a buffer-backed implementation and frames, checksums
 * and stores the bytes. No I/O happens in the engine.
 *
 * <p>The bulk methods write exactly what the same number of single puts would; implementations
 * override them to copy whole arrays at once (the order and trade pages are most of a snapshot).
 */
public interface SnapshotOutput {
    void putLong(long v);

    void putInt(int v);

    void putByte(byte v);

    /** A possibly null string. */
    void putString(String s);

    /** {@code src[offset, offset + length)}, as {@code length} {@link #putLong}s. */
    default void putLongs(long[] src, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            putLong(src[i]);
        }
    }

    /** {@code src[offset, offset + length)}, as {@code length} {@link #putByte}s. */
    default void putBytes(byte[] src, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            putByte(src[i]);
        }
    }
}
