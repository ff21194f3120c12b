package exchange.journal;

import exchange.engine.state.SnapshotOutput;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SnapshotOutput} in memory: longs and ints little-endian, bytes as is, strings as an
 * int32 UTF-8 length (-1 for null) followed by the bytes. {@link SnapshotStore} frames and
 * checksums the result; {@link BufferSnapshotInput} reads it back. Not thread safe.
 *
 * <p>The bytes live in chunks (64 KiB first, doubling up to 16 MiB), not one array: an exchange's snapshot grows with every
 * order it keeps and passes the 2 GiB a Java array can hold after a few million orders, and
 * growing by copying would need twice the memory at the worst moment. A value may straddle two
 * chunks.
 */
public final class BufferSnapshotOutput implements SnapshotOutput {
    /** The default largest chunk: 16 MiB. */
    public static final int DEFAULT_CHUNK_BYTES = 16 << 20;
    /** The first chunk, unless the largest is smaller; each next one doubles up to the largest. */
    private static final int FIRST_CHUNK_BYTES = 64 << 10;
    static final int NULL_STRING = -1;

    private final int chunkBytes;
    private final List<ByteBuffer> chunks = new ArrayList<>();
    private ByteBuffer current;
    /** Bytes in the chunks before {@link #current}. */
    private long before;

    public BufferSnapshotOutput() {
        this(DEFAULT_CHUNK_BYTES);
    }

    /** @param chunkBytes the largest chunk (at least 16; small sizes are for tests) */
    public BufferSnapshotOutput(int chunkBytes) {
        if (chunkBytes < 16) {
            throw new IllegalArgumentException("chunkBytes must be >= 16, was " + chunkBytes);
        }
        this.chunkBytes = chunkBytes;
        nextChunk();
    }

    private void nextChunk() {
        int size = Math.min(chunkBytes, FIRST_CHUNK_BYTES);
        if (current != null) {
            before += current.position();
            size = (int) Math.min(chunkBytes, 2L * current.capacity());
        }
        current = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        chunks.add(current);
    }

    /** Room for at least one byte in {@link #current}. */
    private ByteBuffer room() {
        if (!current.hasRemaining()) {
            nextChunk();
        }
        return current;
    }

    @Override
    public void putLong(long v) {
        if (current.remaining() >= 8) {
            current.putLong(v);
        } else {
            for (int i = 0; i < 8; i++) {
                putByte((byte) (v >>> (8 * i)));
            }
        }
    }

    @Override
    public void putInt(int v) {
        if (current.remaining() >= 4) {
            current.putInt(v);
        } else {
            for (int i = 0; i < 4; i++) {
                putByte((byte) (v >>> (8 * i)));
            }
        }
    }

    @Override
    public void putByte(byte v) {
        room().put(v);
    }

    @Override
    public void putString(String s) {
        if (s == null) {
            putInt(NULL_STRING);
            return;
        }
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        putInt(utf8.length);
        putBytes(utf8, 0, utf8.length);
    }

    @Override
    public void putLongs(long[] src, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int fit = Math.min(end - i, room().remaining() / 8);
            if (fit == 0) {
                putLong(src[i++]); // straddles the chunk boundary
                continue;
            }
            current.asLongBuffer().put(src, i, fit);
            current.position(current.position() + fit * 8);
            i += fit;
        }
    }

    @Override
    public void putBytes(byte[] src, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end) {
            int n = Math.min(end - i, room().remaining());
            current.put(src, i, n);
            i += n;
        }
    }

    /** Bytes written so far. */
    public long length() {
        return before + current.position();
    }

    /** The content as read-only buffers, in order, each from its start to its last written byte. */
    public List<ByteBuffer> buffers() {
        List<ByteBuffer> out = new ArrayList<>(chunks.size());
        for (ByteBuffer c : chunks) {
            ByteBuffer b = c.asReadOnlyBuffer().flip();
            if (b.hasRemaining()) {
                out.add(b);
            }
        }
        return out;
    }

    /** The byte at {@code position} (for tests that tamper with a payload). */
    void setByte(long position, byte value) {
        for (ByteBuffer c : chunks) {
            if (position < c.position()) {
                c.put((int) position, value);
                return;
            }
            position -= c.position();
        }
        throw new IndexOutOfBoundsException("past the end");
    }
}
