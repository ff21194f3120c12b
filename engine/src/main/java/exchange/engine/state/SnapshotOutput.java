package exchange.engine.state;

/**
 * A sink for the engine's snapshot encoding. The engine writes its whole state as a sequence of
 * primitives; the journal module supplies a buffer-backed implementation and frames, checksums
 * and stores the bytes. No I/O happens in the engine.
 */
public interface SnapshotOutput {
    void putLong(long v);

    void putInt(int v);

    void putByte(byte v);

    /** A possibly null string. */
    void putString(String s);
}
