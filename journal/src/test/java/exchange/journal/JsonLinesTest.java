package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class JsonLinesTest {
    private static final long T = 1_763_735_400_123_456_789L; // 2025-11-21T14:30:00.123456789Z

    @Test
    void shouldFormatATradeWithDecimalPricesAndFees() {
        EngineEvent e = new EngineEvent().reset(EventType.TRADE_EXECUTED, 42, T);
        e.tradeId = 7;
        e.symbol = "AAPL";
        e.priceTicks = 1_872_500L;
        e.qty = 10;
        e.side = Side.BUY;
        e.orderId = 11;
        e.accountId = 1;
        e.counterOrderId = 9;
        e.counterAccountId = 2;
        e.takerFee = 1_873L;
        e.makerFee = 0;
        e.leavesQty = 0;
        e.counterLeavesQty = 90;
        assertEquals("{\"type\":\"trade_executed\",\"seq\":42,\"time\":\"2025-11-21T14:30:00.123456789Z\",\"trade_id\":7,"
                + "\"symbol\":\"AAPL\",\"price\":\"187.25\",\"qty\":10,\"taker_side\":\"buy\",\"taker_order_id\":11,"
                + "\"taker_account_id\":1,\"maker_order_id\":9,\"maker_account_id\":2,\"taker_fee\":\"0.1873\","
                + "\"maker_fee\":\"0.00\",\"taker_leaves_qty\":0,\"maker_leaves_qty\":90}", JsonLines.event(e));
    }

    @Test
    void shouldNameTheSelfTradePreventionAnOrderAskedFor() {
        EngineEvent e = EventCodecTest.full(EventType.ORDER_ACCEPTED, 4);
        e.selfTradePrevention = exchange.engine.SelfTradePrevention.CANCEL_OLDEST;
        assertTrue(JsonLines.event(e).contains("\"post_only\":true,\"self_trade_prevention\":\"cancel_oldest\""),
                JsonLines.event(e));
        e.selfTradePrevention = exchange.engine.SelfTradePrevention.DEFAULT;
        assertTrue(JsonLines.event(e).contains("\"self_trade_prevention\":\"default\""), JsonLines.event(e));
    }

    @Test
    void shouldFormatHoldsAsCashForBuysAndSharesForSells() {
        EngineEvent e = new EngineEvent().reset(EventType.ORDER_EXPIRED, 3, T);
        e.accountId = 1;
        e.orderId = 2;
        e.symbol = "MSFT";
        e.side = Side.SELL;
        e.qty = 5;
        e.amount = 5;
        e.expiryReason = ExpiryReason.END_OF_DAY;
        String sell = JsonLines.event(e);
        assertTrue(sell.contains("\"hold_released\":\"5\""), sell);
        assertTrue(sell.contains("\"expiry_reason\":\"END_OF_DAY\""), sell);
        e.side = Side.BUY;
        e.amount = 12_345_000L;
        assertTrue(JsonLines.event(e).contains("\"hold_released\":\"1234.50\""));
    }

    @Test
    void shouldFormatTransfersByAssetAndEscapeStrings() {
        EngineEvent e = new EngineEvent().reset(EventType.TRANSFER_REJECTED, 5, T);
        e.accountId = 3;
        e.asset = "USD";
        e.amount = 10_000L;
        e.transferId = "a\"b\\c\nd\u0001";
        e.code = ResultCode.INSUFFICIENT_FUNDS;
        assertEquals("{\"type\":\"transfer_rejected\",\"seq\":5,\"time\":\"2025-11-21T14:30:00.123456789Z\",\"account_id\":3,"
                + "\"asset\":\"USD\",\"amount\":\"1.00\",\"transfer_id\":\"a\\\"b\\\\c\\nd\\u0001\",\"code\":\"INSUFFICIENT_FUNDS\"}",
                JsonLines.event(e));
        e.asset = "TSLA";
        e.amount = 25;
        assertTrue(JsonLines.event(e).contains("\"amount\":\"25\""));
    }

    @Test
    void shouldFormatSessionEventsWithIsoDates() {
        EngineEvent e = new EngineEvent().reset(EventType.SESSION_OPENED, 1, T);
        e.sessionDate = 20_413; // 2025-11-21
        e.amount = 1_763_758_800_000_000_000L;
        assertEquals("{\"type\":\"session_opened\",\"seq\":1,\"time\":\"2025-11-21T14:30:00.123456789Z\","
                + "\"session_date\":\"2025-11-21\",\"closes_at\":\"2025-11-21T21:00:00Z\"}", JsonLines.event(e));
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void shouldFormatEveryEventTypeAsOneJsonObject(EventType type) {
        String json = JsonLines.event(EventCodecTest.full(type, 1));
        assertTrue(json.startsWith("{\"type\":\"" + type.name().toLowerCase(java.util.Locale.ROOT) + "\""), json);
        assertTrue(json.endsWith("}") && !json.contains("\n"), json);
    }

    @Test
    void shouldFormatAPlaceOrderCommand() {
        Command c = new Command();
        c.type = CommandType.PLACE_ORDER;
        c.seq = 9;
        c.timestampNanos = T;
        c.accountId = 4;
        c.clientOrderId = "my-1";
        c.symbol = "GOOGL";
        c.side = Side.SELL;
        c.qty = 3;
        c.priceTicks = 5_000L;
        c.timeInForce = TimeInForce.GTC;
        c.postOnly = true;
        c.selfTradePrevention = SelfTradePrevention.CANCEL_BOTH;
        assertEquals("{\"type\":\"place_order\",\"seq\":9,\"time\":\"2025-11-21T14:30:00.123456789Z\",\"account_id\":4,"
                + "\"client_order_id\":\"my-1\",\"symbol\":\"GOOGL\",\"side\":\"sell\",\"qty\":3,\"limit_price\":\"0.50\","
                + "\"time_in_force\":\"gtc\",\"post_only\":true,\"self_trade_prevention\":\"cancel_both\"}", JsonLines.command(c));
    }

    @ParameterizedTest
    @EnumSource(value = CommandType.class, names = {"CREATE_ACCOUNT", "DEPOSIT", "WITHDRAW", "PLACE_ORDER",
            "CANCEL_ORDER", "SESSION_OPEN", "SESSION_CLOSE"})
    void shouldFormatEveryJournaledCommandType(CommandType type) {
        Command c = TestCommands.sample(type, 3);
        String json = JsonLines.command(c);
        assertTrue(json.startsWith("{\"type\":\"" + type.name().toLowerCase(java.util.Locale.ROOT) + "\",\"seq\":0,"), json);
        assertTrue(json.endsWith("}"), json);
    }
}
