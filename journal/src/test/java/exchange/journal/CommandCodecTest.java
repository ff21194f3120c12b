package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
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
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class CommandCodecTest {
    private final CommandCodec codec = new CommandCodec();

    private Command roundTrip(Command c, long seq) {
        int len = codec.encode(c, seq);
        byte[] record = Arrays.copyOf(codec.buffer(), len);
        Command out = new Command();
        out.orderId = 999; // stale content must be cleared by decode
        assertTrue(new CommandCodec().decode(record, 0, len, out));
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"CREATE_ACCOUNT", "DEPOSIT", "WITHDRAW", "PLACE_ORDER",
            "CANCEL_ORDER", "SESSION_OPEN", "SESSION_CLOSE", "REFERENCE_QUOTE"})
    void shouldRoundTripEveryJournaledCommandType(CommandType type) {
        Command c = TestCommands.sample(type, 7);
        Command out = roundTrip(c, 42);
        TestCommands.assertInputEquals(TestCommands.withSeq(c, 42), out);
    }

    @Test
    void shouldRoundTripExtremeValues() {
        Command c = TestCommands.sample(CommandType.PLACE_ORDER, 1);
        c.timestampNanos = Long.MAX_VALUE;
        c.accountId = Long.MIN_VALUE;
        c.qty = Long.MAX_VALUE;
        c.priceTicks = -1;
        c.side = Side.values()[Side.values().length - 1];
        c.timeInForce = TimeInForce.values()[TimeInForce.values().length - 1];
        c.selfTradePrevention = SelfTradePrevention.values()[SelfTradePrevention.values().length - 1];
        c.clientOrderId = "x".repeat(CommandCodec.MAX_STRING_BYTES);
        c.symbol = "é".repeat(CommandCodec.MAX_STRING_BYTES / 2); // 2 UTF-8 bytes each: exactly at the limit
        Command out = roundTrip(c, Long.MAX_VALUE);
        TestCommands.assertInputEquals(TestCommands.withSeq(c, Long.MAX_VALUE), out);

        Command fees = TestCommands.sample(CommandType.CREATE_ACCOUNT, 1);
        fees.makerFeeBps = Integer.MIN_VALUE;
        fees.takerFeeBps = Integer.MAX_VALUE;
        fees.name = "Zoë \uD83D\uDE80 \u4E2D\u6587"; // 2-, 4- and 3-byte UTF-8
        TestCommands.assertInputEquals(TestCommands.withSeq(fees, 1), roundTrip(fees, 1));
    }

    @Test
    void shouldRoundTripNullStringsAndNullEnums() {
        Command c = TestCommands.sample(CommandType.PLACE_ORDER, 2);
        c.clientOrderId = null;
        c.symbol = null;
        c.side = null;
        c.timeInForce = null;
        c.selfTradePrevention = null;
        Command out = roundTrip(c, 3);
        assertNull(out.clientOrderId);
        assertNull(out.symbol);
        assertNull(out.side);
        assertNull(out.timeInForce);
        assertNull(out.selfTradePrevention);
        TestCommands.assertInputEquals(TestCommands.withSeq(c, 3), out);

        Command empty = TestCommands.sample(CommandType.DEPOSIT, 2);
        empty.asset = "";
        empty.transferId = null;
        Command back = roundTrip(empty, 4);
        assertEquals("", back.asset);
        assertNull(back.transferId);
    }

    @Test
    void shouldRefuseOnEncodeAStringLongerThanTheLimitNamingTheField() {
        Command c = TestCommands.sample(CommandType.PLACE_ORDER, 1);
        c.clientOrderId = "x".repeat(CommandCodec.MAX_STRING_BYTES + 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> codec.encode(c, 1));
        assertTrue(e.getMessage().contains("clientOrderId"), e.getMessage());
        assertTrue(e.getMessage().contains("257"), e.getMessage());

        Command multiByte = TestCommands.sample(CommandType.CREATE_ACCOUNT, 1);
        multiByte.name = "€".repeat(86); // 86 chars but 258 UTF-8 bytes
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> codec.encode(multiByte, 1));
        assertTrue(e2.getMessage().contains("name"), e2.getMessage());
    }

    @Test
    void shouldRefuseToEncodeANonJournaledCommand() {
        Command q = new Command();
        q.type = CommandType.QUERY_ACCOUNT;
        assertThrows(IllegalArgumentException.class, () -> codec.encode(q, 1));
    }

    @Test
    void shouldDetectDamageWhenAnySingleByteFlips() {
        Command c = TestCommands.sample(CommandType.PLACE_ORDER, 5);
        int len = codec.encode(c, 77);
        byte[] good = Arrays.copyOf(codec.buffer(), len);
        for (int i = 0; i < len; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] bad = good.clone();
                bad[i] ^= (byte) (1 << bit);
                int at = i;
                JournalFormatException e = assertThrows(JournalFormatException.class,
                        () -> new CommandCodec().decode(bad, 0, len, new Command()), "flip at byte " + at);
                assertTrue(e.isDamage(), "flip at byte " + at + " gave " + e.reason());
            }
        }
    }

    @Test
    void shouldReportCrcMismatchWhenPayloadIsCorrupted() {
        int len = codec.encode(TestCommands.sample(CommandType.DEPOSIT, 1), 1);
        byte[] bad = Arrays.copyOf(codec.buffer(), len);
        bad[CommandCodec.HEADER_LENGTH + 3] ^= 0x10;
        JournalFormatException e = assertThrows(JournalFormatException.class,
                () -> codec.decode(bad, 0, len, new Command()));
        assertEquals(JournalFormatException.Reason.CRC_MISMATCH, e.reason());
    }

    @Test
    void shouldRejectEveryTruncationOfARecord() {
        int len = codec.encode(TestCommands.sample(CommandType.CREATE_ACCOUNT, 3), 9);
        byte[] good = Arrays.copyOf(codec.buffer(), len);
        for (int cut = 0; cut < len; cut++) {
            int n = cut;
            JournalFormatException e = assertThrows(JournalFormatException.class,
                    () -> new CommandCodec().decode(good, 0, n, new Command()), "cut at " + cut);
            assertTrue(e.isDamage(), "cut at " + cut + " gave " + e.reason());
        }
    }

    @Test
    void shouldRejectAnUnsupportedSchemaVersionAsIntactNotDamaged() {
        int len = codec.encode(TestCommands.sample(CommandType.CANCEL_ORDER, 1), 1);
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        rec[RecordFrame.OFFSET_VERSION] = (byte) (CommandCodec.SCHEMA_VERSION + 1);
        TestCommands.reseal(rec, len);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new Command()));
        assertEquals(JournalFormatException.Reason.UNSUPPORTED_VERSION, e.reason());
        assertFalse(e.isDamage());
        assertTrue(e.getMessage().contains("version " + (CommandCodec.SCHEMA_VERSION + 1)), e.getMessage());
    }

    @Test
    void shouldRejectUnknownAndNonJournaledRecordTypes() {
        int len = codec.encode(TestCommands.sample(CommandType.CANCEL_ORDER, 1), 1);
        for (int type : new int[] {0, CommandType.QUERY_ORDER.ordinal() + 1, 99}) {
            byte[] rec = Arrays.copyOf(codec.buffer(), len);
            rec[RecordFrame.OFFSET_TYPE] = (byte) type;
            TestCommands.reseal(rec, len);
            JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new Command()));
            assertEquals(JournalFormatException.Reason.UNKNOWN_TYPE, e.reason(), "type " + type);
        }
    }

    @Test
    void shouldRejectAnOutOfRangeEnumOrdinalWithAValidChecksum() {
        Command c = TestCommands.sample(CommandType.PLACE_ORDER, 2);
        c.clientOrderId = "a";
        c.symbol = "b";
        int len = codec.encode(c, 1);
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        int sideOffset = CommandCodec.HEADER_LENGTH + 8 + 3 + 3;
        rec[sideOffset] = 9;
        TestCommands.reseal(rec, len);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> codec.decode(rec, 0, len, new Command()));
        assertEquals(JournalFormatException.Reason.MALFORMED_PAYLOAD, e.reason());
        assertTrue(e.getMessage().contains("side"), e.getMessage());
    }

    @Test
    void shouldRejectAnEventRecordByItsMagic() {
        EventCodec events = new EventCodec();
        EngineEvent ev = new EngineEvent().reset(EventType.SESSION_CLOSED, 1, 1);
        int len = events.encode(ev);
        JournalFormatException e = assertThrows(JournalFormatException.class,
                () -> codec.decode(events.buffer(), 0, len, new Command()));
        assertEquals(JournalFormatException.Reason.BAD_MAGIC, e.reason());
    }

    @Test
    void shouldRoundTripTheTailDroppedMarker() {
        int len = codec.encodeTailDropped(41, 5, 0x1234_0000_0007L, 0x1234_0000_0009L, 3);
        byte[] rec = Arrays.copyOf(codec.buffer(), len);
        CommandCodec reader = new CommandCodec();
        Command untouched = TestCommands.sample(CommandType.CANCEL_ORDER, 1);
        assertFalse(reader.decode(rec, 0, len, untouched));
        assertEquals(41, reader.decodedSeq());
        assertEquals(0x1234_0000_0007L, reader.markerFirstIndex());
        assertEquals(0x1234_0000_0009L, reader.markerLastIndex());
        assertEquals(3, reader.markerCount());
        assertEquals(CommandType.CANCEL_ORDER, untouched.type);
    }

    @Test
    void shouldDecodeFromAnOffsetInsideALargerArray() {
        int len = codec.encode(TestCommands.sample(CommandType.WITHDRAW, 4), 12);
        byte[] big = new byte[len + 100];
        System.arraycopy(codec.buffer(), 0, big, 37, len);
        Command out = new Command();
        assertTrue(codec.decode(big, 37, len, out));
        TestCommands.assertInputEquals(TestCommands.withSeq(TestCommands.sample(CommandType.WITHDRAW, 4), 12), out);
    }
}
