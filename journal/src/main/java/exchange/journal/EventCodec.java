package exchange.journal;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.ExpiryReason;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;

/**
 * Encodes and decodes the records of the events queue: one per {@link EngineEvent}, with the same
 * framing as {@link CommandCodec} (see the diagram there) under magic 0x5645 ("EV"). The header
 * carries the event's sequence and stamped time; record type = {@code EventType.ordinal() + 1}.
 *
 * <p>Payload: every other field of the flat event, whatever its type, in this order:
 * <pre>
 *  accountId:i64 orderId:i64 clientOrderId:str symbol:str side:enum qty:i64 priceTicks:i64
 *  timeInForce:enum postOnly:bool leavesQty:i64 amount:i64 tradeId:i64 counterOrderId:i64
 *  counterAccountId:i64 counterLeavesQty:i64 takerFee:i64 makerFee:i64 code:enum
 *  expiryReason:enum asset:str transferId:str name:str apiKeyHash:str makerFeeBps:i32
 *  takerFeeBps:i32 sessionDate:i64 selfTradePrevention:enum venue:str
 *  and for REFERENCE_QUOTED only: bidPriceTicks:i64 bidQty:i64 askPriceTicks:i64 askQty:i64
 *                                 lastPriceTicks:i64 staleAfterNanos:i64
 * </pre>
 * Fixed rather than per-type fields keep the codec one straight line of code and make a decoded
 * event {@link EngineEvent#equals equal} to the original; unset strings cost two bytes each.
 *
 * <p>Versions: 3 (written) appended {@code venue} and the quote's fields (issue 19); version 2
 * records end at {@code selfTradePrevention} and decode with no venue. 2 appended
 * {@code selfTradePrevention}. Version 1 records, which end at
 * {@code sessionDate}, still decode, so an events queue written before it reads on: their
 * {@code ORDER_ACCEPTED} and {@code ORDER_REJECTED} come back with
 * {@link SelfTradePrevention#DEFAULT} (what was requested was not recorded) and every other type
 * with null, as the engine emits them.
 *
 * <p>Not thread safe: one codec per thread.
 */
public final class EventCodec {
    public static final short MAGIC = 0x5645;
    /** The version written; the newest read. */
    public static final int SCHEMA_VERSION = 3;
    /** The oldest version read: records without {@code selfTradePrevention}. */
    public static final int OLDEST_READABLE_VERSION = 1;
    /** Upper bound of an encoded event (seven 256-byte strings plus fixed fields fit in 2,000 bytes). */
    public static final int MAX_RECORD_LENGTH = 2048;

    private static final EventType[] TYPES = EventType.values();
    private static final Side[] SIDES = Side.values();
    private static final TimeInForce[] TIFS = TimeInForce.values();
    private static final ResultCode[] CODES = ResultCode.values();
    private static final ExpiryReason[] EXPIRY = ExpiryReason.values();
    private static final SelfTradePrevention[] STPS = SelfTradePrevention.values();

    private final RecordFrame frame = new RecordFrame(MAGIC, OLDEST_READABLE_VERSION, SCHEMA_VERSION, "event",
            MAX_RECORD_LENGTH);
    private int lastDecodedVersion;
    /** Venue names, decoded once per codec. */
    private final RecurringStrings venues = new RecurringStrings();

    /** The buffer {@link #encode} writes into, from offset 0. */
    public byte[] buffer() {
        return frame.buffer();
    }

    /**
     * @return the record length in {@link #buffer()}
     * @throws IllegalArgumentException if the event has no type or a string is too long
     */
    public int encode(EngineEvent e) {
        if (e.type == null) {
            throw new IllegalArgumentException("event without a type");
        }
        RecordFrame f = frame;
        f.begin(e.type.ordinal() + 1, e.seq, e.timestampNanos);
        f.putLong(e.accountId);
        f.putLong(e.orderId);
        f.putString(e.clientOrderId, "clientOrderId");
        f.putString(e.symbol, "symbol");
        f.putEnum(e.side);
        f.putLong(e.qty);
        f.putLong(e.priceTicks);
        f.putEnum(e.timeInForce);
        f.putBoolean(e.postOnly);
        f.putLong(e.leavesQty);
        f.putLong(e.amount);
        f.putLong(e.tradeId);
        f.putLong(e.counterOrderId);
        f.putLong(e.counterAccountId);
        f.putLong(e.counterLeavesQty);
        f.putLong(e.takerFee);
        f.putLong(e.makerFee);
        f.putEnum(e.code);
        f.putEnum(e.expiryReason);
        f.putString(e.asset, "asset");
        f.putString(e.transferId, "transferId");
        f.putString(e.name, "name");
        f.putString(e.apiKeyHash, "apiKeyHash");
        f.putInt(e.makerFeeBps);
        f.putInt(e.takerFeeBps);
        f.putLong(e.sessionDate);
        f.putEnum(e.selfTradePrevention);
        f.putString(e.venue, "venue");
        if (e.type == EventType.REFERENCE_QUOTED) {
            f.putLong(e.bidPriceTicks);
            f.putLong(e.bidQty);
            f.putLong(e.askPriceTicks);
            f.putLong(e.askQty);
            f.putLong(e.lastPriceTicks);
            f.putLong(e.staleAfterNanos);
        }
        return f.finish();
    }

    /**
     * Decodes the record at {@code src[off, off + len)} into {@code into}, overwriting every field.
     *
     * @throws JournalFormatException if the length, CRC32C, magic, version, type or payload is wrong
     */
    public void decode(byte[] src, int off, int len, EngineEvent into) {
        RecordFrame f = frame;
        int type = f.open(src, off, len);
        if (type < 1 || type > TYPES.length) {
            throw new JournalFormatException(JournalFormatException.Reason.UNKNOWN_TYPE,
                    "event record type " + type + " is unknown (seq " + f.seq() + ")");
        }
        lastDecodedVersion = f.version();
        into.reset(TYPES[type - 1], f.seq(), f.timestampNanos());
        into.accountId = f.getLong();
        into.orderId = f.getLong();
        into.clientOrderId = f.getString("clientOrderId");
        into.symbol = f.getString("symbol");
        into.side = ordinal(SIDES, f.getOrdinal(SIDES.length, "side"));
        into.qty = f.getLong();
        into.priceTicks = f.getLong();
        into.timeInForce = ordinal(TIFS, f.getOrdinal(TIFS.length, "timeInForce"));
        into.postOnly = f.getBoolean();
        into.leavesQty = f.getLong();
        into.amount = f.getLong();
        into.tradeId = f.getLong();
        into.counterOrderId = f.getLong();
        into.counterAccountId = f.getLong();
        into.counterLeavesQty = f.getLong();
        into.takerFee = f.getLong();
        into.makerFee = f.getLong();
        into.code = ordinal(CODES, f.getOrdinal(CODES.length, "code"));
        into.expiryReason = ordinal(EXPIRY, f.getOrdinal(EXPIRY.length, "expiryReason"));
        into.asset = f.getString("asset");
        into.transferId = f.getString("transferId");
        into.name = f.getString("name");
        into.apiKeyHash = f.getString("apiKeyHash");
        into.makerFeeBps = f.getInt();
        into.takerFeeBps = f.getInt();
        into.sessionDate = f.getLong();
        if (f.version() >= 2) {
            into.selfTradePrevention = ordinal(STPS, f.getOrdinal(STPS.length, "selfTradePrevention"));
        } else if (into.type == EventType.ORDER_ACCEPTED || into.type == EventType.ORDER_REJECTED) {
            into.selfTradePrevention = SelfTradePrevention.DEFAULT;
        }
        if (f.version() >= 3) {
            into.venue = f.getString("venue", venues);
            if (into.type == EventType.REFERENCE_QUOTED) {
                into.bidPriceTicks = f.getLong();
                into.bidQty = f.getLong();
                into.askPriceTicks = f.getLong();
                into.askQty = f.getLong();
                into.lastPriceTicks = f.getLong();
                into.staleAfterNanos = f.getLong();
            }
        }
        f.close();
    }

    /**
     * The schema version of the record {@link #decode} last read (0 before any): a reader comparing
     * events knows that a version 1 record did not carry {@code selfTradePrevention}.
     */
    public int lastDecodedVersion() {
        return lastDecodedVersion;
    }

    private static <T> T ordinal(T[] values, int ordinal) {
        return ordinal < 0 ? null : values[ordinal];
    }
}
