package exchange.readside.history;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.ReconciliationReport;
import exchange.engine.ResultCode;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;

import java.lang.management.ManagementFactory;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Drives a real {@link Exchange} (default idempotency window) through whole sessions of a
 * {@link SessionFlow}, appending every event to a real events queue under {@code dataDir} while a
 * {@link HistoryService} tails it into a real database, as the process wires them. After every
 * session close it checks the read side against the engine and the events ({@link #afterClose}) and
 * records the heap. One thread drives; the history writer runs on its own.
 */
final class HistorySimulation implements AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(600);
    /** Orders per close looked up through the public reader, on top of the full table scan. */
    private static final int READER_SAMPLE = 200;

    /** One session's figures, printed as the run goes. */
    record SessionFigures(int session, long ordersNumbered, long heldOrders, long openOrders, long heapUsedBytes,
                          long engineMillis, long checkMillis) {
        @Override
        public String toString() {
            return String.format("session %2d: orders %,d, held %,d, open %,d, heap after full GC %,d KiB;"
                            + " engine+queue %,d ms, checks %,d ms", session, ordersNumbered, heldOrders, openOrders,
                    heapUsedBytes / 1024, engineMillis, checkMillis);
        }
    }

    private final Path dataDir;
    private final Path workDir;
    private final SessionFlow flow;
    private final Exchange exchange;
    private final int window;
    private final ExpectedOrders expected;
    private final EventJournal journal;
    private final AtomicLong completeThroughSeq = new AtomicLong();
    private final HistoryOptions options;
    private final HistoryService history;
    private final List<ReconciliationReport> reports = new ArrayList<>();
    /** "account clientOrderId" of each client order id reused after its order left, to its newest order id. */
    private final Map<String, Long> reusedClientIds = new HashMap<>();
    private final List<SessionFigures> figures = new ArrayList<>();
    private final Random sample;
    private final EventSink sink;
    private final OrderView engineView = new OrderView();

    HistorySimulation(Path workDir, long seed, int accounts) {
        this.workDir = workDir;
        this.dataDir = workDir.resolve("data");
        this.flow = new SessionFlow(seed, accounts);
        this.sample = new Random(seed ^ 0x5DEECE66DL);
        ExchangeConfig config = SessionFlow.config(accounts);
        assertEquals(ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS, config.idempotencySessions(), "the default window");
        this.window = config.idempotencySessions();
        this.exchange = new Exchange(config);
        this.expected = new ExpectedOrders(accounts);
        this.journal = EventJournal.open(dataDir, JournalOptions.defaults());
        this.sink = e -> {
            journal.onEvent(e);
            expected.onEvent(e);
            flow.onEvent(e);
        };
        this.options = TestDatabases.fresh(dataDir);
        this.history = HistoryService.open(options, completeThroughSeq::get).start();
    }

    List<SessionFigures> figures() {
        return figures;
    }

    ExpectedOrders expected() {
        return expected;
    }

    SessionFlow flow() {
        return flow;
    }

    /** Runs the set-up, then {@code sessions} sessions of {@code ordersPerSession} orders each, checking after every close. */
    void run(int sessions, int ordersPerSession) throws Exception {
        for (Command c : flow.setup()) {
            apply(c);
        }
        for (int s = 1; s <= sessions; s++) {
            long t0 = System.nanoTime();
            apply(flow.open());
            assertTrue(exchange.isSessionOpen(), "session " + s + " opened");
            while (flow.placedThisSession() < ordersPerSession) {
                Command c = flow.next();
                boolean reuse = flow.lastWasReuse();
                apply(c);
                if (c.type == CommandType.PLACE_ORDER && c.order.seq == c.seq) {
                    String key = c.accountId + " " + c.clientOrderId;
                    if (reuse || reusedClientIds.containsKey(key)) {
                        reusedClientIds.put(key, c.order.orderId);
                    }
                }
            }
            Command close = flow.close();
            apply(close);
            assertTrue(close.queryResult instanceof ReconciliationReport, "the close hands back its report");
            // between sessions: cancels (accepted while closed), orders (rejected MARKET_CLOSED), transfers
            for (int i = 0; i < 20; i++) {
                apply(flow.betweenSessions());
            }
            long t1 = System.nanoTime();
            afterClose(s, (ReconciliationReport) close.queryResult);
            long t2 = System.nanoTime();
            SessionFigures f = new SessionFigures(s, expected.maxOrderId(), exchange.heldOrderCount(),
                    exchange.openOrderCount(), heapUsedAfterFullGc(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
            figures.add(f);
            System.out.println("[simulation] " + f);
        }
    }

    private void apply(Command c) {
        exchange.apply(c, sink);
        completeThroughSeq.set(exchange.lastSeq());
        flow.observe(c);
        if (c.type == CommandType.PLACE_ORDER && c.order.orderId == 0 && c.result != ResultCode.CONFLICT) {
            // refused before it was numbered, with no event: the flow sends only well-formed orders
            fail("an order the flow sends is numbered or a known one: " + c.result + " for " + c.clientOrderId);
        }
    }

    /**
     * Everything the read side owes after a close: the report stored and its batch check passed,
     * every order and fill as the engine and the events say, and a rebuild from the queue equal.
     * The report covers the session's commands through its close; the few commands sent while
     * closed since then are also in the queue and checked with the rest.
     */
    private void afterClose(int session, ReconciliationReport report) throws Exception {
        assertTrue(report.passed(), "the engine's own checks of session " + session + ": " + report.checks());
        reports.add(report);
        history.submitReport(report);
        long through = exchange.lastSeq();
        awaitSeq(history, through);
        BatchCheckResult check = awaitCheck(history, report.sessionDate());
        assertTrue(check.passed(), "batch check of session " + session + ": " + check.detail());
        assertEquals(0, history.metrics().batchCheckFailures(), history.metrics().toString());

        assertEquals(session, exchange.closeCount(), "closes counted");
        assertEquals(session, expected.closeCount(), "closes seen in the events");
        checkOrders(session);
        checkOrdersThroughTheReader(session);
        checkFills(session);
        checkRebuild(session, through);
    }

    /**
     * Every order ever numbered, in one pass over the table: no order missing, none extra; account,
     * status, filled quantity and window close counts as the events say; the engine holds exactly the
     * orders the window rule keeps, and each of those reads field for field as the engine shows it.
     */
    private void checkOrders(int session) throws SQLException {
        long nextId = 1;
        long held = 0;
        long live = 0;
        try (Connection c = connect(options); Statement s = c.createStatement()) {
            s.setFetchSize(10_000);
            try (ResultSet rs = s.executeQuery("SELECT " + OrderRow.COLUMNS + " FROM orders ORDER BY order_id")) {
                while (rs.next()) {
                    OrderRow row = OrderRow.readRow(rs);
                    OrderView v = row.view;
                    long id = nextId++;
                    if (v.orderId != id) {
                        fail("session " + session + ": the orders table has order " + v.orderId + " where " + id
                                + " belongs (" + expected.maxOrderId() + " orders numbered)");
                    }
                    if (v.accountId != expected.accountId(id) || v.status != expected.status(id)
                            || v.filledQty != expected.filledQty(id)
                            || row.createdCloseCount != expected.createdCloseCount(id)
                            || row.endedCloseCount != expected.endedCloseCount(id)) {
                        fail("session " + session + ": order " + id + " in the database " + v + " closes "
                                + row.createdCloseCount + ".." + row.endedCloseCount + "; the events say account "
                                + expected.accountId(id) + " " + expected.status(id) + " filled "
                                + expected.filledQty(id) + " closes " + expected.createdCloseCount(id) + ".."
                                + expected.endedCloseCount(id));
                    }
                    boolean engineHolds = exchange.order(id, engineView);
                    if (engineHolds != expected.held(id, window)) {
                        fail("session " + session + ": the engine " + (engineHolds ? "still holds" : "dropped")
                                + " order " + id + " (closes " + expected.createdCloseCount(id) + ".."
                                + expected.endedCloseCount(id) + ", close count " + exchange.closeCount()
                                + ", window start " + exchange.windowStartCloseCount() + ")");
                    }
                    if (engineHolds) {
                        held++;
                        if (!engineView.equals(v)) {
                            fail("session " + session + ": order " + id + "\n  engine   " + engineView
                                    + "\n  database " + v);
                        }
                    }
                    if (row.isLive()) {
                        live++;
                    }
                }
            }
        }
        assertEquals(expected.maxOrderId(), nextId - 1, "session " + session + ": rows in the orders table");
        assertEquals(held, exchange.heldOrderCount(), "session " + session + ": orders the engine holds");
        assertEquals(live, exchange.openOrderCount(), "session " + session + ": open orders");
        assertTrue(session <= window || held < expected.maxOrderId(),
                "session " + session + ": past the window some orders have left the engine");
    }

    /** A seeded sample through the reader the gateway uses, and every reused client order id's newest order. */
    private void checkOrdersThroughTheReader(int session) {
        HistoryReader reader = history.reader();
        for (int i = 0; i < READER_SAMPLE; i++) {
            long id = 1 + (long) (sample.nextDouble() * expected.maxOrderId());
            long account = expected.accountId(id);
            Optional<OrderView> row = reader.order(account, id);
            assertTrue(row.isPresent(), "session " + session + ": reader finds order " + id);
            assertEquals(expected.status(id), row.get().status, "session " + session + ": order " + id);
            assertEquals(expected.filledQty(id), row.get().filledQty, "session " + session + ": order " + id);
            if (exchange.order(id, engineView)) {
                assertEquals(engineView, row.get(), "session " + session + ": order " + id + " as the engine shows it");
            }
            long other = account % flow.accounts() + 1;
            assertEquals(Optional.empty(), reader.order(other, id), "order " + id + " is not account " + other + "'s");
        }
        for (Map.Entry<String, Long> e : reusedClientIds.entrySet()) {
            String[] key = e.getKey().split(" ");
            Optional<OrderView> newest = reader.newestOrderByClientId(Long.parseLong(key[0]), key[1]);
            assertTrue(newest.isPresent(), "client order id " + e.getKey());
            assertEquals(e.getValue().longValue(), newest.get().orderId,
                    "session " + session + ": the newest order of reused client order id " + e.getKey());
        }
    }

    /**
     * Each account's fills: as many, and as many shares, as the trades it took part in; every trade
     * once; and one account's fills paged through the reader, newest first, each its own order's.
     */
    private void checkFills(int session) throws SQLException {
        long[] counts = new long[flow.accounts() + 1];
        long[] qty = new long[flow.accounts() + 1];
        long trades;
        try (Connection c = connect(options); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT account_id, COUNT(*), SUM(qty) FROM fills GROUP BY account_id")) {
                while (rs.next()) {
                    counts[(int) rs.getLong(1)] = rs.getLong(2);
                    qty[(int) rs.getLong(1)] = rs.getLong(3);
                }
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM trades")) {
                assertTrue(rs.next());
                trades = rs.getLong(1);
            }
        }
        assertEquals(expected.trades(), trades, "session " + session + ": trades");
        assertTrue(trades > 0, "the flow trades");
        for (int a = 1; a <= flow.accounts(); a++) {
            assertEquals(expected.fills(a), counts[a], "session " + session + ": fills of account " + a);
            assertEquals(expected.filledQtyOfAccount(a), qty[a], "session " + session + ": shares filled, account " + a);
        }
        long account = (session - 1) % flow.accounts() + 1;
        long paged = 0;
        long before = 0;
        while (true) {
            List<Fill> page = history.reader().fills(account, null, 0, 0, before, HistoryReader.MAX_LIMIT);
            for (Fill f : page) {
                assertEquals(account, expected.accountId(f.orderId()), "fill of trade " + f.tradeId() + " is the account's");
                assertTrue(before == 0 || f.tradeId() < before, "newest first");
                before = f.tradeId();
            }
            paged += page.size();
            if (page.size() < HistoryReader.MAX_LIMIT) {
                break;
            }
        }
        assertEquals(expected.fills(account), paged, "session " + session + ": fills of account " + account + " paged");
    }

    /** A second database built from scratch from the same events queue, with the same reports: the same content. */
    private void checkRebuild(int session, long through) throws Exception {
        HistoryOptions rebuilt;
        if (TestDatabases.postgres()) {
            rebuilt = TestDatabases.fresh(dataDir, "rebuild");
        } else {
            Path dir = Files.createDirectories(workDir.resolve("rebuild-" + session));
            rebuilt = options.withJdbc("jdbc:sqlite:" + dir.resolve(HistoryOptions.SQLITE_FILE), null, null);
        }
        String live = history.contentHash();
        try (HistoryService rebuild = HistoryService.open(rebuilt, completeThroughSeq::get)) {
            assertTrue(rebuild.metrics().rebuilding(), "an empty database rebuilds");
            rebuild.start();
            for (ReconciliationReport r : reports) {
                rebuild.submitReport(r);
            }
            awaitSeq(rebuild, through);
            for (ReconciliationReport r : reports) {
                assertTrue(awaitCheck(rebuild, r.sessionDate()).passed(), "rebuilt batch check " + r.sessionDate());
            }
            assertEquals(live, rebuild.contentHash(), "session " + session + ": rebuilt from the queue, same content");
        }
        if (!TestDatabases.postgres()) {
            deleteTree(workDir.resolve("rebuild-" + session));
        }
    }

    private static void awaitSeq(HistoryService service, long seq) throws InterruptedException {
        if (!service.awaitSeq(seq, WAIT)) {
            throw new AssertionError("history did not reach seq " + seq + ": " + service.metrics(), service.failure());
        }
    }

    private static BatchCheckResult awaitCheck(HistoryService service, long sessionDate) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<BatchCheckResult> r = service.batchCheck(sessionDate);
            if (r.isPresent()) {
                return r.get();
            }
            if (service.failure() != null) {
                throw new AssertionError("history writer stopped", service.failure());
            }
            Thread.sleep(2);
        }
        throw new AssertionError("no batch check for session " + sessionDate + ": " + service.metrics());
    }

    private static Connection connect(HistoryOptions o) throws SQLException {
        String url = o.jdbcUrl() == null ? "jdbc:sqlite:" + o.sqliteFile() : o.jdbcUrl();
        Connection c = DriverManager.getConnection(url, o.user(), o.password());
        c.setAutoCommit(false);
        return c;
    }

    /** Heap in use after a few full collections: the engine's live state, the writer's live orders, little else. */
    static long heapUsedAfterFullGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(20);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public void close() {
        try {
            history.close();
        } finally {
            journal.close();
        }
    }
}
