package exchange.journal.replay;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import exchange.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay tool on damaged, tampered, missing or differently configured data directories. */
@Timeout(120)
class ReplayToolFailureTest {
    @TempDir
    Path dataDir;

    private String dir() {
        return dataDir.toString();
    }

    private static List<String> failed(ToolRun r) {
        return r.lines().stream().filter(l -> l.startsWith("FAIL ")).toList();
    }

    @Test
    void shouldFailVerifyWhenAnEventInTheQueueWasRewrittenWithDifferentContent() throws IOException {
        Scenario s = Scenario.write(dataDir, 7);
        deleteTree(dataDir.resolve(EventJournal.DIRECTORY));
        // regenerate the events queue exactly, except one trade's quantity
        try (EventJournal events = EventJournal.open(dataDir, JournalOptions.defaults())) {
            Exchange x = new Exchange(s.config);
            boolean[] altered = {false};
            for (Command journaled : s.journaled) {
                Command c = new Command();
                c.copyInputFrom(journaled);
                x.apply(c, e -> {
                    if (!altered[0] && e.type == EventType.TRADE_EXECUTED) {
                        EngineEvent forged = e.copy();
                        forged.qty += 1;
                        events.onEvent(forged);
                        altered[0] = true;
                    } else {
                        events.onEvent(e);
                    }
                });
            }
            assertTrue(altered[0], "the flow must trade");
        }
        ToolRun r = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(1, r.exit(), r::toString);
        List<String> failed = failed(r);
        assertEquals(1, failed.size(), r::toString);
        assertTrue(failed.get(0).startsWith("FAIL events queue: seq "), r::toString);
        assertTrue(failed.get(0).contains("differs: queue {\"type\":\"trade_executed\""), r::toString);
        assertTrue(r.out().contains("PASS state deterministic"), r::toString);
    }

    @Test
    void shouldFailVerifyWhenARecordOfTheEventsQueueWasDamaged() throws IOException {
        Scenario.write(dataDir, 8);
        ToolRun.corruptFirst(ToolRun.cycleFile(dataDir.resolve(EventJournal.DIRECTORY)), "trader-3");
        ToolRun r = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(1, r.exit(), r::toString);
        List<String> failed = failed(r);
        assertEquals(1, failed.size(), r::toString);
        assertTrue(failed.get(0).startsWith("FAIL events queue: "), r::toString);
        assertTrue(failed.get(0).contains("1 damaged records in the queue (skipped)"), r::toString);
    }

    @Test
    void shouldFailVerifyWhenAReportFileDiffersOrItsSessionNeverClosed() throws IOException {
        Scenario.write(dataDir, 9);
        Path reports = dataDir.resolve(ReportFiles.DIRECTORY);
        Path json = reports.resolve("eod-" + Scenario.DAY_1 + ".json");
        String text = Files.readString(json, StandardCharsets.UTF_8);
        Files.writeString(json, text.replaceFirst("\"fills\":\\d+", "\"fills\":999"), StandardCharsets.UTF_8);
        Files.writeString(reports.resolve("eod-" + Scenario.DAY_2 + ".json"), text, StandardCharsets.UTF_8);

        ToolRun r = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(1, r.exit(), r::toString);
        List<String> failed = failed(r);
        assertEquals(2, failed.size(), r::toString);
        assertTrue(failed.get(0).startsWith("FAIL report eod-" + Scenario.DAY_1 + ".json: differs from the regenerated report at byte "),
                r::toString);
        assertTrue(failed.get(1).startsWith("FAIL report eod-" + Scenario.DAY_2 + ".json: its session never closed"), r::toString);
        assertTrue(r.out().contains("PASS report eod-" + Scenario.DAY_1 + ".csv"), r::toString);
    }

    @Test
    void shouldRefuseAJournalCorruptBeforeItsTailWithOneClearLine() throws IOException {
        Scenario.write(dataDir, 10);
        ToolRun.corruptFirst(ToolRun.cycleFile(dataDir.resolve(JournalReader.DIRECTORY)), "trader-2");

        ToolRun state = ToolRun.of("--data-dir", dir());
        assertEquals(1, state.exit(), state::toString);
        assertEquals(0, state.outBytes().length);
        assertEquals(1, state.err().lines().count(), state::toString);
        assertTrue(state.err().startsWith("replay: damaged journal record"), state::toString);
        assertTrue(state.err().contains("corruption before the tail") && state.err().contains(".cq4"), state::toString);
        assertFalse(state.err().contains("\tat "), "no stack trace without --debug");

        ToolRun verify = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(1, verify.exit(), verify::toString);
        assertTrue(verify.out().startsWith("FAIL journal: replay from seq 1 failed: damaged journal record"), verify::toString);

        ToolRun dump = ToolRun.of("--data-dir", dir(), "--dump");
        assertEquals(1, dump.exit(), dump::toString);
        assertTrue(dump.err().contains("corruption before the tail"), dump::toString);

        ToolRun report = ToolRun.of("--data-dir", dir(), "--report", Scenario.DAY_1.toString());
        assertEquals(1, report.exit(), report::toString);
        assertEquals(0, report.outBytes().length);

        ToolRun debug = ToolRun.of("--data-dir", dir(), "--debug");
        assertEquals(1, debug.exit());
        assertTrue(debug.err().contains("\tat "), "--debug prints the stack trace");
    }

    @Test
    void shouldFailClearlyWhenTheDataDirIsMissingOrNotAnExchangeDataDir() throws IOException {
        Path missing = dataDir.resolve("nope");
        ToolRun r = ToolRun.of("--data-dir", missing.toString());
        assertEquals(1, r.exit(), r::toString);
        assertEquals("replay: data directory " + missing + " does not exist\n", r.err());
        assertEquals(0, r.outBytes().length);

        Files.createDirectories(missing.resolve("something-else"));
        ToolRun notData = ToolRun.of("--data-dir", missing.toString(), "--verify");
        assertEquals(1, notData.exit(), notData::toString);
        assertEquals("replay: " + missing + " is not an exchange data directory: " + missing.resolve("journal")
                + " does not exist\n", notData.err());
        assertFalse(Files.exists(missing.resolve("journal")), "the tool must not create the journal");
    }

    @Test
    void shouldFallBackToTheDemoConfigAndSaySoWhenTheConfigFileIsAbsent() {
        Scenario s = Scenario.writeDemoWithoutConfigFile(dataDir, 11);
        ToolRun r = ToolRun.of("--data-dir", dir());
        assertEquals(0, r.exit(), r::toString);
        assertEquals("replay: " + ExchangeConfigFile.in(dataDir) + " not found; replaying with the demo configuration"
                + " (ExchangeConfig.demo())\n", r.err());
        assertEquals("demo", r.value("config"));
        assertEquals(String.format("%016x", s.live.stateHash()), r.value("state_hash"));
        assertEquals(Long.toString(s.live.lastSeq()), r.value("seq"));

        ToolRun verify = ToolRun.of("--data-dir", dir(), "--verify");
        assertEquals(0, verify.exit(), verify::toString);
        assertTrue(verify.out().contains("SKIP snapshots: no snapshot files"), verify::toString);
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
