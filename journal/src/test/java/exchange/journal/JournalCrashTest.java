package exchange.journal;

import exchange.engine.Command;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process-level crash: a child JVM journals commands and is halted in the middle of writing a
 * document (header claimed, content half written, never committed). The parent then checks that
 * Chronicle hides the unfinished document, that recovery sees every committed record and no torn
 * tail, and that appending continues the sequence.
 */
@Timeout(120)
class JournalCrashTest {
    static final int COMMITTED = 200;

    @TempDir
    Path dataDir;

    /** Child JVM: journal {@code COMMITTED} commands, start one more document and halt mid-write. */
    public static void main(String[] args) {
        Path dataDir = Path.of(args[0]);
        ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults());
        for (int i = 0; i < COMMITTED; i++) {
            journal.append(TestCommands.mixed(i), i + 1);
        }
        journal.endOfBatch();
        SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dataDir.resolve(JournalReader.DIRECTORY).toFile()).build();
        ExcerptAppender a = q.createAppender();
        DocumentContext dc = a.writingDocument();
        byte[] next = RawQueue.record(TestCommands.mixed(COMMITTED), COMMITTED + 1);
        dc.wire().bytes().write(next, 0, next.length / 2);
        Runtime.getRuntime().halt(77);
    }

    @Test
    void shouldRecoverEveryCommittedRecordAndContinueAfterAChildJvmIsKilledMidWrite() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-") || arg.startsWith("-Dchronicle") || arg.startsWith("--enable-native-access")
                    || arg.startsWith("--sun-misc")) {
                cmd.add(arg);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JournalCrashTest.class.getName());
        cmd.add(dataDir.toString());
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("child.log").toFile()).start();
        assertTrue(child.waitFor(90, TimeUnit.SECONDS), "child did not finish");
        assertEquals(77, child.exitValue(), () -> "child log: " + readLog(dataDir.resolve("child.log").toFile()));

        RecoveryScan scan;
        try (JournalReader reader = JournalReader.open(dataDir)) {
            scan = reader.scan();
        }
        assertEquals(COMMITTED, scan.lastValidSeq(), scan::toString);
        assertEquals(0, scan.droppedCount(), scan::toString);

        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults(), scan)) {
            journal.append(TestCommands.mixed(COMMITTED), COMMITTED + 1);
        }
        List<Command> all = ChronicleJournalTest.readAll(dataDir);
        assertEquals(COMMITTED + 1, all.size());
        for (int i = 0; i <= COMMITTED; i++) {
            TestCommands.assertInputEquals(TestCommands.withSeq(TestCommands.mixed(i), i + 1), all.get(i));
        }
    }

    private static String readLog(File f) {
        try {
            return java.nio.file.Files.readString(f.toPath());
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
