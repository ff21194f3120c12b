package exchange.engine.pipeline;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pipeline's own path allocates nothing per command once warm: publishing with a constant
 * translator and a long-lived {@link ResultHandler}, the journal and engine stages, copying each
 * event into the slot, publishing it to the committed-events sink and answering the handler.
 * Measured with the allocation counters of the producer thread and of each stage thread.
 */
@Timeout(60)
class PipelineAllocationTest {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final int WARM_UP = 200_000;
    private static final int MEASURED = 200_000;
    /** Allocation allowed over the whole measured run: under 0.01 B a command. */
    private static final long ONE_OFF_BYTES = 1_000;
    /** Fills a cancel of the order id in {@code id[0]}: a reused holder, as a boxed id would allocate. */
    private static final CommandTranslator<long[]> ORDER = (slot, id) -> {
        slot.type = CommandType.CANCEL_ORDER;
        slot.accountId = 1;
        slot.orderId = id[0];
        slot.timestampNanos = id[0];
    };

    /** Answers every command OK with one event, as a cancel does; allocates nothing itself. */
    private static final CommandProcessor ONE_EVENT = new CommandProcessor() {
        private final EngineEvent event = new EngineEvent();

        @Override
        public void process(Command c, exchange.engine.EventSink events) {
            c.clearResult();
            c.result = ResultCode.OK;
            events.onEvent(event.reset(EventType.ORDER_CANCELED, c.seq, c.timestampNanos));
        }
    };

    /** Counts answers; the producer waits for a count without allocating (parks, then re-reads). */
    private static final class Counter implements ResultHandler {
        final AtomicLong answered = new AtomicLong();

        @Override
        public void onResult(Command command) {
            answered.lazySet(answered.get() + 1);
        }

        @Override
        public void onFailure(Throwable failure) {
            throw new AssertionError("pipeline failed", failure);
        }

        void awaitAnswered(long n) {
            while (answered.get() < n) {
                LockSupport.parkNanos(100_000);
            }
        }
    }

    @Test
    void shouldAllocateNothingPerCommandOnThePipelinePathOnceWarm() {
        assertTrue(THREADS.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations");
        THREADS.setThreadAllocatedMemoryEnabled(true);
        List<Thread> stages = new CopyOnWriteArrayList<>();
        AtomicLong events = new AtomicLong();
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig()
                .ringSize(1024)
                .processor(ONE_EVENT)
                .committedEvents(e -> events.lazySet(events.get() + 1))
                .threadFactory(r -> {
                    Thread t = new Thread(r, "alloc-test-stage-" + stages.size());
                    t.setDaemon(true);
                    stages.add(t);
                    return t;
                })).start();
        try {
            Counter counter = new Counter();
            publish(pipeline, counter, 0, WARM_UP);
            counter.awaitAnswered(WARM_UP);
            long[] stagesBefore = allocated(stages);
            long producerBefore = THREADS.getCurrentThreadAllocatedBytes();
            publish(pipeline, counter, WARM_UP, WARM_UP + MEASURED);
            long producer = THREADS.getCurrentThreadAllocatedBytes() - producerBefore;
            counter.awaitAnswered(WARM_UP + MEASURED);
            long[] stagesAfter = allocated(stages);
            // One object per command would be at least 16 B x MEASURED = 3.2 MB; a few bytes once
            // (the JIT's own bookkeeping, seen as 24 B on the producer) are not per command.
            assertTrue(producer < ONE_OFF_BYTES, "bytes the producer allocated publishing " + MEASURED
                    + " commands: " + producer);
            for (int i = 0; i < stages.size(); i++) {
                long bytes = stagesAfter[i] - stagesBefore[i];
                assertTrue(bytes < ONE_OFF_BYTES, "bytes allocated by " + stages.get(i).getName() + " over "
                        + MEASURED + " commands: " + bytes);
            }
            assertEquals(WARM_UP + MEASURED, events.get(), "one committed event per command");
        } finally {
            pipeline.close(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void shouldCallEachHandlerExactlyOnceWhenTheEngineFailsMidStream() throws Exception {
        CountDownLatch gate = new CountDownLatch(1);
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig()
                .ringSize(64)
                .processor((c, events) -> {
                    if (c.orderId == 20) {
                        throw new IllegalStateException("invariant broken");
                    }
                    c.clearResult();
                    c.result = ResultCode.OK;
                })).start();
        int published = 40;
        AtomicLong[] calls = new AtomicLong[published];
        boolean[] failed = new boolean[published];
        try {
            for (int i = 0; i < published; i++) {
                int index = i;
                calls[i] = new AtomicLong();
                ResultHandler h = new ResultHandler() {
                    @Override
                    public void onResult(Command command) {
                        calls[index].incrementAndGet();
                    }

                    @Override
                    public void onFailure(Throwable failure) {
                        failed[index] = true;
                        calls[index].incrementAndGet();
                    }
                };
                // published after the failure: refused, and then never called
                if (!pipeline.tryPublish(ORDER, new long[] {i}, h)) {
                    calls[i].incrementAndGet();
                    failed[i] = true;
                }
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline && !allCalled(calls)) {
                LockSupport.parkNanos(1_000_000);
            }
            Thread.sleep(50); // a second call, if any, would come now
        } finally {
            gate.countDown();
            pipeline.close(1, TimeUnit.SECONDS);
        }
        for (int i = 0; i < published; i++) {
            assertEquals(1, calls[i].get(), "calls of command " + i + "'s handler");
        }
        for (int i = 20; i < published; i++) {
            assertTrue(failed[i], "command " + i + " at or after the failing one is failed");
        }
    }

    private static boolean allCalled(AtomicLong[] calls) {
        for (AtomicLong c : calls) {
            if (c.get() == 0) {
                return false;
            }
        }
        return true;
    }

    private static void publish(ExchangePipeline pipeline, ResultHandler handler, long from, long to) {
        long[] id = new long[1];
        for (id[0] = from; id[0] < to; id[0]++) {
            while (!pipeline.tryPublish(ORDER, id, handler)) {
                LockSupport.parkNanos(20_000);
            }
        }
    }

    private static long[] allocated(List<Thread> threads) {
        long[] bytes = new long[threads.size()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = THREADS.getThreadAllocatedBytes(threads.get(i).getId());
        }
        return bytes;
    }
}
