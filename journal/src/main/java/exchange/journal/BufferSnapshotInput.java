package exchange.journal;

import exchange.engine.state.SnapshotInput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BufferSnapshotOutput} wrote from a byte range: of an array, or of a buffer
 * (a snapshot file is read through a read-only mapping, so its bytes are neither copied onto the
 * heap first nor staged through a temporary direct buffer). Reading past the end throws
 * {@link JournalFormatException} ({@code MALFORMED_PAYLOAD}): the payload does not hold what the
 * reader expects. Not thread safe.
 */
public final class BufferSnapshotInput implements SnapshotInput {
    private final ByteBuffer buf;

    public BufferSnapshotInput(byte[] buf, int offset, int length) {
        this(wrap(buf, offset, length));
    }

    /** Reads {@code buf} from its position to its limit (a little-endian view of it; {@code buf} is not moved). */
    public BufferSnapshotInput(ByteBuffer buf) {
        this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer wrap(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > buf.length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") outside an array of "
                    + buf.length);
        }
        return ByteBuffer.wrap(buf, offset, length);
    }

    private void need(long n) {
        if (n > buf.remaining()) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                    "snapshot payload ends " + (n - buf.remaining()) + " bytes before the reader expected");
        }
    }

    @Override
    public long getLong() {
        need(8);
        return buf.getLong();
    }

    @Override
    public int getInt() {
        need(4);
        return buf.getInt();
    }

    @Override
    public byte getByte() {
        need(1);
        return buf.get();
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
        need(n);
        byte[] utf8 = new byte[n];
        buf.get(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    @Override
    public void getLongs(long[] dst, int offset, int length) {
        need(length * 8L);
        buf.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(dst, offset, length);
        buf.position(buf.position() + length * 8);
    }

    @Override
    public void getBytes(byte[] dst, int offset, int length) {
        need(length);
        buf.get(dst, offset, length);
    }

    /** Bytes not yet read. */
    public int remaining() {
        return buf.remaining();
    }
}
