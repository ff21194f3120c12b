package exchange.gateway.marketdata;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import exchange.readside.marketdata.PublicTrade;
import exchange.readside.marketdata.ReferenceQuote;
import exchange.readside.marketdata.Ticker;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The WebSocket message formatters, ours and Binance's, byte for byte. */
@Timeout(10)
class StreamFormatTest {
    private static final long T = 1_728_047_100_123_456_789L;   // 2024-10-04T13:05:00.123456789Z
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void shouldWriteBinanceTradeDepthKlineAndBookTicker() {
        PublicTrade t = new PublicTrade("AAPL", 7, 1_900_500, 40, Side.SELL, 3, 4, T, 12, null);
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
        PublicTrade t = new PublicTrade("AAPL", 7, 1_900_500, 40, Side.BUY, 3, 4, T, 12, null);
        assertEquals("{\"stream\":\"AAPL@trade\",\"seq\":12,\"data\":{\"trade_id\":7,\"symbol\":\"AAPL\","
                + "\"price\":\"190.05\",\"qty\":40,\"taker_side\":\"buy\",\"executed_at\":\"2024-10-04T13:05:00.123456789Z\","
                + "\"seq\":12,\"venue\":null}}", MarketJson.message(new TradeUpdate(t), T));
        OrderUpdate o = new OrderUpdate(12, T, 2, 3, "b1", "AAPL", Side.BUY, OrderStatus.PARTIALLY_FILLED, 50, 40, 10,
                1_910_000, TimeInForce.DAY, null, new OrderFill(7, 40, 1_900_500, 250, "taker", null));
        assertEquals("{\"stream\":\"orders\",\"seq\":12,\"data\":{\"order_id\":3,\"client_order_id\":\"b1\","
                + "\"account_id\":2,\"symbol\":\"AAPL\",\"side\":\"buy\",\"status\":\"partially_filled\",\"qty\":50,"
                + "\"filled_qty\":40,\"leaves_qty\":10,\"limit_price\":\"191.00\",\"time_in_force\":\"day\","
                + "\"reason\":null,\"updated_at\":\"2024-10-04T13:05:00.123456789Z\",\"seq\":12,\"fill\":{\"trade_id\":7,"
                + "\"qty\":40,\"price\":\"190.05\",\"fee\":\"0.025\",\"liquidity\":\"taker\",\"venue\":null}}}",
                MarketJson.message(o, T));
        assertEquals("AAPL@depth", MarketJson.streamOf(new DepthUpdate("AAPL", 1, 2, T, List.of(), List.of())));
    }

    @Test
    void shouldNameTheVenueOfAFillAgainstTheOutsideMarketOnTheTapeAndBothOrderUpdatesButNotOnBinances() {
        // the liquidity provider sold (the taker, no order) to the customer's resting buy 3
        PublicTrade t = new PublicTrade("AAPL", 8, 1_899_000, 25, Side.SELL, 3, 0, T, 13, "venue1");
        assertEquals("{\"stream\":\"AAPL@trade\",\"seq\":13,\"data\":{\"trade_id\":8,\"symbol\":\"AAPL\","
                + "\"price\":\"189.90\",\"qty\":25,\"taker_side\":\"sell\",\"executed_at\":\"2024-10-04T13:05:00.123456789Z\","
                + "\"seq\":13,\"venue\":\"venue1\"}}", MarketJson.message(new TradeUpdate(t), T));
        assertEquals("{\"e\":\"trade\",\"E\":1728047100123,\"s\":\"AAPL\",\"t\":8,\"p\":\"189.90000000\","
                + "\"q\":\"25.00000000\",\"T\":1728047100123,\"m\":true,\"M\":true}",
                BinanceJson.trade(new TradeUpdate(t), T), "Binance's trade has no venue");
        OrderUpdate lp = new OrderUpdate(13, T, 9, 0, null, "AAPL", Side.SELL, OrderStatus.FILLED, 25, 25, 0,
                1_899_000, null, null, new OrderFill(8, 25, 1_899_000, 0, "taker", "venue1"));
        assertEquals("{\"stream\":\"orders\",\"seq\":13,\"data\":{\"order_id\":null,\"client_order_id\":null,"
                + "\"account_id\":9,\"symbol\":\"AAPL\",\"side\":\"sell\",\"status\":\"filled\",\"qty\":25,"
                + "\"filled_qty\":25,\"leaves_qty\":0,\"limit_price\":\"189.90\",\"time_in_force\":null,"
                + "\"reason\":null,\"updated_at\":\"2024-10-04T13:05:00.123456789Z\",\"seq\":13,\"fill\":{\"trade_id\":8,"
                + "\"qty\":25,\"price\":\"189.90\",\"fee\":\"0.00\",\"liquidity\":\"taker\",\"venue\":\"venue1\"}}}",
                MarketJson.message(lp, T));
    }

    @Test
    void shouldShowTheBestFreshReferenceWithVenueAndAgeAtServeTimeAndNullOnceEveryQuoteIsStale() throws Exception {
        long second = 1_000_000_000L;
        // venue1 (5 s limit) quotes at T, venue2 (1 s limit) 200 ms later with the better bid and the worse ask
        ReferenceQuote v1 = new ReferenceQuote("venue1", 1_899_000, 300, 1_901_000, 200, 0, T, 5 * second);
        ReferenceQuote v2 = new ReferenceQuote("venue2", 1_899_500, 100, 1_902_000, 100, 1_900_000, T + 200_000_000L,
                second);
        Ticker ticker = new Ticker("AAPL", 20, 0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                List.of(v1, v2));
        JsonNode at700ms = JSON.readTree(MarketJson.message(new TickerUpdate(ticker), T + 700_000_000L)).get("data");
        assertEquals("189.95", at700ms.get("reference_bid").asText());
        assertEquals(100, at700ms.get("reference_bid_qty").asLong());
        assertEquals("venue2", at700ms.get("reference_bid_venue").asText());
        assertEquals(500, at700ms.get("reference_bid_age_ms").asLong());
        assertEquals("190.10", at700ms.get("reference_ask").asText());
        assertEquals(200, at700ms.get("reference_ask_qty").asLong());
        assertEquals("venue1", at700ms.get("reference_ask_venue").asText());
        assertEquals(700, at700ms.get("reference_ask_age_ms").asLong());
        // venue2 is fresh through exactly its limit, stale one nanosecond later
        long v2Limit = T + 200_000_000L + second;
        assertEquals("venue2", JSON.readTree(MarketJson.message(new TickerUpdate(ticker), v2Limit))
                .get("data").get("reference_bid_venue").asText());
        JsonNode later = JSON.readTree(MarketJson.message(new TickerUpdate(ticker), v2Limit + 1)).get("data");
        assertEquals("189.90", later.get("reference_bid").asText(), "venue1 alone");
        assertEquals("venue1", later.get("reference_bid_venue").asText());
        JsonNode none = JSON.readTree(MarketJson.message(new TickerUpdate(ticker), T + 5 * second + 1)).get("data");
        for (String f : List.of("reference_bid", "reference_bid_qty", "reference_bid_venue", "reference_bid_age_ms",
                "reference_ask", "reference_ask_qty", "reference_ask_venue", "reference_ask_age_ms")) {
            assertTrue(none.has(f) && none.get(f).isNull(), f + " is null once every quote is stale: " + none);
        }
        String binance = BinanceJson.ticker(new TickerUpdate(ticker), T + 700_000_000L);
        assertFalse(binance.contains("venue") || binance.contains("reference"), binance);
    }
}
