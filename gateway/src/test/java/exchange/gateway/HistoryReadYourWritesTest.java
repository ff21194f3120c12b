package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static exchange.gateway.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Read-your-writes of the history-backed reads while the history writer is slowed on purpose
 * ({@link ExchangeServer.Options#historyOptions}, {@code withCommitDelay}: the writer holds each
 * batch's transaction open, rows written but not committed, for the delay). A client that was
 * told about a fill must find it in its very next read: the read waits for the database, within
 * {@code history.read_wait_ms}, and answers 503 {@code HISTORY_UNAVAILABLE} with
 * {@code Retry-After} past that, never a list without the row.
 */
@Timeout(120)
class HistoryReadYourWritesTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;
    private static final int THREADS = 8;
    private static final int ROUNDS = 4;
    /** Below {@link #GENEROUS_READ_WAIT_MILLIS} by a wide margin: every read must wait and then answer 200. */
    private static final Duration SHORT_COMMIT_DELAY = Duration.ofMillis(150);
    private static final long GENEROUS_READ_WAIT_MILLIS = 10_000;
    /** Far above {@link #TINY_READ_WAIT_MILLIS}: a read right after the ack must give up with 503. */
    private static final Duration LONG_COMMIT_DELAY = Duration.ofMillis(1_500);
    private static final long TINY_READ_WAIT_MILLIS = 10;
    private static final Pattern APPLIED_SEQ = Pattern.compile("(?m)^exchange_history_applied_seq (\\d+)");

    @TempDir
    Path dataDir;

    private static String order(String clientOrderId, String side, String price, String tif) {
        return TestExchange.aaplOrder(clientOrderId, side, 1, price, tif);
    }

    private static long appliedSeq(TestExchange x) {
        Matcher m = APPLIED_SEQ.matcher(x.server.metrics().scrape());
        assertTrue(m.find(), "the exchange_history_applied_seq gauge");
        return Long.parseLong(m.group(1));
    }

    private static boolean containsId(JsonNode rows, String field, long id) {
        for (JsonNode r : rows) {
            if (r.get(field).asLong() == id) {
                return true;
            }
        }
        return false;
    }

    /**
     * Eight threads, each with a maker and a taker account, four rounds each: the maker rests a sell
     * of one share at 190.00, the taker buys one at 190.00 (every thread's sell comes before its buy,
     * so there is always a share to take and each buy fills at once), then at once the taker reads
     * its fills, its closed orders and the filled order. Each read must hold the fill or the order.
     * Then the session closes with {@code idempotency_sessions} 0, so the engine lets every ended
     * order go, and at once each taker reads every one of its orders, now from history only.
     */
    @Test
    void shouldShowEveryFillAndOrderInTheReadRightAfterTheAckWhileTheWriterLagsWithinTheReadWait()
            throws Exception {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.engine().idempotencySessions(0);
        cfg.history(null, null, null, GENEROUS_READ_WAIT_MILLIS);
        try (TestExchange x = TestExchange.start(cfg.build(),
                o -> o.historyOptions(h -> h.withCommitDelay(SHORT_COMMIT_DELAY)))) {
            List<Account> makers = new ArrayList<>();
            List<Account> takers = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                makers.add(x.fundedAccount("maker-" + i, Map.of("AAPL", "100")));
                takers.add(x.fundedAccount("taker-" + i, Map.of("USD", "100000.00")));
            }
            x.openSession();
            Queue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicInteger readsBehindTheWriter = new AtomicInteger();
            List<List<Long>> filled = new ArrayList<>();
            CyclicBarrier start = new CyclicBarrier(THREADS);
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                List<Future<List<Long>>> futures = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int t = i;
                    futures.add(pool.submit(() -> {
                        start.await();
                        List<Long> ids = new ArrayList<>();
                        for (int round = 0; round < ROUNDS; round++) {
                            ids.add(crossAndReadBack(x, makers.get(t), takers.get(t), t + "-" + round, failures,
                                    readsBehindTheWriter));
                        }
                        return ids;
                    }));
                }
                for (Future<List<Long>> f : futures) {
                    filled.add(f.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(List.of(), List.copyOf(failures),
                    "reads right after the ack that missed the acknowledged row");
            assertTrue(readsBehindTheWriter.get() > 0, "the slowed writer must have been behind some ack when its read "
                    + "was sent, or this test proves nothing about the wait");

            Response close = x.api.post("/v1/admin/session/close", ADMIN, "");
            assertEquals(200, close.status(), close.raw());
            assertEquals(0, x.api.get("/v1/admin/state", ADMIN).json().get("held_orders").asLong(),
                    "with idempotency_sessions 0 the engine keeps no ended order after the close");
            for (int t = 0; t < THREADS; t++) {
                Account taker = takers.get(t);
                Response closed = x.api.get("/v1/orders?status=closed&limit=100", taker.key());
                assertEquals(200, closed.status(), closed.raw());
                for (long id : filled.get(t)) {
                    assertTrue(containsId(closed.json().get("orders"), "order_id", id),
                            () -> "order " + id + " missing from history right after the close: " + closed.raw());
                    Response one = x.api.get("/v1/orders/" + id, taker.key());
                    assertEquals(200, one.status(), one.raw());
                    assertEquals("filled", one.json().get("status").asText());
                }
                assertEquals(ROUNDS, closed.json().get("orders").size(), closed.raw());
                Response fills = x.api.get("/v1/account/fills?limit=100", taker.key());
                assertEquals(200, fills.status(), fills.raw());
                assertEquals(ROUNDS, fills.json().get("fills").size(), fills.raw());
            }
        }
    }

    /** One round: rest the maker's sell, take it with the taker's buy, read back at once. Returns the buy's id. */
    private static long crossAndReadBack(TestExchange x, Account maker, Account taker, String tag,
                                         Queue<String> failures, AtomicInteger readsBehindTheWriter) {
        Response sell = x.api.post("/v1/orders", maker.key(), order("s-" + tag, "sell", "190.00", "gtc"));
        assertEquals(201, sell.status(), sell.raw());
        Response buy = x.api.post("/v1/orders", taker.key(), order("b-" + tag, "buy", "190.00", "day"));
        assertEquals(201, buy.status(), buy.raw());
        assertEquals("filled", buy.json().get("status").asText(), buy.raw());
        long id = buy.json().get("order_id").asLong();
        if (appliedSeq(x) < buy.json().get("seq").asLong()) {
            readsBehindTheWriter.incrementAndGet();
        }

        Response fills = x.api.get("/v1/account/fills?limit=100", taker.key());
        if (fills.status() != 200 || !containsId(fills.json().get("fills"), "order_id", id)) {
            failures.add("fills of " + tag + " right after the ack of order " + id + ": " + fills.status() + " "
                    + fills.raw());
        }
        Response closed = x.api.get("/v1/orders?status=closed&limit=100", taker.key());
        if (closed.status() != 200 || !containsId(closed.json().get("orders"), "order_id", id)) {
            failures.add("closed orders of " + tag + " right after the ack of order " + id + ": " + closed.status()
                    + " " + closed.raw());
        }
        Response one = x.api.get("/v1/orders/" + id, taker.key());
        if (one.status() != 200 || !"filled".equals(one.json().get("status").asText())) {
            failures.add("order " + id + " of " + tag + " right after its ack: " + one.status() + " " + one.raw());
        }
        return id;
    }

    /**
     * The writer holds each batch for far longer than a read may wait: the read right after the
     * ack must be refused with 503 {@code HISTORY_UNAVAILABLE} and {@code Retry-After} (a problem,
     * not a list without the fill), and once the writer commits, the fill is there.
     */
    @Test
    void shouldAnswer503WithRetryAfterAndNeverAPartialListWhenTheWriterLagsPastTheReadWait() throws Exception {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.history(null, null, null, TINY_READ_WAIT_MILLIS);
        try (TestExchange x = TestExchange.start(cfg.build(),
                o -> o.historyOptions(h -> h.withCommitDelay(LONG_COMMIT_DELAY)))) {
            Account maker = x.fundedAccount("maker", Map.of("AAPL", "100"));
            Account taker = x.fundedAccount("taker", Map.of("USD", "100000.00"));
            x.openSession();
            assertEquals(201, x.api.post("/v1/orders", maker.key(), order("s-1", "sell", "190.00", "gtc")).status());
            Response buy = x.api.post("/v1/orders", taker.key(), order("b-1", "buy", "190.00", "day"));
            assertEquals(201, buy.status(), buy.raw());
            long id = buy.json().get("order_id").asLong();

            // no session has closed, so no order has left the engine: its page is the whole list,
            // and the lagging writer is not waited for
            Response closed = x.api.get("/v1/orders?status=closed", taker.key());
            assertEquals(200, closed.status(), closed.raw());
            assertTrue(containsId(closed.json().get("orders"), "order_id", id), closed.raw());

            for (String path : List.of("/v1/account/fills")) {
                Response r = x.api.get(path, taker.key());
                assertEquals(503, r.status(), () -> path + " right after the ack, writer still holding the batch: "
                        + r.raw());
                assertEquals("HISTORY_UNAVAILABLE", r.json().get("code").asText(), r.raw());
                assertNotNull(r.header("Retry-After"), "a 503 says when to retry");
                assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
                assertFalse(r.json().has("fills") || r.json().has("orders"), "a refusal is not a list: " + r.raw());
            }

            Response fills = x.api.get("/v1/account/fills", taker.key());
            for (int i = 0; i < 200 && fills.status() == 503; i++) {
                Thread.sleep(50);
                fills = x.api.get("/v1/account/fills", taker.key());
            }
            assertEquals(200, fills.status(), fills.raw());
            assertTrue(containsId(fills.json().get("fills"), "order_id", id),
                    "once committed, the fill: " + fills.raw());
        }
    }
}
