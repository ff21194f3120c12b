package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ResultCode;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ExchangePipelineTest {
    private static final CommandTranslator<String> CREATE_ACCOUNT = (slot, name) -> {
        slot.type = CommandType.CREATE_ACCOUNT;
        slot.name = name;
        slot.timestampNanos = 1;
    };
    private static final CommandTranslator<Long> QUERY_STATE = (slot, ignored) -> slot.type = CommandType.QUERY_STATE;

    /**
     * An engine stub that waits for {@code gate} before each command, then answers OK, or throws
     * on account creation if {@code failOnAccounts}.
     */
    private static CommandProcessor gated(CountDownLatch gate, boolean failOnAccounts) {
        return (c, events) -> {
            awaitQuietly(gate);
            if (failOnAccounts && c.type == CommandType.CREATE_ACCOUNT) {
                throw new IllegalStateException("invariant broken");
            }
            c.clearResult();
            c.result = ResultCode.OK;
        };
    }

    /** A journal that records the sequence of each append, after waiting for {@code gate}. */
    private static JournalPort recording(List<Long> seqs, CountDownLatch gate) {
        return new JournalPort() {
            @Override
            public void append(Command command, long seq) {
                awaitQuietly(gate);
                seqs.add(seq);
            }

            @Override
            public void endOfBatch() {
            }
        };
    }

    private static void awaitQuietly(CountDownLatch gate) {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldAnswerEveryCommandInEngineOrderAndNumberJournaledOnesLikeTheEngine() throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        List<Long> journaledSeqs = new CopyOnWriteArrayList<>();
        List<Long> resultOrder = new CopyOnWriteArrayList<>();
        JournalPort journal = recording(journaledSeqs, new CountDownLatch(0));
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(64)
                .processor(new ExchangeProcessor(exchange, null)).journal(journal)
                .resultListener(c -> resultOrder.add(c.seq))).start()) {
            List<CompletableFuture<CommandResult>> futures = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                futures.add(pipeline.tryPublish(CREATE_ACCOUNT, "acct" + i));
                futures.add(pipeline.tryPublish(QUERY_STATE, 0L));
            }
            for (int i = 0; i < futures.size(); i++) {
                CommandResult r = futures.get(i).get(5, TimeUnit.SECONDS);
                assertEquals(ResultCode.OK, r.result());
                if (i % 2 == 0) {
                    assertEquals(i / 2 + 1, r.resultAccountId());
                    assertEquals(i / 2 + 1, r.seq());
                } else {
                    assertEquals(0, r.seq(), "queries take no sequence");
                }
            }
            assertEquals(20, journaledSeqs.size(), "only state-changing commands are journaled");
            for (int i = 0; i < 20; i++) {
                assertEquals(i + 1, journaledSeqs.get(i));
            }
            assertEquals(40, resultOrder.size());
        }
        assertEquals(20, exchange.lastSeq());
    }

    @Test
    void shouldReturnNullInsteadOfBlockingWhenTheRingIsFull() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CommandProcessor slow = gated(release, false);
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(8).processor(slow)).start()) {
            List<CompletableFuture<CommandResult>> accepted = new ArrayList<>();
            int rejected = 0;
            for (int i = 0; i < 50; i++) {
                CompletableFuture<CommandResult> f = pipeline.tryPublish(QUERY_STATE, 0L);
                if (f == null) {
                    rejected++;
                } else {
                    accepted.add(f);
                }
            }
            assertEquals(8, accepted.size(), "exactly the ring's capacity is accepted");
            assertEquals(42, rejected);
            assertEquals(0, pipeline.remainingCapacity());
            release.countDown();
            for (CompletableFuture<CommandResult> f : accepted) {
                assertEquals(ResultCode.OK, f.get(5, TimeUnit.SECONDS).result());
            }
            // the results stage answers a slot before its sequence advances, so capacity returns a moment later
            CompletableFuture<CommandResult> again = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (again == null && System.nanoTime() < deadline) {
                again = pipeline.tryPublish(QUERY_STATE, 0L);
                Thread.onSpinWait();
            }
            assertNotNull(again, "capacity returns once the engine catches up");
        }
    }

    @Test
    void shouldFailPendingAndLaterRequestsWhenTheEngineThrows() throws Exception {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        CountDownLatch gate = new CountDownLatch(1);
        CommandProcessor failing = gated(gate, true);
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16).processor(failing)
                .onFailure(failures::add)).start();
        CompletableFuture<CommandResult> boom = pipeline.tryPublish(CREATE_ACCOUNT, "x");
        CompletableFuture<CommandResult> after = pipeline.tryPublish(QUERY_STATE, 0L);
        gate.countDown();
        ExecutionException e1 = assertThrows(ExecutionException.class, () -> boom.get(5, TimeUnit.SECONDS));
        assertInstanceOf(ExchangePipeline.PipelineFailedException.class, e1.getCause());
        assertThrows(ExecutionException.class, () -> after.get(5, TimeUnit.SECONDS));
        assertNull(pipeline.tryPublish(QUERY_STATE, 0L), "a stopped pipeline accepts nothing");
        assertFalse(pipeline.isHealthy());
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).getMessage().contains("CREATE_ACCOUNT"));
        pipeline.close(1, TimeUnit.SECONDS);
    }

    @Test
    void shouldAnswerEveryCommandOfTheBatchInWhichTheEngineThrows() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        CommandProcessor failsOnAccounts = gated(gate, true);
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16).processor(failsOnAccounts))
                .start();
        List<CompletableFuture<CommandResult>> batch = new ArrayList<>();
        batch.add(pipeline.tryPublish(QUERY_STATE, 0L)); // the engine blocks on the gate in this one
        batch.add(pipeline.tryPublish(QUERY_STATE, 0L));
        batch.add(pipeline.tryPublish(QUERY_STATE, 0L));
        batch.add(pipeline.tryPublish(CREATE_ACCOUNT, "x"));
        gate.countDown();
        for (CompletableFuture<CommandResult> f : batch) {
            // each one is answered, successfully or with the stop, and none is left hanging
            try {
                f.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                assertInstanceOf(ExchangePipeline.PipelineFailedException.class, e.getCause());
            }
        }
        assertThrows(ExecutionException.class, () -> batch.get(3).get(5, TimeUnit.SECONDS));
        pipeline.close(1, TimeUnit.SECONDS);
    }

    @Test
    void shouldCarryOrderResultsOutOfTheSlot() throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16)
                .processor(new ExchangeProcessor(exchange, null))).start()) {
            pipeline.tryPublish(CREATE_ACCOUNT, "a").get(5, TimeUnit.SECONDS);
            CommandResult placed = pipeline.tryPublish((CommandTranslator<Integer>) (slot, x) -> {
                slot.type = CommandType.PLACE_ORDER;
                slot.accountId = 1;
                slot.clientOrderId = "c1";
                slot.symbol = "AAPL";
                slot.side = Side.BUY;
                slot.qty = 1;
                slot.priceTicks = 1_000_000;
                slot.timeInForce = TimeInForce.DAY;
            }, 0).get(5, TimeUnit.SECONDS);
            assertEquals(ResultCode.MARKET_CLOSED, placed.result());
            assertNotNull(placed.order());
            assertEquals("c1", placed.order().clientOrderId);
            assertEquals(2, placed.seq());
        }
    }

    @Test
    void shouldPublishNoEventBeforeItsCommandIsJournaled() throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        CountDownLatch journalMayProceed = new CountDownLatch(1);
        JournalPort stalledJournal = recording(new CopyOnWriteArrayList<>(), journalMayProceed);
        List<EngineEvent> committed = new CopyOnWriteArrayList<>();
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16)
                .processor(new ExchangeProcessor(exchange, null)).journal(stalledJournal)
                .committedEvents(e -> committed.add(e.copy()))).start()) {
            CompletableFuture<CommandResult> created = pipeline.tryPublish(CREATE_ACCOUNT, "early");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (exchange.ledger().accountCount() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(1, exchange.ledger().accountCount(), "the engine applied the command");
            Thread.sleep(50);
            assertTrue(committed.isEmpty(), "no event escapes while its command is not journaled");
            assertFalse(created.isDone(), "nor is the caller answered");
            journalMayProceed.countDown();
            assertEquals(ResultCode.OK, created.get(5, TimeUnit.SECONDS).result());
            assertEquals(1, committed.size());
            assertEquals(EventType.ACCOUNT_CREATED, committed.get(0).type);
            assertEquals("early", committed.get(0).name);
        }
    }

    @Test
    void shouldAnswerOnlyOnceTheEngineHasAppliedAJournaledCommand() throws Exception {
        CountDownLatch engineMayProceed = new CountDownLatch(1);
        CommandProcessor slowEngine = gated(engineMayProceed, false);
        List<Long> journaled = new CopyOnWriteArrayList<>();
        JournalPort journal = recording(journaled, new CountDownLatch(0));
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16).processor(slowEngine)
                .journal(journal)).start()) {
            CompletableFuture<CommandResult> created = pipeline.tryPublish(CREATE_ACCOUNT, "a");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (journaled.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertEquals(List.of(1L), journaled, "the journal does not wait for the engine");
            Thread.sleep(50);
            assertFalse(created.isDone(), "no answer before the engine has applied the command");
            engineMayProceed.countDown();
            assertEquals(ResultCode.OK, created.get(5, TimeUnit.SECONDS).result());
        }
    }

    @Test
    void shouldStopTheJournalThreadWhenClosedWhileTheEngineIsStuck() throws Exception {
        CountDownLatch engineMayProceed = new CountDownLatch(1);
        CommandProcessor stuck = gated(engineMayProceed, false);
        List<Thread> threads = new CopyOnWriteArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(16).processor(stuck)
                .onFailure(failures::add)
                .threadFactory(r -> {
                    Thread t = new Thread(r, "test-stage-" + threads.size());
                    t.setDaemon(true);
                    threads.add(t);
                    return t;
                })).start();
        try {
            CompletableFuture<CommandResult> pending = pipeline.tryPublish(CREATE_ACCOUNT, "a");
            Thread.sleep(50); // the journal thread is now waiting for the engine
            pipeline.close(100, TimeUnit.MILLISECONDS);
            assertEquals(2, threads.size(), "an engine thread and a journal thread");
            Thread journalThread = threads.get(0);
            journalThread.join(5_000);
            assertFalse(journalThread.isAlive(), "the journal thread stops instead of waiting for the engine forever");
            assertFalse(pending.isDone(), "a command the engine has not applied is not answered");
            assertTrue(failures.isEmpty(), "a close is not a failure");
        } finally {
            engineMayProceed.countDown();
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = WaitStrategyKind.class, names = {"BLOCKING_PARKING", "BLOCKING",
        "LITE_BLOCKING", "SLEEPING"})
    void shouldAnswerEveryCommandFromManyProducersUnderEachNonSpinningWaitStrategy(WaitStrategyKind wait)
            throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        int producers = 4;
        int perProducer = 2_000;
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(64).waitStrategy(wait)
                .processor(new ExchangeProcessor(exchange, null))).start()) {
            List<Thread> threads = new ArrayList<>();
            List<CompletableFuture<CommandResult>> futures = new CopyOnWriteArrayList<>();
            for (int p = 0; p < producers; p++) {
                int producer = p;
                Thread t = new Thread(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        CompletableFuture<CommandResult> f;
                        while ((f = pipeline.tryPublish(CREATE_ACCOUNT, "p" + producer + "-" + i)) == null) {
                            Thread.onSpinWait();
                        }
                        futures.add(f);
                    }
                });
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join(20_000);
            }
            java.util.Set<Long> seqs = new java.util.HashSet<>();
            for (CompletableFuture<CommandResult> f : futures) {
                seqs.add(f.get(10, TimeUnit.SECONDS).seq());
            }
            assertEquals(producers * perProducer, seqs.size(), "every command answered once with its own sequence");
            assertEquals(producers * perProducer, exchange.lastSeq());
        }
    }
}
