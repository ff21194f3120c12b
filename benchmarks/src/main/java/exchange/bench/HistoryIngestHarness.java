package exchange.bench;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.Exchange;
import exchange.journal.EventJournal;
import exchange.journal.EventTailer;
import exchange.journal.JournalOptions;
import exchange.readside.history.HistoryMetrics;
import exchange.readside.history.HistoryOptions;
import exchange.readside.history.HistoryService;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Measures the history writer's ingest on the seeded realistic flow ({@link OrderFlowGenerator}
 * through a real {@link Exchange} into a real {@link EventJournal}), in two phases:
 * <ol>
 *   <li><b>rebuild</b>: the events of {@code commands} commands ingested from scratch into a fresh
 *       SQLite file, timed from the start of the writer to the moment it has caught up and created
 *       its indexes (what a deleted or corrupt database costs);</li>
 *   <li><b>steady</b> (if {@code more > 0}): {@code more} further commands appended to the queue,
 *       then ingested by a writer reopened on that database, indexes in place (what a writer that
 *       fell behind a live exchange costs to catch up).</li>
 * </ol>
 * Each phase prints events/s and its ratio to a baseline measured just before it on the same
 * queue: the queue read alone ({@link EventTailer}, each event decoded, nothing written), which
 * is what every projection pays before it does any work. The queue is written before any timing
 * starts.
 *
 * <p>usage: {@code HistoryIngestHarness [commands=1000000] [more=0] [seed=42]
 * [maxBatchEvents=10000] [dir|-]} (a temp directory, deleted afterwards, unless {@code dir} is
 * given; it must not hold a queue).
 */
public final class HistoryIngestHarness {
    private HistoryIngestHarness() {
    }

    public static void main(String[] args) throws Exception {
        long commands = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000L;
        long more = args.length > 1 ? Long.parseLong(args[1]) : 0;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        int batch = args.length > 3 ? Integer.parseInt(args[3]) : HistoryOptions.DEFAULT_MAX_BATCH_EVENTS;
        boolean temporary = args.length <= 4 || args[4].equals("-");
        Path dir = temporary ? TempDirs.create("history-ingest") : Path.of(args[4]);
        try {
            run(commands, more, seed, batch, dir);
        } finally {
            if (temporary) {
                TempDirs.delete(dir);
            }
        }
        System.exit(0);
    }

    private static void run(long commands, long more, long seed, int batch, Path dir) throws Exception {
        OrderFlowGenerator flow = new OrderFlowGenerator(seed);
        Exchange exchange = new Exchange(OrderFlowGenerator.config());
        long t0 = System.nanoTime();
        long lastSeq = append(flow, exchange, commands, dir);
        System.out.printf(Locale.ROOT, "events queue of %,d commands written in %.1f s%n", commands,
                (System.nanoTime() - t0) / 1e9);
        HistoryOptions options = HistoryOptions.defaults(dir).withMaxBatchEvents(batch);
        double readRate = readAlone(dir, 0);
        HistoryMetrics rebuilt = ingest(options, lastSeq, "rebuild", 0, readRate);
        if (more > 0) {
            lastSeq = append(flow, exchange, more, dir);
            readRate = readAlone(dir, rebuilt.appliedSeq() + 1);
            ingest(options, lastSeq, "steady", rebuilt.appliedSeq(), readRate);
        }
    }

    /** The baseline: reads and decodes every event from {@code fromSeq} on, writing nothing; returns events/s. */
    private static double readAlone(Path dir, long fromSeq) {
        EngineEvent event = new EngineEvent();
        long events = 0;
        long t0 = System.nanoTime();
        try (EventTailer tailer = EventTailer.openReadOnly(dir).fromSeq(fromSeq)) {
            while (tailer.next(event)) {
                events++;
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "baseline, the events queue read alone from seq %,d: %,d events in %.2f s: "
                + "%,.0f events/s%n", fromSeq, events, seconds, events / seconds);
        return events / seconds;
    }

    /** Opens the history on {@code options}, times it reaching {@code lastSeq}, prints the rate. */
    private static HistoryMetrics ingest(HistoryOptions options, long lastSeq, String phase, long fromSeq,
                                         double baselineEventsPerSecond) throws InterruptedException, IOException {
        long t0 = System.nanoTime();
        try (HistoryService history = HistoryService.open(options, () -> Long.MAX_VALUE)) {
            long opened = System.nanoTime();
            history.start();
            if (!history.awaitSeq(lastSeq, Duration.ofHours(1))) {
                throw new IllegalStateException("history did not catch up: " + history.metrics(), history.failure());
            }
            double seconds = (System.nanoTime() - opened) / 1e9;
            double writerCpu = writerCpuSeconds();
            HistoryMetrics m = history.metrics();
            Path db = options.sqliteFile();
            long bytes = Files.size(db) + sizeOrZero(db.resolveSibling(db.getFileName() + "-wal"));
            System.out.printf(Locale.ROOT, "%s: %,d events (seq %,d..%,d) in %,d batches of at most %,d in %.2f s"
                            + " (open %.2f s): %,.0f events/s, %,.0f commands/s; writer thread CPU %.2f s"
                            + " (%,.0f events per CPU second); database %,d MB%n", phase,
                    m.eventsApplied(), fromSeq + 1, lastSeq, m.batches(), options.maxBatchEvents(), seconds,
                    (opened - t0) / 1e9, m.eventsApplied() / seconds, (lastSeq - fromSeq) / seconds, writerCpu,
                    m.eventsApplied() / writerCpu, bytes >> 20);
            System.out.printf(Locale.ROOT, "%s / baseline (queue read alone) = %.3f%n", phase,
                    m.eventsApplied() / seconds / baselineEventsPerSecond);
            return m;
        }
    }

    /**
     * CPU time of the writer thread so far: beside the wall-clock rate, a figure that other
     * processes on a shared machine disturb less (they take the CPU, not the thread's work).
     */
    private static double writerCpuSeconds() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("readside-history")) {
                return threads.getThreadCpuTime(t.getId()) / 1e9;
            }
        }
        return Double.NaN;
    }

    private static long sizeOrZero(Path p) throws IOException {
        return Files.exists(p) ? Files.size(p) : 0;
    }

    /** Applies the flow's next {@code commands} commands; their events go to {@code <dir>/events}. */
    private static long append(OrderFlowGenerator flow, Exchange exchange, long commands, Path dir) {
        Command c = new Command();
        try (EventJournal journal = EventJournal.open(dir, JournalOptions.defaults())) {
            for (long i = 0; i < commands; i++) {
                flow.next(c);
                exchange.apply(c, journal);
            }
            return journal.lastSeq();
        }
    }
}
