package exchange.readside.history;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The only place where SQLite and PostgreSQL differ for the history database: connection set-up
 * (PRAGMAs) and two spellings in the table definitions. Every query and every other statement is
 * the same portable SQL on both. Stateless.
 */
enum Dialect {
    /**
     * One file, WAL journal (readers never block the writer), {@code synchronous=NORMAL}: a commit
     * lost to an OS crash is replayed from the events queue. {@code INTEGER PRIMARY KEY} makes the
     * id the table's rowid (one b-tree instead of two), {@code WITHOUT ROWID} does the same for a
     * composite key.
     */
    SQLITE("INTEGER", " WITHOUT ROWID"),
    POSTGRESQL("BIGINT", "");

    /** Milliseconds a SQLite connection waits on a lock held by another (a checkpoint) before failing. */
    static final int SQLITE_BUSY_TIMEOUT_MILLIS = 10_000;
    /** The writer's page cache: 64 MiB (negative = KiB, in SQLite's spelling). */
    private static final int SQLITE_WRITER_CACHE_KIB = 65_536;
    private static final int SQLITE_READER_CACHE_KIB = 16_384;

    private final String idType;
    private final String clusteredByKey;

    Dialect(String idType, String clusteredByKey) {
        this.idType = idType;
        this.clusteredByKey = clusteredByKey;
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

    /** What follows a table definition whose composite primary key should be its storage order. */
    String clusteredByKey() {
        return clusteredByKey;
    }

    /** Expands {@code ${ID}} and {@code ${CLUSTERED}} in a schema statement. */
    String expand(String statement) {
        return statement.replace("${ID}", idType).replace("${CLUSTERED}", clusteredByKey);
    }

    void configureWriter(Connection c) throws SQLException {
        if (this == SQLITE) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + SQLITE_BUSY_TIMEOUT_MILLIS);
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA cache_size = -" + SQLITE_WRITER_CACHE_KIB);
                s.execute("PRAGMA temp_store = MEMORY");
            }
        }
        c.setAutoCommit(false);
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
