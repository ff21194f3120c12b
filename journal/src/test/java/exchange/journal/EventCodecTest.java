package exchange.journal;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.ExpiryReason;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class EventCodecTest {
    private final EventCodec codec = new EventCodec();

    /** An event with every field set, extremes included. */
    static EngineEvent full(EventType type, long seq) {
        EngineEvent e = new EngineEvent().reset(type, seq, Long.MAX_VALUE);
        e.accountId = Long.MAX_VALUE;
        e.orderId = Long.MIN_VALUE;
        e.clientOrderId = "c".repeat(RecordFrame.MAX_STRING_BYTES);
        e.symbol = "GOOGL";
        e.side = Side.SELL;
        e.qty = 1;
        e.priceTicks = 1_234_500L;
        e.timeInForce = TimeInForce.FOK;
        e.postOnly = true;
        e.selfTradePrevention = SelfTradePrevention.CANCEL_BOTH;
        e.leavesQty = -7;
        e.amount = Long.MAX_VALUE;
        e.tradeId = 5;
        e.counterOrderId = 6;
        e.counterAccountId = 7;
        e.counterLeavesQty = 8;
        e.takerFee = 9;
        e.makerFee = 10;
        e.code = ResultCode.values()[ResultCode.values().length - 1];
        e.expiryReason = ExpiryReason.values()[ExpiryReason.values().length - 1];
        e.asset = "USD";
        e.transferId = "tr-\u00e9";
        e.name = "n".repeat(RecordFrame.MAX_STRING_BYTES);
        e.apiKeyHash = "k".repeat(RecordFrame.MAX_STRING_BYTES);
        e.makerFeeBps = Integer.MAX_VALUE;
        e.takerFeeBps = Integer.MIN_VALUE;
        e.sessionDate = 20_413;
        e.venue = "v".repeat(RecordFrame.MAX_STRING_BYTES);
        if (type == EventType.REFERENCE_QUOTED) {
            e.bidPriceTicks = 1_899_900L;
            e.bidQty = Long.MAX_VALUE;
            e.askPriceTicks = 1_900_100L;
            e.askQty = 1;
            e.lastPriceTicks = Long.MIN_VALUE;
            e.staleAfterNanos = 5_000_000_000L;
        }
        return e;
    }

    private EngineEvent roundTrip(EngineEvent e) {
        int len = codec.encode(e);
        assertTrue(len <= EventCodec.MAX_RECORD_LENGTH);
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        EngineEvent out = full(EventType.SESSION_REJECTED, 99); // stale content must be overwritten
        new EventCodec().decode(rec, 0, len, out);
        return out;
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldRoundTripEveryEventTypeWithEveryFieldSet(EventType type) {
        EngineEvent e = full(type, 123);
        assertEquals(e, roundTrip(e));
    }

    @Test
    void shouldRoundTripAnEventWithNullsAndZeros() {
        EngineEvent e = new EngineEvent().reset(EventType.SESSION_CLOSED, 1, 0);
        EngineEvent out = roundTrip(e);
        assertEquals(e, out);
        assertEquals(null, out.symbol);
        assertEquals(null, out.code);
    }

    @ParameterizedTest
    @EnumSource(SelfTradePrevention.class)
    void shouldRoundTripTheSelfTradePreventionAnOrderAskedFor(SelfTradePrevention stp) {
        EngineEvent e = full(EventType.ORDER_ACCEPTED, 5);
        e.selfTradePrevention = stp;
        assertEquals(stp, roundTrip(e).selfTradePrevention);
        assertEquals(e, roundTrip(e));
    }

    @Test
    void shouldWriteSchemaVersionThree() {
        int len = codec.encode(full(EventType.ORDER_REJECTED, 4));
        assertEquals(3, codec.buffer()[RecordFrame.OFFSET_VERSION]);
        assertEquals(EventCodec.SCHEMA_VERSION, codec.buffer()[RecordFrame.OFFSET_VERSION]);
        assertTrue(len > 0);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDecodeAVersionOneRecordWithoutSelfTradePrevention(EventType type) {
        EngineEvent original = versionTwoFields(full(type, 77));
        byte[] v1 = older(original, 1);
        EngineEvent out = full(EventType.SESSION_REJECTED, 1); // stale content must be overwritten
        codec.decode(v1, 0, v1.length, out);
        boolean carriesIt = type == EventType.ORDER_ACCEPTED || type == EventType.ORDER_REJECTED;
        assertEquals(carriesIt ? SelfTradePrevention.DEFAULT : null, out.selfTradePrevention,
                "what a version 1 record of " + type + " reads as");
        EngineEvent expected = original.copy();
        expected.selfTradePrevention = out.selfTradePrevention;
        assertEquals(expected, out, "every other field as written");
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDecodeAVersionTwoRecordWithoutVenueOrQuote(EventType type) {
        EngineEvent original = versionTwoFields(full(type, 78));
        byte[] v2 = older(original, 2);
        EngineEvent out = full(EventType.REFERENCE_QUOTED, 1); // stale content must be overwritten
        codec.decode(v2, 0, v2.length, out);
        assertEquals(original, out);
        assertEquals(2, codec.lastDecodedVersion());
    }

    @Test
    void shouldRoundTripAFillAgainstTheOutsideMarketWithItsVenue() {
        EngineEvent e = new EngineEvent().reset(EventType.TRADE_EXECUTED, 9, 1_000);
        e.tradeId = 3;
        e.symbol = "AAPL";
        e.venue = "venue1";
        e.accountId = 4;
        e.counterOrderId = 17;
        e.counterAccountId = 2;
        e.qty = 5;
        e.priceTicks = 1_900_000L;
        assertEquals(e, roundTrip(e));
        assertEquals("venue1", roundTrip(e).venue);
    }

    /** {@code e} without what version 3 added: no venue, no quote fields. */
    private static EngineEvent versionTwoFields(EngineEvent e) {
        EngineEvent v2 = e.copy();
        v2.venue = null;
        v2.bidPriceTicks = 0;
        v2.bidQty = 0;
        v2.askPriceTicks = 0;
        v2.askQty = 0;
        v2.lastPriceTicks = 0;
        v2.staleAfterNanos = 0;
        return v2;
    }

    /**
     * {@code e} (without version 3's fields) as this codec wrote it at {@code version}: the same
     * record without version 3's tail (a null venue, and a quote's six longs) and, for version 1,
     * without the self-trade prevention byte before it; payload length and checksum to match.
     */
    private byte[] older(EngineEvent e, int version) {
        int len = codec.encode(e);
        int cut = 2 + (e.type == EventType.REFERENCE_QUOTED ? 6 * Long.BYTES : 0) + (version == 1 ? 1 : 0);
        byte[] rec = new byte[len - cut];
        System.arraycopy(codec.buffer(), 0, rec, 0, len - cut - 4);
        rec[RecordFrame.OFFSET_VERSION] = (byte) version;
        int payload = RecordFrame.getIntLE(rec, RecordFrame.OFFSET_PAYLOAD_LENGTH);
        RecordFrame.putIntLE(rec, RecordFrame.OFFSET_PAYLOAD_LENGTH, payload - cut);
        TestCommands.reseal(rec, rec.length);
        return rec;
    }

    @Test
    void shouldRejectAVersionOneRecordThatStillCarriesTheVersionTwoField() {
        int len = codec.encode(full(EventType.ORDER_ACCEPTED, 3));
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        rec[RecordFrame.OFFSET_VERSION] = 1;
        TestCommands.reseal(rec, len);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new EngineEvent()));
        assertEquals(JournalFormatException.Reason.MALFORMED_PAYLOAD, e.reason());
    }

    @Test
    void shouldDetectAFlippedPayloadByte() {
        int len = codec.encode(full(EventType.TRADE_EXECUTED, 3));
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        rec[len / 2] ^= 0x01;
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new EngineEvent()));
        assertEquals(JournalFormatException.Reason.CRC_MISMATCH, e.reason());
    }

    @Test
    void shouldRejectAnUnsupportedSchemaVersion() {
        int len = codec.encode(full(EventType.ORDER_ACCEPTED, 3));
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        rec[RecordFrame.OFFSET_VERSION] = 7;
        TestCommands.reseal(rec, len);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new EngineEvent()));
        assertEquals(JournalFormatException.Reason.UNSUPPORTED_VERSION, e.reason());
        assertFalse(e.isDamage());
        assertTrue(e.getMessage().contains("reads version 1 to 3"), e.getMessage());
    }

    @Test
    void shouldRejectVersionZero() {
        int len = codec.encode(full(EventType.ORDER_ACCEPTED, 3));
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        rec[RecordFrame.OFFSET_VERSION] = 0;
        TestCommands.reseal(rec, len);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new EngineEvent()));
        assertEquals(JournalFormatException.Reason.UNSUPPORTED_VERSION, e.reason());
    }

    @Test
    void shouldRejectATruncatedRecord() {
        int len = codec.encode(full(EventType.FUNDS_DEPOSITED, 3));
        JournalFormatException e = assertThrows(JournalFormatException.class,
                () -> codec.decode(codec.buffer(), 0, len - 1, new EngineEvent()));
        assertTrue(e.isDamage());
    }

    @Test
    void shouldRejectACommandRecordByItsMagic() {
        CommandCodec commands = new CommandCodec();
        int len = commands.encode(TestCommands.sample(exchange.engine.CommandType.SESSION_CLOSE, 1), 1);
        JournalFormatException e = assertThrows(JournalFormatException.class,
                () -> codec.decode(commands.buffer(), 0, len, new EngineEvent()));
        assertEquals(JournalFormatException.Reason.BAD_MAGIC, e.reason());
    }
}
