package exchange.gateway.marketdata;

import exchange.engine.OrderStatus;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.BookLevel;
import exchange.readside.marketdata.MarketDataUpdate.BookTickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.OrderFill;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import exchange.readside.marketdata.PublicTrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The WebSocket message formatters, ours and Binance's, byte for byte. */
@Timeout(10)
class StreamFormatTest {
    private static final long T = 1_728_047_100_123_456_789L;   // 2024-10-04T13:05:00.123456789Z

    @Test
    void shouldWriteBinanceTradeDepthKlineAndBookTicker() {
        PublicTrade t = new PublicTrade("AAPL", 7, 1_900_500, 40, Side.SELL, 3, 4, T, 12);
        assertEquals("{\"e\":\"trade\",\"E\":1728047100124,\"s\":\"AAPL\",\"t\":7,\"p\":\"190.05000000\","
                + "\"q\":\"40.00000000\",\"T\":1728047100123,\"m\":true,\"M\":true}",
                BinanceJson.trade(new TradeUpdate(t), T + 1_000_000));
        DepthUpdate d = new DepthUpdate("AAPL", 5, 12, T, List.of(new BookLevel(1_890_000, 10, 1)),
                List.of(new BookLevel(1_900_000, 0, 0)));
        assertEquals("{\"e\":\"depthUpdate\",\"E\":1728047100123,\"s\":\"AAPL\",\"U\":5,\"u\":12,"
                + "\"b\":[[\"189.00000000\",\"10.00000000\"]],\"a\":[[\"190.00000000\",\"0.00000000\"]]}",
                BinanceJson.depthUpdate(d, T));
        Candle c = new Candle("AAPL", CandleInterval.M1, 1_728_047_100_000_000_000L, 1_900_000, 1_910_000, 1_890_000,
                1_905_000, 45, 85_500_000, 30, 57_000_000, 3, 7, 9, T, 12, true);
        assertEquals("{\"e\":\"kline\",\"E\":1728047100123,\"s\":\"AAPL\",\"k\":{\"t\":1728047100000,"
                + "\"T\":1728047159999,\"s\":\"AAPL\",\"i\":\"1m\",\"f\":7,\"L\":9,\"o\":\"190.00000000\","
                + "\"c\":\"190.50000000\",\"h\":\"191.00000000\",\"l\":\"189.00000000\",\"v\":\"45.00000000\","
                + "\"n\":3,\"x\":true,\"q\":\"8550.00000000\",\"V\":\"30.00000000\",\"Q\":\"5700.00000000\","
                + "\"B\":\"0\"}}", BinanceJson.kline(new CandleUpdate(12, c), T));
        assertEquals("{\"u\":12,\"s\":\"AAPL\",\"b\":\"189.00000000\",\"B\":\"10.00000000\",\"a\":\"0.00000000\","
                + "\"A\":\"0.00000000\"}", BinanceJson.bookTicker(new BookTickerUpdate("AAPL", 12, T, 1_890_000, 10, 0, 0)));
        assertEquals("0.00010000", BinanceJson.decimal(1));
        assertEquals("-1.50000000", BinanceJson.decimal(-15_000));
    }

    @Test
    void shouldWriteOurStreamEnvelopeWithSeqForTradesAndPrivateOrders() {
        PublicTrade t = new PublicTrade("AAPL", 7, 1_900_500, 40, Side.BUY, 3, 4, T, 12);
        assertEquals("{\"stream\":\"AAPL@trade\",\"seq\":12,\"data\":{\"trade_id\":7,\"symbol\":\"AAPL\","
                + "\"price\":\"190.05\",\"qty\":40,\"taker_side\":\"buy\",\"executed_at\":\"2024-10-04T13:05:00.123456789Z\","
                + "\"seq\":12}}", MarketJson.message(new TradeUpdate(t)));
        OrderUpdate o = new OrderUpdate(12, T, 2, 3, "b1", "AAPL", Side.BUY, OrderStatus.PARTIALLY_FILLED, 50, 40, 10,
                1_910_000, TimeInForce.DAY, null, new OrderFill(7, 40, 1_900_500, 250, "taker"));
        assertEquals("{\"stream\":\"orders\",\"seq\":12,\"data\":{\"order_id\":3,\"client_order_id\":\"b1\","
                + "\"account_id\":2,\"symbol\":\"AAPL\",\"side\":\"buy\",\"status\":\"partially_filled\",\"qty\":50,"
                + "\"filled_qty\":40,\"leaves_qty\":10,\"limit_price\":\"191.00\",\"time_in_force\":\"day\","
                + "\"reason\":null,\"updated_at\":\"2024-10-04T13:05:00.123456789Z\",\"seq\":12,\"fill\":{\"trade_id\":7,"
                + "\"qty\":40,\"price\":\"190.05\",\"fee\":\"0.025\",\"liquidity\":\"taker\"}}}", MarketJson.message(o));
        assertEquals("AAPL@depth", MarketJson.streamOf(new DepthUpdate("AAPL", 1, 2, T, List.of(), List.of())));
    }
}
