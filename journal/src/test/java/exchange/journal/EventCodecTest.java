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
    void shouldWriteSchemaVersionTwo() {
        int len = codec.encode(full(EventType.ORDER_REJECTED, 4));
        assertEquals(2, codec.buffer()[RecordFrame.OFFSET_VERSION]);
        assertEquals(EventCodec.SCHEMA_VERSION, codec.buffer()[RecordFrame.OFFSET_VERSION]);
        assertTrue(len > 0);
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldDecodeAVersionOneRecordWithoutSelfTradePrevention(EventType type) {
        EngineEvent original = full(type, 77);
        byte[] v1 = versionOne(original);
        EngineEvent out = full(EventType.SESSION_REJECTED, 1); // stale content must be overwritten
        codec.decode(v1, 0, v1.length, out);
        boolean carriesIt = type == EventType.ORDER_ACCEPTED || type == EventType.ORDER_REJECTED;
        assertEquals(carriesIt ? SelfTradePrevention.DEFAULT : null, out.selfTradePrevention,
                "what a version 1 record of " + type + " reads as");
        EngineEvent expected = original.copy();
        expected.selfTradePrevention = out.selfTradePrevention;
        assertEquals(expected, out, "every other field as written");
    }

    /**
     * {@code e} as this codec wrote it before version 2: the same record without its last payload
     * byte (the self-trade prevention), version byte 1, payload length and checksum to match.
     */
    private byte[] versionOne(EngineEvent e) {
        int len = codec.encode(e);
        byte[] rec = new byte[len - 1];
        System.arraycopy(codec.buffer(), 0, rec, 0, len - 1 - 4);
        rec[RecordFrame.OFFSET_VERSION] = 1;
        int payload = RecordFrame.getIntLE(rec, RecordFrame.OFFSET_PAYLOAD_LENGTH);
        RecordFrame.putIntLE(rec, RecordFrame.OFFSET_PAYLOAD_LENGTH, payload - 1);
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
        assertTrue(e.getMessage().contains("reads version 1 to 2"), e.getMessage());
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
