package exchange.readside.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/**
 * The only place where SQLite and PostgreSQL differ for the history database: connection set-up
 * (PRAGMAs) and the type of a single-column 64-bit key. Every query and every other statement is
 * the same portable SQL on both. Stateless.
 */
enum Dialect {
    /**
     * One file, WAL journal (readers never block the writer), {@code synchronous=NORMAL}: a commit
     * lost to an OS crash is replayed from the events queue. {@code INTEGER PRIMARY KEY} makes the
     * id the table's rowid (one b-tree instead of two; SQLite integers are 64-bit).
     */
    SQLITE("INTEGER"),
    POSTGRESQL("BIGINT");

    /** Milliseconds a SQLite connection waits on a lock held by another (a checkpoint) before failing. */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    /**
     * Pages of 16 KiB, not 4: a batch dirties pages all over the per-account indexes, and fewer,
     * larger pages halve what each commit writes (measured with the ingest harness).
     */
    private static final int SQLITE_PAGE_SIZE = 16_384;
    /**
     * Checkpoint the WAL into the database every 4,000 pages (64 MiB) instead of SQLite's 1,000:
     * a page written by many batches is copied back once per checkpoint instead of once per few.
     */
    private static final int SQLITE_WAL_CHECKPOINT_PAGES = 4_000;
    /** Helper threads SQLite may use to sort while it builds indexes after a rebuild. */
    private static final int SQLITE_BULK_SORT_THREADS = 2;
    /** The writer's page cache: 64 MiB (negative = KiB, in SQLite's spelling). */
    private static final int SQLITE_WRITER_CACHE_KIB = 65_536;
    private static final int SQLITE_READER_CACHE_KIB = 16_384;

    private final String idType;

    Dialect(String idType) {
        this.idType = idType;
    }

    static Dialect ofUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return SQLITE;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        throw new IllegalArgumentException("no history dialect for " + jdbcUrl);
    }

    /** The column type of a table's single-column 64-bit primary key. */
    String idType() {
        return idType;
    }

    /** Expands {@code ${ID}} in a schema statement. */
    String expand(String statement) {
        return statement.replace("${ID}", idType);
    }

    /**
     * SQLite: no generated keys. The driver otherwise runs {@code SELECT last_insert_rowid()} (a
     * statement prepared, stepped and finalized) after every {@code INSERT} it executes, for keys
     * nothing here asks for: 12% of the history writer's samples under HTTP load.
     */
    void addConnectionProperties(Properties p) {
        if (this == SQLITE) {
            p.setProperty("jdbc.get_generated_keys", "false");
        }
    }

    void configureWriter(Connection c) throws SQLException {
        if (this == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MILLIS);
                // takes effect only on a new file, before its first table
                s.execute("PRAGMA page_size = " + SQLITE_PAGE_SIZE);
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA wal_autocheckpoint = " + SQLITE_WAL_CHECKPOINT_PAGES);
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA cache_size = -" + SQLITE_WRITER_CACHE_KIB);
                s.execute("PRAGMA temp_store = MEMORY");
            }
        }
        c.setAutoCommit(false);
    }

    /**
     * Settings while the writer rebuilds an empty database: no sync at commits (a crash of the
     * machine mid-rebuild can leave a file that fails its check at the next start, which is then
     * moved aside and rebuilt again), and sorter threads for the index builds at its end.
     */
    void beginBulkLoad(Connection c) throws SQLException {
        if (this == SQLITE) {
            outsideTransaction(c, "PRAGMA synchronous = OFF", "PRAGMA threads = " + SQLITE_BULK_SORT_THREADS);
        }
    }

    /** Back to the writer's settings after a rebuild; the next commit is synced as usual. */
    void endBulkLoad(Connection c) throws SQLException {
        if (this == SQLITE) {
            outsideTransaction(c, "PRAGMA synchronous = NORMAL", "PRAGMA threads = 0");
        }
    }

    /** Runs PRAGMAs that SQLite refuses inside a transaction; the connection's open one is committed first. */
    private static void outsideTransaction(Connection c, String... pragmas) throws SQLException {
        c.commit();
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            for (String p : pragmas) {
                s.execute(p);
            }
        } finally {
            c.setAutoCommit(false);
        }
    }

    void configureReader(Connection c) throws SQLException {
        if (this == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MILLIS);
                s.execute("PRAGMA cache_size = -" + SQLITE_READER_CACHE_KIB);
                s.execute("PRAGMA query_only = 1");
            }
        } else {
            c.setReadOnly(true);
        }
        c.setAutoCommit(true);
    }

    /**
     * True if {@code e} says the SQLite file is not a database or is damaged (SQLITE_NOTADB,
     * SQLITE_CORRUPT), as opposed to a lock, a permission or a full disk.
     */
    static boolean isCorruption(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                int primary = s.getErrorCode() & 0xFF;
                if (primary == 11 || primary == 26) {
                    return true;
                }
            }
        }
        return false;
    }
}
