package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.FutureResult;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.PipelineConfig;
import exchange.engine.pipeline.ResultListener;
import exchange.engine.pipeline.WaitStrategyKind;
import exchange.journal.ChronicleJournal;
import exchange.journal.DurabilityMode;
import exchange.journal.JournalOptions;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Latency of the in-process pipeline under a fixed offered load, measured so that coordinated
 * omission cannot hide stalls: command {@code i} has an intended send time
 * {@code start + i / rate}, its timestamp is that intended time, and its latency runs from the
 * intended time to the moment the results stage has it (applied and journaled, just before its
 * future completes). A sender that falls behind (ring full, a GC pause, a descheduled thread)
 * therefore charges the delay to every command that should have gone out meanwhile.
 *
 * <p>The sender never busy-spins: it parks until the next intended time and then sends every
 * command that is due, which on a 2-core box (timer slack about 50 us) means small bursts. The
 * pipeline's consumers use its non-spinning default wait strategy. The flow is the seeded
 * {@link OrderFlowGenerator} stream; its set-up phase is sent first and not measured, then a
 * full GC tenures the start-up state so the run shows steady-state collections only.
 *
 * <p>Usage: {@code LatencyHarness RATE SECONDS SEED [WARMUP_SECONDS=5] [WAIT_STRATEGY] [JOURNAL=none]}
 * (RATE in commands per second; the wait strategy defaults to the pipeline's default; JOURNAL is
 * {@code none}, {@link JournalPort#NONE}, or a {@link ChronicleJournal} durability mode,
 * {@code process} or {@code sync}, in a temporary directory deleted afterwards). Prints
 * per-second progress, the final percentiles, the sender's own lag and the allocation per command.
 * {@code scripts/bench.sh --quick} runs it in process ({@link QuickBench}) for its 100k/s figures.
 */
public final class LatencyHarness {
    static final int DEFAULT_WARMUP_SECONDS = 5;
    static final long NANOS_PER_SECOND = 1_000_000_000L;

    /** What the translator needs from the sender: the generator and the stamp of the command due. */
    private static final class Due {
        OrderFlowGenerator generator;
        long stampNanos;
    }

    private static final CommandTranslator<Due> NEXT_DUE = (slot, due) -> {
        due.generator.next(slot);
        slot.timestampNanos = due.stampNanos;
    };

    /**
     * Records on the results thread, by intended-time stamp: flow commands stamped before
     * {@code measureFromStamp} go to the warm-up recorder, later ones to the measured recorder.
     */
    private static final class LatencyListener implements ResultListener {
        final Recorder warmup = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final Recorder measured = new Recorder(TimeUnit.SECONDS.toNanos(60), 3);
        final long warmupFromStamp;
        final long measureFromStamp;
        /** Maps {@code System.nanoTime()} onto stamps; set before the first flow command is published. */
        long clockOffsetNanos;

        LatencyListener(long warmupFromStamp, long measureFromStamp) {
            this.warmupFromStamp = warmupFromStamp;
            this.measureFromStamp = measureFromStamp;
        }

        @Override
        public void onResult(Command c) {
            long stamp = c.timestampNanos;
            if (stamp >= warmupFromStamp) {
                long latency = Math.max(0, System.nanoTime() + clockOffsetNanos - stamp);
                (stamp >= measureFromStamp ? measured : warmup).recordValue(latency);
            }
        }
    }

    private static final com.sun.management.ThreadMXBean ALLOCATION =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Creates the pipeline's stage threads and remembers them, to read their allocation counters. */
    private static final class StageThreads implements ThreadFactory {
        private final List<Thread> threads = new CopyOnWriteArrayList<>();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "bench-stage-" + (threads.size() + 1));
            t.setDaemon(true);
            threads.add(t);
            return t;
        }

        long[] allocatedBytes() {
            long[] ids = new long[threads.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = threads.get(i).getId();
            }
            return ALLOCATION.getThreadAllocatedBytes(ids);
        }
    }

    private LatencyHarness() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LatencyHarness RATE SECONDS SEED [WARMUP_SECONDS=5] [WAIT_STRATEGY="
                    + PipelineConfig.DEFAULT_WAIT_STRATEGY + "] (one of " + java.util.Arrays.toString(WaitStrategyKind.values())
                    + ") [JOURNAL=none|process|sync] [RESERVE_ORDERS=0]");
            System.exit(2);
        }
        long rate = Long.parseLong(args[0]);
        int seconds = Integer.parseInt(args[1]);
        long seed = Long.parseLong(args[2]);
        int warmupSeconds = args.length > 3 ? Integer.parseInt(args[3]) : DEFAULT_WARMUP_SECONDS;
        WaitStrategyKind wait = args.length > 4 ? WaitStrategyKind.valueOf(args[4]) : PipelineConfig.DEFAULT_WAIT_STRATEGY;
        String journal = args.length > 5 ? args[5] : "none";
        int reserveOrders = args.length > 6 ? Integer.parseInt(args[6]) : 0;
        if (rate < 1 || seconds < 1 || warmupSeconds < 0) {
            throw new IllegalArgumentException("rate and seconds must be >= 1, warm-up >= 0");
        }
        if ("none".equals(journal)) {
            run(rate, seconds, seed, warmupSeconds, wait, JournalPort.NONE, reserveOrders);
        } else {
            Path dir = TempDirs.create("latency-journal");
            try (ChronicleJournal j = ChronicleJournal.open(dir,
                    JournalOptions.defaults().withDurability(DurabilityMode.parse(journal)))) {
                run(rate, seconds, seed, warmupSeconds, wait, j, reserveOrders);
            } finally {
                TempDirs.delete(dir);
            }
        }
        System.exit(0);
    }

    /**
     * @param reserveOrders orders the engine's store is allocated for before the flow starts (0 =
     *     page by page as orders arrive); the set-up's full GC then tenures those pages
     */
    static Histogram run(long rate, int seconds, long seed, int warmupSeconds, WaitStrategyKind wait,
                         JournalPort journal, int reserveOrders) throws Exception {
        OrderFlowGenerator generator = new OrderFlowGenerator(seed);
        Command[] setup = generator.next(generator.setupCommandCount());
        // Stamps are epoch nanos on the generator's trading day; the nano clock maps onto them.
        long stampStart = setup[setup.length - 1].timestampNanos + NANOS_PER_SECOND;
        long measureFromStamp = stampStart + warmupSeconds * NANOS_PER_SECOND;
        LatencyListener listener = new LatencyListener(stampStart, measureFromStamp);

        StageThreads threads = new StageThreads();
        ExchangePipeline pipeline = PipelineBench.start(wait, journal, setup,
                config -> config.resultListener(listener).threadFactory(threads), reserveOrders);
        try {
            // Tenure the ring's preallocated slots and the funded state now: a long-running
            // exchange has done so long ago, while a fresh one would copy them between survivor
            // spaces in each of its first young collections (tens of ms each on this box).
            System.gc();
            long sendStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100);
            long clockOffset = stampStart - sendStart;
            // Visible to the results thread: the first flow command's publication orders it.
            listener.clockOffsetNanos = clockOffset;
            System.out.printf(Locale.ROOT, "latency harness: rate %,d/s, %d s measured after %d s warm-up, seed %d, "
                    + "wait %s, ring %d, %d accounts, journal %s, orders reserved %,d%n", rate, seconds, warmupSeconds,
                    seed, wait, pipeline.ringSize(), generator.accounts(),
                    journal instanceof ChronicleJournal j ? j.durability() : "none", reserveOrders);
            Histogram total = send(pipeline, generator, listener, threads, rate, seconds + warmupSeconds,
                    warmupSeconds, sendStart, clockOffset);
            report(total, rate, seconds);
            return total;
        } finally {
            pipeline.close(10, TimeUnit.SECONDS);
        }
    }

    private static Histogram send(ExchangePipeline pipeline, OrderFlowGenerator generator, LatencyListener listener,
                                  StageThreads threads, long rate, int totalSeconds, int warmupSeconds,
                                  long sendStart, long clockOffset) {
        Due due = new Due();
        due.generator = generator;
        long count = rate * totalSeconds;
        long ringFull = 0;
        long nextReport = sendStart + NANOS_PER_SECOND;
        int second = 0;
        Histogram total = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram sendLag = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        long measureFrom = sendStart + warmupSeconds * NANOS_PER_SECOND;
        Histogram interval = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
        Histogram measuredInterval = null;
        Histogram warmupInterval = null;
        CompletableFuture<CommandResult> last = null;
        BenchSupport.AnswerCounter counter = new BenchSupport.AnswerCounter();
        long measuredFirst = rate * warmupSeconds;
        long[] stageBytesAtStart = null;
        long senderBytesAtStart = 0;
        for (long i = 0; i < count; i++) {
            if (i == measuredFirst) {
                stageBytesAtStart = threads.allocatedBytes();
                senderBytesAtStart = ALLOCATION.getCurrentThreadAllocatedBytes();
            }
            long intended = sendStart + Math.multiplyExact(i, NANOS_PER_SECOND) / rate;
            long now = System.nanoTime();
            while (now < intended) {
                LockSupport.parkNanos(intended - now);
                now = System.nanoTime();
            }
            if (now >= nextReport) {
                second++;
                measuredInterval = listener.measured.getIntervalHistogram(measuredInterval);
                warmupInterval = listener.warmup.getIntervalHistogram(warmupInterval);
                total.add(measuredInterval);
                interval.reset();
                interval.add(measuredInterval);
                interval.add(warmupInterval);
                printInterval(second, warmupSeconds, interval);
                nextReport += NANOS_PER_SECOND;
            }
            due.stampNanos = intended + clockOffset;
            // one counting handler for all but the last command: publishing allocates nothing
            FutureResult handler = i == count - 1 ? new FutureResult() : null;
            while (!pipeline.tryPublish(NEXT_DUE, due, handler != null ? handler : counter)) {
                ringFull++;
                LockSupport.parkNanos(BenchSupport.RING_FULL_PARK_NANOS);
            }
            last = handler;
            if (intended >= measureFrom) {
                sendLag.recordValue(System.nanoTime() - intended);
            }
        }
        last.join();
        long senderBytes = ALLOCATION.getCurrentThreadAllocatedBytes() - senderBytesAtStart;
        long[] stageBytesAtEnd = threads.allocatedBytes();
        long stageBytes = 0;
        for (int t = 0; t < stageBytesAtEnd.length; t++) {
            stageBytes += stageBytesAtEnd[t] - stageBytesAtStart[t];
        }
        long measuredCount = count - measuredFirst;
        measuredInterval = listener.measured.getIntervalHistogram(measuredInterval);
        total.add(measuredInterval);
        printInterval(second + 1, warmupSeconds, measuredInterval);
        System.out.printf(Locale.ROOT, "ring full on %,d publish attempts%n", ringFull);
        System.out.printf(Locale.ROOT, "RESULT send lag us (published - intended, the sender's own share): "
                + "p50=%.1f p99=%.1f max=%.1f%n", micros(sendLag.getValueAtPercentile(50)),
                micros(sendLag.getValueAtPercentile(99)), micros(sendLag.getMaxValue()));
        System.out.printf(Locale.ROOT, "RESULT allocation B/command over the measured part: pipeline threads %.1f, "
                + "sender (generator and publishing) %.1f%n", (double) stageBytes / measuredCount,
                (double) senderBytes / measuredCount);
        return total;
    }

    private static void printInterval(int second, int warmupSeconds, Histogram h) {
        System.out.printf(Locale.ROOT, "%s %3d: %,9d results  p50 %9.1f us  p99 %9.1f us  max %9.1f us%n",
                second <= warmupSeconds ? "warm-up" : "second ", second, h.getTotalCount(),
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)), micros(h.getMaxValue()));
    }

    private static void report(Histogram h, long rate, int seconds) {
        System.out.printf(Locale.ROOT, "RESULT rate=%d/s seconds=%d measured=%d commands (expected %d)%n",
                rate, seconds, h.getTotalCount(), rate * seconds);
        System.out.printf(Locale.ROOT, "RESULT latency us: p50=%.1f p90=%.1f p99=%.1f p99.9=%.1f max=%.1f mean=%.1f%n",
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)),
                micros(h.getMaxValue()), h.getMean() / 1_000.0);
    }

    private static double micros(long nanos) {
        return nanos / 1_000.0;
    }
}
