package exchange.readside.history;

import exchange.readside.ProjectionRunner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the history database, each with a named default, validated once in the constructor.
 * Immutable; any thread.
 *
 * <ul>
 *   <li>{@code dataDir}: the exchange's data directory; the events queue is {@code <dataDir>/events}
 *       and, without a JDBC URL, the database is the SQLite file {@link #sqliteFile()}.</li>
 *   <li>{@code jdbcUrl}: null for that SQLite file, else a {@code jdbc:postgresql:} URL (or a
 *       {@code jdbc:sqlite:} one, for a file elsewhere); {@code user}/{@code password} go with it.</li>
 *   <li>{@code maxBatchEvents}: events per writer transaction, {@link #DEFAULT_MAX_BATCH_EVENTS}.</li>
 *   <li>{@code readPoolSize}: read connections shared by query threads, {@link #DEFAULT_READ_POOL_SIZE}.</li>
 *   <li>{@code readTimeout}: how long a query waits for a free read connection,
 *       {@link #DEFAULT_READ_TIMEOUT}.</li>
 *   <li>{@code maxIdle}: the writer's longest pause between polls of a drained events queue,
 *       {@link #DEFAULT_MAX_IDLE}.</li>
 *   <li>{@code commitDelay}: <b>a testing knob</b>, {@link #DEFAULT_COMMIT_DELAY} (none) in production.
 *       The writer sleeps this long in every batch after it has written the batch's rows and before
 *       it commits them, so the transaction is open, its rows written but not committed, for that
 *       long: tests use it to make the writer lag (read-your-writes waits) and to kill the process
 *       while a batch is in flight. At most {@link #MAX_COMMIT_DELAY}.</li>
 * </ul>
 */
public record HistoryOptions(Path dataDir, String jdbcUrl, String user, String password, int maxBatchEvents,
                             int readPoolSize, Duration readTimeout, Duration maxIdle, Duration commitDelay) {
    /**
     * Events per writer transaction: 50,000, not the runner's 10,000. Each commit rewrites every
     * page a batch touched in the per-account indexes, so a writer that has fallen behind catches
     * up faster in larger batches (ingest harness, steady phase: about 60k events/s at 10,000,
     * 80-90k at 50,000). A batch only reaches it while behind; caught up, a batch is what
     * arrived since the last poll.
     */
    public static final int DEFAULT_MAX_BATCH_EVENTS = 50_000;
    /** Two request threads per core on this 2-core box; SQLite readers do not block the writer. */
    public static final int DEFAULT_READ_POOL_SIZE = 4;
    public static final int MAX_READ_POOL_SIZE = 64;
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_IDLE = ProjectionRunner.DEFAULT_MAX_IDLE;
    /** No pause before a commit: the only value production uses. */
    public static final Duration DEFAULT_COMMIT_DELAY = Duration.ZERO;
    /** Longest accepted {@code commitDelay}: a test seam, not a throttle. */
    public static final Duration MAX_COMMIT_DELAY = Duration.ofSeconds(10);
    /** The SQLite file under the data directory. */
    public static final String SQLITE_DIRECTORY = "history";
    public static final String SQLITE_FILE = "history.db";

    public HistoryOptions {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(readTimeout, "readTimeout");
        Objects.requireNonNull(maxIdle, "maxIdle");
        Objects.requireNonNull(commitDelay, "commitDelay");
        if (jdbcUrl != null && !jdbcUrl.startsWith("jdbc:postgresql:") && !jdbcUrl.startsWith("jdbc:sqlite:")) {
            throw new IllegalArgumentException("history JDBC URL must start with jdbc:postgresql: or jdbc:sqlite:, not "
                    + jdbcUrl);
        }
        if (jdbcUrl == null && (user != null || password != null)) {
            throw new IllegalArgumentException("history user/password need a JDBC URL (the SQLite file has none)");
        }
        if (maxBatchEvents < 1 || maxBatchEvents > ProjectionRunner.MAX_BATCH_EVENTS_LIMIT) {
            throw new IllegalArgumentException("maxBatchEvents must be 1.." + ProjectionRunner.MAX_BATCH_EVENTS_LIMIT
                    + ": " + maxBatchEvents);
        }
        if (readPoolSize < 1 || readPoolSize > MAX_READ_POOL_SIZE) {
            throw new IllegalArgumentException("readPoolSize must be 1.." + MAX_READ_POOL_SIZE + ": " + readPoolSize);
        }
        if (readTimeout.isNegative() || readTimeout.isZero()) {
            throw new IllegalArgumentException("readTimeout must be positive: " + readTimeout);
        }
        if (maxIdle.compareTo(Duration.ofMillis(1)) < 0 || maxIdle.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxIdle must be 1 ms..1 s: " + maxIdle);
        }
        if (commitDelay.isNegative() || commitDelay.compareTo(MAX_COMMIT_DELAY) > 0) {
            throw new IllegalArgumentException("commitDelay must be 0.." + MAX_COMMIT_DELAY + ": " + commitDelay);
        }
    }

    /** Every setting at its default: the SQLite file under {@code dataDir}. */
    public static HistoryOptions defaults(Path dataDir) {
        return new HistoryOptions(dataDir, null, null, null, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_READ_POOL_SIZE,
                DEFAULT_READ_TIMEOUT, DEFAULT_MAX_IDLE, DEFAULT_COMMIT_DELAY);
    }

    /** The same settings on another database (null = the SQLite file). */
    public HistoryOptions withJdbc(String url, String user, String password) {
        return new HistoryOptions(dataDir, url, user, password, maxBatchEvents, readPoolSize, readTimeout,
                maxIdle, commitDelay);
    }

    public HistoryOptions withMaxBatchEvents(int events) {
        return new HistoryOptions(dataDir, jdbcUrl, user, password, events, readPoolSize, readTimeout,
                maxIdle, commitDelay);
    }

    public HistoryOptions withReadPoolSize(int connections) {
        return new HistoryOptions(dataDir, jdbcUrl, user, password, maxBatchEvents, connections, readTimeout,
                maxIdle, commitDelay);
    }

    public HistoryOptions withMaxIdle(Duration idle) {
        return new HistoryOptions(dataDir, jdbcUrl, user, password, maxBatchEvents, readPoolSize, readTimeout,
                idle, commitDelay);
    }

    /** The same settings with the writer pausing {@code delay} before each commit: tests only, see the class comment. */
    public HistoryOptions withCommitDelay(Duration delay) {
        return new HistoryOptions(dataDir, jdbcUrl, user, password, maxBatchEvents, readPoolSize, readTimeout, maxIdle,
                delay);
    }

    /** {@code <dataDir>/history/history.db}: the database when no JDBC URL is set. */
    public Path sqliteFile() {
        return dataDir.resolve(SQLITE_DIRECTORY).resolve(SQLITE_FILE);
    }

    /** Never prints the password. */
    @Override
    public String toString() {
        return "HistoryOptions{dataDir=" + dataDir + ", database=" + (jdbcUrl == null ? sqliteFile() : jdbcUrl)
                + (user != null ? ", user=" + user : "") + (password != null ? ", password=***" : "")
                + ", maxBatchEvents=" + maxBatchEvents + ", readPoolSize=" + readPoolSize + ", readTimeout="
                + readTimeout + ", maxIdle=" + maxIdle
                + (commitDelay.isZero() ? "" : ", commitDelay=" + commitDelay) + "}";
    }
}
