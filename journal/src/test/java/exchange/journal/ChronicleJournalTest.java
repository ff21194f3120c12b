package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ChronicleJournalTest {
    @TempDir
    Path dataDir;

    static List<Command> readAll(Path dataDir) {
        List<Command> out = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan scan = r.read(0, c -> {
                Command copy = new Command();
                copy.copyInputFrom(c);
                out.add(copy);
                return true;
            });
            assertTrue(scan.complete());
            assertEquals(0, scan.droppedCount(), scan::toString);
        }
        return out;
    }

    /** Appends {@code commands} numbered from {@code firstSeq}, ending a batch every {@code batch} records. */
    static void appendAll(ChronicleJournal journal, List<Command> commands, long firstSeq, int batch) {
        for (int i = 0; i < commands.size(); i++) {
            journal.append(commands.get(i), firstSeq + i);
            if ((i + 1) % batch == 0) {
                journal.endOfBatch();
            }
        }
        journal.endOfBatch();
    }

    static List<Command> mixed(int from, int count) {
        List<Command> list = new ArrayList<>();
        for (int i = from; i < from + count; i++) {
            list.add(TestCommands.mixed(i));
        }
        return list;
    }

    static void assertSameInputs(List<Command> expected, long firstSeq, List<Command> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            TestCommands.assertInputEquals(TestCommands.withSeq(expected.get(i), firstSeq + i), actual.get(i));
        }
    }

    @ParameterizedTest(name = "durability {0}")
    @EnumSource(DurabilityMode.class)
    void shouldReadBackEqualCommandsAfterAppending(DurabilityMode mode) {
        List<Command> commands = mixed(0, 500);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults().withDurability(mode))) {
            appendAll(journal, commands, 1, 7);
            assertEquals(500, journal.lastAppendedSeq());
            assertEquals(mode == DurabilityMode.SYNC ? 500 : 0, journal.lastSyncedSeq());
            assertTrue(journal.bytesWritten() > 500L * CommandCodec.HEADER_LENGTH);
        }
        assertSameInputs(commands, 1, readAll(dataDir));
    }

    @Test
    void shouldSyncEveryFileABatchWroteWhenTheBatchSpansARollInSyncMode() throws Exception {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
        JournalOptions options = JournalOptions.defaults().withDurability(DurabilityMode.SYNC)
                .withRollCycle(TestRollCycles.TEST_SECONDLY).withTimeProvider(clock);
        List<Command> commands = mixed(0, 6);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, options)) {
            journal.append(commands.get(0), 1);
            journal.append(commands.get(1), 2);
            clock.advanceMillis(1_500);
            journal.append(commands.get(2), 3); // rolls: records 1-2 stay in the first file
            journal.endOfBatch();
            assertEquals(3, journal.lastSyncedSeq());
            clock.advanceMillis(1_500);
            journal.append(commands.get(3), 4);
            journal.append(commands.get(4), 5);
            journal.append(commands.get(5), 6);
            journal.endOfBatch();
            assertEquals(6, journal.lastSyncedSeq());
        }
        assertEquals(3, RawQueue.cycleFiles(dataDir.resolve(JournalReader.DIRECTORY)).size());
        assertSameInputs(commands, 1, readAll(dataDir));
    }

    @Test
    void shouldContinueTheSequenceAfterReopening() {
        List<Command> first = mixed(0, 20);
        List<Command> second = mixed(20, 15);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            appendAll(journal, first, 1, 5);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            assertEquals(20, journal.lastAppendedSeq());
            IllegalStateException gap = assertThrows(IllegalStateException.class, () -> journal.append(second.get(0), 1));
            assertTrue(gap.getMessage().contains("last appended 20"), gap.getMessage());
            appendAll(journal, second, 21, 5);
        }
        List<Command> all = new ArrayList<>(first);
        all.addAll(second);
        assertSameInputs(all, 1, readAll(dataDir));
    }

    @Test
    void shouldRefuseANonJournaledCommandAndASequenceGap() {
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            Command query = new Command();
            query.type = CommandType.QUERY_ORDERS;
            assertThrows(IllegalArgumentException.class, () -> journal.append(query, 1));
            assertThrows(IllegalStateException.class, () -> journal.append(TestCommands.mixed(1), 2));
            journal.append(TestCommands.mixed(1), 1);
            assertEquals(1, journal.lastAppendedSeq());
        }
        assertEquals(1, readAll(dataDir).size());
    }

    @Test
    void shouldAppendFromTheJournalThreadAndCloseFromAnother() throws Exception {
        List<Command> commands = mixed(0, 100);
        ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults().withDurability(DurabilityMode.SYNC));
        ExecutorService journalThread = Executors.newSingleThreadExecutor();
        try {
            journalThread.submit(() -> appendAll(journal, commands, 1, 10)).get(30, TimeUnit.SECONDS);
        } finally {
            journalThread.shutdown();
            assertTrue(journalThread.awaitTermination(30, TimeUnit.SECONDS));
            journal.close();
        }
        assertSameInputs(commands, 1, readAll(dataDir));
    }

    @Test
    void shouldParseDurabilityModesByTheirConfigNames() {
        assertEquals(DurabilityMode.PROCESS, DurabilityMode.parse("process"));
        assertEquals(DurabilityMode.SYNC, DurabilityMode.parse("SYNC"));
        assertEquals("sync", DurabilityMode.SYNC.configName());
        assertThrows(IllegalArgumentException.class, () -> DurabilityMode.parse("fsync"));
        assertThrows(IllegalArgumentException.class, () -> JournalOptions.defaults().withRollCycle("NEVER"));
    }
}
