package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.ReconciliationReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The history database built from a real events queue (a seeded multi-session flow through a real
 * {@link Exchange} into {@code EventJournal}), in a real SQLite file, or in PostgreSQL when
 * {@code -Dexchange.history.test.jdbc-url} is set (see {@link TestDatabases}).
 */
@Timeout(120)
class HistoryServiceTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final long SEED = 20_241_001L;
    private static final int COMMANDS = 6_000;

    @TempDir
    Path dataDir;

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
    void shouldShowEveryOrderAndFillAsTheEngineDoesWhenBuiltFromAMultiSessionFlow() throws Exception {
        Flows.Run run = Flows.write(dataDir, SEED, COMMANDS);
        Exchange engine = run.exchange();
        assertTrue(run.reports().size() >= 5, "several sessions: " + run.reports().size());
        try (HistoryService history = built(TestDatabases.fresh(dataDir), run.lastEventSeq())) {
            HistoryReader reader = history.reader();
            OrderView expected = new OrderView();
            long orders = 0;
            for (long id = 1; engine.order(id, expected); id++) {
                Optional<OrderView> row = reader.order(expected.accountId, id);
                assertEquals(Optional.of(expected), row, "order " + id);
                assertEquals(Optional.empty(), reader.order(expected.accountId + 1, id), "another account's order");
                orders++;
            }
            assertTrue(orders > 2_000, "orders compared: " + orders);
            long fills = 0;
            for (long account = 1; account <= engine.ledger().accountCount(); account++) {
                List<Fill> engineFills = fillsFromEvents(run, account);
                assertEquals(engineFills, allFills(reader, account), "fills of account " + account);
                fills += engineFills.size();
            }
            assertTrue(fills > 1_000, "fills compared: " + fills);
            HistoryMetrics m = history.metrics();
            assertEquals(run.lastEventSeq(), m.appliedSeq());
            assertEquals(0, m.lagEvents());
            assertFalse(m.rebuilding());
            assertFalse(m.failed());
            assertTrue(m.batches() >= 1 && m.eventsApplied() > orders, m.toString());
        }
    }

    /**
     * The account's fills as the trade events tell them, newest first: the engine keeps no trades,
     * so this is the independent answer the database must give. The client order id and side come
     * from the order the engine still holds (the flow's window covers every order).
     */
    private static List<Fill> fillsFromEvents(Flows.Run run, long account) {
        List<Fill> out = new ArrayList<>();
        OrderView order = new OrderView();
        for (EngineEvent e : run.events()) {
            if (e.type != EventType.TRADE_EXECUTED || (e.accountId != account && e.counterAccountId != account)) {
                continue;
            }
            boolean maker = e.counterAccountId == account;
            long orderId = maker ? e.counterOrderId : e.orderId;
            assertTrue(run.exchange().order(orderId, order), "order " + orderId + " is held");
            out.add(new Fill(e.tradeId, orderId, order.clientOrderId, e.symbol, order.side, e.priceTicks, e.qty,
                    maker ? e.makerFee : e.takerFee, maker, e.timestampNanos, e.seq, e.venue));
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** Every fill of the account, newest first, paged through the trade-id cursor. */
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

    @Test
    void shouldEqualAOneShotBuildWhenResumedAfterCloseAndReopen() throws Exception {
        Flows.Run run = Flows.generate(SEED, COMMANDS);
        List<EngineEvent> events = run.events();
        HistoryOptions options = TestDatabases.fresh(dataDir).withMaxBatchEvents(37);
        // stop three times, twice in the middle of a command whose other events are not appended yet
        int[] cuts = {events.size() / 5, midCommand(events, events.size() / 2), midCommand(events, events.size() - 40)};
        int written = 0;
        for (int cut : cuts) {
            run.append(dataDir, written, cut);
            written = cut;
            boolean splitsCommand = events.get(cut).seq == events.get(cut - 1).seq;
            long complete = splitsCommand ? events.get(cut).seq - 1 : events.get(cut - 1).seq;
            try (HistoryService history = HistoryService.open(options, () -> complete).start()) {
                assertTrue(history.awaitSeq(complete, WAIT), history.metrics().toString());
                Thread.sleep(30);
                assertEquals(complete, history.appliedSeq(), "the split command is held back");
            }
        }
        run.append(dataDir, written, events.size());
        String resumed;
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertFalse(history.metrics().rebuilding());
            resumed = history.contentHash();
        }
        try (HistoryService history = built(TestDatabases.fresh(dataDir, "one-shot.db"), run.lastEventSeq())) {
            assertEquals(history.contentHash(), resumed, "resumed three times: no row missing or doubled");
        }
        assertEquals(expectedIndexes(), indexes(options), "every index is back after a rebuild that was interrupted");
    }

    private static Set<String> expectedIndexes() {
        Set<String> names = new TreeSet<>();
        Schema.ACCOUNT_INDEXES.forEach(i -> names.add(i[0]));
        return names;
    }

    /** The secondary indexes the database has (of those the schema names). */
    private static Set<String> indexes(HistoryOptions options) throws Exception {
        Set<String> names = new TreeSet<>();
        HistoryDatabase db = HistoryDatabase.open(options);
        try (Connection c = db.connectReader()) {
            for (String table : List.of("orders", "fills", "transfers")) {
                try (var rs = c.getMetaData().getIndexInfo(c.getCatalog(), c.getSchema(), table, false, false)) {
                    while (rs.next()) {
                        String name = rs.getString("INDEX_NAME");
                        if (name != null && expectedIndexes().contains(name.toLowerCase(Locale.ROOT))) {
                            names.add(name.toLowerCase(Locale.ROOT));
                        }
                    }
                }
            }
        }
        return names;
    }

    @Test
    void shouldStartARebuildOverWhenItStoppedBeforeCatchingUp() throws Exception {
        Flows.Run run = Flows.generate(SEED, 3_000);
        List<EngineEvent> events = run.events();
        int cut = midCommand(events, events.size() / 2);
        run.append(dataDir, 0, cut);
        HistoryOptions options = TestDatabases.fresh(dataDir).withMaxBatchEvents(100);
        long complete = events.get(cut).seq - 1;
        try (HistoryService history = HistoryService.open(options, () -> complete).start()) {
            assertTrue(history.awaitSeq(complete, WAIT));
            assertTrue(history.metrics().rebuilding(), "the split command keeps it from catching up");
        }
        String url = options.jdbcUrl() == null ? "jdbc:sqlite:" + options.sqliteFile() : options.jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
             Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT applied_seq, rebuilding FROM projection_state")) {
            assertTrue(rs.next());
            assertEquals(complete, rs.getLong(1));
            assertEquals(1, rs.getInt(2), "marked incomplete: live orders are written when it catches up");
        }
        run.append(dataDir, cut, events.size());
        String restarted;
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertFalse(history.metrics().rebuilding());
            assertEquals(run.lastEventSeq(), history.appliedSeq());
            restarted = history.contentHash();
        }
        try (HistoryService history = built(TestDatabases.fresh(dataDir, "one-shot.db"), run.lastEventSeq())) {
            assertEquals(history.contentHash(), restarted);
        }
    }

    /** The index of the second event of the first command at or after {@code from} with several events. */
    private static int midCommand(List<EngineEvent> events, int from) {
        for (int i = from + 1; i < events.size(); i++) {
            if (events.get(i).seq == events.get(i - 1).seq) {
                return i;
            }
        }
        throw new AssertionError("no command with several events after " + from);
    }

    @Test
    void shouldRebuildAnEqualDatabaseWhenTheFileIsDeleted() throws Exception {
        assumeFalse(TestDatabases.postgres(), "a SQLite file");
        Flows.Run run = Flows.write(dataDir, SEED, COMMANDS);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        String live;
        try (HistoryService history = built(options, run.lastEventSeq())) {
            live = history.contentHash();
        }
        Path file = options.sqliteFile();
        Files.delete(file);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-wal"));
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-shm"));
        try (HistoryService history = HistoryService.open(options, () -> Long.MAX_VALUE)) {
            assertTrue(history.metrics().rebuilding());
            history.start();
            assertTrue(history.awaitSeq(run.lastEventSeq(), WAIT));
            assertFalse(history.metrics().rebuilding());
            assertEquals(live, history.contentHash());
        }
        assertEquals(expectedIndexes(), indexes(options), "indexes created once the rebuild caught up");
    }

    @Test
    void shouldMoveTheFileAsideAndRebuildItEqualWhenGarbageIsWrittenOverIt() throws Exception {
        assumeFalse(TestDatabases.postgres(), "a SQLite file");
        Flows.Run run = Flows.write(dataDir, SEED, 2_000);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        String live;
        try (HistoryService history = built(options, run.lastEventSeq())) {
            live = history.contentHash();
        }
        Path file = options.sqliteFile();
        byte[] garbage = new byte[(int) Math.min(Files.size(file), 1 << 16)];
        for (int i = 0; i < garbage.length; i++) {
            garbage[i] = (byte) (i * 31 + 7);
        }
        Files.write(file, garbage);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertEquals(live, history.contentHash());
        }
        Path aside = file.resolveSibling("history.db.corrupt-1");
        assertTrue(Files.exists(aside), "moved aside as " + aside);
        assertEquals(garbage.length, Files.size(aside));
    }

    @Test
    void shouldLeaveACleanCloseMarkerThatTheNextOpenConsumesWhenClosedCleanly() throws Exception {
        assumeFalse(TestDatabases.postgres(), "a SQLite file");
        Flows.Run run = Flows.write(dataDir, SEED, 300);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        Path marker = options.sqliteFile().resolveSibling("history.db.clean");
        HistoryService first = built(options, run.lastEventSeq());
        assertFalse(Files.exists(marker), "no marker while open");
        first.close();
        assertTrue(Files.exists(marker), "a clean close skips the next full integrity check");
        try (HistoryService again = built(options, run.lastEventSeq())) {
            assertFalse(Files.exists(marker), "consumed at open: a crash from here on leaves none");
            assertEquals(run.lastEventSeq(), again.appliedSeq());
        }
    }

    @Test
    void shouldMoveTheFileAsideAndRebuildWhenItsVersionTableIsUnreadable() throws Exception {
        assumeFalse(TestDatabases.postgres(), "a SQLite file");
        Flows.Run run = Flows.write(dataDir, SEED, 500);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertEquals(run.lastEventSeq(), history.appliedSeq());
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + options.sqliteFile());
             Statement s = c.createStatement()) {
            s.execute("DELETE FROM schema_version");
        }
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertTrue(Files.exists(options.sqliteFile().resolveSibling("history.db.corrupt-1")));
            assertEquals(run.lastEventSeq(), history.appliedSeq(), "rebuilt");
        }
    }

    @Test
    void shouldRefuseNamingFileAndVersionsWhenTheSchemaIsNewer() throws Exception {
        Flows.Run run = Flows.write(dataDir, SEED, 200);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertEquals(run.lastEventSeq(), history.appliedSeq());
        }
        String url = options.jdbcUrl() == null ? "jdbc:sqlite:" + options.sqliteFile() : options.jdbcUrl();
        try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
             Statement s = c.createStatement()) {
            s.execute("UPDATE schema_version SET version = 99");
        }
        int latest = Schema.latestVersion(Schema.MIGRATIONS);
        HistoryStoreException e = assertThrows(HistoryStoreException.class,
                () -> HistoryService.open(options, () -> Long.MAX_VALUE));
        String where = options.jdbcUrl() == null ? options.sqliteFile().toString() : options.jdbcUrl();
        assertTrue(e.getMessage().contains(where) && e.getMessage().contains("schema version 99")
                && e.getMessage().contains("newer than the " + latest + " this build knows"), e.getMessage());
        if (options.jdbcUrl() == null) {
            assertFalse(Files.exists(options.sqliteFile().resolveSibling("history.db.corrupt-1")), "not moved aside");
        }
    }

    @Test
    void shouldMigrateAndKeepTheRowsWhenTheSchemaIsOlder() throws Exception {
        HistoryOptions options = TestDatabases.fresh(dataDir);
        List<Schema.Migration> older = Schema.MIGRATIONS;
        List<Schema.Migration> newer = new ArrayList<>(older);
        int next = Schema.latestVersion(older) + 1;
        newer.add(new Schema.Migration(next, "a test column",
                List.of("ALTER TABLE accounts ADD COLUMN note TEXT")));
        HistoryDatabase.open(options, older);
        Flows.Run run = Flows.write(dataDir, SEED, 100);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertEquals(run.lastEventSeq(), history.appliedSeq());
        }
        HistoryDatabase migrated = HistoryDatabase.open(options, newer);
        assertFalse(migrated.created());
        try (Connection c = migrated.connectReader(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(next, rs.getInt(1));
        }
        try (Connection c = migrated.connectReader(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT COUNT(*), COUNT(note) FROM accounts")) {
            assertTrue(rs.next());
            assertTrue(rs.getLong(1) > 0);
            assertEquals(0, rs.getLong(2));
        }
    }

    @Test
    void shouldPassTheBatchCheckOfEverySessionAndFailLoudlyWhenAFillIsTampered() throws Exception {
        Flows.Run run = Flows.write(dataDir, SEED, COMMANDS);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            for (ReconciliationReport r : run.reports()) {
                history.submitReport(r);
            }
            for (ReconciliationReport r : run.reports()) {
                BatchCheckResult result = awaitCheck(history, r.sessionDate());
                assertTrue(result.passed(), result.detail());
            }
            assertEquals(0, history.metrics().batchCheckFailures());
            ReconciliationReport busiest = run.reports().stream()
                    .max((a, b) -> Long.compare(a.seq() - a.firstSeq(), b.seq() - b.firstSeq())).orElseThrow();
            long account;
            String url = options.jdbcUrl() == null ? "jdbc:sqlite:" + options.sqliteFile() : options.jdbcUrl();
            try (Connection c = DriverManager.getConnection(url, options.user(), options.password());
                 Statement s = c.createStatement()) {
                var rs = s.executeQuery("SELECT account_id, trade_id FROM fills WHERE seq BETWEEN " + busiest.firstSeq()
                        + " AND " + busiest.seq() + " ORDER BY trade_id, account_id LIMIT 1");
                assertTrue(rs.next(), "the busiest session has fills");
                account = rs.getLong(1);
                long trade = rs.getLong(2);
                rs.close();
                assertEquals(1, s.executeUpdate("UPDATE fills SET fee = fee + 1 WHERE account_id = " + account
                        + " AND trade_id = " + trade));
            }
            history.submitReport(busiest);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (history.metrics().batchCheckFailures() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            BatchCheckResult failed = awaitCheck(history, busiest.sessionDate());
            assertFalse(failed.passed());
            assertTrue(failed.detail().startsWith("account " + account + " fees: report "), failed.detail());
            assertEquals(1, history.metrics().batchCheckFailures());
        }
    }

    /** The stored check of a session, once the writer has run it (it runs after the report is stored). */
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
    void shouldStoreNoApiKeyNorItsHashWhenAccountsAreCreated() throws Exception {
        Flows.Run run = Flows.write(dataDir, SEED, 50);
        HistoryOptions options = TestDatabases.fresh(dataDir);
        try (HistoryService history = built(options, run.lastEventSeq())) {
            assertNull(history.failure());
        }
        HistoryDatabase db = HistoryDatabase.open(options);
        try (Connection c = db.connectReader()) {
            for (String table : Schema.tables(c)) {
                try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT * FROM " + table)) {
                    int columns = rs.getMetaData().getColumnCount();
                    for (int i = 1; i <= columns; i++) {
                        assertFalse(rs.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT).contains("key"), table);
                    }
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            Object v = rs.getObject(i);
                            assertFalse(v instanceof String str && str.startsWith("hash-"), table + ": " + v);
                        }
                    }
                }
            }
        }
    }
}
