package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JournalReader#readDecodingAhead} against {@link JournalReader#read}, on real queue files:
 * the same commands in the same order, the same scan, the same failures, and no decoder thread
 * left behind however the pass ends.
 */
@Timeout(60)
class JournalReaderDecodingAheadTest {
    /** More records than the ring holds, and not a whole number of batches. */
    private static final int MANY = DecodingThread.BATCH * DecodingThread.BATCHES * 2 + 37;

    @TempDir
    Path dataDir;

    @AfterEach
    void noDecoderThreadLeft() {
        assertFalse(Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("journal-decoder") && t.isAlive()), "a journal-decoder thread is still running");
    }

    private List<Command> writeJournal(int count) {
        List<Command> commands = ChronicleJournalTest.mixed(0, count);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            ChronicleJournalTest.appendAll(journal, commands, 1, 4);
        }
        return commands;
    }

    /** What a visitor saw: every command's journaled fields, and every look-ahead batch. */
    private static final class Recorder implements JournalReader.CommandVisitor {
        final List<String> visited = new ArrayList<>();
        final List<Long> aheadSeqs = new ArrayList<>();
        final Thread caller = Thread.currentThread();
        long stopAfterSeq = Long.MAX_VALUE;

        @Override
        public void ahead(Command[] commands, int from, int to) {
            assertSame(caller, Thread.currentThread(), "ahead runs on the caller's thread");
            assertTrue(to > from && to - from <= JournalReader.LOOKAHEAD, from + ".." + to);
            assertEquals(visited.size(), aheadSeqs.size(), "a batch is shown before any of it is visited");
            for (int i = from; i < to; i++) {
                aheadSeqs.add(commands[i].seq);
            }
        }

        @Override
        public boolean onCommand(Command command) {
            assertSame(caller, Thread.currentThread(), "commands are visited on the caller's thread");
            visited.add(TestCommands.describe(command));
            return command.seq < stopAfterSeq;
        }
    }

    @Test
    void shouldVisitTheSameCommandsAndReturnTheSameScanAsASingleThreadedRead() {
        writeJournal(MANY);
        Recorder single = new Recorder();
        Recorder ahead = new Recorder();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan expected = r.read(0, single);
            RecoveryScan actual = r.readDecodingAhead(0, Long.MAX_VALUE, ahead);
            assertEquals(expected, actual);
            assertTrue(actual.complete());
            assertEquals(MANY, actual.lastValidSeq());
        }
        assertEquals(MANY, single.visited.size());
        assertEquals(single.visited, ahead.visited);
        assertEquals(LongStream.rangeClosed(1, MANY).boxed().toList(), ahead.aheadSeqs);
    }

    @Test
    void shouldVisitOnlyCommandsAfterTheGivenSeqAndStopAtToSeqWithoutReadingFurther() {
        writeJournal(MANY);
        // damage followed by a valid record after toSeq: a full read refuses it, a read to toSeq never reaches it
        RawQueue.appendDocuments(dataDir.resolve(JournalReader.DIRECTORY), badCrcRecord(MANY + 1),
                RawQueue.record(TestCommands.mixed(MANY + 2), MANY + 2));
        long after = 700;
        long to = MANY - 3;
        Recorder ahead = new Recorder();
        try (JournalReader r = JournalReader.open(dataDir)) {
            assertThrows(JournalCorruptionException.class, () -> r.readDecodingAhead(0, Long.MAX_VALUE, new Recorder()));
            RecoveryScan s = r.readDecodingAhead(after, to, ahead);
            assertFalse(s.complete());
            assertEquals(to + 1, s.lastValidSeq(), "the first command past toSeq is read, nothing after it");
            assertEquals(0, s.droppedCount());
        }
        assertEquals(LongStream.rangeClosed(after + 1, to).boxed().toList(), ahead.aheadSeqs);
    }

    @Test
    void shouldStopWhenTheVisitorSaysSoAndMarkTheScanIncomplete() {
        writeJournal(MANY);
        Recorder ahead = new Recorder();
        ahead.stopAfterSeq = 1000;
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan s = r.readDecodingAhead(0, Long.MAX_VALUE, ahead);
            assertFalse(s.complete());
            assertTrue(s.lastValidSeq() >= 1000 && s.lastValidSeq() < 1000 + DecodingThread.BATCH, s.toString());
        }
        assertEquals(1000, ahead.visited.size());
    }

    @Test
    void shouldReportATornTailAsASingleThreadedReadDoes() {
        writeJournal(MANY);
        RawQueue.appendDocuments(dataDir.resolve(JournalReader.DIRECTORY), badCrcRecord(MANY + 1), new byte[] {1, 2, 3});
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan expected = r.read(0, c -> true);
            RecoveryScan actual = r.readDecodingAhead(0, Long.MAX_VALUE, new Recorder());
            assertEquals(expected, actual);
            assertEquals(2, actual.droppedCount());
            assertEquals(MANY, actual.lastValidSeq());
        }
    }

    @Test
    void shouldThrowCorruptionBeforeTheTailAfterVisitingOnlyWholeBatchesBeforeIt() throws Exception {
        List<Command> commands = writeJournal(MANY);
        int victimIndex = 1000;
        while (commands.get(victimIndex).type != CommandType.PLACE_ORDER) {
            victimIndex++;
        }
        long victimSeq = victimIndex + 1;
        Path file = RawQueue.cycleFiles(dataDir.resolve(JournalReader.DIRECTORY)).get(0);
        RawQueue.flipByte(file, RawQueue.find(file, commands.get(victimIndex).clientOrderId) + 2);

        Recorder ahead = new Recorder();
        try (JournalReader r = JournalReader.open(dataDir)) {
            JournalCorruptionException single = assertThrows(JournalCorruptionException.class, () -> r.read(0, c -> true));
            JournalCorruptionException e = assertThrows(JournalCorruptionException.class,
                    () -> r.readDecodingAhead(0, Long.MAX_VALUE, ahead));
            assertEquals(victimSeq, e.seq());
            assertEquals(single.getMessage(), e.getMessage());
        }
        // the batch holding the damaged record is not visited, as read() does not visit its look-ahead batch
        long visited = ahead.visited.size();
        assertEquals(0, visited % DecodingThread.BATCH);
        assertTrue(visited < victimSeq && victimSeq <= visited + DecodingThread.BATCH, "visited " + visited);
        assertEquals(LongStream.rangeClosed(1, visited).boxed().toList(), ahead.aheadSeqs);
    }

    @Test
    void shouldRethrowWhatTheVisitorThrowsAndStopTheDecoder() {
        writeJournal(MANY);
        IllegalStateException boom = new IllegalStateException("engine failed");
        try (JournalReader r = JournalReader.open(dataDir)) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.readDecodingAhead(0, Long.MAX_VALUE, c -> {
                if (c.seq == 300) {
                    throw boom;
                }
                return true;
            }));
            assertSame(boom, e);
        }
    }

    @Test
    void shouldFinishTheReadWhenTheCallerIsInterruptedAndKeepTheInterrupt() {
        writeJournal(MANY);
        Recorder ahead = new Recorder();
        try (JournalReader r = JournalReader.open(dataDir)) {
            Thread.currentThread().interrupt();
            RecoveryScan s;
            try {
                s = r.readDecodingAhead(0, Long.MAX_VALUE, ahead);
            } finally {
                assertTrue(Thread.interrupted(), "the caller's interrupt is kept (and cleared here)");
            }
            assertTrue(s.complete());
            assertEquals(MANY, s.lastValidSeq());
        }
        assertEquals(MANY, ahead.visited.size());
    }

    @Test
    void shouldReadAnAbsentJournalAsEmpty() {
        try (JournalReader r = JournalReader.openReadOnly(dataDir)) {
            RecoveryScan s = r.readDecodingAhead(0, Long.MAX_VALUE, new Recorder());
            assertEquals(RecoveryScan.empty(), s);
        }
    }

    /** A valid record with one payload byte flipped: the CRC fails. */
    private static byte[] badCrcRecord(long seq) {
        byte[] rec = RawQueue.record(TestCommands.mixed((int) seq), seq);
        rec[CommandCodec.HEADER_LENGTH] ^= 0x5A;
        return rec;
    }
}
