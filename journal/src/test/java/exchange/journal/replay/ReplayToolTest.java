package exchange.journal.replay;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.OrderView;
import exchange.engine.StateSummary;
import exchange.engine.report.ReportFormat;
import exchange.journal.ChronicleJournal;
import exchange.journal.JournalOptions;
import exchange.journal.JsonLines;
import exchange.risk.Money;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The replay tool on one intact data directory written by the real journal, events queue and
 * snapshot store ({@link Scenario}); every run here only reads it.
 */
@Timeout(120)
class ReplayToolTest {
    @TempDir
    static Path dataDir;
    static Scenario scenario;

    @BeforeAll
    static void writeDataDir() {
        scenario = Scenario.write(dataDir, 42);
        assertTrue(scenario.snapshotSeq > 10 && scenario.snapshotSeq < scenario.journaled.size() - 10,
                "the snapshot must sit inside the journal");
    }

    private static String dir() {
        return dataDir.toString();
    }

    private static String hex(long hash) {
        return String.format("%016x", hash);
    }

    @Test
    void shouldPrintTheWritersSeqHashTotalsSessionAndOpenOrdersByDefault() {
        ToolRun r = ToolRun.of("--data-dir", dir());
        assertEquals(0, r.exit(), r::toString);
        Exchange live = scenario.live;
        StateSummary s = live.summary();
        assertEquals(Long.toString(live.lastSeq()), r.value("seq"));
        assertEquals(scenario.journaled.size(), live.lastSeq());
        assertEquals(hex(live.stateHash()), r.value("state_hash"));
        assertEquals(ExchangeConfigFile.in(dataDir).toAbsolutePath().toString(), r.value("config"));
        assertEquals("snapshot-" + String.format("%020d", scenario.snapshotSeq) + ".snap (seq " + scenario.snapshotSeq + ") + "
                + (live.lastSeq() - scenario.snapshotSeq) + " journaled commands", r.value("recovered_from"));
        assertEquals("open session_date=" + Scenario.DAY_2 + " closes_at=" + Scenario.DAY_2 + "T21:00:00Z", r.value("session"));
        assertEquals("4", r.value("accounts"));
        assertEquals("USD total=" + Money.format(s.cashTotal()) + " reserved=" + Money.format(s.cashReserved()) + " fees="
                + Money.format(s.feesCollected()), r.value("cash"));
        assertTrue(s.feesCollected() > 0 && s.cashReserved() > 0, "the flow traded and left cash holds");
        List<String> shares = r.lines().stream().filter(l -> l.startsWith("shares ")).toList();
        assertEquals(List.of("shares AAPL total=" + s.positions().get(0).total() + " reserved=" + s.positions().get(0).reserved(),
                "shares IBM total=" + s.positions().get(1).total() + " reserved=" + s.positions().get(1).reserved()), shares);
        assertEquals(Long.toString(live.openOrderCount()), r.value("open_orders"));
        assertEquals(live.heldOrderCount() + " close_count=" + live.closeCount() + " window_start="
                + live.windowStartCloseCount() + " last_eviction_seq=" + live.lastEvictionSeq(), r.value("held_orders"));
        List<String> orders = r.lines().stream().filter(l -> l.startsWith("order ")).toList();
        List<OrderView> open = live.openOrders();
        assertEquals(open.size(), orders.size());
        for (int i = 0; i < open.size(); i++) {
            OrderView o = open.get(i);
            assertEquals("order id=" + o.orderId + " account=" + o.accountId + " client_order_id=" + o.clientOrderId + " side="
                    + o.side.wireName() + " qty=" + o.qty + " leaves=" + o.leavesQty + " symbol=" + o.symbol + " price="
                    + Money.format(o.priceTicks) + " tif=" + o.timeInForce.wireName(), orders.get(i));
        }
        assertTrue(open.stream().anyMatch(o -> o.leavesQty < o.qty) || open.size() > 1);
        assertEquals("", r.err(), "no fallback note: the config file is there");
    }

    @Test
    void shouldGiveTheHashOfApplyingOnlyTheFirstNCommandsWithToSeq() {
        long snap = scenario.snapshotSeq;
        long total = scenario.journaled.size();
        for (long n : new long[] {0, 7, snap - 3, snap, snap + 9, total}) {
            ToolRun r = ToolRun.of("--data-dir", dir(), "--to-seq", Long.toString(n));
            assertEquals(0, r.exit(), r::toString);
            Exchange expected = scenario.replayFirst(n);
            assertEquals(n, expected.lastSeq());
            assertEquals(Long.toString(n), r.value("seq"), "--to-seq " + n);
            assertEquals(hex(expected.stateHash()), r.value("state_hash"), "--to-seq " + n);
            assertEquals(Long.toString(expected.openOrderCount()), r.value("open_orders"), "--to-seq " + n);
            assertEquals(n >= snap, r.value("recovered_from").startsWith("snapshot-"),
                    "a snapshot is used only at or before --to-seq " + n + ": " + r.value("recovered_from"));
        }
        ToolRun beyond = ToolRun.of("--data-dir", dir(), "--to-seq", Long.toString(total + 50));
        assertEquals(0, beyond.exit(), beyond::toString);
        assertEquals(hex(scenario.live.stateHash()), beyond.value("state_hash"));
        assertTrue(beyond.err().contains("the journal ends at seq " + total + ", before --to-seq " + (total + 50)), beyond.err());
    }

    @Test
    void shouldDumpTheJournaledCommandsAsJsonLinesWithClientOrderIds() {
        ToolRun first = ToolRun.of("--data-dir", dir(), "--dump", "--to-seq", "30");
        assertEquals(0, first.exit(), first::toString);
        List<String> lines = first.lines();
        assertEquals(30, lines.size());
        for (int i = 0; i < 30; i++) {
            assertEquals(JsonLines.command(scenario.journaled.get(i)), lines.get(i));
            assertTrue(lines.get(i).contains("\"seq\":" + (i + 1) + ","), lines.get(i));
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("{\"type\":\"place_order\"") && l.contains("\"client_order_id\":\"c-0\"")),
                first::toString);

        ToolRun window = ToolRun.of("--data-dir", dir(), "--dump", "--from-seq", "25", "--to-seq", "40");
        assertEquals(0, window.exit(), window::toString);
        assertEquals(16, window.lines().size());
        for (int i = 0; i < 16; i++) {
            assertEquals(JsonLines.command(scenario.journaled.get(24 + i)), window.lines().get(i));
        }

        ToolRun all = ToolRun.of("--data-dir", dir(), "--dump");
        assertEquals(scenario.journaled.size(), all.lines().size());
        long placed = scenario.journaled.stream().filter(c -> c.type == CommandType.PLACE_ORDER).count();
        assertEquals(placed, all.lines().stream().filter(l -> l.contains("\"client_order_id\":\"c-")).count());
    }

    @Test
    void shouldPrintTheReportTheEngineProducedAtThatCloseByteForByte() throws Exception {
        var report = scenario.reports.get(Scenario.DAY_1);
        byte[] json = ReportFormat.toJson(report).getBytes(StandardCharsets.UTF_8);
        ToolRun r = ToolRun.of("--data-dir", dir(), "--report", Scenario.DAY_1.toString());
        assertEquals(0, r.exit(), r::toString);
        assertArrayEquals(json, r.outBytes());
        assertArrayEquals(Files.readAllBytes(dataDir.resolve("reports/eod-" + Scenario.DAY_1 + ".json")), r.outBytes());
        assertTrue(report.accounts().size() == 4 && report.passed(), "a real report with passing checks");

        ToolRun csv = ToolRun.of("--data-dir", dir(), "--report", Scenario.DAY_1.toString(), "--csv");
        assertEquals(0, csv.exit(), csv::toString);
        assertArrayEquals(ReportFormat.toCsv(report).getBytes(StandardCharsets.UTF_8), csv.outBytes());
    }

    @Test
    void shouldWriteTheReportToTheOutFile(@TempDir Path elsewhere) throws Exception {
        Path file = elsewhere.resolve("regenerated.json");
        ToolRun r = ToolRun.of("--data-dir", dir(), "--report", Scenario.DAY_1.toString(), "--out", file.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(0, r.outBytes().length);
        assertArrayEquals(ReportFormat.toJson(scenario.reports.get(Scenario.DAY_1)).getBytes(StandardCharsets.UTF_8),
                Files.readAllBytes(file));
    }

    @Test
    void shouldFailTheReportOfASessionThatNeverClosed() {
        ToolRun open = ToolRun.of("--data-dir", dir(), "--report", Scenario.DAY_2.toString());
        assertEquals(1, open.exit(), open::toString);
        assertEquals(0, open.outBytes().length);
        assertEquals("replay: session " + Scenario.DAY_2 + " never closed in the journal (seq 1.." + scenario.journaled.size()
                + "); sessions closed: " + Scenario.DAY_1 + "\n", open.err());
    }

    @Test
    void shouldPassEveryVerifyCheckOnAnIntactDataDir() {
        ToolRun r = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(0, r.exit(), r::toString);
        List<String> names = r.lines().stream().filter(l -> l.startsWith("PASS ")).map(l -> l.substring(5, l.indexOf(':'))).toList();
        assertEquals(List.of("journal", "events deterministic", "state deterministic", "events queue", "snapshot recovery",
                "snapshots", "internal state", "report eod-" + Scenario.DAY_1 + ".csv", "report eod-" + Scenario.DAY_1 + ".json"),
                names, r::toString);
        assertEquals("verify: 9 passed, 0 failed, 0 skipped", r.lines().get(r.lines().size() - 1));
        long total = scenario.journaled.size();
        assertTrue(r.out().contains("PASS journal: " + total + " commands, seq 1.." + total + "\n"), r::toString);
        assertTrue(r.out().contains("ends at seq " + total + " with state hash " + hex(scenario.live.stateHash())), r::toString);
        assertTrue(r.out().contains("snapshot-" + String.format("%020d", scenario.snapshotSeq) + ".snap = replay at seq "
                + scenario.snapshotSeq), r::toString);
    }

    @Test
    void shouldLeaveTheDataDirExactlyAsItWasAfterEveryMode(@TempDir Path elsewhere) throws Exception {
        String before = ToolRun.listing(dataDir);
        List<String[]> runs = List.of(
                new String[] {"--data-dir", dir()},
                new String[] {"--data-dir", dir(), "--to-seq", "50"},
                new String[] {"--data-dir", dir(), "--verify"},
                new String[] {"--data-dir", dir(), "--dump", "--from-seq", "3"},
                new String[] {"--data-dir", dir(), "--report", Scenario.DAY_1.toString()},
                new String[] {"--data-dir", dir(), "--report", Scenario.DAY_1.toString(), "--csv", "--out",
                        elsewhere.resolve("r.csv").toString()});
        for (String[] args : runs) {
            ToolRun r = ToolRun.of(args);
            assertEquals(0, r.exit(), r::toString);
        }
        assertEquals(before, ToolRun.listing(dataDir));
        assertTrue(before.contains("journal/metadata.cq4t") && before.contains("events/metadata.cq4t"), before);
    }

    @Test
    void shouldRefuseBadArgumentsWithTheUsageAndExitStatus2() {
        String[][] bad = {
                {"--data-dir", dir(), "--bogus"},
                {"--verify"},
                {"--data-dir", dir(), "--verify", "--dump"},
                {"--data-dir", dir(), "--report", "20-11-2026"},
                {"--data-dir", dir(), "--to-seq", "-1"},
                {"--data-dir", dir(), "--to-seq"},
                {"--data-dir", dir(), "--verify", "--to-seq", "5"},
                {"--data-dir", dir(), "--from-seq", "5"},
                {"--data-dir", dir(), "--dump", "--from-seq", "9", "--to-seq", "5"},
                {"--data-dir", dir(), "--csv"},
        };
        for (String[] args : bad) {
            ToolRun r = ToolRun.of(args);
            assertEquals(2, r.exit(), String.join(" ", args) + "\n" + r);
            assertTrue(r.err().startsWith("replay: ") && r.err().contains("\nusage: replay --data-dir DIR"), r::toString);
            assertEquals(0, r.outBytes().length);
        }
        assertTrue(ToolRun.of("--data-dir", dir(), "--bogus").err().startsWith("replay: unknown argument '--bogus'\n"));
        ToolRun help = ToolRun.of("--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("usage: replay"), help::toString);
    }

    @Test
    void shouldReplayWithTheConfigFileNotTheDemoConfig(@TempDir Path elsewhere) {
        Path demo = elsewhere.resolve("demo.properties");
        ExchangeConfigFile.write(demo, ExchangeConfig.demo());
        ToolRun wrong = ToolRun.of("--data-dir", dir(), "--exchange-config", demo.toString(), "--to-seq",
                Long.toString(scenario.snapshotSeq - 1));
        assertEquals(0, wrong.exit(), wrong::toString);
        assertNotEquals(hex(scenario.replayFirst(scenario.snapshotSeq - 1).stateHash()), wrong.value("state_hash"),
                "the journal replayed under another configuration must not reproduce the state");
        ToolRun snapshotMismatch = ToolRun.of("--data-dir", dir(), "--exchange-config", demo.toString());
        assertEquals(1, snapshotMismatch.exit(), "the snapshot does not fit another configuration: " + snapshotMismatch);
        assertFalse(wrong.value("config").contains(ExchangeConfigFile.FILE_NAME));
        ToolRun missing = ToolRun.of("--data-dir", dir(), "--exchange-config", elsewhere.resolve("none").toString());
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("does not exist"), missing::toString);
    }

    @Test
    void shouldReadAJournalSpreadOverSeveralFilesOfANonDefaultRollCycle(@TempDir Path other) throws Exception {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
        JournalOptions options = JournalOptions.defaults().withRollCycle("FAST_HOURLY").withTimeProvider(clock);
        Exchange written = new Exchange(ExchangeConfig.demo());
        List<String> expected = new ArrayList<>();
        try (ChronicleJournal journal = ChronicleJournal.open(other, options)) {
            for (int i = 0; i < 10; i++) {
                Command c = new Command();
                c.type = CommandType.CREATE_ACCOUNT;
                c.timestampNanos = clock.currentTimeNanos();
                c.name = "hourly-" + i;
                c.apiKeyHash = "h" + i;
                journal.append(c, written.lastSeq() + 1);
                written.apply(c, e -> { });
                expected.add(JsonLines.command(c));
                if (i % 3 == 2) {
                    clock.advanceMillis(3_600_000);
                }
            }
        }
        try (var files = Files.list(other.resolve("journal"))) {
            assertEquals(4, files.filter(p -> p.toString().endsWith(".cq4")).count());
        }
        ToolRun dump = ToolRun.of("--data-dir", other.toString(), "--dump");
        assertEquals(0, dump.exit(), dump::toString);
        assertEquals(expected, dump.lines());
        ToolRun state = ToolRun.of("--data-dir", other.toString());
        assertEquals(hex(written.stateHash()), state.value("state_hash"));
        assertEquals("10", state.value("seq"));
    }
}
