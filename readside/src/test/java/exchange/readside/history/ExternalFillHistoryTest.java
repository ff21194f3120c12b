package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.ReconciliationReport;
import exchange.engine.SeededFlow;
import exchange.engine.SymbolConfig;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import exchange.readside.ExternalFills;
import exchange.readside.marketdata.PublicTrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history database on fills against the outside market (issue 19): a seeded engine flow in
 * which some trades are rewritten into the engine's shape for them ({@link ExternalFills}: the
 * liquidity provider is the taker, without an order, and the trade names its venue), written to a
 * real events queue, in a real SQLite file (or PostgreSQL, see {@link TestDatabases}).
 */
@Timeout(120)
class ExternalFillHistoryTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SEED = 20_241_019L;
    private static final int COMMANDS = 5_000;

    @TempDir
    Path dataDir;

    /** The engine's flow, its reports, and its events with every third eligible trade from {@code fromEvent} on rewritten. */
    private record Flow(Exchange engine, List<ReconciliationReport> reports, List<EngineEvent> events, int externalFills,
                        int cut) {
        long lastSeq() {
            return events.get(events.size() - 1).seq;
        }
    }

    private static Flow flow(double rewriteFrom) {
        Flows.Run run = Flows.generate(SEED, COMMANDS);
        List<EngineEvent> original = run.events();
        int cut = (int) (original.size() * rewriteFrom);
        while (cut > 0 && cut < original.size() && original.get(cut).seq == original.get(cut - 1).seq) {
            cut++;
        }
        ExternalFills.Rewritten tail = ExternalFills.rewrite(original.subList(cut, original.size()), 3, "venue1", "venue2");
        List<EngineEvent> events = new ArrayList<>(original.subList(0, cut));
        events.addAll(tail.events());
        assertTrue(tail.externalFills() > 20, "seed " + SEED + ": " + tail.externalFills() + " external fills");
        return new Flow(run.exchange(), run.reports(), List.copyOf(events), tail.externalFills(), cut);
    }

    private static void append(Path dataDir, List<EngineEvent> events) {
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            events.forEach(journal::onEvent);
        }
    }

    private static HistoryService built(HistoryOptions options, long throughSeq) throws InterruptedException {
        HistoryService history = HistoryService.open(options, () -> Long.MAX_VALUE).start();
        if (!history.awaitSeq(throughSeq, WAIT)) {
            history.close();
            throw new AssertionError("history did not reach seq " + throughSeq + ": " + history.metrics(),
                    history.failure());
        }
        return history;
    }

    @Test
    void shouldKeepTheProvidersFillWithoutAnOrderAndTheCustomersOrderAsTheEngineShowsIt() throws Exception {
        Flow f = flow(0);
        append(dataDir, f.events());
        try (HistoryService history = built(TestDatabases.fresh(dataDir), f.lastSeq())) {
            HistoryReader reader = history.reader();
            Set<Long> dropped = new HashSet<>();
            Set<Long> accounts = new HashSet<>();
            int external = 0;
            for (EngineEvent e : f.events()) {
                if (e.type == EventType.TRADE_EXECUTED && e.venue != null) {
                    external++;
                    accounts.add(e.accountId);
                }
            }
            assertEquals(f.externalFills(), external);
            // the rewritten trades' taker orders never existed; every other order is as the engine shows it
            Set<Long> accepted = new HashSet<>();
            f.events().stream().filter(e -> e.type == EventType.ORDER_ACCEPTED || e.type == EventType.ORDER_REJECTED)
                    .forEach(e -> accepted.add(e.orderId));
            OrderView expected = new OrderView();
            long compared = 0;
            for (long id = 1; f.engine().order(id, expected); id++) {
                if (!accepted.contains(id)) {
                    dropped.add(id);
                    assertEquals(Optional.empty(), reader.order(expected.accountId, id), "order " + id);
                    continue;
                }
                assertEquals(Optional.of(expected), reader.order(expected.accountId, id), "order " + id);
                compared++;
            }
            assertEquals(f.externalFills(), dropped.size());
            assertTrue(compared > 1_000, "orders compared: " + compared);

            long providerFills = 0;
            for (long account = 1; account <= f.engine().ledger().accountCount(); account++) {
                List<Fill> want = fillsFromEvents(f, account);
                assertEquals(want, allFills(reader, account), "fills of account " + account);
                providerFills += want.stream().filter(x -> x.orderId() == 0).count();
            }
            assertEquals(f.externalFills(), providerFills, "one provider fill per external trade");
            assertFalse(accounts.isEmpty());

            // the tape, as the Binance routes read it from the database, names the venue
            List<PublicTrade> trades = new ArrayList<>();
            for (SymbolConfig symbol : SeededFlow.config().symbols()) {
                trades.addAll(allTrades(reader, symbol.symbol()));
            }
            long tradeEvents = f.events().stream().filter(e -> e.type == EventType.TRADE_EXECUTED).count();
            assertEquals(tradeEvents, trades.size(), "every trade of the flow's symbols");
            assertEquals(f.externalFills(), trades.stream().filter(t -> t.venue() != null).count());
            for (PublicTrade t : trades) {
                assertTrue(t.venue() == null || t.venue().startsWith("venue"), t.toString());
                if (t.venue() != null) {
                    assertEquals(0, t.buyerIsMaker() ? t.sellerOrderId() : t.buyerOrderId(), "the taker has no order");
                }
            }
        }
    }

    @Test
    void shouldPassTheBatchCheckOfEverySessionWithTheProvidersFills() throws Exception {
        Flow f = flow(0);
        append(dataDir, f.events());
        try (HistoryService history = built(TestDatabases.fresh(dataDir), f.lastSeq())) {
            for (ReconciliationReport r : f.reports()) {
                history.submitReport(r);
            }
            for (ReconciliationReport r : f.reports()) {
                BatchCheckResult result = awaitCheck(history, r.sessionDate());
                assertTrue(result.passed(), result.detail());
            }
            assertTrue(f.reports().size() >= 3, "sessions: " + f.reports().size());
        }
    }

    /**
     * A version-2 file (written before venues were kept, from a flow without fills against the
     * outside market) is migrated at open, the writer resumes on it through a tail with such fills,
     * and the result hashes equal to a database built from the whole queue in one go. The version-2
     * file is made by building the head with this code and taking migration 3 back out (its columns
     * dropped, its version set back): what version 2's writer wrote for a head without venues.
     */
    @Test
    void shouldMigrateAVersionTwoFileResumeWithVenuesAndHashEqualToARebuild() throws Exception {
        Flow f = flow(0.5);
        List<EngineEvent> head = f.events().subList(0, f.cut());
        assertTrue(head.stream().noneMatch(e -> e.venue != null), "the head has no venue");
        HistoryOptions options = TestDatabases.fresh(dataDir).withMaxBatchEvents(41);
        append(dataDir, head);
        try (HistoryService history = built(options, head.get(head.size() - 1).seq)) {
            assertFalse(history.metrics().rebuilding());
        }
        String url = options.jdbcUrl() == null ? "jdbc:sqlite:" + options.sqliteFile() : options.jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
             Statement s = c.createStatement()) {
            s.execute("ALTER TABLE trades DROP COLUMN venue");
            s.execute("ALTER TABLE fills DROP COLUMN venue");
            s.execute("UPDATE schema_version SET version = 2");
        }
        assertEquals(2, version(url, options));

        append(dataDir, f.events().subList(f.cut(), f.events().size()));
        String resumed;
        try (HistoryService history = built(options, f.lastSeq())) {
            assertEquals(Schema.latestVersion(Schema.MIGRATIONS), version(url, options));
            resumed = history.contentHash();
            try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
                 Statement s = c.createStatement();
                 var rs = s.executeQuery("SELECT COUNT(*), COUNT(venue), SUM(CASE WHEN taker_order_id = 0 THEN 1"
                         + " ELSE 0 END) FROM trades")) {
                assertTrue(rs.next());
                assertEquals(f.events().stream().filter(e -> e.type == EventType.TRADE_EXECUTED).count(), rs.getLong(1));
                assertEquals(f.externalFills(), rs.getLong(2), "venues of the tail's fills against the outside market");
                assertEquals(f.externalFills(), rs.getLong(3));
            }
        }
        try (HistoryService history = built(TestDatabases.fresh(dataDir, "one-shot.db"), f.lastSeq())) {
            assertEquals(history.contentHash(), resumed, "migrated and resumed = rebuilt from the queue");
        }
    }

    private static int version(String url, HistoryOptions options) throws Exception {
        try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
             Statement s = c.createStatement(); var rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            return rs.getInt(1);
        }
    }

    /**
     * The account's fills as the trade events tell them, newest first: the provider's side of a
     * fill against the outside market has order 0 and no client order id; every other side has its
     * order, which the engine still holds.
     */
    private static List<Fill> fillsFromEvents(Flow f, long account) {
        List<Fill> out = new ArrayList<>();
        OrderView order = new OrderView();
        for (EngineEvent e : f.events()) {
            if (e.type != EventType.TRADE_EXECUTED || (e.accountId != account && e.counterAccountId != account)) {
                continue;
            }
            boolean maker = e.counterAccountId == account;
            long orderId = maker ? e.counterOrderId : e.orderId;
            String clientOrderId = null;
            if (orderId != 0) {
                assertTrue(f.engine().order(orderId, order), "order " + orderId + " is held");
                clientOrderId = order.clientOrderId;
            }
            out.add(new Fill(e.tradeId, orderId, clientOrderId, e.symbol, maker ? e.side.opposite() : e.side,
                    e.priceTicks, e.qty, maker ? e.makerFee : e.takerFee, maker, e.timestampNanos, e.seq, e.venue));
        }
        Collections.reverse(out);
        return out;
    }

    private static List<Fill> allFills(HistoryReader reader, long account) {
        List<Fill> out = new ArrayList<>();
        long before = 0;
        while (true) {
            List<Fill> page = reader.fills(account, null, 0, 0, before, 97);
            out.addAll(page);
            if (page.size() < 97) {
                return out;
            }
            before = page.get(page.size() - 1).tradeId();
        }
    }

    private static List<PublicTrade> allTrades(HistoryReader reader, String symbol) {
        List<PublicTrade> out = new ArrayList<>();
        long from = 1;
        while (true) {
            List<PublicTrade> page = reader.trades(symbol, from, 0, Long.MIN_VALUE, Long.MAX_VALUE, 500);
            out.addAll(page);
            if (page.size() < 500) {
                return out;
            }
            from = page.get(page.size() - 1).tradeId() + 1;
        }
    }

    private static BatchCheckResult awaitCheck(HistoryService history, long sessionDate) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<BatchCheckResult> r = history.batchCheck(sessionDate);
            if (r.isPresent()) {
                return r.get();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no batch check for session " + sessionDate + ": " + history.metrics());
    }

    @Test
    void shouldNotStoreReferenceQuotes() throws Exception {
        Flow f = flow(0);
        assertTrue(f.events().stream().anyMatch(e -> e.type == EventType.REFERENCE_QUOTED));
        append(dataDir, f.events());
        try (HistoryService history = built(TestDatabases.fresh(dataDir), f.lastSeq())) {
            assertNull(history.failure(), "the writer goes past REFERENCE_QUOTED events");
            assertEquals(f.lastSeq(), history.appliedSeq());
        }
    }
}
