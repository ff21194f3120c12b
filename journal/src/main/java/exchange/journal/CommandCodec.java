package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;

/**
 * Encodes and decodes journal records: one per journaled {@link Command} (the eight state-changing
 * types), the tail-dropped marker that recovery writes after a torn tail, and the batch record
 * that holds several command records in one Chronicle document. Chronicle Queue checks nothing
 * inside a document, so every record carries its own type, schema version, length, engine
 * sequence, stamped time and CRC32C.
 *
 * <p>Record layout (all integers little-endian):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +-------------------------------+---------------+---------------+
 *  |     Magic 0x4A43 ("CJ")       |  Record Type  |Schema Version |
 *  +-------------------------------+---------------+---------------+
 *  |                 Payload Length (bytes, int32)                 |
 *  +---------------------------------------------------------------+
 *  |                   Engine Sequence (int64)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |              Stamped Time (epoch nanos, int64)                |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                 Payload (Payload Length bytes)               ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |        CRC32C of Header and Payload (bytes 0 .. 24+len-1)     |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p>Record type = {@code CommandType.ordinal() + 1} for the journaled types (1..8), and
 * {@value #TYPE_TAIL_DROPPED} for the tail-dropped marker. Payload fields, in order:
 * <pre>
 *  CREATE_ACCOUNT  accountId:i64 name:str apiKeyHash:str makerFeeBps:i32 takerFeeBps:i32
 *  DEPOSIT         accountId:i64 asset:str amount:i64 transferId:str
 *  WITHDRAW        accountId:i64 asset:str amount:i64 transferId:str
 *  PLACE_ORDER     accountId:i64 clientOrderId:str symbol:str side:enum qty:i64 priceTicks:i64
 *                  timeInForce:enum postOnly:bool selfTradePrevention:enum
 *  CANCEL_ORDER    accountId:i64 orderId:i64
 *  SESSION_OPEN    sessionDate:i64 sessionClosesAtNanos:i64
 *  SESSION_CLOSE   (empty)
 *  REFERENCE_QUOTE symbol:str venue:str bidPriceTicks:i64 bidQty:i64 askPriceTicks:i64 askQty:i64
 *                  lastPriceTicks:i64 staleAfterNanos:i64
 *  TAIL_DROPPED    firstDroppedIndex:i64 lastDroppedIndex:i64 droppedCount:i32
 *                  (header sequence = the last valid sequence before the dropped records)
 *  BATCH           2 or more complete command records (each with its own header, sequence and
 *                  CRC32C), back to back; schema version 2 only. Header sequence and time = the
 *                  first record's. The whole record is at most MAX_RECORD_LENGTH bytes.
 *
 *  str  = u16 length + UTF-8 bytes, at most 256 bytes; length 0xFFFF = null
 *  enum = u8 ordinal; 0xFF = null.  bool = u8 0 or 1
 * </pre>
 * Enums are stored by ordinal, so reordering or removing an enum constant, like any change to a
 * payload, is a schema change: bump {@link #SCHEMA_VERSION}. A new record type (REFERENCE_QUOTE, type
 * 8) is not: the layouts of the others are unchanged, and an older reader refuses type 8 by name.
 *
 * <p><b>Versions.</b> Version 1: one command or marker record per document. Version 2 (2026-12-06)
 * adds the BATCH record ({@value #TYPE_BATCH}), written at version 2 so that a version-1 build
 * refuses it as an intact record it cannot read (never as damage: a batch is no longer than the
 * largest record such a build reads); command and marker records are still written at version 1,
 * byte for byte as before, so a journal of single-command documents stays readable by either.
 * This build reads both versions.
 *
 * <p>Not thread safe (a reusable buffer and CRC): one codec per thread. Encoding allocates
 * nothing for ASCII strings; decoding allocates only the decoded strings, and a symbol or asset
 * only the first time the codec sees it.
 */
public final class CommandCodec {
    public static final short MAGIC = 0x4A43;
    /** The newest schema version this build reads, and the one its batch records are written at. */
    public static final int SCHEMA_VERSION = 2;
    /** The version command and marker records are written at (unchanged since version 1). */
    public static final int RECORD_VERSION = 1;
    public static final int HEADER_LENGTH = RecordFrame.HEADER_LENGTH;
    /** Longest string field, in UTF-8 bytes; longer ones are refused on encode. */
    public static final int MAX_STRING_BYTES = RecordFrame.MAX_STRING_BYTES;
    /** Upper bound of any record's encoded length (the largest payload is PLACE_ORDER's 544 bytes). */
    public static final int MAX_RECORD_LENGTH = 1024;
    /** Record type of the marker that voids a torn tail (see {@link JournalReader}). */
    public static final int TYPE_TAIL_DROPPED = 0x7F;
    /** Record type of a batch of command records in one document (schema version 2). */
    public static final int TYPE_BATCH = 0x7E;
    /** Bytes a batch record adds around the command records it holds (its header and CRC32C). */
    public static final int BATCH_OVERHEAD = RecordFrame.HEADER_LENGTH + RecordFrame.CRC_LENGTH;

    private static final int COMMAND_TYPES = CommandType.values().length;
    private static final Side[] SIDES = Side.values();
    private static final TimeInForce[] TIFS = TimeInForce.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();

    private final RecordFrame frame = new RecordFrame(MAGIC, 1, SCHEMA_VERSION, RECORD_VERSION, "journal",
            MAX_RECORD_LENGTH);
    /** Symbols and assets, decoded once per codec. */
    private final RecurringStrings recurring = new RecurringStrings();

    private long markerFirstIndex;
    private long markerLastIndex;
    private int markerCount;

    /** The buffer {@link #encode} and {@link #encodeTailDropped} write into, from offset 0. */
    public byte[] buffer() {
        return frame.buffer();
    }

    /**
     * Encodes {@code c} with engine sequence {@code seq} (the command's own {@code seq} field is
     * ignored: the journal runs beside the engine, before it assigns one).
     *
     * @return the record length in {@link #buffer()}
     * @throws IllegalArgumentException if the type is not journaled or a string is too long
     */
    public int encode(Command c, long seq) {
        CommandType type = c.type;
        if (type == null || !type.isJournaled()) {
            throw new IllegalArgumentException("command type " + type + " is not journaled");
        }
        RecordFrame f = frame;
        f.begin(type.ordinal() + 1, seq, c.timestampNanos);
        switch (type) {
            case CREATE_ACCOUNT -> {
                f.putLong(c.accountId);
                f.putString(c.name, "name");
                f.putString(c.apiKeyHash, "apiKeyHash");
                f.putInt(c.makerFeeBps);
                f.putInt(c.takerFeeBps);
            }
            case DEPOSIT, WITHDRAW -> {
                f.putLong(c.accountId);
                f.putString(c.asset, "asset");
                f.putLong(c.amount);
                f.putString(c.transferId, "transferId");
            }
            case PLACE_ORDER -> {
                f.putLong(c.accountId);
                f.putString(c.clientOrderId, "clientOrderId");
                f.putString(c.symbol, "symbol");
                f.putEnum(c.side);
                f.putLong(c.qty);
                f.putLong(c.priceTicks);
                f.putEnum(c.timeInForce);
                f.putBoolean(c.postOnly);
                f.putEnum(c.selfTradePrevention);
            }
            case CANCEL_ORDER -> {
                f.putLong(c.accountId);
                f.putLong(c.orderId);
            }
            case SESSION_OPEN -> {
                f.putLong(c.sessionDate);
                f.putLong(c.sessionClosesAtNanos);
            }
            case SESSION_CLOSE -> {
                // no payload: the engine closes whatever session is open
            }
            case REFERENCE_QUOTE -> {
                f.putString(c.symbol, "symbol");
                f.putString(c.venue, "venue");
                f.putLong(c.bidPriceTicks);
                f.putLong(c.bidQty);
                f.putLong(c.askPriceTicks);
                f.putLong(c.askQty);
                f.putLong(c.lastPriceTicks);
                f.putLong(c.staleAfterNanos);
            }
            default -> throw new IllegalStateException("journaled type without a layout: " + type);
        }
        return f.finish();
    }

    /**
     * Encodes the marker that voids the torn records at Chronicle indexes
     * [{@code firstIndex}, {@code lastIndex}] ({@code count} records).
     *
     * @return the record length in {@link #buffer()}
     */
    public int encodeTailDropped(long lastValidSeq, long timestampNanos, long firstIndex, long lastIndex, int count) {
        RecordFrame f = frame;
        f.begin(TYPE_TAIL_DROPPED, lastValidSeq, timestampNanos);
        f.putLong(firstIndex);
        f.putLong(lastIndex);
        f.putInt(count);
        return f.finish();
    }

    /**
     * Frames the command records at {@code buf[HEADER_LENGTH, HEADER_LENGTH + recordsLength)}
     * (encoded by {@link #encode}, back to back, the first carrying {@code firstSeq} and
     * {@code firstTimestampNanos}) as one batch record starting at {@code buf[0]}.
     *
     * @return the batch record's length, at most {@link #MAX_RECORD_LENGTH}
     */
    public int frameBatch(byte[] buf, int recordsLength, long firstSeq, long firstTimestampNanos) {
        int len = frame.frame(buf, TYPE_BATCH, SCHEMA_VERSION, firstSeq, firstTimestampNanos, recordsLength);
        if (len > MAX_RECORD_LENGTH) {
            throw new IllegalArgumentException("batch record of " + len + " bytes exceeds " + MAX_RECORD_LENGTH);
        }
        return len;
    }

    /** True if the record at {@code src[off, off + len)} says it is a batch (checked by {@link #openBatch}). */
    public static boolean isBatch(byte[] src, int off, int len) {
        return len > RecordFrame.OFFSET_TYPE && (src[off + RecordFrame.OFFSET_TYPE] & 0xFF) == TYPE_BATCH;
    }

    /**
     * Validates the batch record at {@code src[off, off + len)} (framing, CRC32C, magic, version
     * 2, type) and returns where its first command record starts; its records end at
     * {@code off + len - 4}. Read them with {@link #recordLengthAt} and {@link #decode}.
     *
     * @throws JournalFormatException if the framing fails (damage) or it is not a version-2 batch (intact)
     */
    public int openBatch(byte[] src, int off, int len) {
        int type = frame.open(src, off, len);
        if (type != TYPE_BATCH || frame.version() < 2) {
            throw new JournalFormatException(JournalFormatException.Reason.UNKNOWN_TYPE,
                    "journal record type " + type + " version " + frame.version() + " is not a batch (seq " + frame.seq() + ")");
        }
        return frame.payloadStart();
    }

    /**
     * The length of the command record at {@code src[pos]} inside a batch whose records end at
     * {@code end}, from its header; the record itself is checked by {@link #decode}.
     *
     * @throws JournalFormatException (intact: the batch's checksum held) if it does not fit
     */
    public static int recordLengthAt(byte[] src, int pos, int end) {
        int payload = end - pos >= RecordFrame.HEADER_LENGTH ? RecordFrame.payloadLengthAt(src, pos) : -1;
        if (payload < 0 || payload > end - pos - RecordFrame.HEADER_LENGTH - RecordFrame.CRC_LENGTH) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                    "journal batch holds a record that does not fit in it (" + (end - pos) + " bytes left)");
        }
        return RecordFrame.HEADER_LENGTH + payload + RecordFrame.CRC_LENGTH;
    }

    /**
     * Decodes the record at {@code src[off, off + len)}. A command record clears the input fields
     * of {@code into} (not its result fields, which {@code Exchange.apply} clears) and fills its
     * type, {@code seq}, {@code timestampNanos} and the type's fields; a tail-dropped marker leaves
     * {@code into} untouched and its fields are read with {@link #markerFirstIndex()} and friends.
     *
     * @return true for a command, false for a tail-dropped marker
     * @throws JournalFormatException if the length, CRC32C, magic, version, type or payload is wrong
     */
    public boolean decode(byte[] src, int off, int len, Command into) {
        RecordFrame f = frame;
        int type = f.open(src, off, len);
        if (type == TYPE_TAIL_DROPPED) {
            markerFirstIndex = f.getLong();
            markerLastIndex = f.getLong();
            markerCount = f.getInt();
            f.close();
            return false;
        }
        if (type < 1 || type > COMMAND_TYPES || !CommandType.ofOrdinal(type - 1).isJournaled()) {
            // a batch too: it holds records and is opened with openBatch
            throw new JournalFormatException(JournalFormatException.Reason.UNKNOWN_TYPE,
                    "journal record type " + type + " is not a journaled command (seq " + f.seq() + ")");
        }
        CommandType ct = CommandType.ofOrdinal(type - 1);
        // the result fields are left to Exchange.apply, which clears them: a decoder on another
        // thread then never writes the memory the engine's thread writes next
        into.clearInput();
        into.type = ct;
        into.seq = f.seq();
        into.timestampNanos = f.timestampNanos();
        switch (ct) {
            case CREATE_ACCOUNT -> {
                into.accountId = f.getLong();
                into.name = f.getString("name");
                into.apiKeyHash = f.getString("apiKeyHash");
                into.makerFeeBps = f.getInt();
                into.takerFeeBps = f.getInt();
            }
            case DEPOSIT, WITHDRAW -> {
                into.accountId = f.getLong();
                into.asset = f.getString("asset", recurring);
                into.amount = f.getLong();
                into.transferId = f.getString("transferId");
            }
            case PLACE_ORDER -> {
                into.accountId = f.getLong();
                into.clientOrderId = f.getString("clientOrderId");
                into.symbol = f.getString("symbol", recurring);
                int side = f.getOrdinal(SIDES.length, "side");
                into.side = side < 0 ? null : SIDES[side];
                into.qty = f.getLong();
                into.priceTicks = f.getLong();
                int tif = f.getOrdinal(TIFS.length, "timeInForce");
                into.timeInForce = tif < 0 ? null : TIFS[tif];
                into.postOnly = f.getBoolean();
                int stp = f.getOrdinal(STPS.length, "selfTradePrevention");
                into.selfTradePrevention = stp < 0 ? null : STPS[stp];
            }
            case CANCEL_ORDER -> {
                into.accountId = f.getLong();
                into.orderId = f.getLong();
            }
            case SESSION_OPEN -> {
                into.sessionDate = f.getLong();
                into.sessionClosesAtNanos = f.getLong();
            }
            case SESSION_CLOSE -> {
                // empty payload
            }
            case REFERENCE_QUOTE -> {
                into.symbol = f.getString("symbol", recurring);
                into.venue = f.getString("venue", recurring);
                into.bidPriceTicks = f.getLong();
                into.bidQty = f.getLong();
                into.askPriceTicks = f.getLong();
                into.askQty = f.getLong();
                into.lastPriceTicks = f.getLong();
                into.staleAfterNanos = f.getLong();
            }
            default -> throw new IllegalStateException("journaled type without a layout: " + ct);
        }
        f.close();
        return true;
    }

    /** Engine sequence in the header of the last decoded record (a marker's is the last valid sequence). */
    public long decodedSeq() {
        return frame.seq();
    }

    /** Stamped time in the header of the last decoded record. */
    public long decodedTimestampNanos() {
        return frame.timestampNanos();
    }

    public long markerFirstIndex() {
        return markerFirstIndex;
    }

    public long markerLastIndex() {
        return markerLastIndex;
    }

    public int markerCount() {
        return markerCount;
    }
}
