package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.DepthBooks.Book;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.nio.file.Path;

import static exchange.gateway.DepthBooks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real market data over real WebSocket clients of a real server: trades and candles on both
 * faces, our depth snapshot plus diffs against the REST book (also across a forced gap), and the
 * private orders channel. The projection publishes; nothing here calls the hub.
 */
@Timeout(60)
class MarketDataStreamTest {
    @TempDir
    Path dataDir;

    private TestExchange start() {
        return TestExchange.start(TestExchange.config(dataDir)
                .stream(StreamConfig.defaults().withInboundMessagesPerSecond(1_000)).build());
    }

    private static Account seller(TestExchange exchange) {
        return exchange.fundedAccount("seller", Map.of("AAPL", "100000", "USD", "10000000.00"));
    }

    private static Account buyer(TestExchange exchange) {
        return exchange.fundedAccount("buyer", Map.of("AAPL", "100000", "USD", "10000000.00"));
    }

    private static long place(TestExchange exchange, Account a, String id, String side, int qty, String price) {
        ApiClient.Response r = exchange.api.post("/v1/orders", a.key(), TestExchange.aaplOrder(id, side, qty, price, "day"));
        assertEquals(201, r.status(), r.raw());
        return r.json().get("seq").asLong();
    }

    /** The next message of {@code ws} that is not a request's answer. */
    private static JsonNode nextData(WsTestClient ws) {
        while (true) {
            JsonNode m = parse(ws.next());
            if (!m.has("id")) {
                return m;
            }
        }
    }

    @Test
    void shouldDeliverTradesAndKlinesWithIncreasingSeqOnBothFaces() {
        try (TestExchange exchange = start();
             WsTestClient v1 = WsTestClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient raw = WsTestClient.connect(exchange.server.port(), "/ws/aapl@trade");
             WsTestClient combined = WsTestClient.connect(exchange.server.port(), "/stream?streams=aapl@kline_1m/aapl@trade")) {
            exchange.openSession();
            Account seller = seller(exchange);
            Account buyer = buyer(exchange);
            assertEquals("{\"id\":1,\"result\":null}",
                    v1.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\",\"AAPL@kline_1m\"],\"id\":1}"));
            assertEquals("{\"result\":[\"aapl@trade\"],\"id\":1}", raw.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));
            assertEquals("{\"result\":[\"aapl@kline_1m\",\"aapl@trade\"],\"id\":1}",
                    combined.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));

            place(exchange, seller, "s1", "sell", 30, "190.00");
            List<Long> tradeSeqs = new ArrayList<>();
            tradeSeqs.add(place(exchange, buyer, "b1", "buy", 10, "190.00"));
            tradeSeqs.add(place(exchange, buyer, "b2", "buy", 5, "190.00"));
            tradeSeqs.add(place(exchange, buyer, "b3", "buy", 15, "190.00"));

            long lastTradeSeq = 0;
            long lastKlineSeq = 0;
            int trades = 0;
            int klines = 0;
            while (trades < 3 || klines < 3) {
                JsonNode m = nextData(v1);
                long seq = m.get("seq").asLong();
                if (m.get("stream").asText().equals("AAPL@trade")) {
                    assertEquals(tradeSeqs.get(trades), seq, "a trade carries its command's seq");
                    assertTrue(seq > lastTradeSeq);
                    assertEquals(seq, m.get("data").get("seq").asLong());
                    assertEquals("190.00", m.get("data").get("price").asText());
                    assertEquals(List.of(10L, 5L, 15L).get(trades), m.get("data").get("qty").asLong());
                    lastTradeSeq = seq;
                    trades++;
                } else {
                    assertEquals("AAPL@kline_1m", m.get("stream").asText());
                    assertTrue(seq > lastKlineSeq, "kline seq increases: " + m);
                    lastKlineSeq = seq;
                    klines++;
                    // all three trades fall in one minute unless the clock crossed one: volume is cumulative
                    assertTrue(m.get("data").get("volume").asLong() > 0);
                }
            }

            long lastId = 0;
            for (int i = 0; i < 3; i++) {
                JsonNode t = parse(raw.next());
                assertEquals("trade", t.get("e").asText());
                assertEquals("AAPL", t.get("s").asText());
                assertEquals("190.00000000", t.get("p").asText());
                assertEquals(List.of(10, 5, 15).get(i) + ".00000000", t.get("q").asText());
                assertFalse(t.get("m").asBoolean(), "the buyer took: the buyer is not the maker");
                assertTrue(t.get("t").asLong() > lastId, "trade ids increase");
                lastId = t.get("t").asLong();
            }
            int binanceTrades = 0;
            long lastKlineTrade = 0;
            while (binanceTrades < 3 || lastKlineTrade < lastId) {
                JsonNode m = parse(combined.next());
                JsonNode d = m.get("data");
                if (m.get("stream").asText().equals("aapl@trade")) {
                    binanceTrades++;
                } else {
                    assertEquals("aapl@kline_1m", m.get("stream").asText());
                    assertEquals("kline", d.get("e").asText());
                    assertEquals("1m", d.get("k").get("i").asText());
                    assertTrue(d.get("k").get("L").asLong() >= lastKlineTrade, "kline's last trade id never goes back");
                    lastKlineTrade = d.get("k").get("L").asLong();
                }
            }
        }
    }

    /**
     * Our depth stream: the snapshot on subscribe plus every diff reproduces the REST book level for
     * level; then the client drops one diff on purpose, detects the gap by {@code first_seq}, resyncs
     * by subscribing again (a fresh snapshot) and again ends equal to the REST book.
     */
    @Test
    void shouldReproduceTheRestBookFromSnapshotAndDiffsAndResyncAfterAGap() {
        try (TestExchange exchange = start();
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            exchange.openSession();
            Account seller = seller(exchange);
            Account buyer = buyer(exchange);
            place(exchange, seller, "pre1", "sell", 40, "190.50");
            place(exchange, buyer, "pre2", "buy", 25, "189.50");
            V1DepthClient client = new V1DepthClient(ws);
            client.subscribe(1);

            long seed = System.nanoTime();
            RandomOrderFlow flow = new RandomOrderFlow(exchange.api, List.of(seller.key(), buyer.key()), seed);
            flow.run(60);
            long marker = place(exchange, seller, "marker1", "sell", 1, "195.00");
            client.readThrough(marker);
            assertEquals(0, client.gaps, "no gap without a dropped diff (seed " + seed + ")");
            Book rest = DepthBooks.fromV1(exchange.api.get("/v1/markets/AAPL/book?depth=1000&min_seq=" + marker, null).json());
            assertEquals(rest.toString(), client.book.toString(), "snapshot + diffs = REST book (seed " + seed + ")");

            client.dropNextDiff = true;
            flow.run(40);
            long marker2 = place(exchange, seller, "marker2", "sell", 1, "195.01");
            client.readThrough(marker2);
            assertEquals(1, client.gaps, "the dropped diff is detected by first_seq (seed " + seed + ")");
            assertEquals(2, client.snapshots, "and resynced with a fresh snapshot");
            Book rest2 = DepthBooks.fromV1(exchange.api.get("/v1/markets/AAPL/book?depth=1000&min_seq=" + marker2, null).json());
            assertEquals(rest2.toString(), client.book.toString(), "resynced book = REST book (seed " + seed + ")");
        }
    }

    /** A v1 depth consumer that follows the documented rule: a diff must start at the last seq + 1. */
    private static final class V1DepthClient {
        final WsTestClient ws;
        Book book;
        long lastSeq = -1;
        boolean synced;
        boolean dropNextDiff;
        int gaps;
        int snapshots;
        int requestId = 100;

        V1DepthClient(WsTestClient ws) {
            this.ws = ws;
        }

        void subscribe(int id) {
            ws.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":" + id + "}");
        }

        /** Reads until the book reflects a diff with {@code seq >= through}. */
        void readThrough(long through) {
            while (!synced || lastSeq < through) {
                JsonNode m = parse(ws.next());
                if (m.has("id")) {
                    assertTrue(m.get("result").isNull(), m.toString());
                    continue;
                }
                assertEquals("AAPL@depth", m.get("stream").asText());
                JsonNode data = m.get("data");
                if (m.path("snapshot").asBoolean()) {
                    book = DepthBooks.fromV1(data);
                    lastSeq = data.get("seq").asLong();
                    assertEquals(lastSeq, m.get("seq").asLong());
                    synced = true;
                    snapshots++;
                    continue;
                }
                if (!synced) {
                    continue; // diffs before the new snapshot: it covers them
                }
                long first = data.get("first_seq").asLong();
                long seq = data.get("seq").asLong();
                assertTrue(first <= seq, m.toString());
                if (first > lastSeq + 1) {
                    gaps++;
                    synced = false;
                    ws.send("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":" + (requestId++) + "}");
                    subscribe(requestId++);
                    continue;
                }
                assertTrue(seq > lastSeq, "a diff after the snapshot is newer than it: " + m);
                if (dropNextDiff) {
                    dropNextDiff = false;
                    continue; // lost on purpose
                }
                DepthBooks.applyV1(book, data);
                lastSeq = seq;
            }
        }
    }

    @Test
    void shouldCarryOnlyTheAuthenticatedAccountsOrderUpdatesAndFills() {
        try (TestExchange exchange = start();
             WsTestClient sellerWs = WsTestClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient buyerWs = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            exchange.openSession();
            Account seller = seller(exchange);
            Account buyer = buyer(exchange);
            Account other = exchange.fundedAccount("other", Map.of("USD", "10000.00"));
            assertEquals("{\"id\":1,\"result\":null}", sellerWs.ask("{\"method\":\"AUTH\",\"params\":[\"" + seller.key() + "\"],\"id\":1}"));
            assertEquals("{\"id\":2,\"result\":null}", sellerWs.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders\"],\"id\":2}"));
            assertEquals("{\"id\":1,\"result\":null}", buyerWs.ask("{\"method\":\"AUTH\",\"params\":[\"" + buyer.key() + "\"],\"id\":1}"));
            assertEquals("{\"id\":2,\"result\":null}", buyerWs.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders\"],\"id\":2}"));

            long sellSeq = place(exchange, seller, "s1", "sell", 10, "190.00");
            place(exchange, other, "o1", "buy", 1, "180.00"); // someone else's order: on nobody's channel here
            long buySeq = place(exchange, buyer, "b1", "buy", 4, "190.00");

            JsonNode accepted = parse(sellerWs.next());
            assertEquals("orders", accepted.get("stream").asText());
            assertEquals(sellSeq, accepted.get("seq").asLong());
            assertEquals("new", accepted.get("data").get("status").asText());
            assertEquals("s1", accepted.get("data").get("client_order_id").asText());
            assertTrue(accepted.get("data").get("fill").isNull());
            JsonNode makerFill = parse(sellerWs.next());
            assertEquals(buySeq, makerFill.get("seq").asLong());
            assertEquals("partially_filled", makerFill.get("data").get("status").asText());
            assertEquals(6, makerFill.get("data").get("leaves_qty").asLong());
            assertEquals("maker", makerFill.get("data").get("fill").get("liquidity").asText());
            assertEquals(4, makerFill.get("data").get("fill").get("qty").asLong());

            List<JsonNode> buyerMessages = List.of(parse(buyerWs.next()), parse(buyerWs.next()));
            assertEquals("new", buyerMessages.get(0).get("data").get("status").asText());
            assertEquals("filled", buyerMessages.get(1).get("data").get("status").asText());
            assertEquals("taker", buyerMessages.get(1).get("data").get("fill").get("liquidity").asText());
            for (JsonNode m : buyerMessages) {
                assertEquals(buyer.id(), m.get("data").get("account_id").asLong());
            }
            assertEquals(seller.id(), accepted.get("data").get("account_id").asLong());
            try {
                assertNull(sellerWs.poll(300), "nobody else's updates on the seller's channel");
                assertNull(buyerWs.poll(50), "nor on the buyer's");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
    }
}
