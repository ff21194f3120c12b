package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.DepthBooks.Book;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static exchange.gateway.DepthBooks.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Binance's documented "how to manage a local order book correctly", step by step, against a
 * seeded random order flow over HTTP, on {@code /ws/aapl@depth} and on the conflated
 * {@code /ws/aapl@depth@100ms}: buffer the stream's events, fetch
 * {@code /api/v3/depth?symbol=AAPL&limit=1000}, drop events with {@code u <= lastUpdateId}, check
 * the first one straddles {@code lastUpdateId + 1}, apply each, and treat {@code U > last u + 1}
 * as a gap. Both local books must end equal, level for level, to the engine's own book (the open
 * orders it holds) and to the REST depth. The seed is printed on failure.
 */
@Timeout(120)
class BinanceLocalOrderBookTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldKeepALocalOrderBookEqualToTheEnginesWithBinancesProcedure() throws Exception {
        long seed = Long.getLong("seed", System.nanoTime());
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir)
                .stream(StreamConfig.defaults().withInboundMessagesPerSecond(1_000)).build());
             WsTestClient depth = WsTestClient.connect(exchange.server.port(), "/ws/aapl@depth");
             WsTestClient depth100 = WsTestClient.connect(exchange.server.port(), "/ws/aapl@depth@100ms")) {
            exchange.openSession();
            Map<String, String> funds = Map.of("AAPL", "100000", "USD", "10000000.00");
            Account a = exchange.fundedAccount("a", funds);
            Account b = exchange.fundedAccount("b", funds);
            Account c = exchange.fundedAccount("c", funds);
            List<String> keys = List.of(a.key(), b.key(), c.key());
            // both subscriptions are in place once their connections answer
            assertEquals("{\"result\":[\"aapl@depth\"],\"id\":1}", depth.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));
            assertEquals("{\"result\":[\"aapl@depth@100ms\"],\"id\":1}", depth100.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));

            RandomOrderFlow flow = new RandomOrderFlow(exchange.api, keys, seed);
            flow.run(40); // a book before the snapshot
            CountDownLatch halfway = new CountDownLatch(1);
            CompletableFuture<Long> rest = CompletableFuture.supplyAsync(() -> {
                flow.run(60);
                halfway.countDown();
                return flow.run(100);
            });
            // the snapshots are taken while the flow runs: buffered events straddle them
            JsonNode snapshot = exchange.api.get("/api/v3/depth?symbol=AAPL&limit=1000", null).json();
            assertTrue(halfway.await(60, TimeUnit.SECONDS));
            JsonNode snapshot100 = exchange.api.get("/api/v3/depth?symbol=AAPL&limit=1000", null).json();
            rest.get(60, TimeUnit.SECONDS);
            ApiClient.Response m = exchange.api.post("/v1/orders", a.key(),
                    TestExchange.aaplOrder("marker", "sell", 1, "199.99", "day"));
            assertEquals(201, m.status(), m.raw());
            long marker = m.json().get("seq").asLong();

            String context = " (seed " + seed + "; rerun with -Dseed=" + seed + ")";
            Book engine = DepthBooks.engineBook(exchange.api, keys, "AAPL");
            Book local = LocalBook.follow(depth, snapshot, marker, context);
            assertEquals(engine.toString(), local.toString(), "@depth local book = the engine's book" + context);
            Book local100 = LocalBook.follow(depth100, snapshot100, marker, context);
            assertEquals(engine.toString(), local100.toString(), "@depth@100ms local book = the engine's book" + context);

            JsonNode end = exchange.api.get("/api/v3/depth?symbol=AAPL&limit=1000", null).json();
            assertTrue(end.get("lastUpdateId").asLong() >= marker);
            Book restBook = Book.empty();
            DepthBooks.applyBinance(restBook, end.get("bids"), end.get("asks"));
            assertEquals(engine.toString(), restBook.toString(), "REST depth = the engine's book" + context);
        }
    }

    /** Binance's procedure over one connection's buffered events. */
    private static final class LocalBook {
        static Book follow(WsTestClient ws, JsonNode snapshot, long throughSeq, String context) {
            long lastUpdateId = snapshot.get("lastUpdateId").asLong();
            Book book = Book.empty();
            DepthBooks.applyBinance(book, snapshot.get("bids"), snapshot.get("asks"));
            long lastU = -1;
            List<Long> dropped = new ArrayList<>();
            while (lastU < throughSeq) {
                JsonNode e = parse(ws.next());
                assertEquals("depthUpdate", e.get("e").asText(), e.toString());
                assertEquals("AAPL", e.get("s").asText());
                long first = e.get("U").asLong();
                long last = e.get("u").asLong();
                if (last <= lastUpdateId) {
                    dropped.add(last); // older than the snapshot
                    continue;
                }
                if (lastU < 0) {
                    assertTrue(first <= lastUpdateId + 1 && lastUpdateId + 1 <= last,
                            "the first event after the snapshot straddles lastUpdateId+1=" + (lastUpdateId + 1) + ": "
                                    + e + context);
                } else {
                    assertTrue(first <= lastU + 1, "gap: U=" + first + " after u=" + lastU + context);
                    assertEquals(lastU + 1, first, "each event starts right after the previous one" + context);
                }
                DepthBooks.applyBinance(book, e.get("b"), e.get("a"));
                lastU = last;
            }
            return book;
        }
    }
}
