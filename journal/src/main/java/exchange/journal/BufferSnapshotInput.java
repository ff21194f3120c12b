package exchange.journal;

import exchange.engine.state.SnapshotInput;

import java.nio.charset.StandardCharsets;

/**
 * Reads what {@link BufferSnapshotOutput} wrote from a byte range. Reading past the end throws
 * {@link JournalFormatException} ({@code MALFORMED_PAYLOAD}): the payload does not hold what the
 * reader expects. Not thread safe.
 */
public final class BufferSnapshotInput implements SnapshotInput {
    private final byte[] buf;
    private final int end;
    private int pos;

    public BufferSnapshotInput(byte[] buf, int offset, int length) {
        if (offset < 0 || length < 0 || (long) offset + length > buf.length) {
            throw new IllegalArgumentException("range [" + offset + ", " + offset + "+" + length + ") outside an array of "
                    + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.end = offset + length;
    }

    private void need(long n) {
        if (pos + n > end) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                    "snapshot payload ends " + (pos + n - end) + " bytes before the reader expected");
        }
    }

    @Override
    public long getLong() {
        need(8);
        long v = RecordFrame.getLongLE(buf, pos);
        pos += 8;
        return v;
    }

    @Override
    public int getInt() {
        need(4);
        int v = RecordFrame.getIntLE(buf, pos);
        pos += 4;
        return v;
    }

    @Override
    public byte getByte() {
        need(1);
        return buf[pos++];
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
        String s = new String(buf, pos, n, StandardCharsets.UTF_8);
        pos += n;
        return s;
    }

    /** Bytes not yet read. */
    public int remaining() {
        return end - pos;
    }
}
