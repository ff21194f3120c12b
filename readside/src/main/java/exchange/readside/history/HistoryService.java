package exchange.readside.history;

import exchange.engine.ReconciliationReport;
import exchange.readside.ProjectionRunner;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The history database as the process wiring sees it: the writer ({@link HistoryProjection} on a
 * {@link ProjectionRunner} thread named {@code readside-history}) that tails the events queue into
 * the database, the {@link HistoryReader} that request threads query, and the end-of-day batch
 * check. It owns all three and the database connections; {@link #close} releases them.
 *
 * <p>Lifecycle: {@link #open} (brings the database to this build's schema, creating or moving
 * aside as {@link HistoryDatabase} describes, and loads the writer's state), {@link #start}, then
 * any thread may call everything else, until {@link #close}. The writer never blocks or slows the
 * engine: it only reads the events queue, which is the buffer when it lags.
 */
public final class HistoryService implements AutoCloseable {
    /**
     * The writer starts a batch at most this often while it keeps up and no reader waits for it
     * (a waiter ends the pause at once). Each commit costs about 130 us of CPU beyond its rows, so
     * committing every order as it trickled in cost 160 us a command at 1k orders/s, CPU the request
     * threads and the engine wait for on 2 cores; a 5 ms batch adds at most 5 ms to the writer's lag.
     */
    public static final Duration BATCH_INTERVAL = Duration.ofMillis(5);

    private final HistoryDatabase database;
    private final HistoryProjection projection;
    private final ProjectionRunner runner;
    private final HistoryReader reader;

    private HistoryService(HistoryDatabase database, HistoryProjection projection, ProjectionRunner runner,
                           HistoryReader reader) {
        this.database = database;
        this.projection = projection;
        this.runner = runner;
        this.reader = reader;
    }

    /**
     * Opens the history database of {@code options} and prepares its writer (not started).
     *
     * @param eventsCompleteThroughSeq the sequence through which the pipeline has appended every
     *     event to the events queue (any thread calls it); {@code () -> Long.MAX_VALUE} for a
     *     finished queue
     * @throws HistoryStoreException if the database cannot be used (newer schema, JDBC failure)
     */
    public static HistoryService open(HistoryOptions options, LongSupplier eventsCompleteThroughSeq) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(eventsCompleteThroughSeq, "eventsCompleteThroughSeq");
        HistoryDatabase database = HistoryDatabase.open(options);
        HistoryProjection projection = new HistoryProjection(database, ProjectionRunner::systemEpochNanos,
                options.commitDelay());
        ProjectionRunner runner;
        try {
            runner = new ProjectionRunner(projection, options.dataDir(), eventsCompleteThroughSeq,
                    options.maxBatchEvents(), options.maxIdle(), BATCH_INTERVAL, ProjectionRunner::systemEpochNanos);
        } catch (RuntimeException e) {
            projection.close();
            throw e;
        }
        return new HistoryService(database, projection, runner,
                new HistoryReader(database, options.readPoolSize(), options.readTimeout()));
    }

    /** Starts the writer thread. */
    public HistoryService start() {
        runner.start();
        return this;
    }

    /** The sequence through which the database reflects every event. */
    public long appliedSeq() {
        return runner.appliedSeq();
    }

    /** Waits (bounded) until the database reflects {@code seq}: read-your-writes. False on timeout or if the writer stopped. */
    public boolean awaitSeq(long seq, Duration timeout) throws InterruptedException {
        return runner.awaitSeq(seq, timeout);
    }

    public HistoryReader reader() {
        return reader;
    }

    public HistoryMetrics metrics() {
        return new HistoryMetrics(runner.appliedSeq(), runner.lagEvents(), runner.lagMillis(), runner.eventsApplied(),
                runner.batches(), runner.lastBatchEvents(), projection.batchCheckFailures(), runner.rebuilding(),
                runner.failure() != null);
    }

    /** What stopped the writer, or null. */
    public Throwable failure() {
        return runner.failure();
    }

    /**
     * Hands over a session's reconciliation report (any thread, when the session closes): the
     * writer stores it in {@code eod_reports} with its JSON, then runs the batch check once the
     * database has applied through {@code report.seq()}.
     */
    public void submitReport(ReconciliationReport report) {
        projection.submit(Objects.requireNonNull(report, "report"));
        runner.wakeUp();
    }

    /** The batch check of a session, once it has run. */
    public Optional<BatchCheckResult> batchCheck(long sessionDate) {
        return reader.batchCheck(sessionDate);
    }

    /** See {@link HistoryReader#contentHash()}. */
    public String contentHash() {
        return reader.contentHash();
    }

    /** The database file or URL, for logs and the admin state. */
    public String database() {
        return database.describe();
    }

    /** Stops the writer after its current batch (committed whole or not at all), then closes every connection. */
    @Override
    public void close() {
        try {
            runner.close();
        } finally {
            reader.close();
        }
        if (runner.failure() == null) {
            database.markClosedCleanly();
        }
    }
}
