package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.stream.StreamConfig;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static exchange.gateway.DepthBooks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stream layer across a restart (the projection is rebuilt from the events queue, so candles,
 * trades and the book's seq chain come back as they were) and under a subscriber that never reads.
 */
@Timeout(120)
class MarketDataRestartAndSlowConsumerTest {
    @TempDir
    Path dataDir;

    private GatewayConfig config(StreamConfig stream) {
        return TestExchange.config(dataDir).stream(stream).build();
    }

    private static String get(TestExchange exchange, String path) {
        ApiClient.Response r = exchange.api.get(path, null);
        assertEquals(200, r.status(), r.raw());
        return r.raw();
    }

    /**
     * Candles, trades, the ticker and the book (with its seq) read the same after a restart, which
     * rebuilds the projection from the events queue; our depth stream's snapshot carries the same
     * seq and the first diff after the restart continues the pre-restart chain ({@code first_seq} =
     * the last diff's seq + 1), so a client's book stays valid across it.
     */
    @Test
    void shouldServeTheSameCandlesTradesAndBookSeqAfterARestart() {
        StreamConfig stream = StreamConfig.defaults().withInboundMessagesPerSecond(1_000);
        long seed = System.nanoTime();
        String candles1s;
        String candles1m;
        String trades;
        String book;
        String klines;
        long last;
        long lastDiffSeq;
        List<String> keys;
        try (TestExchange exchange = TestExchange.start(config(stream));
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            exchange.openSession();
            Map<String, String> funds = Map.of("AAPL", "100000", "USD", "10000000.00");
            Account a = exchange.fundedAccount("a", funds);
            Account b = exchange.fundedAccount("b", funds);
            keys = List.of(a.key(), b.key());
            assertEquals("{\"id\":1,\"result\":null}", ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":1}"));
            new RandomOrderFlow(exchange.api, keys, seed).run(80);
            ApiClient.Response m = exchange.api.post("/v1/orders", a.key(), TestExchange.aaplOrder("m1", "sell", 1, "199.00", "day"));
            assertEquals(201, m.status(), m.raw());
            last = m.json().get("seq").asLong();
            lastDiffSeq = 0;
            while (lastDiffSeq < last) {
                JsonNode msg = parse(ws.next());
                lastDiffSeq = msg.get("seq").asLong();
            }
            assertEquals(last, lastDiffSeq, "the marker's diff is the last one");
            candles1s = get(exchange, "/v1/markets/AAPL/candles?interval=1s&limit=1000&min_seq=" + last);
            candles1m = get(exchange, "/v1/markets/AAPL/candles?interval=1m&min_seq=" + last);
            trades = get(exchange, "/v1/markets/AAPL/trades?limit=1000&min_seq=" + last);
            book = get(exchange, "/v1/markets/AAPL/book?depth=1000&min_seq=" + last);
            klines = get(exchange, "/api/v3/klines?symbol=AAPL&interval=1s&limit=1000");
            assertTrue(parse(trades).get("trades").size() > 0, "the flow traded (seed " + seed + ")");
        }
        try (TestExchange exchange = TestExchange.start(config(stream));
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            String context = " after a restart (seed " + seed + ")";
            assertEquals(book, get(exchange, "/v1/markets/AAPL/book?depth=1000&min_seq=" + last), "book and its seq" + context);
            assertEquals(candles1s, get(exchange, "/v1/markets/AAPL/candles?interval=1s&limit=1000&min_seq=" + last),
                    "1s candles" + context);
            assertEquals(candles1m, get(exchange, "/v1/markets/AAPL/candles?interval=1m&min_seq=" + last), "1m candles" + context);
            assertEquals(trades, get(exchange, "/v1/markets/AAPL/trades?limit=1000&min_seq=" + last), "trades" + context);
            assertEquals(klines, get(exchange, "/api/v3/klines?symbol=AAPL&interval=1s&limit=1000"), "Binance klines" + context);

            assertEquals("{\"id\":1,\"result\":null}", ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":1}"));
            JsonNode snapshot = parse(ws.next());
            assertTrue(snapshot.get("snapshot").asBoolean());
            assertEquals(last, snapshot.get("seq").asLong(), "the stream snapshot's seq" + context);
            ApiClient.Response m = exchange.api.post("/v1/orders", keys.get(0), TestExchange.aaplOrder("m2", "sell", 1, "199.01", "day"));
            assertEquals(201, m.status(), m.raw());
            JsonNode diff = parse(ws.next()).get("data");
            assertEquals(lastDiffSeq + 1, diff.get("first_seq").asLong(), "the diff chain continues" + context);
            assertEquals(m.json().get("seq").asLong(), diff.get("seq").asLong());
        }
    }

    /**
     * A subscriber that never reads, on every AAPL stream (and asking for a fresh depth snapshot
     * with each order, so that it fills the socket buffers sooner), is dropped when its queue fills; order
     * entry and a reading subscriber go on. Order entry is timed without and with the stalled
     * subscriber and printed (durations are not asserted); what is asserted is that the reader gets
     * every diff in order and ends on the REST book, and that the stalled connection was dropped.
     */
    @Test
    void shouldNotLetASubscriberThatNeverReadsSlowOrderEntryOrOtherSubscribers() throws Exception {
        StreamConfig stream = StreamConfig.defaults().withInboundMessagesPerSecond(1_000).withOutboundQueueLength(512);
        long seed = System.nanoTime();
        try (TestExchange exchange = TestExchange.start(config(stream));
             WsTestClient reader = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            exchange.openSession();
            Map<String, String> funds = Map.of("AAPL", "1000000", "USD", "100000000.00");
            List<String> keys = List.of(exchange.fundedAccount("a", funds).key(), exchange.fundedAccount("b", funds).key());
            StreamHub hub = exchange.server.streamHub();
            assertEquals("{\"id\":1,\"result\":null}", reader.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":1}"));
            JsonNode snapshot = parse(reader.next()).get("data");
            DepthBooks.Book book = DepthBooks.fromV1(snapshot);
            long snapshotSeq = snapshot.get("seq").asLong();
            RandomOrderFlow flow = new RandomOrderFlow(exchange.api, keys, seed);
            flow.run(300); // warm-up

            long t0 = System.nanoTime();
            flow.run(1_000);
            long withoutNanos = System.nanoTime() - t0;

            long withNanos;
            int ordersUntilDropped = -1;
            try (StalledClient stalled = new StalledClient(RawWsClient.connect(exchange.server.port(), "/v1/stream"))) {
                // short requests: this raw client writes only small frames
                stalled.raw.sendText("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\",\"AAPL@trade\",\"AAPL@ticker\"],\"id\":1}");
                stalled.raw.sendText("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@kline_1s\",\"AAPL@kline_1m\"],\"id\":2}");
                String answer;
                do {
                    answer = stalled.raw.read().text();
                } while (!answer.startsWith("{\"id\":2,"));
                assertEquals("{\"id\":2,\"result\":null}", answer); // and never reads again
                t0 = System.nanoTime();
                for (int i = 0; i < 1_000; i++) {
                    flow.step();
                    stalled.resubscribeDepth(i);
                    if (ordersUntilDropped < 0 && hub.slowConsumersDropped() > 0) {
                        ordersUntilDropped = i + 1;
                    }
                }
                withNanos = System.nanoTime() - t0;
                for (int i = 0; i < 3_000 && hub.slowConsumersDropped() == 0; i++) {
                    flow.step();
                    stalled.resubscribeDepth(i);
                }
            }
            System.out.printf("order entry, 1,000 orders and cancels over HTTP: %.0f/s without a stalled subscriber, "
                    + "%.0f/s with one (dropped after %d orders, queue %d)%n", 1_000 / (withoutNanos / 1e9),
                    1_000 / (withNanos / 1e9), ordersUntilDropped, stream.outboundQueueLength());
            assertEquals(1, hub.slowConsumersDropped(), "the stalled subscriber is dropped, and only it (seed " + seed + ")");
            assertFalse(reader.isClosed(), "the reader stays");

            ApiClient.Response m = exchange.api.post("/v1/orders", keys.get(0),
                    TestExchange.aaplOrder("marker", "sell", 1, "199.99", "day"));
            assertEquals(201, m.status(), m.raw());
            long marker = m.json().get("seq").asLong();
            long lastSeq = snapshotSeq;
            while (lastSeq < marker) {
                JsonNode data = parse(reader.next()).get("data");
                assertTrue(data.get("first_seq").asLong() <= lastSeq + 1, "the reader misses no diff: " + data
                        + " after seq " + lastSeq + " (seed " + seed + ")");
                DepthBooks.applyV1(book, data);
                lastSeq = data.get("seq").asLong();
            }
            JsonNode rest = exchange.api.get("/v1/markets/AAPL/book?depth=1000&min_seq=" + marker, null).json();
            assertEquals(DepthBooks.fromV1(rest).toString(), book.toString(), "the reader's book (seed " + seed + ")");
            assertEquals(0, hub.subscriberCount(StreamTopics.v1("AAPL@trade")),
                    "the stalled connection's subscriptions are gone");
        }
    }

    /** A raw client that never reads but writes: UNSUBSCRIBE and SUBSCRIBE of our depth, each time a new snapshot. */
    private static final class StalledClient implements AutoCloseable {
        final RawWsClient raw;
        private boolean writable = true;

        StalledClient(RawWsClient raw) {
            this.raw = raw;
        }

        void resubscribeDepth(int i) {
            if (!writable) {
                return;
            }
            try {
                raw.sendText("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":" + (10 + 2 * i) + "}");
                raw.sendText("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":" + (11 + 2 * i) + "}");
            } catch (java.io.IOException dropped) {
                writable = false; // the server has cut it off
            }
        }

        @Override
        public void close() throws java.io.IOException {
            raw.close();
        }
    }
}
