package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.crash.Traders.Trader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A crash of the exchange while its history writer is in the middle of a batch: no row of the
 * history database may be lost or doubled by it. The child ({@link ChildExchange}) runs with
 * {@code engine.idempotency_sessions} 0, so each session close lets every ended order go from the
 * engine and it is then served by the history database alone; eight clients trade over HTTP
 * (crossing and resting orders, cancels) across two operator session closes, and the child is
 * killed with SIGKILL under load in the third session. It restarts on the same data directory
 * (without the slow-down), the database catches up, and then:
 * <ul>
 * <li>every acknowledged order (the test's {@link OrderLedger}) answers {@code GET /v1/orders/{id}},
 *     from the engine or from history, with its client order id;</li>
 * <li>each account's paged {@code GET /v1/orders?status=all} holds each order exactly once, every
 *     acknowledged one among them;</li>
 * <li>each account's paged fills have no trade id twice; each trade id is in exactly one buyer's
 *     and one seller's fills, at the same price and quantity; fills = 2 x distinct trades;</li>
 * <li>after a clean stop, the SQLite file opened read-only agrees: {@code count(fills) = 2 x
 *     count(trades)}, no trade, order, or (trade, side) fill twice, every trade with its two fills,
 *     as many order rows as the accounts' lists hold, and the applied seq is the engine's.</li>
 * </ul>
 *
 * <p><b>How the kill lands mid-batch.</b> The child's config sets the testing knob
 * {@code history.commit_delay_ms} ({@link #COMMIT_DELAY_MILLIS}): the writer pauses inside every
 * batch's transaction after writing its rows and before {@code COMMIT}. Under the load the writer
 * is therefore busy nearly all the time with a transaction open (rows written, not committed) and
 * the next batch growing in the events queue; the kill comes at a random moment of that. The test
 * records the writer's lag from {@code /metrics} just before the kill, and after the restart the
 * seq the writer resumed from (its log line), which must be below the journal's end: the batch
 * in flight was lost with the process and redone from the events queue.
 */
class HistoryCrashTest {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
    static final int TRADERS = 8;
    /** Requests per trader in each of the two sessions that end with a close. */
    static final int REQUESTS_PER_CLOSED_SESSION = 40;
    /** Orders acknowledged in the third session before the kill. */
    static final int ORDERS_BEFORE_KILL = 400;
    static final long COMMIT_DELAY_MILLIS = 200;
    static final int PAGE = 97;
    private static final Pattern RESUMED = Pattern.compile("readside-history resuming after seq (\\d+)");

    @RegisterExtension
    final CrashWorkspace workspace = new CrashWorkspace();

    @Test
    @Timeout(180)
    void shouldLoseOrDoubleNoHistoryRowWhenKilledWhileTheHistoryWriterIsMidBatch() throws Exception {
        Path slowed = CrashConfig.writeHistory(workspace.dir(), "exchange-history-slowed.json", 0, COMMIT_DELAY_MILLIS);
        Path normal = CrashConfig.writeHistory(workspace.dir(), "exchange-history.json", 0, 0);
        ChildExchange child = workspace.child("exchange");
        child.start(slowed, START_TIMEOUT);
        List<Trader> traders = Traders.create(new ExchangeClient(child.port()), TRADERS);
        OrderLedger ledger = new OrderLedger();

        tradeCloseTwiceAndKill(child, traders, ledger, 1, ORDERS_BEFORE_KILL);
        Verified v = restartAndVerify(child, normal, traders, ledger);
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(Duration.ofSeconds(60)), () -> "exit after SIGTERM; "
                + child.describe());
        verifyDatabaseFile(child.dataDir(), v.trades(), v.orders(), v.engineSeq());
    }

    /**
     * The looped version (tag {@code soak}, {@code -Psoak}): {@code crash.history.cycles} (default
     * 10) rounds of two closed sessions and a kill mid-batch after a random number of orders
     * ({@code crash.history.seed}, printed), each restart still slowed so the catch-up batch is in
     * flight for a while too, each checked as above; the database file is checked at the end.
     */
    @Test
    @Tag("soak")
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void shouldLoseOrDoubleNoHistoryRowAcrossRepeatedKillsMidBatch() throws Exception {
        int cycles = Integer.getInteger("crash.history.cycles", 10);
        long seed = Long.getLong("crash.history.seed", System.nanoTime());
        Random rnd = new Random(seed);
        workspace.log("history crash soak: " + cycles + " cycles, seed " + seed + " (-Dcrash.history.seed=" + seed
                + " repeats it)");
        Path slowed = CrashConfig.writeHistory(workspace.dir(), "exchange-history-slowed.json", 0, COMMIT_DELAY_MILLIS);
        ChildExchange child = workspace.child("exchange");
        child.start(slowed, START_TIMEOUT);
        List<Trader> traders = Traders.create(new ExchangeClient(child.port()), TRADERS);
        OrderLedger ledger = new OrderLedger();
        Verified v = null;
        for (int cycle = 1; cycle <= cycles; cycle++) {
            tradeCloseTwiceAndKill(child, traders, ledger, cycle, 100 + rnd.nextInt(700));
            v = restartAndVerify(child, slowed, traders, ledger);
        }
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(Duration.ofSeconds(60)), () -> "exit after SIGTERM; "
                + child.describe());
        verifyDatabaseFile(child.dataDir(), v.trades(), v.orders(), v.engineSeq());
    }

    /** What {@link #restartAndVerify} found. */
    record Verified(long engineSeq, long trades, int orders) {
    }

    /**
     * Two sessions of bounded order flow, each ended by an operator close (then an open), then order
     * flow until {@code ordersBeforeKill} more orders are acknowledged, and SIGKILL.
     */
    private void tradeCloseTwiceAndKill(ChildExchange child, List<Trader> traders, OrderLedger ledger, int round,
                                        int ordersBeforeKill) {
        ExchangeClient api = new ExchangeClient(child.port());
        for (int session = 1; session <= 2; session++) {
            int cycle = 3 * (round - 1) + session;
            TradingLoad load = new TradingLoad(api, traders, ledger, cycle, 20261206L, REQUESTS_PER_CLOSED_SESSION)
                    .start();
            load.awaitAcknowledged(Long.MAX_VALUE, Duration.ofSeconds(60));
            load.stopAndJoin(Duration.ofSeconds(30));
            admin(api, "/v1/admin/session/close");
            admin(api, "/v1/admin/session/open");
            workspace.log("round " + round + ", session " + session + ": " + load.acknowledgedThisRun()
                    + " orders acknowledged, then closed");
        }
        TradingLoad load = new TradingLoad(api, traders, ledger, 3 * round, 20261206L, 100_000).start();
        load.awaitAcknowledged(ordersBeforeKill, Duration.ofSeconds(30));
        Map<String, Long> atKill = HistoryGauges.scrape(api);
        child.kill();
        load.stopAndJoin(Duration.ofSeconds(30));
        assertEquals(List.of(), ledger.unexpected(), "answers the load did not expect");
        workspace.log("round " + round + ": killed with SIGKILL; just before, the history writer was at seq "
                + atKill.get("exchange_history_applied_seq") + " with " + atKill.get("exchange_history_lag_events")
                + " seqs unapplied after " + atKill.get("exchange_history_batches") + " batches (highest acknowledged"
                + " seq " + ledger.maxAcknowledgedSeq() + ")");
    }

    /** Restarts the child with {@code config}, waits for the history database, then checks orders and fills over HTTP. */
    private Verified restartAndVerify(ChildExchange child, Path config, List<Trader> traders, OrderLedger ledger)
            throws Exception {
        long maxAckSeq = ledger.maxAcknowledgedSeq();
        child.start(config, START_TIMEOUT);
        ExchangeClient api = ExchangeClient.verifying(child.port());
        long engineSeq = api.state().get("seq").asLong();
        assertTrue(engineSeq >= maxAckSeq, () -> "acknowledged seq " + maxAckSeq + " lost; engine at " + engineSeq);
        long resumedAfter = resumedAfterSeq(child);
        Map<String, Long> caughtUp = HistoryGauges.awaitCaughtUp(api, engineSeq, CATCH_UP_TIMEOUT);
        workspace.log("restarted at seq " + engineSeq + "; the history writer resumed after seq " + resumedAfter
                + " and caught up: " + caughtUp);
        assertTrue(resumedAfter < engineSeq, "the writer must have had events to redo after the kill");

        Queue<String> failures = new ConcurrentLinkedQueue<>();
        Map<Long, List<JsonNode>> fillsByAccount = new ConcurrentHashMap<>();
        Map<Long, Integer> ordersByAccount = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(TRADERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (Trader t : traders) {
                done.add(pool.submit(() -> {
                    verifyOrders(api, t, ledger, failures, ordersByAccount);
                    fillsByAccount.put(t.accountId(), allPages(api, "/v1/account/fills?limit=" + PAGE, t, "fills"));
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertNoFailures("orders after the restart", failures);
        long trades = verifyFills(fillsByAccount, failures);
        assertNoFailures("fills after the restart", failures);
        assertTrue(trades > 0, "the load must have traded");
        int orders = ordersByAccount.values().stream().mapToInt(Integer::intValue).sum();
        workspace.log("verified " + ledger.acknowledged().size() + " acknowledged orders, " + orders
                + " orders listed once each, " + trades + " trades with two agreeing fills each");
        return new Verified(engineSeq, trades, orders);
    }

    private static void admin(ExchangeClient api, String path) {
        ExchangeClient.Response r = api.post(path, ChildExchange.ADMIN_KEY, "");
        assertEquals(200, r.status(), () -> "POST " + path + ": " + r);
    }

    /** The seq of the writer's "resuming after seq N" line in the restarted child's log. */
    private static long resumedAfterSeq(ChildExchange child) throws java.io.IOException {
        assertTrue(child.awaitLog("readside-history resuming after seq", Duration.ofSeconds(30)),
                () -> "the history writer did not log where it resumed; " + child.logTail(40));
        Matcher m = RESUMED.matcher(Files.readString(child.log()));
        assertTrue(m.find(), child::describe);
        return Long.parseLong(m.group(1));
    }

    /** Every page of a list, following next_page_token. */
    private static List<JsonNode> allPages(ExchangeClient api, String path, Trader t, String field) {
        List<JsonNode> rows = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 10_000; page++) {
            String p = path + (token == null ? "" : "&page_token=" + token);
            ExchangeClient.Response r = api.get(p, t.apiKey());
            assertEquals(200, r.status(), () -> "GET " + p + " of " + t + ": " + r);
            r.json().get(field).forEach(rows::add);
            JsonNode next = r.json().get("next_page_token");
            if (next == null || next.isNull()) {
                return rows;
            }
            token = next.asText();
        }
        throw new AssertionError("more than 10,000 pages of " + path);
    }

    private static void verifyOrders(ExchangeClient api, Trader t, OrderLedger ledger, Queue<String> failures,
                                     Map<Long, Integer> ordersByAccount) {
        List<JsonNode> listed = allPages(api, "/v1/orders?status=all&limit=" + PAGE, t, "orders");
        Map<Long, Integer> seen = new HashMap<>();
        long previous = Long.MAX_VALUE;
        for (JsonNode o : listed) {
            long id = o.get("order_id").asLong();
            seen.merge(id, 1, Integer::sum);
            if (id >= previous) {
                failures.add(t + ": orders not newest first at " + id + " after " + previous);
            }
            previous = id;
        }
        seen.forEach((id, n) -> {
            if (n != 1) {
                failures.add(t + ": order " + id + " listed " + n + " times");
            }
        });
        ordersByAccount.put(t.accountId(), seen.size());
        for (OrderLedger.Entry e : ledger.acknowledged()) {
            if (e.trader.accountId() != t.accountId()) {
                continue;
            }
            long id = e.orderId();
            if (!seen.containsKey(id)) {
                failures.add(t + ": acknowledged order missing from GET /v1/orders?status=all: " + e);
            }
            ExchangeClient.Response r = api.get("/v1/orders/" + id, t.apiKey());
            if (r.status() != 200 || !e.request.clientOrderId().equals(r.json().path("client_order_id").asText())) {
                failures.add(t + ": GET /v1/orders/" + id + " answered " + r + " for " + e);
            } else if (r.json().get("filled_qty").asLong() < e.acknowledged().get("filled_qty").asLong()) {
                failures.add(t + ": order " + id + " has less filled than acknowledged: " + r + " for " + e);
            }
        }
    }

    /** Checks that the fills of all accounts pair up by trade id; returns the number of distinct trades. */
    private static long verifyFills(Map<Long, List<JsonNode>> fillsByAccount, Queue<String> failures) {
        Map<Long, List<JsonNode>> byTrade = new HashMap<>();
        long fills = 0;
        for (Map.Entry<Long, List<JsonNode>> account : fillsByAccount.entrySet()) {
            Set<Long> tradeIds = new HashSet<>();
            for (JsonNode f : account.getValue()) {
                long tradeId = f.get("trade_id").asLong();
                if (!tradeIds.add(tradeId)) {
                    failures.add("account " + account.getKey() + ": trade " + tradeId + " in its fills twice");
                }
                byTrade.computeIfAbsent(tradeId, k -> new ArrayList<>()).add(f);
                fills++;
            }
        }
        byTrade.forEach((tradeId, sides) -> {
            if (sides.size() != 2) {
                failures.add("trade " + tradeId + " has " + sides.size() + " fills: " + sides);
                return;
            }
            JsonNode a = sides.get(0);
            JsonNode b = sides.get(1);
            if (a.get("side").asText().equals(b.get("side").asText())
                    || !a.get("price").asText().equals(b.get("price").asText())
                    || a.get("qty").asLong() != b.get("qty").asLong()
                    || !a.get("symbol").asText().equals(b.get("symbol").asText())) {
                failures.add("the two sides of trade " + tradeId + " disagree: " + sides);
            }
        });
        if (fills != 2L * byTrade.size()) {
            failures.add(fills + " fills for " + byTrade.size() + " distinct trades");
        }
        return byTrade.size();
    }

    /** The SQLite file itself, read-only, after the child stopped. */
    private static void verifyDatabaseFile(Path dataDir, long trades, long orders, long engineSeq) throws SQLException {
        Path db = dataDir.resolve("history").resolve("history.db");
        assertTrue(Files.isRegularFile(db), () -> "no history database at " + db);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:file:" + db.toAbsolutePath() + "?mode=ro");
             Statement s = c.createStatement()) {
            long tradeRows = count(s, "SELECT count(*) FROM trades");
            long fillRows = count(s, "SELECT count(*) FROM fills");
            assertEquals(2 * tradeRows, fillRows, "fills = 2 x trades in " + db);
            assertEquals(trades, tradeRows, "the database's trades are the ones the accounts' fills name");
            assertEquals(0, count(s, "SELECT count(*) FROM (SELECT trade_id FROM trades GROUP BY trade_id"
                    + " HAVING count(*) > 1)"), "duplicate trade ids");
            assertEquals(0, count(s, "SELECT count(*) FROM (SELECT order_id FROM orders GROUP BY order_id"
                    + " HAVING count(*) > 1)"), "duplicate order ids");
            assertEquals(0, count(s, "SELECT count(*) FROM (SELECT trade_id, side FROM fills GROUP BY trade_id, side"
                    + " HAVING count(*) > 1)"), "a side of a trade filled twice");
            assertEquals(0, count(s, "SELECT count(*) FROM trades t WHERE (SELECT count(*) FROM fills f"
                    + " WHERE f.trade_id = t.trade_id) <> 2"), "trades without exactly two fills");
            assertEquals(orders, count(s, "SELECT count(*) FROM orders WHERE account_id IN (SELECT account_id FROM"
                    + " accounts)"), "order rows = orders the accounts list");
            long applied = count(s, "SELECT applied_seq FROM projection_state WHERE projection = 'history'");
            assertTrue(applied >= engineSeq, () -> "the database is at seq " + applied + ", the engine at " + engineSeq);
        }
    }

    private static long count(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertTrue(rs.next(), sql);
            return rs.getLong(1);
        }
    }

    private static void assertNoFailures(String what, Queue<String> failures) {
        if (!failures.isEmpty()) {
            List<String> first = new ArrayList<>(failures).subList(0, Math.min(25, failures.size()));
            fail(failures.size() + " discrepancies in " + what + "; the first:\n  " + String.join("\n  ", first));
        }
    }

    /** The history gauges of {@code /metrics}. */
    static final class HistoryGauges {
        private static final Pattern GAUGE = Pattern.compile("(?m)^(exchange_history_\\w+) (-?\\d+)");

        private HistoryGauges() {
        }

        static Map<String, Long> scrape(ExchangeClient api) {
            ExchangeClient.Response r = api.get("/metrics", null);
            assertEquals(200, r.status(), () -> "GET /metrics: " + r.status());
            Map<String, Long> gauges = new java.util.TreeMap<>();
            Matcher m = GAUGE.matcher(r.raw());
            while (m.find()) {
                gauges.put(m.group(1), Long.parseLong(m.group(2)));
            }
            return gauges;
        }

        /** Polls until the history database has applied {@code seq} with no lag; fails after {@code timeout}. */
        static Map<String, Long> awaitCaughtUp(ExchangeClient api, long seq, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                Map<String, Long> g = scrape(api);
                if (g.getOrDefault("exchange_history_applied_seq", 0L) >= seq
                        && g.getOrDefault("exchange_history_lag_events", 1L) == 0) {
                    return g;
                }
                assertEquals(0L, g.getOrDefault("exchange_history_failed", 0L), () -> "history writer failed: " + g);
                if (System.nanoTime() - deadline > 0) {
                    fail("the history database did not catch up with seq " + seq + " within " + timeout + ": " + g);
                }
                ChildExchange.sleep(Duration.ofMillis(50));
            }
        }
    }
}
