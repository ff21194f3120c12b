package exchange.bench;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandProcessor;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.PipelineConfig;
import exchange.journal.ChronicleJournal;
import exchange.journal.DurabilityMode;
import exchange.journal.JournalOptions;
import exchange.journal.JournalReader;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

/**
 * The one-command summary ({@code scripts/bench.sh --quick}, issue 21): every headline figure in
 * one JVM within a few minutes, as {@code RESULT name=value} lines a script can read, followed by
 * ratios of figures measured in the same run (on a shared 2-core machine the ratios travel, the
 * absolute rates do not).
 *
 * <p>Throughput figures are taken in {@code rounds} rounds after one warm-up round; within a round
 * every configuration runs once, back to back, so that a noisy moment of the machine hits all of
 * them alike; the value printed is the median over the rounds (the spread goes on a {@code #}
 * line). Each run replays a fixed, seeded flow on a freshly built and funded exchange (or
 * pipeline), whose set-up is not timed:
 * <ul>
 *   <li>{@code book_ops_per_s}: {@link OrderBookBench}'s add-a-passive-order-then-cancel-it, 64 Ki
 *       orders retained, measured first in a child JVM of its own ({@link QuickBookBench});</li>
 *   <li>{@code engine_cmds_per_s}: {@link Exchange#apply} alone on the {@link OrderFlowGenerator}
 *       flow ({@link RealisticFlowBench}); {@code engine_cmds_per_cpu_s} the same per second of the
 *       thread's CPU time, which a busy neighbour on the shared cores moves much less;</li>
 *   <li>{@code pipeline_cmds_per_s} / {@code pipeline_journal_cmds_per_s}: the same flow through
 *       the whole pipeline, journal off / a {@link ChronicleJournal} in {@code process} mode
 *       ({@link PipelineBench}); a run ends when the last command's result is delivered;
 *       {@code *_per_cpu_s} the same per second of CPU time of the producer and stage threads;</li>
 *   <li>{@code pipeline_baseline_cmds_per_s}: the same ring, threads, wait strategy and results
 *       stage with a processor and a journal that do nothing: the pipeline's own ceiling;</li>
 *   <li>{@code peer_*}: the same three on {@link PeerFlowGenerator}'s flow, the shape of the peer
 *       comparison;</li>
 *   <li>{@code p99_us_at_100k} / {@code p999_us_at_100k}: {@link LatencyHarness} at 100k commands/s
 *       with the journal in {@code process} mode, from each command's intended send time;</li>
 *   <li>{@code replay_cmds_per_s}: a journal of the realistic flow replayed into a fresh engine
 *       with the reader's decoder thread, as recovery does, second replay of two (warm).</li>
 * </ul>
 *
 * <p>usage: {@code QuickBench [rounds=5] [flow=500000] [peerFlow=1000000] [latencySeconds=8]}
 */
public final class QuickBench {
    /** The peer's figures from issue 21 (same machine, another run): what the peer_* ratios divide by. */
    static final double PEER_ENGINE_CMDS_PER_S = 2.98e6;
    static final double PEER_PIPELINE_JOURNAL_CMDS_PER_S = 1.28e6;
    static final long SEED = 42;
    static final int LATENCY_RATE = 100_000;
    static final int REPLAY_COMMANDS = 1_000_000;

    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private final Map<String, double[]> samples = new LinkedHashMap<>();
    private final int rounds;

    private QuickBench(int rounds) {
        this.rounds = rounds;
    }

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int flowSize = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int peerFlowSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int latencySeconds = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        new QuickBench(rounds).run(flowSize, peerFlowSize, latencySeconds);
        System.exit(0);
    }

    private void run(int flowSize, int peerFlowSize, int latencySeconds) throws Exception {
        long started = System.nanoTime();
        OrderFlowGenerator realistic = new OrderFlowGenerator(SEED);
        Flow flow = new Flow(OrderFlowGenerator.config(), realistic.next(realistic.setupCommandCount()),
                realistic.next(flowSize));
        PeerFlowGenerator peer = new PeerFlowGenerator(SEED);
        Flow peerFlow = new Flow(PeerFlowGenerator.config(), peer.next(peer.setupCommandCount()),
                peer.next(peerFlowSize));
        // first, alone: a child JVM that runs only the book loop (see QuickBookBench)
        samples.put("book_ops_per_s", QuickBookBench.inChildJvm(rounds));
        System.out.printf(Locale.ROOT, "# quick benchmark: %d rounds after a warm-up, flow %,d commands, peer flow %,d;"
                + " %d cores, %s%n", rounds, flowSize, peerFlowSize, Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.version"));
        for (int round = 0; round <= rounds; round++) {
            boolean warmUp = round == 0;
            measure(warmUp, "engine_cmds_per_s", () -> engineRate(flow));
            measure(warmUp, "engine_cmds_per_cpu_s", () -> lastEngineCpuRate);
            measure(warmUp, "pipeline_cmds_per_s", () -> pipelineRate(flow, false, false));
            measure(warmUp, "pipeline_cmds_per_cpu_s", () -> lastPipelineCpuRate);
            measure(warmUp, "pipeline_journal_cmds_per_s", () -> pipelineRate(flow, true, false));
            measure(warmUp, "pipeline_journal_cmds_per_cpu_s", () -> lastPipelineCpuRate);
            measure(warmUp, "pipeline_baseline_cmds_per_s", () -> pipelineRate(flow, false, true));
            measure(warmUp, "pipeline_baseline_cmds_per_cpu_s", () -> lastPipelineCpuRate);
            measure(warmUp, "peer_engine_cmds_per_s", () -> engineRate(peerFlow));
            measure(warmUp, "peer_engine_cmds_per_cpu_s", () -> lastEngineCpuRate);
            measure(warmUp, "peer_pipeline_cmds_per_s", () -> pipelineRate(peerFlow, false, false));
            measure(warmUp, "peer_pipeline_journal_cmds_per_s", () -> pipelineRate(peerFlow, true, false));
            measure(warmUp, "peer_pipeline_journal_cmds_per_cpu_s", () -> lastPipelineCpuRate);
        }
        double replay = replayRate(flow.config);
        Histogram latency = latencyAt100k(latencySeconds);

        for (Map.Entry<String, double[]> e : samples.entrySet()) {
            double[] v = e.getValue().clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "# %s rounds: %s%n", e.getKey(), Arrays.toString(e.getValue()));
            result(e.getKey(), median(v));
        }
        result("replay_cmds_per_s", replay);
        result("p50_us_at_100k", latency.getValueAtPercentile(50) / 1e3);
        result("p99_us_at_100k", latency.getValueAtPercentile(99) / 1e3);
        result("p999_us_at_100k", latency.getValueAtPercentile(99.9) / 1e3);
        ratio("pipeline_journal_over_engine", "pipeline_journal_cmds_per_s", "engine_cmds_per_s");
        ratio("pipeline_over_engine", "pipeline_cmds_per_s", "engine_cmds_per_s");
        ratio("pipeline_baseline_over_engine", "pipeline_baseline_cmds_per_s", "engine_cmds_per_s");
        ratio("peer_pipeline_journal_over_engine", "peer_pipeline_journal_cmds_per_s", "peer_engine_cmds_per_s");
        System.out.printf(Locale.ROOT, "RESULT peer_engine_over_peer=%.2f%n",
                median("peer_engine_cmds_per_s") / PEER_ENGINE_CMDS_PER_S);
        System.out.printf(Locale.ROOT, "RESULT peer_pipeline_journal_over_peer=%.2f%n",
                median("peer_pipeline_journal_cmds_per_s") / PEER_PIPELINE_JOURNAL_CMDS_PER_S);
        System.out.printf(Locale.ROOT, "# took %.0f s%n", (System.nanoTime() - started) / 1e9);
    }

    /** A configuration, its set-up commands and the timed flow. */
    private record Flow(ExchangeConfig config, Command[] setup, Command[] commands) {
    }

    private void measure(boolean warmUp, String name, DoubleSupplier rate) {
        double r = rate.getAsDouble();
        if (!warmUp) {
            double[] old = samples.getOrDefault(name, new double[0]);
            double[] v = Arrays.copyOf(old, old.length + 1);
            v[old.length] = r;
            samples.put(name, v);
        }
    }

    private double median(String name) {
        double[] v = samples.get(name).clone();
        Arrays.sort(v);
        return median(v);
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void result(String name, double value) {
        System.out.printf(Locale.ROOT, value >= 1000 ? "RESULT %s=%.0f%n" : "RESULT %s=%.1f%n", name, value);
    }

    private void ratio(String name, String numerator, String denominator) {
        System.out.printf(Locale.ROOT, "RESULT %s=%.2f%n", name, median(numerator) / median(denominator));
    }

    /**
     * The last engine run's rate per second of the thread's own CPU time: on a shared machine this
     * moves much less than the wall-clock rate when another process takes the core.
     */
    private static double lastEngineCpuRate;

    private static double engineRate(Flow flow) {
        System.gc();
        Exchange exchange = new Exchange(flow.config);
        for (Command c : flow.setup) {
            BenchSupport.applyExpectingOk(exchange, c);
        }
        OrderBookBench.CountingSink sink = new OrderBookBench.CountingSink();
        long cpu = CPU.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        for (Command c : flow.commands) {
            c.seq = 0;
            exchange.apply(c, sink);
        }
        long wall = System.nanoTime() - t;
        lastEngineCpuRate = flow.commands.length / ((CPU.getCurrentThreadCpuTime() - cpu) / 1e9);
        return flow.commands.length / (wall / 1e9);
    }

    /** No engine and no journal: the ring, the stage threads and the results stage alone. */
    private static final CommandProcessor NO_OP = (command, events) -> {
        command.clearResult();
        command.result = ResultCode.OK;
    };

    /**
     * The last pipeline run's rate per second of CPU time of all its threads (the producer and
     * the stage threads, spinning included, parked time not): what the pipeline costs the machine
     * per command, which a busy neighbour moves much less than the wall-clock rate.
     */
    private static double lastPipelineCpuRate;

    private static double pipelineRate(Flow flow, boolean journal, boolean noOp) {
        System.gc();
        Path dir = journal ? TempDirs.create("quick-pipeline") : null;
        ChronicleJournal chronicle = journal ? ChronicleJournal.open(dir,
                JournalOptions.defaults().withDurability(DurabilityMode.PROCESS)) : null;
        List<Thread> stages = new CopyOnWriteArrayList<>();
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig()
                .journal(journal ? chronicle : JournalPort.NONE)
                .threadFactory(r -> {
                    Thread thread = new Thread(r, "quick-stage-" + stages.size());
                    thread.setDaemon(true);
                    stages.add(thread);
                    return thread;
                })
                .processor(noOp ? NO_OP : new ExchangeProcessor(new Exchange(flow.config), null))).start();
        try {
            PipelineBench.publishAll(pipeline, flow.setup);
            System.gc();
            long cpu = CPU.getCurrentThreadCpuTime() + cpuTime(stages);
            long t = System.nanoTime();
            PipelineBench.publishAll(pipeline, flow.commands);
            long wall = System.nanoTime() - t;
            long cpuUsed = CPU.getCurrentThreadCpuTime() + cpuTime(stages) - cpu;
            lastPipelineCpuRate = flow.commands.length / (cpuUsed / 1e9);
            return flow.commands.length / (wall / 1e9);
        } finally {
            pipeline.close(10, TimeUnit.SECONDS);
            if (chronicle != null) {
                chronicle.close();
                TempDirs.delete(dir);
            }
        }
    }

    private static long cpuTime(List<Thread> threads) {
        long sum = 0;
        for (Thread thread : threads) {
            sum += Math.max(0, CPU.getThreadCpuTime(thread.getId()));
        }
        return sum;
    }

    /** Writes the realistic flow's journal once, then replays it twice with the decoder thread; the warm one counts. */
    private static double replayRate(ExchangeConfig config) {
        Path dir = TempDirs.create("quick-replay");
        try {
            OrderFlowGenerator generator = new OrderFlowGenerator(SEED);
            Exchange writer = new Exchange(config);
            Command c = new Command();
            try (ChronicleJournal journal = ChronicleJournal.open(dir, JournalOptions.defaults())) {
                for (int i = 1; i <= REPLAY_COMMANDS; i++) {
                    generator.next(c);
                    writer.apply(c, EventSink.NONE);
                    journal.append(c, c.seq);
                    if ((i & 4095) == 0) {
                        journal.endOfBatch();
                    }
                }
                journal.endOfBatch();
            }
            double rate = 0;
            for (int replay = 0; replay < 2; replay++) {
                System.gc();
                Exchange target = new Exchange(config);
                long t = System.nanoTime();
                try (JournalReader reader = JournalReader.openReadOnly(dir)) {
                    reader.readDecodingAhead(0, Long.MAX_VALUE, JournalReader.CommandVisitor.prefetching(target, cmd -> {
                        cmd.orderViewUnused = true;
                        target.apply(cmd, EventSink.NONE);
                        return true;
                    }));
                }
                rate = REPLAY_COMMANDS / ((System.nanoTime() - t) / 1e9);
                if (target.stateHash() != writer.stateHash() || target.lastSeq() != writer.lastSeq()) {
                    throw new IllegalStateException("replay reached another state than the writer");
                }
            }
            return rate;
        } finally {
            TempDirs.delete(dir);
        }
    }

    /** The latency harness at 100k/s with the journal in process mode; its own report goes to '#' lines. */
    private static Histogram latencyAt100k(int seconds) throws Exception {
        System.gc();
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Path dir = TempDirs.create("quick-latency");
        try (ChronicleJournal journal = ChronicleJournal.open(dir,
                JournalOptions.defaults().withDurability(DurabilityMode.PROCESS))) {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            return LatencyHarness.run(LATENCY_RATE, seconds, SEED, 3, PipelineConfig.DEFAULT_WAIT_STRATEGY, journal, 0);
        } finally {
            System.setOut(out);
            for (String line : captured.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.startsWith("RESULT") || line.startsWith("latency") || line.startsWith("ring")) {
                    out.println("# " + line);
                }
            }
            TempDirs.delete(dir);
        }
    }
}
