package exchange.readside;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import net.openhft.chronicle.core.time.SetTimeProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class ProjectionRunnerTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dataDir;

    /** A "durable" store that outlives a projection instance: what was committed, in order. */
    static final class Store {
        final List<String> committed = new ArrayList<>();
        long appliedSeq;
        long queueIndex = Projection.NO_INDEX;
        int commits;
    }

    /** Records "seq:orderId" per event; commits copy the batch into the store. */
    static final class RecordingProjection implements Projection {
        final Store store;
        final List<String> batch = new ArrayList<>();
        final long failAtSeq;

        RecordingProjection(Store store, long failAtSeq) {
            this.store = store;
            this.failAtSeq = failAtSeq;
        }

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public long appliedSeq() {
            return store.appliedSeq;
        }

        @Override
        public long appliedQueueIndex() {
            return store.queueIndex;
        }

        @Override
        public void apply(EngineEvent e) {
            if (e.seq == failAtSeq) {
                throw new IllegalStateException("boom at " + e.seq);
            }
            batch.add(e.seq + ":" + e.orderId);
        }

        @Override
        public void commit(long throughSeq) {
            commit(throughSeq, NO_INDEX);
        }

        @Override
        public void commit(long throughSeq, long queueIndex) {
            synchronized (store) {
                store.committed.addAll(batch);
                store.appliedSeq = throughSeq;
                store.queueIndex = queueIndex;
                store.commits++;
            }
            batch.clear();
        }

        @Override
        public void close() {
            batch.clear();
        }
    }

    private static EngineEvent event(long seq, long orderId) {
        EngineEvent e = new EngineEvent().reset(EventType.ORDER_CANCELED, seq, 1_000_000_000L * seq);
        e.orderId = orderId;
        return e;
    }

    /** Seqs from..to, with {@code perSeq} events each (order ids seq*10+k). */
    private static void append(EventJournal journal, long from, long to, int perSeq) {
        for (long seq = from; seq <= to; seq++) {
            for (int k = 0; k < perSeq; k++) {
                journal.onEvent(event(seq, seq * 10 + k));
            }
        }
    }

    private static List<String> expected(long from, long to, int perSeq) {
        List<String> out = new ArrayList<>();
        for (long seq = from; seq <= to; seq++) {
            for (int k = 0; k < perSeq; k++) {
                out.add(seq + ":" + (seq * 10 + k));
            }
        }
        return out;
    }

    private ProjectionRunner runner(Store store, LongSupplier complete, int batch) {
        return new ProjectionRunner(new RecordingProjection(store, -1), dataDir, complete, batch, Duration.ofMillis(5),
                ProjectionRunner::systemEpochNanos);
    }

    @Test
    void shouldHoldBackACommandWhenItsEventsAreNotAllAppendedYet() throws Exception {
        Store store = new Store();
        AtomicLong complete = new AtomicLong(4);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 4, 2);
            journal.onEvent(event(5, 50));                 // seq 5: first of three events
            journal.onEvent(event(5, 51));
            try (ProjectionRunner runner = runner(store, complete::get, 3).start()) {
                assertTrue(runner.awaitSeq(4, WAIT));
                // the queue is drained, but the pipeline says only seq 4 is complete: 5 is held back
                Thread.sleep(100);
                assertEquals(4, runner.appliedSeq());
                synchronized (store) {
                    assertEquals(expected(1, 4, 2), store.committed);
                }
                assertTrue(runner.lagMillis() > 0, "seq 5 is read but not applied");
                journal.onEvent(event(5, 52));
                complete.set(5);
                runner.wakeUp();
                assertTrue(runner.awaitSeq(5, WAIT));
                synchronized (store) {
                    List<String> want = expected(1, 4, 2);
                    want.addAll(List.of("5:50", "5:51", "5:52"));
                    assertEquals(want, store.committed, "seq 5 applied whole, in one batch");
                }
                assertEquals(0, runner.lagEvents());
                assertTrue(runner.batches() >= 2);
                assertEquals(11, runner.eventsApplied());
            }
        }
    }

    @Test
    void shouldMissOrDoubleNoEventWhenReopenedAfterAClose() throws Exception {
        Store store = new Store();
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 50, 3);
            try (ProjectionRunner runner = runner(store, () -> Long.MAX_VALUE, 7).start()) {
                assertTrue(runner.awaitSeq(50, WAIT));
                assertEquals(0, runner.lagEvents());
                assertFalse(runner.rebuilding());
            }
            assertNotEquals(Projection.NO_INDEX, store.queueIndex);
            append(journal, 51, 80, 2);
        }
        try (ProjectionRunner runner = runner(store, () -> Long.MAX_VALUE, 7).start()) {
            assertFalse(runner.rebuilding(), "a store with applied seq resumes, it does not rebuild");
            assertTrue(runner.awaitSeq(80, WAIT));
        }
        List<String> want = expected(1, 50, 3);
        want.addAll(expected(51, 80, 2));
        assertEquals(want, store.committed);
        // a stale index (another queue's) falls back to a scan by seq, still without doubles
        store.queueIndex = 12345;
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 81, 82, 1);
        }
        try (ProjectionRunner runner = runner(store, () -> Long.MAX_VALUE, 7).start()) {
            assertTrue(runner.awaitSeq(82, WAIT));
        }
        want.addAll(expected(81, 82, 1));
        assertEquals(want, store.committed);
    }

    @Test
    void shouldAwaitSeqTrueAfterCatchingUpAndFalseOnTimeout() throws Exception {
        Store store = new Store();
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 10, 1);
            try (ProjectionRunner runner = runner(store, journal::lastSeq, 100).start()) {
                assertTrue(runner.awaitSeq(10, WAIT));
                assertFalse(runner.awaitSeq(11, Duration.ofMillis(50)));
                append(journal, 11, 11, 1);
                assertTrue(runner.awaitSeq(11, WAIT));
            }
        }
    }

    @Test
    void shouldServeAWaiterWithoutWaitingOutTheBatchInterval() throws Exception {
        Store store = new Store();
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 3, 1);
            try (ProjectionRunner runner = new ProjectionRunner(new RecordingProjection(store, -1), dataDir,
                    journal::lastSeq, 100, Duration.ofSeconds(1), Duration.ofSeconds(1),
                    ProjectionRunner::systemEpochNanos).start()) {
                assertTrue(runner.awaitSeq(3, WAIT));
                append(journal, 4, 6, 1);   // while the runner pauses for its interval
                assertTrue(runner.awaitSeq(6, WAIT), "a waiter ends the pause");
                assertEquals(expected(1, 6, 1), store.committed);
            }
        }
    }

    @Test
    void shouldRejectABatchIntervalOutsideZeroToOneSecond() {
        assertThrows(IllegalArgumentException.class, () -> new ProjectionRunner(new RecordingProjection(new Store(), -1),
                dataDir, () -> 0, 100, Duration.ofMillis(5), Duration.ofMillis(-1), ProjectionRunner::systemEpochNanos));
        assertThrows(IllegalArgumentException.class, () -> new ProjectionRunner(new RecordingProjection(new Store(), -1),
                dataDir, () -> 0, 100, Duration.ofMillis(5), Duration.ofMillis(1001), ProjectionRunner::systemEpochNanos));
    }

    @Test
    void shouldAdvancePastCommandsWithoutEventsWhenThePipelineSaysTheyAreComplete() throws Exception {
        Store store = new Store();
        AtomicLong complete = new AtomicLong(3);
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 3, 1);
            try (ProjectionRunner runner = runner(store, complete::get, 100).start()) {
                assertTrue(runner.awaitSeq(3, WAIT));
                complete.set(6);     // seqs 4..6 emitted no event (a duplicate transfer, say)
                assertTrue(runner.awaitSeq(6, WAIT));
                assertEquals(3, store.appliedSeq, "nothing to commit for them");
            }
        }
    }

    @Test
    void shouldStopWithoutSkippingWhenTheProjectionThrows() throws Exception {
        Store store = new Store();
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            append(journal, 1, 20, 1);
        }
        ProjectionRunner runner = new ProjectionRunner(new RecordingProjection(store, 12), dataDir,
                () -> Long.MAX_VALUE, 5, Duration.ofMillis(5), ProjectionRunner::systemEpochNanos).start();
        try {
            assertFalse(runner.awaitSeq(20, WAIT), "the waiter is released when the runner stops");
            assertTrue(runner.isStopped());
            assertInstanceOf(IllegalStateException.class, runner.failure());
            assertEquals(10, runner.appliedSeq(), "batches of 5: 1..5 and 6..10 committed, 11..15 failed");
            assertEquals(expected(1, 10, 1), store.committed);
        } finally {
            runner.close();
        }
        assertTrue(runner.failure() != null);
    }

    @Test
    void shouldFollowAndResumeAcrossQueueFilesWhenTheWriterRolls() throws Exception {
        SetTimeProvider clock = new SetTimeProvider(1_700_000_000_000L * 1_000_000L);
        JournalOptions hourly = JournalOptions.defaults().withRollCycle("FAST_HOURLY").withTimeProvider(clock);
        Store store = new Store();
        // as the pipeline does, a command counts as appended once all its events are (the journal's
        // last seq would count seq 6 whole after its first event, and the runner may commit it so)
        AtomicLong appendedThrough = new AtomicLong();
        try (EventJournal journal = EventJournal.open(dataDir, hourly)) {
            append(journal, 1, 3, 2);
            appendedThrough.set(3);
            try (ProjectionRunner runner = runner(store, appendedThrough::get, 4).start()) {
                assertTrue(runner.awaitSeq(3, WAIT));
                clock.advanceMillis(3_600_000);
                append(journal, 4, 6, 2);
                appendedThrough.set(6);
                assertTrue(runner.awaitSeq(6, WAIT), "followed into the next hour's file");
            }
            clock.advanceMillis(3_600_000);
            append(journal, 7, 9, 2);
        }
        try (var files = Files.list(dataDir.resolve(EventJournal.DIRECTORY))) {
            assertEquals(3, files.filter(p -> p.toString().endsWith(".cq4")).count());
        }
        try (ProjectionRunner runner = runner(store, () -> Long.MAX_VALUE, 4).start()) {
            assertTrue(runner.awaitSeq(9, WAIT), "resumed at an index of an earlier file");
        }
        assertEquals(expected(1, 9, 2), store.committed);
    }

    @Test
    void shouldWaitForTheQueueWhenItDoesNotExistYet() throws Exception {
        Store store = new Store();
        try (ProjectionRunner runner = runner(store, () -> Long.MAX_VALUE, 100).start()) {
            assertFalse(runner.awaitSeq(1, Duration.ofMillis(50)));
            try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
                append(journal, 1, 2, 2);
                assertTrue(runner.awaitSeq(2, WAIT));
            }
            assertNull(runner.failure());
        }
    }
}
