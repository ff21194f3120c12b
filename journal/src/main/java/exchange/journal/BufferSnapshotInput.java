package exchange.journal;

import exchange.engine.state.SnapshotInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what {@link BufferSnapshotOutput} wrote from a sequence of buffers: the output's chunks,
 * or the windows of a snapshot file mapped read-only (so its bytes are neither copied onto the
 * heap first nor staged through a temporary direct buffer, and a file may exceed the 2 GiB one
 * buffer can address). A value may straddle two buffers. Reading past the end throws
 * {@link JournalFormatException} ({@code MALFORMED_PAYLOAD}): the payload does not hold what the
 * reader expects. Not thread safe.
 */
public final class BufferSnapshotInput implements SnapshotInput {
    private final List<ByteBuffer> parts;
    private int part;
    private ByteBuffer current;
    private long remaining;

    public BufferSnapshotInput(byte[] buf, int offset, int length) {
        this(List.of(wrap(buf, offset, length)));
    }

    /** Reads {@code buf} from its position to its limit ({@code buf} itself is not moved). */
    public BufferSnapshotInput(ByteBuffer buf) {
        this(List.of(buf));
    }

    /** Reads each buffer from its position to its limit, in order (the buffers are not moved). */
    public BufferSnapshotInput(List<ByteBuffer> buffers) {
        parts = new ArrayList<>(buffers.size());
        for (ByteBuffer b : buffers) {
            parts.add(b.slice().order(ByteOrder.LITTLE_ENDIAN));
            remaining += b.remaining();
        }
        current = parts.isEmpty() ? ByteBuffer.allocate(0) : parts.get(0);
    }

    /** Reads back everything {@code out} holds. */
    public static BufferSnapshotInput of(BufferSnapshotOutput out) {
        return new BufferSnapshotInput(out.buffers());
    }

    private static ByteBuffer wrap(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > buf.length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") outside an array of "
                    + buf.length);
        }
        return ByteBuffer.wrap(buf, offset, length);
    }

    /** Throws unless {@code n} more bytes are left. */
    private void available(long n) {
        if (n > remaining) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                    "snapshot payload ends " + (n - remaining) + " bytes before the reader expected");
        }
    }

    /** Takes {@code n} bytes from what is left (the caller then reads them). */
    private void need(long n) {
        available(n);
        remaining -= n;
    }

    /** {@link #current}, moved on to the next buffer if it is used up (the caller has checked there is a byte left). */
    private ByteBuffer data() {
        while (!current.hasRemaining()) {
            current = parts.get(++part);
        }
        return current;
    }

    @Override
    public long getLong() {
        need(8);
        if (data().remaining() >= 8) {
            return current.getLong();
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (data().get() & 0xFFL) << (8 * i);
        }
        return v;
    }

    @Override
    public int getInt() {
        need(4);
        if (data().remaining() >= 4) {
            return current.getInt();
        }
        int v = 0;
        for (int i = 0; i < 4; i++) {
            v |= (data().get() & 0xFF) << (8 * i);
        }
        return v;
    }

    @Override
    public byte getByte() {
        need(1);
        return data().get();
    }

    @Override
    public String getString() {
        int n = getInt();
        if (n == BufferSnapshotOutput.NULL_STRING) {
            return null;
        }
        if (n < 0) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD, "negative string length " + n);
        }
        byte[] utf8 = new byte[n];
        getBytes(utf8, 0, n);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public void getLongs(long[] dst, int offset, int length) {
        available(length * 8L);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int fit = Math.min(end - i, data().remaining() / 8);
            if (fit == 0) {
                dst[i++] = getLong(); // straddles two buffers
                continue;
            }
            current.asLongBuffer().get(dst, i, fit);
            current.position(current.position() + fit * 8);
            remaining -= fit * 8L;
            i += fit;
        }
    }

    @Override
    public void getBytes(byte[] dst, int offset, int length) {
        need(length);
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int n = Math.min(end - i, data().remaining());
            current.get(dst, i, n);
            i += n;
        }
    }

    /** Bytes not yet read. */
    public long remaining() {
        return remaining;
    }
}
