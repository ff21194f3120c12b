package exchange.journal;

import exchange.engine.Command;
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

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ChronicleJournal#force()}: durable on demand in either mode (what the pipeline does before a snapshot). */
@Timeout(60)
class ChronicleJournalForceTest {
    @TempDir
    Path dataDir;

    @ParameterizedTest(name = "durability {0}")
    @EnumSource(DurabilityMode.class)
    void shouldMarkEverythingAppendedSyncedWhenForcedWithoutAnEndOfBatch(DurabilityMode mode) {
        List<Command> commands = ChronicleJournalTest.mixed(0, 12);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults().withDurability(mode))) {
            for (int i = 0; i < 5; i++) {
                journal.append(commands.get(i), i + 1);
            }
            assertEquals(0, journal.lastSyncedSeq(), "nothing is synced before a batch end or a force");
            journal.force();
            assertEquals(5, journal.lastSyncedSeq());
            for (int i = 5; i < 12; i++) {
                journal.append(commands.get(i), i + 1);
            }
            assertEquals(5, journal.lastSyncedSeq(), "appends after a force are not synced by it");
            journal.force();
            assertEquals(12, journal.lastSyncedSeq());
            assertEquals(12, journal.lastAppendedSeq());
        }
        ChronicleJournalTest.assertSameInputs(commands, 1, ChronicleJournalTest.readAll(dataDir));
    }

    @Test
    void shouldSyncInProcessModeOnlyWhenForced() {
        List<Command> commands = ChronicleJournalTest.mixed(0, 4);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir,
                JournalOptions.defaults().withDurability(DurabilityMode.PROCESS))) {
            ChronicleJournalTest.appendAll(journal, commands, 1, 2);
            assertEquals(0, journal.lastSyncedSeq(), "process mode does not sync at batch ends");
            journal.force();
            assertEquals(4, journal.lastSyncedSeq());
        }
    }

    @Test
    void shouldDoNothingWhenForcedBeforeAnyAppendAfterReopening() {
        List<Command> commands = ChronicleJournalTest.mixed(0, 20);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            ChronicleJournalTest.appendAll(journal, commands, 1, 5);
        }
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            journal.force();
            assertEquals(20, journal.lastSyncedSeq());
            assertEquals(20, journal.lastAppendedSeq());
            journal.force();
            assertEquals(20, journal.lastSyncedSeq());
        }
        ChronicleJournalTest.assertSameInputs(commands, 1, ChronicleJournalTest.readAll(dataDir));
    }

    @Test
    void shouldSyncEveryFileWrittenSinceTheLastSyncWhenForcedAfterRollsInProcessMode() throws Exception {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
        JournalOptions options = JournalOptions.defaults().withDurability(DurabilityMode.PROCESS)
                .withRollCycle(TestRollCycles.TEST_SECONDLY).withTimeProvider(clock);
        List<Command> commands = ChronicleJournalTest.mixed(0, 6);
        List<Command> expected = new ArrayList<>(commands);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, options)) {
            journal.append(commands.get(0), 1);
            journal.append(commands.get(1), 2);
            clock.advanceMillis(1_500);
            journal.append(commands.get(2), 3);
            clock.advanceMillis(1_500);
            journal.append(commands.get(3), 4);
            journal.endOfBatch();
            assertEquals(0, journal.lastSyncedSeq());
            journal.force(); // three files, two of them left behind by rolls
            assertEquals(4, journal.lastSyncedSeq());
            journal.append(commands.get(4), 5);
            journal.append(commands.get(5), 6);
            journal.force();
            assertEquals(6, journal.lastSyncedSeq());
        }
        assertEquals(3, RawQueue.cycleFiles(dataDir.resolve(JournalReader.DIRECTORY)).size());
        ChronicleJournalTest.assertSameInputs(expected, 1, ChronicleJournalTest.readAll(dataDir));
    }
}
