package exchange.journal;

import exchange.engine.state.SnapshotOutput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A {@link SnapshotOutput} over a growable byte array: longs and ints little-endian, bytes as is,
 * strings as an int32 UTF-8 length (-1 for null) followed by the bytes. {@link SnapshotStore}
 * frames and checksums the result; {@link BufferSnapshotInput} reads it back. Not thread safe.
 */
public final class BufferSnapshotOutput implements SnapshotOutput {
    /** Largest payload: what a Java array can hold, minus room for the file's framing. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - 64;
    static final int NULL_STRING = -1;

    private byte[] buf;
    private int length;

    public BufferSnapshotOutput() {
        this(1 << 16);
    }

    public BufferSnapshotOutput(int initialCapacity) {
        buf = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        long need = (long) length + more;
        if (need > buf.length) {
            if (need > MAX_LENGTH) {
                throw new IllegalStateException("snapshot payload would exceed " + MAX_LENGTH + " bytes");
            }
            buf = Arrays.copyOf(buf, (int) Math.min(MAX_LENGTH, Math.max(need, (long) buf.length * 2)));
        }
    }

    @Override
    public void putLong(long v) {
        ensure(8);
        RecordFrame.putLongLE(buf, length, v);
        length += 8;
    }

    @Override
    public void putInt(int v) {
        ensure(4);
        RecordFrame.putIntLE(buf, length, v);
        length += 4;
    }

    @Override
    public void putByte(byte v) {
        ensure(1);
        buf[length++] = v;
    }

    @Override
    public void putString(String s) {
        if (s == null) {
            putInt(NULL_STRING);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        ensure(utf8.length);
        System.arraycopy(utf8, 0, buf, length, utf8.length);
        length += utf8.length;
    }

    @Override
    public void putLongs(long[] src, int offset, int length) {
        ensure(Math.multiplyExact(length, 8));
        ByteBuffer.wrap(buf, this.length, length * 8).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().put(src, offset, length);
        this.length += length * 8;
    }

    @Override
    public void putBytes(byte[] src, int offset, int length) {
        ensure(length);
        System.arraycopy(src, offset, buf, this.length, length);
        this.length += length;
    }

    /** Bytes written so far. */
    public int length() {
        return length;
    }

    /** The backing array; valid bytes are {@code [0, length())}. */
    public byte[] array() {
        return buf;
    }

    /** Forgets the content, keeping the capacity. */
    public void reset() {
        length = 0;
    }
}
