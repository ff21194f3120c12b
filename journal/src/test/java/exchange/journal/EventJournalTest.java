package exchange.journal;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class EventJournalTest {
    @TempDir
    Path dataDir;

    /** {@code perSeq} events for each sequence in [from, to]. */
    static List<EngineEvent> events(long from, long to, int perSeq) {
        List<EngineEvent> list = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            for (int k = 0; k < perSeq; k++) {
                EngineEvent e = new EngineEvent().reset(k == 0 ? EventType.ORDER_ACCEPTED : EventType.TRADE_EXECUTED, seq,
                        1_763_700_000_000_000_000L + seq);
                e.orderId = seq * 10 + k;
                e.accountId = 1 + k;
                e.symbol = "AAPL";
                e.side = Side.BUY;
                e.qty = 5;
                e.priceTicks = 1_872_500L;
                e.amount = 9_362_500L;
                list.add(e);
            }
        }
        return list;
    }

    private List<EngineEvent> readFrom(EventTailer tailer) {
        List<EngineEvent> out = new ArrayList<>();
        EngineEvent e = new EngineEvent();
        while (tailer.next(e)) {
            out.add(e.copy());
        }
        return out;
    }

    private List<EngineEvent> readAll() {
        try (EventTailer t = EventTailer.openReadOnly(dataDir).fromStart()) {
            return readFrom(t);
        }
    }

    @Test
    void shouldReadBackEventsFromTheStartAndFromASeq() {
        List<EngineEvent> written = events(1, 20, 2);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            written.forEach(journal::onEvent);
            assertEquals(20, journal.lastSeq());
            assertTrue(journal.bytesWritten() > 0);
        }
        assertEquals(written, readAll());
        try (EventTailer t = EventTailer.openReadOnly(dataDir).fromSeq(18)) {
            assertEquals(written.subList(34, 40), readFrom(t));
        }
    }

    @Test
    void shouldResumeAtAStoredIndexWhenAFollowerReopens() {
        List<EngineEvent> written = events(1, 30, 2);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            written.forEach(journal::onEvent);
        }
        long index;
        try (EventTailer t = EventTailer.openReadOnly(dataDir).fromStart()) {
            assertEquals(EventTailer.NO_INDEX, t.index());
            EngineEvent e = new EngineEvent();
            for (int i = 0; i < 21; i++) {
                assertTrue(t.next(e));
            }
            assertEquals(written.get(20), e);
            index = t.index();
            assertEquals(30, t.lastSeq());
            assertEquals(written.get(21), readFrom(t).get(0), "lastSeq() leaves the read position alone");
        }
        try (EventTailer t = EventTailer.openReadOnly(dataDir)) {
            assertTrue(t.moveToIndex(index));
            assertEquals(written.subList(20, 60), readFrom(t));
            assertFalse(t.moveToIndex(index + 1_000));
            assertFalse(t.moveToIndex(EventTailer.NO_INDEX));
        }
    }

    @Test
    void shouldSkipEventsAlreadyPresentWhenTheJournalIsReplayedAfterReopening() {
        List<EngineEvent> all = events(1, 6, 3);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            // crash after the second of the three events of seq 4
            all.subList(0, 3 * 3 + 2).forEach(journal::onEvent);
        }
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            assertEquals(4, journal.lastSeq());
            all.forEach(journal::onEvent);
            assertEquals(11, journal.skippedDuplicates());
            assertEquals(6, journal.lastSeq());
        }
        assertEquals(all, readAll());
    }

    @Test
    void shouldFollowEventsAppendedAfterTheTailerWentToTheEnd() {
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults());
             EventTailer tailer = EventTailer.openReadOnly(dataDir)) {
            events(1, 3, 1).forEach(journal::onEvent);
            tailer.toEnd();
            EngineEvent e = new EngineEvent();
            assertFalse(tailer.next(e));
            List<EngineEvent> later = events(4, 5, 1);
            later.forEach(journal::onEvent);
            assertEquals(later, readFrom(tailer));
        }
    }

    @Test
    void shouldWaitForTheQueueAndLeaveTheDataDirectoryUntouched() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] polls = {0};
        int status = TailEvents.run(new String[] {"--data-dir", dataDir.toString(), "--from-start"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, () -> ++polls[0] > 3);
        assertEquals(0, status);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
        assertFalse(Files.exists(dataDir.resolve(EventJournal.DIRECTORY)), "the tool created nothing");
        assertEquals(0, TailEvents.run(new String[] {"--data-dir", dataDir.toString(), "--no-follow"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, () -> false));
    }

    @Test
    void shouldSkipAndCountADamagedEventRecord() {
        List<EngineEvent> written = events(1, 2, 1);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            journal.onEvent(written.get(0));
        }
        EventCodec codec = new EventCodec();
        int len = codec.encode(events(9, 9, 1).get(0));
        byte[] bad = java.util.Arrays.copyOf(codec.buffer(), len);
        bad[len - 1] ^= 1;
        RawQueue.appendDocuments(dataDir.resolve(EventJournal.DIRECTORY), bad);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            assertEquals(1, journal.lastSeq());
            journal.onEvent(written.get(1));
        }
        try (EventTailer t = EventTailer.openReadOnly(dataDir).fromStart()) {
            assertEquals(written, readFrom(t));
            assertEquals(1, t.skippedRecords());
        }
    }

    @Test
    void shouldPrintEventsAsJsonLinesFromTheStart() {
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            events(1, 3, 1).forEach(journal::onEvent);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = TailEvents.run(new String[] {"--data-dir", dataDir.toString(), "--from-start", "--no-follow"},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8),
                () -> false);
        assertEquals(0, status, err.toString(StandardCharsets.UTF_8));
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(3, lines.length);
        assertTrue(lines[0].startsWith("{\"type\":\"order_accepted\",\"seq\":1,"), lines[0]);
        assertTrue(lines[2].contains("\"limit_price\":\"187.25\""), lines[2]);
        assertTrue(lines[2].contains("\"hold_amount\":\"936.25\""), lines[2]);
    }

    @Test
    void shouldPrintOnlyEventsFromTheGivenSeqAndStopWhenAsked() {
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            events(1, 5, 1).forEach(journal::onEvent);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] polls = {0};
        int status = TailEvents.run(new String[] {"--data-dir", dataDir.toString(), "--from-seq", "4"},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, () -> ++polls[0] > 10);
        assertEquals(0, status);
        String[] lines = out.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("\"seq\":4"), lines[0]);
        assertTrue(lines[1].contains("\"seq\":5"), lines[1]);
    }

    @Test
    void shouldRejectBadArgumentsWithStatusTwo() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(2, TailEvents.run(new String[] {"--bogus"}, System.out, errStream, () -> true));
        assertEquals(2, TailEvents.run(new String[] {"--from-start", "--from-seq", "3"}, System.out, errStream, () -> true));
        assertEquals(2, TailEvents.run(new String[] {"--data-dir"}, System.out, errStream, () -> true));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage"));
    }
}
