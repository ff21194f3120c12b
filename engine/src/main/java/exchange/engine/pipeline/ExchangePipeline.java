package exchange.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.EventHandler;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The LMAX pipeline: a multi-producer ring of preallocated {@link Slot}s; the journal stage and
 * the engine stage run in parallel on each slot; the results stage, gated on both, publishes the
 * command's events and answers the caller. So nothing is acknowledged, and no event is seen,
 * before its command is journaled, and the engine never waits for the disk.
 *
 * <pre>
 *  producers --tryPublish--> [ ring ] --+--> journal stage (JournalPort)  --+--> results stage
 *                                       +--> engine stage (CommandProcessor)-+    (ResultHandlers)
 * </pre>
 *
 * <p>Threads: two. The engine stage has its own, the only owner of the Exchange. The journal
 * stage's thread also runs the results stage: after each batch it has journaled, it waits until
 * the engine has applied that batch too, then publishes its events and answers it. A third thread
 * for the results would cost every command one more wake-up or wait loop, which on a 2-core box
 * is CPU taken from the request threads (order entry over HTTP: about 3 us of server CPU an order,
 * see BENCHMARKS.md). The ring is the only hand-off. An exception in any stage stops the pipeline
 * (fail-stop): pending and later requests fail instead of running on a state that may be wrong.
 */
public final class ExchangePipeline implements CommandPublisher, AutoCloseable {
    /** How long the journal thread parks at most while waiting for the engine before it checks for a stop. */
    static final long ALERT_CHECK_NANOS = 1_000_000;
    /** Raised to callers once the pipeline has stopped after a failure. */
    public static final class PipelineFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PipelineFailedException(Throwable cause) {
            super("exchange pipeline stopped after a failure: " + cause, cause);
        }
    }

    private final PipelineConfig config;
    private final Disruptor<Slot> disruptor;
    private final RingBuffer<Slot> ring;
    /** Alerted when the pipeline stops, so that the journal thread leaves its wait for the engine. */
    private final SequenceBarrier engineDone;
    private final EngineStage engine;
    private volatile boolean accepting;
    private volatile Throwable failure;

    public ExchangePipeline(PipelineConfig config) {
        config.validate();
        this.config = config;
        ThreadFactory threads = config.threadFactory != null ? config.threadFactory : new NamedThreads();
        this.disruptor = new Disruptor<>(Slot::new, config.ringSize, threads, ProducerType.MULTI,
                config.waitStrategy.create());
        this.engine = new EngineStage(config.processor);
        disruptor.handleEventsWith(new JournalAndResultsStage(config), engine);
        disruptor.setDefaultExceptionHandler(new FailStop());
        this.ring = disruptor.getRingBuffer();
        this.engineDone = ring.newBarrier();
    }

    /** Starts the stage threads; publishing is accepted from then on. */
    public ExchangePipeline start() {
        disruptor.start();
        accepting = true;
        return this;
    }

    @Override
    public <A> boolean tryPublish(CommandTranslator<A> translator, A arg, ResultHandler handler) {
        if (!accepting) {
            return false;
        }
        long sequence;
        try {
            sequence = ring.tryNext();
        } catch (InsufficientCapacityException full) {
            return false;
        }
        Slot slot = ring.get(sequence);
        try {
            // Input only: the engine stage clears the result before writing it (Exchange.apply does).
            if (!translator.writesEveryInputField()) {
                slot.command.clearInput();
            }
            translator.translate(slot.command, arg);
            slot.handler = handler;
        } catch (RuntimeException e) {
            slot.command.clear(); // published as a no-op: the sequence is claimed and must be released
            throw e;
        } finally {
            ring.publish(sequence);
        }
        if (failure != null) {
            // published after fail() swept the ring: nobody else will answer it
            ResultHandler h = slot.take();
            if (h != null) {
                h.onFailure(new PipelineFailedException(failure));
            }
        }
        return true;
    }

    /** Free slots in the ring (for metrics and back-pressure decisions). */
    public long remainingCapacity() {
        return ring.remainingCapacity();
    }

    public int ringSize() {
        return config.ringSize;
    }

    /** The failure that stopped the pipeline, or null while healthy. */
    public Throwable failure() {
        return failure;
    }

    public boolean isHealthy() {
        return accepting && failure == null;
    }

    /** Stops accepting, drains what is in the ring (up to {@code timeout}), then stops the threads. */
    public void close(long timeout, TimeUnit unit) {
        accepting = false;
        try {
            if (failure == null) {
                disruptor.shutdown(timeout, unit);
            } else {
                halt();
            }
        } catch (com.lmax.disruptor.TimeoutException e) {
            halt();
        }
    }

    /** Stops the stage threads where they are; the journal thread may be waiting for the engine. */
    private void halt() {
        disruptor.halt();
        engineDone.alert();
        engine.wakeWaiter();
    }

    @Override
    public void close() {
        close(10, TimeUnit.SECONDS);
    }

    /**
     * Stops the pipeline and fails every command in the ring that is not answered yet: those at
     * and after the failing one, and those before it whose stage had not yet published its
     * progress (a stage's sequence moves at the end of each batch), which would otherwise wait
     * forever. A command racing to its answer on the journal thread gets whichever comes first.
     */
    private void fail(Throwable t) {
        if (failure != null) {
            return;
        }
        failure = t;
        accepting = false;
        engineDone.alert();
        engine.wakeWaiter();
        config.onFailure.accept(t);
        PipelineFailedException error = new PipelineFailedException(t);
        long cursor = ring.getCursor();
        for (long s = Math.max(0, cursor - config.ringSize + 1); s <= cursor; s++) {
            ResultHandler h = ring.get(s).take();
            if (h != null) {
                h.onFailure(error);
            }
        }
    }

    /**
     * The engine stage. At the end of each batch it publishes how far it has applied and, if the
     * journal thread is parked waiting for that, unparks it: one targeted wake-up when it is
     * needed, where the journal thread used to poll the engine's sequence in 20 us park slices
     * (which the kernel's timer slack stretched to 50-80 us on this VM, on every order of a lone
     * client whose journal append finished first).
     */
    private final class EngineStage implements EventHandler<Slot> {
        /** How many commands ahead the engine prefetches within a batch. */
        private static final int PREFETCH_AHEAD = 32;
        private final CommandProcessor processor;
        private final Command[] window = new Command[PREFETCH_AHEAD];
        /** The first sequence of the current batch's part not yet prefetched, and the batch's end (exclusive). */
        private long prefetchFrom;
        private long batchEnd;
        /** The last ring sequence applied; written by the engine thread at each batch's end. */
        private volatile long applied = -1;
        /** The journal thread while it is parked waiting for {@link #applied}, else null. */
        private volatile Thread waiter;

        EngineStage(CommandProcessor processor) {
            this.processor = processor;
        }

        /**
         * A batch of {@code batchSize} published slots follows the last one applied: their
         * commands' first reads (a client id's index cell, a cancelled order's record) are
         * prefetched {@link #PREFETCH_AHEAD} at a time, so that their cache misses overlap.
         */
        @Override
        public void onBatchStart(long batchSize, long queueDepth) {
            prefetchFrom = applied + 1;
            batchEnd = prefetchFrom + batchSize;
        }

        private void prefetchFrom(long sequence) {
            int n = (int) Math.min(PREFETCH_AHEAD, batchEnd - sequence);
            for (int i = 0; i < n; i++) {
                window[i] = ring.get(sequence + i).command;
            }
            processor.prefetch(window, 0, n);
            prefetchFrom = sequence + n;
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) {
            if (sequence == prefetchFrom && sequence < batchEnd) {
                prefetchFrom(sequence);
            }
            slot.events.clear();
            processor.process(slot.command, slot.events);
            if (endOfBatch) {
                applied = sequence;
                // Read after the write above (both volatile): a waiter that registered before it
                // is seen here, and one that registers after it sees the new sequence itself.
                Thread w = waiter;
                if (w != null) {
                    LockSupport.unpark(w);
                }
            }
        }

        /**
         * Returns once the engine has applied {@code sequence}: a short spin, a few yields, then
         * parking until the engine unparks this thread (with a timeout, so an alert is seen).
         */
        void awaitApplied(long sequence, SequenceBarrier alerts) throws AlertException {
            for (int i = 0; i < BlockingParkingWaitStrategy.SPINS + BlockingParkingWaitStrategy.YIELDS; i++) {
                if (applied >= sequence) {
                    return;
                }
                if (i < BlockingParkingWaitStrategy.SPINS) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
            Thread self = Thread.currentThread();
            while (applied < sequence) {
                alerts.checkAlert();
                waiter = self;
                if (applied < sequence) {
                    LockSupport.parkNanos(ALERT_CHECK_NANOS);
                }
                waiter = null;
            }
        }

        /** Unparks the journal thread if it waits here (the pipeline is stopping). */
        void wakeWaiter() {
            Thread w = waiter;
            if (w != null) {
                LockSupport.unpark(w);
            }
        }
    }

    /**
     * The journal stage and, on the same thread, the results stage. The journal stage numbers
     * journaled commands exactly as the engine does and appends them. At the end of each batch it
     * has journaled, the thread waits (spin, yield, then parked until the engine unparks it) until the engine has
     * applied the batch too, then runs the results stage over it in ring order: publishes each
     * slot's events, then hands the slot to the command's {@link ResultHandler}. So
     * results stay gated on both stages, and the engine never waits for the journal.
     */
    private final class JournalAndResultsStage implements EventHandler<Slot> {
        private final JournalPort port;
        private final EventSink committedEvents;
        private final ResultListener listener;
        private long seq;
        private long nextResult;

        JournalAndResultsStage(PipelineConfig config) {
            this.port = config.journal;
            this.committedEvents = config.committedEvents;
            this.listener = config.resultListener;
            this.seq = config.initialSeq;
        }

        @Override
        public void onBatchStart(long batchSize, long queueDepth) {
            port.beginBatch();
        }

        @Override
        public void onEvent(Slot slot, long sequence, boolean endOfBatch) throws Exception {
            Command c = slot.command;
            if (c.type != null && c.type.isJournaled()) {
                port.append(c, ++seq);
            } else if (c.type == CommandType.SNAPSHOT) {
                port.force();
            }
            if (!endOfBatch) {
                return;
            }
            port.endOfBatch();
            try {
                engine.awaitApplied(sequence, engineDone);
            } catch (AlertException stopping) {
                if (failure != null) {
                    throw new Halted(stopping); // another stage failed: this thread stops too
                }
                throw stopping; // halted: the event processor exits
            }
            for (long s = nextResult; s <= sequence; s++) {
                answer(ring.get(s));
            }
            nextResult = sequence + 1;
        }

        private void answer(Slot slot) {
            Command c = slot.command;
            slot.events.drainTo(committedEvents);
            listener.onResult(c);
            ResultHandler h = slot.take();
            if (h != null) {
                h.onResult(c);
            }
        }
    }

    /** Any stage exception stops the pipeline; it is never skipped. */
    private final class FailStop implements ExceptionHandler<Slot> {
        @Override
        public void handleEventException(Throwable ex, long sequence, Slot slot) {
            fail(new IllegalStateException("stage failed at ring sequence " + sequence + " on " + slot.command, ex));
            throw new Halted(ex);
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            fail(ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            fail(ex);
        }
    }

    /** Thrown to stop a stage thread after {@link #fail}; already reported, so the thread exits quietly. */
    private static final class Halted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Halted(Throwable cause) {
            super("pipeline halted", cause);
        }
    }

    private static final class NamedThreads implements ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "exchange-stage-" + count.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, ex) -> {
                if (!(ex instanceof Halted)) {
                    ex.printStackTrace();
                }
            });
            return t;
        }
    }
}
