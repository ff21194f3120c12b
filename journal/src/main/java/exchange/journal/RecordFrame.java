package exchange.journal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The framing shared by {@link CommandCodec} and {@link EventCodec}: a 24-byte header (magic,
 * record type, schema version, payload length, engine sequence, stamped time), a payload of
 * little-endian primitives, and a CRC32C trailer over header and payload. The layout is drawn on
 * {@link CommandCodec}.
 *
 * <p>One instance encodes into its own reusable buffer and decodes from a caller's array; it
 * allocates nothing except the strings it decodes. Not thread safe: one per thread.
 */
final class RecordFrame {
    static final int OFFSET_MAGIC = 0;
    static final int OFFSET_TYPE = 2;
    static final int OFFSET_VERSION = 3;
    static final int OFFSET_PAYLOAD_LENGTH = 4;
    static final int OFFSET_SEQ = 8;
    static final int OFFSET_TIME = 16;
    static final int HEADER_LENGTH = 24;
    static final int CRC_LENGTH = 4;
    /** Longest string a record may carry, in UTF-8 bytes. */
    static final int MAX_STRING_BYTES = 256;
    static final int NULL_STRING = 0xFFFF;
    static final int NULL_ENUM = 0xFF;

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);

    private final short magic;
    /** The version {@link #begin} writes. */
    private final int writtenVersion;
    /** The newest version it reads. */
    private final int schemaVersion;
    /** The oldest version it reads. */
    private final int oldestReadableVersion;
    private final String family;
    private final byte[] out;
    private final CRC32C crc = new CRC32C();
    private int outPos;

    private byte[] in;
    private int inPos;
    private int inEnd;
    private int payloadLengthOpened;
    private int inType;
    private int inVersion;
    private long inSeq;
    private long inTime;

    /** A frame that writes and reads {@code schemaVersion} only. */
    RecordFrame(short magic, int schemaVersion, String family, int maxRecordLength) {
        this(magic, schemaVersion, schemaVersion, family, maxRecordLength);
    }

    /**
     * A frame that writes {@code schemaVersion} and reads every version from
     * {@code oldestReadableVersion} to {@code schemaVersion}; the codec asks {@link #version()}
     * which payload layout to decode.
     */
    RecordFrame(short magic, int oldestReadableVersion, int schemaVersion, String family, int maxRecordLength) {
        this(magic, oldestReadableVersion, schemaVersion, schemaVersion, family, maxRecordLength);
    }

    /**
     * A frame that reads every version from {@code oldestReadableVersion} to {@code schemaVersion}
     * and whose {@link #begin} writes {@code writtenVersion} (a format whose newest version only
     * added a record type keeps writing the others as before, so older builds still read them).
     */
    RecordFrame(short magic, int oldestReadableVersion, int schemaVersion, int writtenVersion, String family,
                int maxRecordLength) {
        if (oldestReadableVersion < 1 || oldestReadableVersion > schemaVersion || schemaVersion > 0xFF
                || writtenVersion < oldestReadableVersion || writtenVersion > schemaVersion) {
            throw new IllegalArgumentException("readable versions " + oldestReadableVersion + ".." + schemaVersion
                    + ", written " + writtenVersion);
        }
        this.magic = magic;
        this.writtenVersion = writtenVersion;
        this.schemaVersion = schemaVersion;
        this.oldestReadableVersion = oldestReadableVersion;
        this.family = family;
        this.out = new byte[maxRecordLength];
    }

    byte[] buffer() {
        return out;
    }

    // ---- encoding ------------------------------------------------------------------------------

    void begin(int type, long seq, long timestampNanos) {
        header(out, type, writtenVersion, seq, timestampNanos, 0);
        outPos = HEADER_LENGTH;
    }

    private void header(byte[] buf, int type, int version, long seq, long timestampNanos, int payloadLength) {
        SHORT.set(buf, OFFSET_MAGIC, magic);
        buf[OFFSET_TYPE] = (byte) type;
        buf[OFFSET_VERSION] = (byte) version;
        INT.set(buf, OFFSET_PAYLOAD_LENGTH, payloadLength);
        LONG.set(buf, OFFSET_SEQ, seq);
        LONG.set(buf, OFFSET_TIME, timestampNanos);
    }

    /** Appends the CRC32C of {@code buf[0, end)} at {@code end}; returns the record's total length. */
    private int seal(byte[] buf, int end) {
        crc.reset();
        crc.update(buf, 0, end);
        INT.set(buf, end, (int) crc.getValue());
        return end + CRC_LENGTH;
    }

    void putLong(long v) {
        LONG.set(out, outPos, v);
        outPos += 8;
    }

    void putInt(int v) {
        INT.set(out, outPos, v);
        outPos += 4;
    }

    void putBoolean(boolean v) {
        out[outPos++] = (byte) (v ? 1 : 0);
    }

    void putEnum(Enum<?> v) {
        out[outPos++] = (byte) (v == null ? NULL_ENUM : v.ordinal());
    }

    /**
     * Writes a length-prefixed UTF-8 string (null as the marker length 0xFFFF).
     *
     * @throws IllegalArgumentException naming {@code field} if the string exceeds {@link #MAX_STRING_BYTES}
     */
    void putString(String s, String field) {
        if (s == null) {
            SHORT.set(out, outPos, (short) NULL_STRING);
            outPos += 2;
            return;
        }
        int n = s.length();
        if (n <= MAX_STRING_BYTES) {
            int start = outPos + 2;
            int i = 0;
            for (; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    break;
                }
                out[start + i] = (byte) c;
            }
            if (i == n) {
                SHORT.set(out, outPos, (short) n);
                outPos = start + n;
                return;
            }
        }
        // Non-ASCII (rare: names): encode exactly, allocating once.
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        if (utf8.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException(family + " field " + field + " is " + utf8.length
                    + " UTF-8 bytes; a journal record holds at most " + MAX_STRING_BYTES);
        }
        SHORT.set(out, outPos, (short) utf8.length);
        System.arraycopy(utf8, 0, out, outPos + 2, utf8.length);
        outPos += 2 + utf8.length;
    }

    /** Sets the payload length and appends the CRC32C; returns the record's total length. */
    int finish() {
        INT.set(out, OFFSET_PAYLOAD_LENGTH, outPos - HEADER_LENGTH);
        return seal(out, outPos);
    }

    /**
     * Frames the payload already at {@code buf[HEADER_LENGTH, HEADER_LENGTH + payloadLength)} as
     * one record of {@code type} and {@code version}: writes the header before it and the CRC32C
     * after it; returns the record's total length.
     */
    int frame(byte[] buf, int type, int version, long seq, long timestampNanos, int payloadLength) {
        header(buf, type, version, seq, timestampNanos, payloadLength);
        return seal(buf, HEADER_LENGTH + payloadLength);
    }

    /** The payload length in the header of the record at {@code src[off]} (not validated). */
    static int payloadLengthAt(byte[] src, int off) {
        return (int) INT.get(src, off + OFFSET_PAYLOAD_LENGTH);
    }

    /** Where the payload of the record {@link #open} last opened starts in its source array. */
    int payloadStart() {
        return inEnd - payloadLengthOpened;
    }

    // ---- decoding ------------------------------------------------------------------------------

    /**
     * Validates the framing of the record at {@code src[off, off + len)} in this order: size,
     * payload length, CRC32C, magic, schema version (one this frame reads). Then positions the
     * reader at the payload.
     *
     * @return the record type byte (unsigned)
     * @throws JournalFormatException if any check fails
     */
    int open(byte[] src, int off, int len) {
        if (len < HEADER_LENGTH + CRC_LENGTH) {
            throw new JournalFormatException(JournalFormatException.Reason.TRUNCATED,
                    family + " record of " + len + " bytes is shorter than header and checksum ("
                            + (HEADER_LENGTH + CRC_LENGTH) + ")");
        }
        int payloadLength = (int) INT.get(src, off + OFFSET_PAYLOAD_LENGTH);
        int expected = HEADER_LENGTH + payloadLength + CRC_LENGTH;
        if (payloadLength < 0 || expected > len) {
            throw new JournalFormatException(JournalFormatException.Reason.TRUNCATED,
                    family + " record of " + len + " bytes but its header announces a payload of " + payloadLength);
        }
        if (expected != len) {
            throw new JournalFormatException(JournalFormatException.Reason.LENGTH_MISMATCH,
                    family + " record of " + len + " bytes but header and payload account for " + expected);
        }
        crc.reset();
        crc.update(src, off, HEADER_LENGTH + payloadLength);
        int stored = (int) INT.get(src, off + HEADER_LENGTH + payloadLength);
        if (stored != (int) crc.getValue()) {
            throw new JournalFormatException(JournalFormatException.Reason.CRC_MISMATCH,
                    family + " record checksum 0x" + Integer.toHexString(stored) + " but computed 0x"
                            + Integer.toHexString((int) crc.getValue()));
        }
        short m = (short) SHORT.get(src, off + OFFSET_MAGIC);
        if (m != magic) {
            throw new JournalFormatException(JournalFormatException.Reason.BAD_MAGIC,
                    "expected a " + family + " record (magic 0x" + Integer.toHexString(magic & 0xFFFF) + ") but found magic 0x"
                            + Integer.toHexString(m & 0xFFFF));
        }
        int version = src[off + OFFSET_VERSION] & 0xFF;
        if (version < oldestReadableVersion || version > schemaVersion) {
            throw new JournalFormatException(JournalFormatException.Reason.UNSUPPORTED_VERSION,
                    family + " record has schema version " + version + "; this build reads version "
                            + (oldestReadableVersion == schemaVersion ? Integer.toString(schemaVersion)
                                    : oldestReadableVersion + " to " + schemaVersion));
        }
        in = src;
        inVersion = version;
        inType = src[off + OFFSET_TYPE] & 0xFF;
        inSeq = (long) LONG.get(src, off + OFFSET_SEQ);
        inTime = (long) LONG.get(src, off + OFFSET_TIME);
        inPos = off + HEADER_LENGTH;
        inEnd = inPos + payloadLength;
        payloadLengthOpened = payloadLength;
        return inType;
    }

    int type() {
        return inType;
    }

    /** The schema version of the record {@link #open} last opened. */
    int version() {
        return inVersion;
    }

    long seq() {
        return inSeq;
    }

    long timestampNanos() {
        return inTime;
    }

    private void need(int n) {
        if (inPos + n > inEnd) {
            throw malformed("payload ends " + (inPos + n - inEnd) + " bytes early");
        }
    }

    JournalFormatException malformed(String detail) {
        return new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                family + " record type " + inType + " seq " + inSeq + ": " + detail);
    }

    long getLong() {
        need(8);
        long v = (long) LONG.get(in, inPos);
        inPos += 8;
        return v;
    }

    int getInt() {
        need(4);
        int v = (int) INT.get(in, inPos);
        inPos += 4;
        return v;
    }

    boolean getBoolean() {
        need(1);
        int v = in[inPos++];
        if (v != 0 && v != 1) {
            throw malformed("boolean byte " + v);
        }
        return v == 1;
    }

    /** The ordinal of an enum field, or -1 for null; checked against {@code count} values. */
    int getOrdinal(int count, String field) {
        need(1);
        int v = in[inPos++] & 0xFF;
        if (v == NULL_ENUM) {
            return -1;
        }
        if (v >= count) {
            throw malformed(field + " ordinal " + v + " out of range [0, " + count + ")");
        }
        return v;
    }

    String getString(String field) {
        return getString(field, null);
    }

    /** A string field; one that {@code recurring} has seen before comes back as the same instance. */
    String getString(String field, RecurringStrings recurring) {
        need(2);
        int n = (short) SHORT.get(in, inPos) & 0xFFFF;
        inPos += 2;
        if (n == NULL_STRING) {
            return null;
        }
        if (n > MAX_STRING_BYTES) {
            throw malformed(field + " length " + n + " exceeds " + MAX_STRING_BYTES);
        }
        need(n);
        String s = recurring != null ? recurring.get(in, inPos, n) : new String(in, inPos, n, StandardCharsets.UTF_8);
        inPos += n;
        return s;
    }

    /** Asserts the payload was consumed exactly. */
    void close() {
        if (inPos != inEnd) {
            throw malformed((inEnd - inPos) + " unread payload bytes");
        }
        in = null;
    }

    static void putLongLE(byte[] dst, int offset, long v) {
        LONG.set(dst, offset, v);
    }

    static long getLongLE(byte[] src, int offset) {
        return (long) LONG.get(src, offset);
    }

    static void putIntLE(byte[] dst, int offset, int v) {
        INT.set(dst, offset, v);
    }

    static int getIntLE(byte[] src, int offset) {
        return (int) INT.get(src, offset);
    }
}
