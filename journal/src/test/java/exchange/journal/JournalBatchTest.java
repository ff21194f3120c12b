package exchange.journal;

import exchange.engine.Command;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Batch records (schema version 2): several commands in one Chronicle document. */
@Timeout(60)
class JournalBatchTest {
    @TempDir
    Path dataDir;

    private Path journalDir() {
        return dataDir.resolve(JournalReader.DIRECTORY);
    }

    /** Every document's content, in order. */
    private List<byte[]> documents() {
        List<byte[]> out = new ArrayList<>();
        try (SingleChronicleQueue q = Queues.openReadOnly(journalDir()); ExcerptTailer t = q.createTailer()) {
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return out;
                    }
                    byte[] content = new byte[2 * CommandCodec.MAX_RECORD_LENGTH];
                    out.add(Arrays.copyOf(content, Queues.copyContent(dc.wire().bytes(), content)));
                }
            }
        }
    }

    private static RecoveryScan scan(Path dataDir) {
        try (JournalReader r = JournalReader.open(dataDir)) {
            return r.scan();
        }
    }

    /** Appends {@code commands} from {@code firstSeq} in pipeline batches of {@code batch}. */
    private static void appendInBatches(ChronicleJournal journal, List<Command> commands, long firstSeq, int batch) {
        for (int i = 0; i < commands.size(); i++) {
            if (i % batch == 0) {
                journal.beginBatch();
            }
            journal.append(commands.get(i), firstSeq + i);
            if ((i + 1) % batch == 0 || i == commands.size() - 1) {
                journal.endOfBatch();
            }
        }
    }

    @Test
    void shouldReadBackEveryCommandOfBatchRecordsInOrder() {
        List<Command> commands = ChronicleJournalTest.mixed(0, 500);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            appendInBatches(journal, commands, 1, 64);
            assertEquals(500, journal.lastAppendedSeq());
        }
        ChronicleJournalTest.assertSameInputs(commands, 1, ChronicleJournalTest.readAll(dataDir));
        List<byte[]> docs = documents();
        assertTrue(docs.size() < 500 / 4, docs.size() + " documents for 500 commands");
        for (byte[] d : docs) {
            assertTrue(d.length <= CommandCodec.MAX_RECORD_LENGTH, "document of " + d.length + " bytes");
        }
        RecoveryScan s = scan(dataDir);
        assertEquals(500, s.commandCount());
        assertEquals(500, s.lastValidSeq());
    }

    @Test
    void shouldReadBatchRecordsAheadOnTheDecoderThreadAndStopInsideOne() {
        List<Command> commands = ChronicleJournalTest.mixed(0, 300);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            appendInBatches(journal, commands, 1, 100);
        }
        try (JournalReader r = JournalReader.open(dataDir)) {
            List<Long> seqs = new ArrayList<>();
            RecoveryScan upTo = r.read(0, 150, c -> seqs.add(c.seq)); // 150 is inside a batch record
            assertFalse(upTo.complete());
            assertEquals(150, seqs.size());
            seqs.clear();
            RecoveryScan ahead = r.readDecodingAhead(100, Long.MAX_VALUE, c -> seqs.add(c.seq));
            assertTrue(ahead.complete());
            assertEquals(200, seqs.size());
            for (int i = 0; i < seqs.size(); i++) {
                assertEquals(101 + i, seqs.get(i));
            }
            assertEquals(300, ahead.lastValidSeq());
        }
    }

    @Test
    void shouldWriteABatchOfOneAndAppendsOutsideABatchAsPlainVersionOneRecords() {
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            journal.beginBatch();
            journal.append(TestCommands.mixed(1), 1);
            journal.endOfBatch();
            journal.append(TestCommands.mixed(2), 2);
        }
        List<byte[]> docs = documents();
        assertEquals(2, docs.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(CommandCodec.RECORD_VERSION, docs.get(i)[RecordFrame.OFFSET_VERSION]);
            assertTrue(Arrays.equals(RawQueue.record(TestCommands.mixed(i + 1), i + 1), docs.get(i)), "record " + (i + 1));
        }
    }

    @Test
    void shouldWriteWhatABatchHoldsWhenForcedInItsMiddle() {
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            journal.beginBatch();
            for (int seq = 1; seq <= 3; seq++) {
                journal.append(TestCommands.mixed(seq), seq);
            }
            assertEquals(0, journal.lastAppendedSeq());
            journal.force(); // a SNAPSHOT command inside a batch
            assertEquals(3, journal.lastAppendedSeq());
            assertEquals(3, journal.lastSyncedSeq());
            assertEquals(3, scan(dataDir).lastValidSeq());
            journal.append(TestCommands.mixed(4), 4);
            journal.endOfBatch();
        }
        ChronicleJournalTest.assertSameInputs(ChronicleJournalTest.mixed(1, 4), 1, ChronicleJournalTest.readAll(dataDir));
    }

    @Test
    void shouldBeRefusedAsIntactNotDamagedByAVersionOneReader() {
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            appendInBatches(journal, ChronicleJournalTest.mixed(1, 40), 1, 40);
        }
        byte[] batch = documents().get(0);
        assertEquals(CommandCodec.TYPE_BATCH, batch[RecordFrame.OFFSET_TYPE] & 0xFF);
        RecordFrame versionOne = new RecordFrame(CommandCodec.MAGIC, 1, "journal", CommandCodec.MAX_RECORD_LENGTH);
        JournalFormatException e = assertThrows(JournalFormatException.class, () -> versionOne.open(batch, 0, batch.length));
        assertEquals(JournalFormatException.Reason.UNSUPPORTED_VERSION, e.reason());
        assertFalse(e.isDamage());
    }

    @Test
    void shouldDropADamagedBatchRecordAtTheTailAndContinueAfterIt() {
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            appendInBatches(journal, ChronicleJournalTest.mixed(1, 3), 1, 3);
        }
        byte[] torn = batchOf(4, 5, 6);
        torn[torn.length / 2] ^= 0x5A;
        RawQueue.appendDocuments(journalDir(), torn);
        RecoveryScan s = scan(dataDir);
        assertEquals(3, s.lastValidSeq());
        assertEquals(1, s.droppedCount());
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults(), s)) {
            appendInBatches(journal, ChronicleJournalTest.mixed(4, 3), 4, 3);
        }
        RecoveryScan after = scan(dataDir);
        assertEquals(6, after.lastValidSeq());
        assertEquals(1, after.previouslyDropped());
        ChronicleJournalTest.assertSameInputs(ChronicleJournalTest.mixed(1, 6), 1, ChronicleJournalTest.readAll(dataDir));
    }

    @Test
    void shouldRefuseAnIntactBatchHoldingAMarkerOrAnOverlongRecordAsCorruption() {
        CommandCodec codec = new CommandCodec();
        byte[] withMarker = new byte[CommandCodec.MAX_RECORD_LENGTH];
        byte[] command = RawQueue.record(TestCommands.mixed(1), 1);
        System.arraycopy(command, 0, withMarker, CommandCodec.HEADER_LENGTH, command.length);
        int markerLen = codec.encodeTailDropped(1, 1, 0, 0, 1);
        System.arraycopy(codec.buffer(), 0, withMarker, CommandCodec.HEADER_LENGTH + command.length, markerLen);
        int len = codec.frameBatch(withMarker, command.length + markerLen, 1, 1);
        RawQueue.appendDocuments(journalDir(), Arrays.copyOf(withMarker, len));
        assertThrows(JournalCorruptionException.class, () -> scan(dataDir));

        Path other = dataDir.resolve("other");
        byte[] overlong = new byte[CommandCodec.MAX_RECORD_LENGTH];
        System.arraycopy(command, 0, overlong, CommandCodec.HEADER_LENGTH, command.length);
        RecordFrame.putIntLE(overlong, CommandCodec.HEADER_LENGTH + RecordFrame.OFFSET_PAYLOAD_LENGTH, 500);
        len = codec.frameBatch(overlong, command.length, 1, 1);
        RawQueue.appendDocuments(other.resolve(JournalReader.DIRECTORY), Arrays.copyOf(overlong, len));
        assertThrows(JournalCorruptionException.class, () -> scan(other));
    }

    /** A batch record of the mixed commands at {@code seqs}. */
    private static byte[] batchOf(long... seqs) {
        CommandCodec codec = new CommandCodec();
        byte[] buf = new byte[CommandCodec.MAX_RECORD_LENGTH];
        int at = CommandCodec.HEADER_LENGTH;
        for (long seq : seqs) {
            byte[] rec = RawQueue.record(TestCommands.mixed((int) seq), seq);
            System.arraycopy(rec, 0, buf, at, rec.length);
            at += rec.length;
        }
        int len = codec.frameBatch(buf, at - CommandCodec.HEADER_LENGTH, seqs[0], 0);
        return Arrays.copyOf(buf, len);
    }
}
