package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The public market-data routes, ours and Binance's, over a real server after real trades. */
@Timeout(60)
class MarketDataHttpTest {
    @TempDir
    Path dataDir;

    /** Alice offers 100 @ 190.00 and 50 @ 191.00, bob bids 40 @ 191.00 (a trade at 190.00) and 10 @ 189.00. */
    private static long trade(TestExchange exchange) {
        exchange.openSession();
        Account alice = exchange.fundedAccount("alice", Map.of("AAPL", "1000"));
        Account bob = exchange.fundedAccount("bob", Map.of("USD", "100000.00"));
        ApiClient api = exchange.api;
        assertEquals(201, api.post("/v1/orders", alice.key(), TestExchange.aaplOrder("a1", "sell", 100, "190.00", "day")).status());
        assertEquals(201, api.post("/v1/orders", alice.key(), TestExchange.aaplOrder("a2", "sell", 50, "191.00", "day")).status());
        assertEquals(201, api.post("/v1/orders", bob.key(), TestExchange.aaplOrder("b1", "buy", 40, "191.00", "day")).status());
        Response last = api.post("/v1/orders", bob.key(), TestExchange.aaplOrder("b2", "buy", 10, "189.00", "day"));
        assertEquals(201, last.status(), last.raw());
        return last.json().get("seq").asLong();
    }

    @Test
    void shouldServeOurMarketDataWithSeqAfterTrades() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            long seq = trade(exchange);
            ApiClient api = exchange.api;
            Response book = api.get("/v1/markets/AAPL/book?depth=1&min_seq=" + seq, null);
            assertEquals(200, book.status(), book.raw());
            JsonNode b = book.json();
            assertTrue(b.get("seq").asLong() >= seq);
            assertEquals("189.00", b.get("bids").get(0).get("price").asText());
            assertEquals(10, b.get("bids").get(0).get("qty").asLong());
            assertEquals(1, b.get("bids").get(0).get("orders").asInt());
            assertEquals("190.00", b.get("asks").get(0).get("price").asText());
            assertEquals(60, b.get("asks").get(0).get("qty").asLong());
            assertEquals(1, b.get("asks").size(), "depth=1");

            JsonNode trades = api.get("/v1/markets/AAPL/trades?limit=5&min_seq=" + seq, null).json();
            assertEquals(1, trades.get("trades").size());
            JsonNode t = trades.get("trades").get(0);
            assertEquals("190.00", t.get("price").asText());
            assertEquals(40, t.get("qty").asLong());
            assertEquals("buy", t.get("taker_side").asText());

            JsonNode candles = api.get("/v1/markets/AAPL/candles?interval=1m&min_seq=" + seq, null).json();
            assertEquals("1m", candles.get("interval").asText());
            JsonNode c = candles.get("candles").get(0);
            assertEquals("190.00", c.get("open").asText());
            assertEquals("190.00", c.get("vwap").asText());
            assertEquals(40, c.get("volume").asLong());
            assertEquals("7600.00", c.get("quote_volume").asText());
            assertEquals(1, c.get("trade_count").asLong());
            assertTrue(c.has("closed") && c.has("open_time") && c.has("close_time"));

            JsonNode ticker = api.get("/v1/markets/AAPL/ticker?min_seq=" + seq, null).json();
            assertEquals("190.00", ticker.get("last").asText());
            assertEquals("189.00", ticker.get("bid").asText());
            assertEquals("190.00", ticker.get("ask").asText());
            assertEquals("open", ticker.get("session_state").asText());
            assertEquals(40, ticker.get("volume").asLong());

            JsonNode markets = api.get("/v1/markets", null).json();
            assertEquals(List.of("AAPL", "MSFT"), List.of(markets.get("markets").get(0).get("symbol").asText(),
                    markets.get("markets").get(1).get("symbol").asText()));
            assertEquals("0.01", markets.get("markets").get(0).get("tick_sizes").get(1).get("tick_size").asText());
            assertEquals("open", markets.get("session").get("state").asText());

            Response unknown = api.get("/v1/markets/NOPE/book", null);
            assertEquals(404, unknown.status());
            assertEquals("UNKNOWN_SYMBOL", unknown.json().get("code").asText());
            Response badInterval = api.get("/v1/markets/AAPL/candles?interval=7m", null);
            assertEquals(400, badInterval.status());
            assertEquals("INVALID_FIELD", badInterval.json().get("code").asText());
            assertEquals(400, api.get("/v1/markets/AAPL/book?depth=0", null).status());
            assertEquals(400, api.get("/v1/markets/AAPL/trades?limit=abc", null).status());
        }
    }

    @Test
    void shouldServeBinanceLayoutsWithExactFieldNamesAndTypes() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            long seq = trade(exchange);
            ApiClient api = exchange.api;
            assertEquals(200, api.get("/v1/markets/AAPL/ticker?min_seq=" + seq, null).status());
            assertEquals("{}", api.get("/api/v3/ping", null).raw());
            assertTrue(api.get("/api/v3/time", null).json().get("serverTime").isIntegralNumber());

            JsonNode info = api.get("/api/v3/exchangeInfo", null).json();
            assertEquals("UTC", info.get("timezone").asText());
            JsonNode aapl = info.get("symbols").get(0);
            assertEquals("AAPL", aapl.get("symbol").asText());
            assertEquals("TRADING", aapl.get("status").asText());
            assertEquals("AAPL", aapl.get("baseAsset").asText());
            assertEquals("USD", aapl.get("quoteAsset").asText());
            assertTrue(aapl.get("isSpotTradingAllowed").asBoolean());
            assertEquals("SPOT", aapl.get("permissionSets").get(0).get(0).asText());
            assertTrue(aapl.get("baseAssetPrecision").isInt() && aapl.get("quotePrecision").isInt());
            assertEquals("PRICE_FILTER", aapl.get("filters").get(0).get("filterType").asText());
            assertEquals("0.01000000", aapl.get("filters").get(0).get("tickSize").asText());
            assertEquals("LOT_SIZE", aapl.get("filters").get(1).get("filterType").asText());
            assertEquals("1.00000000", aapl.get("filters").get(1).get("stepSize").asText());
            assertEquals(1, api.get("/api/v3/exchangeInfo?symbol=MSFT", null).json().get("symbols").size());

            JsonNode depth = api.get("/api/v3/depth?symbol=AAPL&limit=5", null).json();
            assertTrue(depth.get("lastUpdateId").asLong() >= seq);
            assertEquals("189.00000000", depth.get("bids").get(0).get(0).asText());
            assertEquals("10.00000000", depth.get("bids").get(0).get(1).asText());
            assertEquals("190.00000000", depth.get("asks").get(0).get(0).asText());

            JsonNode trade = api.get("/api/v3/trades?symbol=AAPL", null).json().get(0);
            assertEquals(1, trade.get("id").asLong());
            assertEquals("190.00000000", trade.get("price").asText());
            assertEquals("40.00000000", trade.get("qty").asText());
            assertEquals("7600.00000000", trade.get("quoteQty").asText());
            assertTrue(trade.get("time").isIntegralNumber());
            assertFalse(trade.get("isBuyerMaker").asBoolean(), "the buyer took");
            JsonNode agg = api.get("/api/v3/aggTrades?symbol=AAPL&fromId=1", null).json().get(0);
            assertEquals(1, agg.get("a").asLong());
            assertEquals("190.00000000", agg.get("p").asText());
            assertFalse(agg.get("m").asBoolean());

            JsonNode kline = api.get("/api/v3/klines?symbol=AAPL&interval=1m", null).json().get(0);
            assertEquals(12, kline.size());
            assertTrue(kline.get(0).isIntegralNumber() && kline.get(6).isIntegralNumber());
            assertEquals(kline.get(0).asLong() + 59_999, kline.get(6).asLong());
            assertEquals("190.00000000", kline.get(1).asText());
            assertEquals("40.00000000", kline.get(5).asText());
            assertEquals("7600.00000000", kline.get(7).asText());
            assertEquals(1, kline.get(8).asInt());
            assertEquals("40.00000000", kline.get(9).asText(), "taker buy volume");

            JsonNode t24 = api.get("/api/v3/ticker/24hr?symbol=AAPL", null).json();
            assertEquals("190.00000000", t24.get("lastPrice").asText());
            assertEquals("189.00000000", t24.get("bidPrice").asText());
            assertEquals("40.00000000", t24.get("volume").asText());
            assertEquals(1, t24.get("count").asLong());
            assertEquals(2, api.get("/api/v3/ticker/24hr", null).json().size());
            JsonNode prices = api.get("/api/v3/ticker/price?symbols=%5B%22AAPL%22,%22MSFT%22%5D", null).json();
            assertEquals("AAPL", prices.get(0).get("symbol").asText());
            assertEquals("190.00000000", prices.get(0).get("price").asText());
            JsonNode bt = api.get("/api/v3/ticker/bookTicker?symbol=AAPL", null).json();
            assertEquals("190.00000000", bt.get("askPrice").asText());
            assertEquals("60.00000000", bt.get("askQty").asText());

            Response invalid = api.get("/api/v3/depth?symbol=NOPE", null);
            assertEquals(400, invalid.status());
            assertEquals(-1121, invalid.json().get("code").asInt());
            assertEquals("Invalid symbol.", invalid.json().get("msg").asText());
            assertEquals(-1102, api.get("/api/v3/depth", null).json().get("code").asInt());
            assertEquals(-1120, api.get("/api/v3/klines?symbol=AAPL&interval=3m", null).json().get("code").asInt());
        }
    }

    @Test
    void shouldRateLimitPublicReadsPerAddressWithRetryAfter() {
        GatewayConfig config = TestExchange.config(dataDir)
                .marketData(new GatewayConfig.MarketData(new GatewayConfig.RateLimit(1, 3), 1_000, 1_000, 250))
                .build();
        try (TestExchange exchange = TestExchange.start(config)) {
            ApiClient api = exchange.api;
            int limited = 0;
            Response last = null;
            for (int i = 0; i < 6; i++) {
                last = api.get(i % 2 == 0 ? "/v1/markets" : "/api/v3/depth?symbol=AAPL", null);
                if (last.status() == 429) {
                    limited++;
                    assertTrue(last.headers().firstValue("Retry-After").isPresent());
                }
            }
            assertTrue(limited >= 2, "a burst of 3 at 1/s: " + limited + " limited");
        }
    }
}
