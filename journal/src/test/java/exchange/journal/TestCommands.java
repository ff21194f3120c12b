package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;

import java.util.zip.CRC32C;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sample commands of every journaled type and an input-field comparison for round trips. */
final class TestCommands {
    private TestCommands() {
    }

    /** A command of {@code type} with every field the type carries set to a distinctive value. */
    static Command sample(CommandType type, int n) {
        Command c = new Command();
        c.type = type;
        c.timestampNanos = 1_763_700_000_000_000_000L + n;
        switch (type) {
            case CREATE_ACCOUNT -> {
                c.name = "account " + n;
                c.apiKeyHash = "hash-" + n;
                c.makerFeeBps = 5;
                c.takerFeeBps = 10;
            }
            case DEPOSIT, WITHDRAW -> {
                c.accountId = 1 + n % 7;
                c.asset = n % 2 == 0 ? "USD" : "AAPL";
                c.amount = 1_000_000L + n;
                c.transferId = "t-" + n;
            }
            case PLACE_ORDER -> {
                c.accountId = 1 + n % 7;
                c.clientOrderId = String.format("coid-%05d", n);
                c.symbol = "MSFT";
                c.side = n % 2 == 0 ? Side.BUY : Side.SELL;
                c.qty = 100 + n;
                c.priceTicks = 1_872_500L;
                c.timeInForce = TimeInForce.values()[n % TimeInForce.values().length];
                c.postOnly = n % 3 == 0;
                c.selfTradePrevention = SelfTradePrevention.values()[n % SelfTradePrevention.values().length];
            }
            case CANCEL_ORDER -> {
                c.accountId = 3;
                c.orderId = 40 + n;
            }
            case SESSION_OPEN -> {
                c.sessionDate = 20_413 + n;
                c.sessionClosesAtNanos = 1_763_758_800_000_000_000L;
            }
            case SESSION_CLOSE -> {
                // no fields
            }
            case REFERENCE_QUOTE -> {
                c.symbol = "AAPL";
                c.venue = "venue-" + n;
                c.bidPriceTicks = 1_899_900L + n;
                c.bidQty = 300 + n;
                c.askPriceTicks = 1_900_100L + n;
                c.askQty = 500 + n;
                c.lastPriceTicks = n % 2 == 0 ? 0 : 1_900_000L;
                c.staleAfterNanos = 5_000_000_000L;
            }
            default -> throw new IllegalArgumentException("not journaled: " + type);
        }
        return c;
    }

    /** A PLACE_ORDER with a unique client order id, cycling through the other types every few commands. */
    static Command mixed(int n) {
        CommandType[] types = {CommandType.PLACE_ORDER, CommandType.DEPOSIT, CommandType.PLACE_ORDER, CommandType.CANCEL_ORDER,
                CommandType.CREATE_ACCOUNT, CommandType.PLACE_ORDER, CommandType.WITHDRAW, CommandType.SESSION_OPEN,
                CommandType.SESSION_CLOSE, CommandType.REFERENCE_QUOTE};
        return sample(types[n % types.length], n);
    }

    /** Asserts every input field the journal carries is equal (the engine's output fields are not compared). */
    static void assertInputEquals(Command expected, Command actual) {
        assertEquals(describe(expected), describe(actual));
    }

    static String describe(Command c) {
        return c.type + "|seq=" + c.seq + "|ts=" + c.timestampNanos + "|acct=" + c.accountId + "|name=" + c.name
                + "|key=" + c.apiKeyHash + "|fees=" + c.makerFeeBps + "/" + c.takerFeeBps + "|asset=" + c.asset
                + "|amount=" + c.amount + "|transfer=" + c.transferId + "|coid=" + c.clientOrderId + "|sym=" + c.symbol
                + "|side=" + c.side + "|qty=" + c.qty + "|px=" + c.priceTicks + "|tif=" + c.timeInForce
                + "|post=" + c.postOnly + "|stp=" + c.selfTradePrevention + "|order=" + c.orderId
                + "|date=" + c.sessionDate + "|closes=" + c.sessionClosesAtNanos + "|venue=" + c.venue
                + "|bid=" + c.bidQty + "@" + c.bidPriceTicks + "|ask=" + c.askQty + "@" + c.askPriceTicks
                + "|last=" + c.lastPriceTicks + "|staleAfter=" + c.staleAfterNanos;
    }

    /** Copy of {@code c} with {@code seq} set, as the journal stores it. */
    static Command withSeq(Command c, long seq) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        copy.seq = seq;
        return copy;
    }

    /** Recomputes the CRC32C trailer of a record of {@code len} bytes (after a deliberate header edit). */
    static void reseal(byte[] record, int len) {
        CRC32C crc = new CRC32C();
        crc.update(record, 0, len - 4);
        RecordFrame.putIntLE(record, len - 4, (int) crc.getValue());
    }
}
