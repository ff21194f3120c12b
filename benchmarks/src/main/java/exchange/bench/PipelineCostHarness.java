package exchange.bench;

import exchange.engine.Command;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandProcessor;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.PipelineConfig;
import exchange.journal.ChronicleJournal;
import exchange.journal.DurabilityMode;
import exchange.journal.JournalOptions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Where the pipeline's own cost per command goes (issue 21): the realistic flow
 * through the pipeline (or, in {@code baseline} mode, through the same ring with a processor and a
 * journal that do nothing), with each thread's CPU time per command and its context switches per
 * thousand commands, read from {@code /proc/self/task/<tid>/status}. A voluntary switch is a
 * thread going to sleep (a park or a monitor wait, so a wake-up later); an involuntary one is the
 * scheduler taking the core (a yield that let another thread run, or preemption). The journal
 * stage's batches are counted through its {@code endOfBatch} calls.
 *
 * <p>usage: {@code PipelineCostHarness [baseline|pipeline|journal] [rounds=5] [flow=500000]}, the ring's
 * size from {@code -Dcost.ring} (default: the pipeline's);
 * Linux only for the switch counts (they read 0 elsewhere).
 */
public final class PipelineCostHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private PipelineCostHarness() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "baseline";
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int flowSize = args.length > 2 ? Integer.parseInt(args[2]) : 500_000;
        OrderFlowGenerator generator = new OrderFlowGenerator(QuickBench.SEED);
        Command[] setup = generator.next(generator.setupCommandCount());
        Command[] flow = generator.next(flowSize);
        for (int round = 0; round <= rounds; round++) {
            run(mode, setup, flow, round == 0 ? "warm-up" : "round " + round);
        }
        System.exit(0);
    }

    private static final CommandProcessor NO_OP = (command, events) -> {
        command.clearResult();
        command.result = ResultCode.OK;
    };

    /** Counts the journal stage's batches, passing every call on. */
    private static final class CountingPort implements JournalPort {
        private final JournalPort delegate;
        long batches;
        long appends;

        CountingPort(JournalPort delegate) {
            this.delegate = delegate;
        }

        @Override
        public void append(Command command, long seq) {
            appends++;
            delegate.append(command, seq);
        }

        @Override
        public void beginBatch() {
            delegate.beginBatch();
        }

        @Override
        public void endOfBatch() {
            batches++;
            delegate.endOfBatch();
        }

        @Override
        public void force() {
            delegate.force();
        }
    }

    private static void run(String mode, Command[] setup, Command[] flow, String label) throws IOException {
        System.gc();
        boolean journal = mode.equals("journal");
        Path dir = journal ? TempDirs.create("cost-pipeline") : null;
        ChronicleJournal chronicle = journal ? ChronicleJournal.open(dir,
                JournalOptions.defaults().withDurability(DurabilityMode.PROCESS)) : null;
        CountingPort port = new CountingPort(journal ? chronicle : JournalPort.NONE);
        List<Thread> stages = new CopyOnWriteArrayList<>();
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig()
                .ringSize(Integer.getInteger("cost.ring", PipelineConfig.DEFAULT_RING_SIZE))
                .journal(port)
                .threadFactory(r -> {
                    Thread thread = new Thread(r, "cost-" + label.charAt(label.length() - 1) + "-stage" + stages.size());
                    thread.setDaemon(true);
                    stages.add(thread);
                    return thread;
                })
                .processor(mode.equals("baseline") ? NO_OP
                        : new ExchangeProcessor(new Exchange(OrderFlowGenerator.config()), null))).start();
        Thread.currentThread().setName("cost-producer");
        try {
            PipelineBench.publishAll(pipeline, setup);
            System.gc();
            List<Thread> all = new ArrayList<>(stages);
            all.add(0, Thread.currentThread());
            long[][] before = snapshot(all);
            long batches = port.batches;
            long t = System.nanoTime();
            PipelineBench.publishAll(pipeline, flow);
            long wall = System.nanoTime() - t;
            long[][] after = snapshot(all);
            long n = flow.length;
            long cpuSum = 0;
            StringBuilder perThread = new StringBuilder();
            for (int i = 0; i < all.size(); i++) {
                long cpu = after[i][0] - before[i][0];
                cpuSum += cpu;
                perThread.append(String.format(Locale.ROOT, "  %s: %.0f ns cpu, %.1f vol + %.1f invol switches per 1k",
                        all.get(i).getName(), (double) cpu / n, (after[i][1] - before[i][1]) * 1000.0 / n,
                        (after[i][2] - before[i][2]) * 1000.0 / n));
            }
            System.out.printf(Locale.ROOT, "%s %s: %.3fM cmds/s, %.3fM per cpu-s (%.0f ns cpu/cmd), %.1f cmds per journal"
                            + " batch%n%s%n", mode, label, n / (wall / 1e3), n / (cpuSum / 1e3), (double) cpuSum / n,
                    (double) n / Math.max(1, port.batches - batches), perThread.toString().replace("  ", "\n  ").trim());
        } finally {
            pipeline.close(10, TimeUnit.SECONDS);
            if (chronicle != null) {
                chronicle.close();
                TempDirs.delete(dir);
            }
        }
    }

    /** Per thread: CPU ns, voluntary and involuntary context switches. */
    private static long[][] snapshot(List<Thread> threads) throws IOException {
        long[][] out = new long[threads.size()][];
        for (int i = 0; i < threads.size(); i++) {
            Thread thread = threads.get(i);
            long[] switches = switchesOf(thread.getName());
            out[i] = new long[] {CPU.getThreadCpuTime(thread.getId()), switches[0], switches[1]};
        }
        return out;
    }

    /** The thread's voluntary and involuntary context switches, found by its name (15 chars on Linux). */
    private static long[] switchesOf(String name) throws IOException {
        Path tasks = Path.of("/proc/self/task");
        if (!Files.isDirectory(tasks)) {
            return new long[2];
        }
        String comm = name.length() > 15 ? name.substring(0, 15) : name;
        try (var dirs = Files.list(tasks)) {
            for (Path task : (Iterable<Path>) dirs::iterator) {
                try {
                    if (!Files.readString(task.resolve("comm")).trim().equals(comm)) {
                        continue;
                    }
                    long vol = 0;
                    long invol = 0;
                    for (String line : Files.readAllLines(task.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            vol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            invol = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                        }
                    }
                    return new long[] {vol, invol};
                } catch (IOException gone) {
                    // a task that ended between the listing and the read
                }
            }
        }
        return new long[2];
    }
}
