package exchange.journal;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(120)
class RecoveryTest {
    private static final ExchangeConfig CONFIG = TestFlow.config();

    @TempDir
    Path dataDir;

    /** Counts events of one type, to show a flow really traded. */
    private static final class Counter implements EventSink {
        long trades;
        long all;

        @Override
        public void onEvent(EngineEvent e) {
            all++;
            if (e.type == EventType.TRADE_EXECUTED) {
                trades++;
            }
        }
    }

    /**
     * Runs {@code flow[from, to)} as the pipeline does, journaling each command (with the sequence
     * the engine will give it) before applying it, and writing a snapshot after each index listed in
     * {@code snapshotAfter}.
     */
    private void run(Exchange live, List<Command> flow, int from, int to, ChronicleJournal journal, EventSink sink,
                     int... snapshotAfter) {
        SnapshotStore store = new SnapshotStore(dataDir);
        for (int i = from; i < to; i++) {
            Command c = TestFlow.copy(flow.get(i));
            journal.append(c, live.lastSeq() + 1);
            live.apply(c, sink);
            if (i % 16 == 15) {
                journal.endOfBatch();
            }
            for (int s : snapshotAfter) {
                if (s == i + 1) {
                    BufferSnapshotOutput out = new BufferSnapshotOutput();
                    live.writeSnapshot(out);
                    store.write(live.lastSeq(), out);
                }
            }
        }
        journal.endOfBatch();
    }

    private Exchange runLive(List<Command> flow, DurabilityMode mode, EventSink sink, int... snapshotAfter) {
        Exchange live = new Exchange(CONFIG);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults().withDurability(mode))) {
            run(live, flow, 0, flow.size(), journal, sink, snapshotAfter);
        }
        return live;
    }

    /** The reference: a fresh exchange applying the first {@code n} commands. */
    private static Exchange replayFresh(List<Command> flow, int n) {
        Exchange x = new Exchange(CONFIG);
        for (int i = 0; i < n; i++) {
            x.apply(TestFlow.copy(flow.get(i)), EventSink.NONE);
        }
        return x;
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 42, 20_261_121})
    void shouldRecoverFromTheNewestSnapshotPlusJournalTailToTheStateOfAFullReplay(long seed) {
        List<Command> flow = new TestFlow(seed).commands(3_000);
        Counter counter = new Counter();
        Exchange live = runLive(flow, DurabilityMode.PROCESS, counter, 1_000, 2_000);
        assertTrue(counter.trades > 100, "seed " + seed + ": the flow should trade, traded " + counter.trades);

        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);

        String seedInfo = "seed " + seed + ": " + r;
        assertEquals(2_000, r.snapshotSeq(), seedInfo);
        assertEquals(dataDir.resolve("snapshots").resolve(SnapshotStore.fileName(2_000)), r.snapshotFile(), seedInfo);
        assertEquals(1_000, r.commandsReplayed(), seedInfo);
        assertEquals(3_000, r.finalSeq(), seedInfo);
        assertEquals(0, r.tornRecordsDropped(), seedInfo);
        assertEquals(replayFresh(flow, 3_000).stateHash(), r.stateHash(), seedInfo);
        assertEquals(live.stateHash(), r.exchange().stateHash(), seedInfo);
        assertTrue(r.scan().complete(), seedInfo);
    }

    @Test
    void shouldRecoverFromTheJournalAloneWhenThereIsNoSnapshot() {
        List<Command> flow = new TestFlow(7).commands(800);
        Exchange live = runLive(flow, DurabilityMode.SYNC, EventSink.NONE);
        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertNull(r.snapshotFile());
        assertEquals(0, r.snapshotSeq());
        assertEquals(800, r.commandsReplayed());
        assertEquals(live.stateHash(), r.stateHash());
    }

    @Test
    void shouldRecoverAnEmptyDataDirectoryToAFreshExchange() {
        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertEquals(0, r.finalSeq());
        assertEquals(new Exchange(CONFIG).stateHash(), r.stateHash());
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewestIsCorrupt() throws Exception {
        List<Command> flow = new TestFlow(11).commands(1_500);
        Exchange live = runLive(flow, DurabilityMode.PROCESS, EventSink.NONE, 500, 1_000);
        Path newest = dataDir.resolve("snapshots").resolve(SnapshotStore.fileName(1_000));
        RawQueue.flipByte(newest, Files.size(newest) / 2);

        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertEquals(500, r.snapshotSeq());
        assertEquals(1_000, r.commandsReplayed());
        assertEquals(live.stateHash(), r.stateHash());
    }

    @Test
    void shouldReplayTheWholeJournalWhenTheSnapshotsAreInAnotherEngineFormat() {
        List<Command> flow = new TestFlow(12).commands(900);
        Exchange live = runLive(flow, DurabilityMode.PROCESS, EventSink.NONE);
        // a snapshot at seq 600 as an engine with another snapshot layout wrote it: checksum fine, format unknown
        Exchange at600 = replayFresh(flow, 600);
        BufferSnapshotOutput out = new BufferSnapshotOutput();
        at600.writeSnapshot(out);
        out.setByte(0, (byte) 99); // the engine's snapshot format number is the payload's first int
        new SnapshotStore(dataDir).write(600, out);

        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertNull(r.snapshotFile(), "the unreadable snapshot is skipped");
        assertEquals(900, r.commandsReplayed());
        assertEquals(live.stateHash(), r.stateHash());
    }

    @Test
    void shouldStopAtTheRequestedSeqUsingASnapshotAtOrBeforeIt() {
        List<Command> flow = new TestFlow(3).commands(1_200);
        runLive(flow, DurabilityMode.PROCESS, EventSink.NONE, 400, 1_000);
        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE, 700);
        assertEquals(400, r.snapshotSeq());
        assertEquals(300, r.commandsReplayed());
        assertEquals(700, r.finalSeq());
        assertEquals(replayFresh(flow, 700).stateHash(), r.stateHash());
    }

    @Test
    void shouldRefuseWhenTheJournalEndsBeforeTheSnapshot() {
        List<Command> flow = new TestFlow(5).commands(60);
        Exchange live = new Exchange(CONFIG);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            run(live, flow, 0, 40, journal, EventSink.NONE);
        }
        for (int i = 40; i < 60; i++) {
            live.apply(TestFlow.copy(flow.get(i)), EventSink.NONE); // applied but never journaled
        }
        BufferSnapshotOutput out = new BufferSnapshotOutput();
        live.writeSnapshot(out);
        new SnapshotStore(dataDir).write(live.lastSeq(), out);

        RecoveryException e = assertThrows(RecoveryException.class, () -> Recovery.recover(dataDir, CONFIG, EventSink.NONE));
        assertTrue(e.getMessage().contains("journal ends at seq 40"), e.getMessage());
        assertTrue(e.getMessage().contains("seq 60"), e.getMessage());
    }

    @Test
    void shouldRefuseWhenTheJournalStartsAfterTheSnapshot() {
        List<Command> flow = new TestFlow(6).commands(80);
        Exchange snapshotted = replayFresh(flow, 50);
        BufferSnapshotOutput out = new BufferSnapshotOutput();
        snapshotted.writeSnapshot(out);
        new SnapshotStore(dataDir).write(50, out);
        Path journalDir = dataDir.resolve(JournalReader.DIRECTORY);
        for (int i = 60; i < 80; i++) {
            RawQueue.appendDocuments(journalDir, RawQueue.record(flow.get(i), i + 1)); // seqs 61..80: 51..60 missing
        }
        RecoveryException e = assertThrows(RecoveryException.class, () -> Recovery.recover(dataDir, CONFIG, EventSink.NONE));
        assertTrue(e.getMessage().contains("continues at seq 61"), e.getMessage());
        assertTrue(e.getMessage().contains("needs seq 51"), e.getMessage());
    }

    @Test
    void shouldDropATornTailReportItAndContinueAfterRecovery() {
        List<Command> flow = new TestFlow(9).commands(400);
        Exchange live = new Exchange(CONFIG);
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults())) {
            run(live, flow, 0, 300, journal, EventSink.NONE);
        }
        byte[] torn = RawQueue.record(flow.get(300), 301);
        RawQueue.appendDocuments(dataDir.resolve(JournalReader.DIRECTORY), java.util.Arrays.copyOf(torn, torn.length - 5));

        Recovery.Result r = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertEquals(1, r.tornRecordsDropped());
        assertEquals(300, r.finalSeq());
        assertEquals(live.stateHash(), r.stateHash());

        Exchange recovered = r.exchange();
        try (ChronicleJournal journal = ChronicleJournal.open(dataDir, JournalOptions.defaults(), r.scan())) {
            run(recovered, flow, 300, 400, journal, EventSink.NONE);
        }
        Recovery.Result again = Recovery.recover(dataDir, CONFIG, EventSink.NONE);
        assertEquals(0, again.tornRecordsDropped());
        assertEquals(1, again.scan().previouslyDropped());
        assertEquals(400, again.finalSeq());
        assertEquals(replayFresh(flow, 400).stateHash(), again.stateHash());
    }

    @Test
    void shouldNotDuplicateEventsWhenRecoveryReplaysIntoTheEventsQueue() {
        List<Command> flow = new TestFlow(13).commands(600);
        Counter liveEvents = new Counter();
        try (EventJournal events = EventJournal.open(dataDir, JournalOptions.defaults())) {
            runLive(flow, DurabilityMode.PROCESS, e -> {
                liveEvents.onEvent(e);
                events.onEvent(e);
            }, 300);
        }
        long replayedEvents;
        try (EventJournal events = EventJournal.open(dataDir, JournalOptions.defaults())) {
            Recovery.Result r = Recovery.recover(dataDir, CONFIG, events);
            assertEquals(300, r.commandsReplayed());
            replayedEvents = events.skippedDuplicates();
        }
        assertTrue(replayedEvents > 0);
        long inQueue = 0;
        try (EventTailer tailer = EventTailer.openReadOnly(dataDir).fromStart()) {
            EngineEvent e = new EngineEvent();
            while (tailer.next(e)) {
                inQueue++;
            }
        }
        assertEquals(liveEvents.all, inQueue);
    }
}
