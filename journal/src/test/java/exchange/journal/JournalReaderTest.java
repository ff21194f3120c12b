package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class JournalReaderTest {
    @TempDir
    Path dataDir;

    private Path journalDir() {
        return dataDir.resolve(JournalReader.DIRECTORY);
    }

    private List<Command> writeJournal(int count) {
        List<Command> commands = ChronicleJournalTest.mixed(0, count);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            ChronicleJournalTest.appendAll(journal, commands, 1, 4);
        }
        return commands;
    }

    private static RecoveryScan scan(Path dataDir) {
        try (JournalReader r = JournalReader.open(dataDir)) {
            return r.scan();
        }
    }

    /** A valid record with one payload byte flipped: the CRC fails. */
    private static byte[] badCrcRecord(long seq) {
        byte[] rec = RawQueue.record(TestCommands.mixed((int) seq), seq);
        rec[CommandCodec.HEADER_LENGTH] ^= 0x5A;
        return rec;
    }

    /** The first half of a valid record, as if the rest never reached the disk. */
    private static byte[] truncatedRecord(long seq) {
        byte[] rec = RawQueue.record(TestCommands.mixed((int) seq), seq);
        return Arrays.copyOf(rec, rec.length / 2);
    }

    @Test
    void shouldReadAnAbsentJournalAsEmpty() {
        RecoveryScan s = scan(dataDir);
        assertTrue(s.complete());
        assertEquals(0, s.lastValidSeq());
        assertEquals(1, s.nextSeq());
        assertEquals(-1, s.lastIndex());
    }

    @Test
    void shouldVisitOnlyCommandsAfterTheGivenSeqButValidateAll() {
        writeJournal(30);
        List<Long> seen = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan s = r.read(25, c -> seen.add(c.seq));
            assertTrue(s.complete());
            assertEquals(1, s.firstSeq());
            assertEquals(30, s.lastValidSeq());
            assertEquals(30, s.commandCount());
        }
        assertEquals(List.of(26L, 27L, 28L, 29L, 30L), seen);
    }

    @Test
    void shouldStopWhenTheVisitorSaysSoAndMarkTheScanIncomplete() {
        writeJournal(30);
        List<Long> seen = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan s = r.read(0, c -> seen.add(c.seq) && c.seq < 10);
            assertFalse(s.complete());
            // the look-ahead had decoded the rest of the batch: the scan may cover more than was visited
            assertTrue(s.lastValidSeq() >= 10 && s.lastValidSeq() < 10 + JournalReader.LOOKAHEAD, s.toString());
        }
        assertEquals(LongStream.rangeClosed(1, 10).boxed().toList(), seen);
        RecoveryScan partial = new RecoveryScan(false, 1, 10, 10, 0, -1, -1, null, null, 0, 9);
        assertThrows(IllegalArgumentException.class, () -> ChronicleJournal.open(dataDir, JournalOptions.defaults(), partial));
    }

    @Test
    void shouldStopAtToSeqWithoutReadingFurtherThanTheFirstCommandPastIt() {
        writeJournal(5);
        // damage followed by a valid record: corruption before the tail, which a full read refuses
        RawQueue.appendDocuments(journalDir(), badCrcRecord(6), RawQueue.record(TestCommands.mixed(7), 7));
        assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        List<Long> seen = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan s = r.read(2, 4, c -> seen.add(c.seq));
            assertFalse(s.complete());
            assertEquals(5, s.lastValidSeq(), "record 5 is read to learn it is past seq 4; nothing after it is");
            assertEquals(0, s.droppedCount());
        }
        assertEquals(List.of(3L, 4L), seen);
    }

    @Test
    void shouldHandOverEveryCommandInOrderAcrossLookAheadBatches() {
        int n = JournalReader.LOOKAHEAD * 3 + 5;
        writeJournal(n);
        List<Long> seen = new ArrayList<>();
        List<Long> aheadSeen = new ArrayList<>();
        try (JournalReader r = JournalReader.open(dataDir)) {
            RecoveryScan s = r.read(0, new JournalReader.CommandVisitor() {
                @Override
                public void ahead(Command[] commands, int from, int to) {
                    assertTrue(to > from && to - from <= JournalReader.LOOKAHEAD);
                    assertEquals(seen.size(), aheadSeen.size(), "a batch is shown before any of it is visited");
                    for (int i = from; i < to; i++) {
                        aheadSeen.add(commands[i].seq);
                    }
                }

                @Override
                public boolean onCommand(Command command) {
                    return seen.add(command.seq);
                }
            });
            assertTrue(s.complete());
            assertEquals(n, s.lastValidSeq());
        }
        List<Long> all = LongStream.rangeClosed(1, n).boxed().toList();
        assertEquals(all, seen);
        assertEquals(all, aheadSeen);
    }

    @Test
    void shouldDropATornTailAndReportHowManyAndTheLastValidSeq() {
        writeJournal(5);
        RawQueue.appendDocuments(journalDir(), badCrcRecord(6), truncatedRecord(7), new byte[] {1, 2, 3});
        RecoveryScan s = scan(dataDir);
        assertTrue(s.complete());
        assertEquals(5, s.lastValidSeq());
        assertEquals(3, s.droppedCount());
        assertTrue(s.hasTornTail());
        assertEquals(s.firstDroppedIndex() + 2, s.lastDroppedIndex());
        assertEquals(s.lastDroppedIndex(), s.lastIndex());
        assertNotNull(s.firstDroppedFile());
        assertTrue(s.droppedReason().contains("CRC_MISMATCH"), s.droppedReason());
    }

    @Test
    void shouldVoidTheTornTailAndContinueAppendingAfterIt() {
        List<Command> first = writeJournal(5);
        RawQueue.appendDocuments(journalDir(), badCrcRecord(6), truncatedRecord(7));
        RecoveryScan torn = scan(dataDir);
        List<Command> more = ChronicleJournalTest.mixed(100, 10);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults(), torn)) {
            assertEquals(5, journal.lastAppendedSeq());
            ChronicleJournalTest.appendAll(journal, more, 6, 3);
        }
        RecoveryScan after = scan(dataDir);
        assertEquals(0, after.droppedCount(), after::toString);
        assertEquals(2, after.previouslyDropped());
        assertEquals(15, after.lastValidSeq());
        List<Command> expected = new ArrayList<>(first);
        expected.addAll(more);
        ChronicleJournalTest.assertSameInputs(expected, 1, ChronicleJournalTest.readAll(dataDir));
    }

    @Test
    void shouldVoidASecondTornTailAfterAnEarlierOne() {
        writeJournal(3);
        RawQueue.appendDocuments(journalDir(), badCrcRecord(4));
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            journal.append(TestCommands.mixed(4), 4);
        }
        RawQueue.appendDocuments(journalDir(), truncatedRecord(5), truncatedRecord(6));
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            assertEquals(4, journal.lastAppendedSeq());
            journal.append(TestCommands.mixed(5), 5);
        }
        RecoveryScan s = scan(dataDir);
        assertEquals(5, s.lastValidSeq());
        assertEquals(3, s.previouslyDropped());
        assertEquals(0, s.droppedCount());
    }

    @Test
    void shouldVoidATornMarkerTogetherWithTheRecordsItCovered() {
        writeJournal(3);
        RawQueue.appendDocuments(journalDir(), badCrcRecord(4));
        RecoveryScan torn = scan(dataDir);
        CommandCodec codec = new CommandCodec();
        int len = codec.encodeTailDropped(3, 1, torn.firstDroppedIndex(), torn.lastDroppedIndex(), 1);
        byte[] tornMarker = Arrays.copyOf(codec.buffer(), len - 2);
        RawQueue.appendDocuments(journalDir(), tornMarker);
        RecoveryScan s = scan(dataDir);
        assertEquals(2, s.droppedCount());
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults(), s)) {
            journal.append(TestCommands.mixed(4), 4);
        }
        assertEquals(4, scan(dataDir).lastValidSeq());
    }

    @Test
    void shouldRefuseDamageFollowedByValidRecordsNamingFileOffsetAndSeq() throws Exception {
        List<Command> commands = writeJournal(10);
        Command victim = commands.get(5); // seq 6
        assertEquals(CommandType.PLACE_ORDER, victim.type);
        Path file = RawQueue.cycleFiles(journalDir()).get(0);
        long pos = RawQueue.find(file, victim.clientOrderId);
        assertTrue(pos > 0);
        RawQueue.flipByte(file, pos + 2);

        JournalCorruptionException e = assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        assertEquals(6, e.seq());
        assertEquals(file.toFile().getCanonicalFile(), e.file().getCanonicalFile());
        assertTrue(e.offset() > 0 && e.offset() <= pos && pos < e.offset() + CommandCodec.MAX_RECORD_LENGTH,
                "offset " + e.offset() + " vs flipped byte at " + pos);
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("offset=" + e.offset()), e.getMessage());
        assertTrue(e.getMessage().contains("seq=6"), e.getMessage());
        assertTrue(e.getMessage().contains("CRC_MISMATCH"), e.getMessage());
        // the journal cannot be opened for appending either
        assertThrows(JournalCorruptionException.class, () -> ChronicleJournal.open(dataDir, JournalOptions.defaults()));
    }

    @Test
    void shouldRefuseASequenceGapOrRepeat() {
        writeJournal(3);
        RawQueue.appendDocuments(journalDir(), RawQueue.record(TestCommands.mixed(4), 5));
        JournalCorruptionException gap = assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        assertTrue(gap.getMessage().contains("gap: expected seq 4"), gap.getMessage());
        assertEquals(5, gap.seq());
    }

    @Test
    void shouldRefuseARepeatedSequence() {
        writeJournal(3);
        RawQueue.appendDocuments(journalDir(), RawQueue.record(TestCommands.mixed(4), 3));
        JournalCorruptionException repeat = assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        assertTrue(repeat.getMessage().contains("repeat"), repeat.getMessage());
    }

    @Test
    void shouldRefuseAnIntactRecordOfAnUnknownVersionEvenAtTheTail() {
        writeJournal(3);
        byte[] future = RawQueue.record(TestCommands.mixed(4), 4);
        future[RecordFrame.OFFSET_VERSION] = 9;
        TestCommands.reseal(future, future.length);
        RawQueue.appendDocuments(journalDir(), future);
        JournalCorruptionException e = assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        assertTrue(e.getMessage().contains("UNSUPPORTED_VERSION"), e.getMessage());
        assertEquals(4, e.seq());
    }

    @Test
    void shouldRefuseAMarkerThatDoesNotCoverTheDamagedRecords() {
        writeJournal(3);
        RawQueue.appendDocuments(journalDir(), badCrcRecord(4), badCrcRecord(5));
        RecoveryScan torn = scan(dataDir);
        CommandCodec codec = new CommandCodec();
        int len = codec.encodeTailDropped(3, 1, torn.firstDroppedIndex(), torn.firstDroppedIndex(), 1);
        RawQueue.appendDocuments(journalDir(), Arrays.copyOf(codec.buffer(), len));
        JournalCorruptionException e = assertThrows(JournalCorruptionException.class, () -> scan(dataDir));
        assertTrue(e.getMessage().contains("marker"), e.getMessage());
    }

    @Test
    void shouldRefuseToOpenAJournalThatChangedSinceItsScan() {
        writeJournal(3);
        RecoveryScan stale = scan(dataDir);
        RawQueue.appendDocuments(journalDir(), RawQueue.record(TestCommands.mixed(4), 4));
        assertThrows(IllegalStateException.class, () -> ChronicleJournal.open(dataDir, JournalOptions.defaults(), stale));
    }
}
