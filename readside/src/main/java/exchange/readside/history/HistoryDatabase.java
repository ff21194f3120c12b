package exchange.readside.history;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * Where the history database is and how to connect to it: the SQLite file
 * {@code <dataDir>/history/history.db} by default, or the configured JDBC URL. {@link #open}
 * brings the database to this build's schema before anyone uses it:
 * <ul>
 *   <li>a missing SQLite file (or an empty PostgreSQL schema) is created at the latest version,
 *       and the writer then rebuilds it from the events queue;</li>
 *   <li>an older version is migrated ({@link Schema});</li>
 *   <li>a newer version is refused with an error naming the database and both versions;</li>
 *   <li>a SQLite file that is not a database, fails {@code PRAGMA quick_check} or has no readable
 *       version table is moved aside as {@code history.db.corrupt-<n>} (with its {@code -wal} and
 *       {@code -shm}), logged at ERROR, and created anew (so rebuilt). A PostgreSQL database in that
 *       state is refused instead: it is not this process's to move.</li>
 * </ul>
 * {@code PRAGMA quick_check} reads the whole file (about 1.5 s for 550 MB), so it runs only when
 * the last process did not close the database cleanly: a clean close leaves a marker file
 * ({@code history.db.clean}) that the next open consumes; after a crash, or the first time, there is
 * none and the file is checked in full.
 *
 * <p>Immutable after {@link #open}; {@link #connectWriter()} and {@link #connectReader()} may be
 * called from any thread, each connection then belongs to its caller.
 */
final class HistoryDatabase {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryDatabase.class);

    private final String url;
    private final String user;
    private final String password;
    private final Dialect dialect;
    /** The SQLite file, or null for PostgreSQL. */
    private final Path file;
    /** True if {@link #open} created the database (new, or after moving a corrupt one aside). */
    private final boolean created;

    private HistoryDatabase(String url, String user, String password, Path file, boolean created) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.dialect = Dialect.ofUrl(url);
        this.file = file;
        this.created = created;
    }

    static HistoryDatabase open(HistoryOptions options) {
        return open(options, Schema.MIGRATIONS);
    }

    /** As {@link #open(HistoryOptions)}, with the given migrations (tests use a longer or shorter list). */
    static HistoryDatabase open(HistoryOptions options, List<Schema.Migration> migrations) {
        String url = options.jdbcUrl();
        Path file = null;
        if (url == null) {
            file = options.sqliteFile();
            url = "jdbc:sqlite:" + file;
        } else if (url.startsWith("jdbc:sqlite:")) {
            file = Path.of(url.substring("jdbc:sqlite:".length()));
        }
        if (file != null) {
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the directory of " + file, e);
            }
        }
        HistoryDatabase probe = new HistoryDatabase(url, options.user(), options.password(), file, false);
        boolean created = file != null ? probe.prepareSqlite(migrations) : probe.preparePostgres(migrations);
        return new HistoryDatabase(url, options.user(), options.password(), file, created);
    }

    Dialect dialect() {
        return dialect;
    }

    /** What logs and errors call the database: the file, or the JDBC URL. */
    String describe() {
        return file != null ? file.toString() : url;
    }

    /** True if open() found no usable database and created one: the writer rebuilds it from the queue. */
    boolean created() {
        return created;
    }

    /** A connection for the one writer: auto-commit off, the dialect's writer settings. */
    Connection connectWriter() throws SQLException {
        Connection c = connect();
        try {
            dialect.configureWriter(c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    /** A read-only connection for the query pool, auto-commit on. */
    Connection connectReader() throws SQLException {
        Connection c = connect();
        try {
            dialect.configureReader(c);
            return c;
        } catch (SQLException e) {
            closeQuietly(c, e);
            throw e;
        }
    }

    private Connection connect() throws SQLException {
        Properties p = new Properties();
        if (user != null) {
            p.setProperty("user", user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        dialect.addConnectionProperties(p);
        return DriverManager.getConnection(url, p);
    }

    // ---- SQLite --------------------------------------------------------------------------------

    private boolean prepareSqlite(List<Schema.Migration> migrations) {
        boolean existed = Files.exists(file);
        int latest = Schema.latestVersion(migrations);
        boolean closedCleanly = consumeCleanMarker();
        int version;
        try {
            version = probeSqlite(!closedCleanly);
        } catch (SQLException e) {
            if (!(e instanceof Schema.UnreadableVersionException) && !Dialect.isCorruption(e)) {
                throw new HistoryStoreException("cannot open the history database " + file + ": " + e.getMessage(), e);
            }
            Path aside = moveAside();
            LOG.error("history database {} is unusable ({}); moved it aside as {} and rebuilding it from the events queue",
                    file, e.getMessage(), aside);
            existed = false;
            version = 0;
        }
        if (version > latest) {
            throw new HistoryStoreException("history database " + file + " has schema version " + version
                    + ", newer than the " + latest + " this build knows: refusing to open it (run a newer build, or"
                    + " move the file away to rebuild it from the events queue)");
        }
        migrateFrom(version, migrations);
        if (!existed) {
            LOG.info("history database {} created at schema version {}", file, latest);
        } else if (version < latest) {
            LOG.info("history database {} migrated from schema version {} to {}", file, version, latest);
        }
        return !existed || version == 0;
    }

    /**
     * The version of the file, after checking that SQLite can read it and, with {@code fullCheck},
     * that {@code PRAGMA quick_check} finds it intact.
     */
    private int probeSqlite(boolean fullCheck) throws SQLException {
        try (Connection c = connect()) {
            if (fullCheck) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA quick_check")) {
                    String first = rs.next() ? rs.getString(1) : null;
                    if (!"ok".equalsIgnoreCase(first)) {
                        throw new SQLException("PRAGMA quick_check says: " + first, null, 11);
                    }
                }
            }
            return Schema.readVersion(c);
        }
    }

    /** The marker a clean close leaves beside the SQLite file. */
    private Path cleanMarker() {
        return file.resolveSibling(file.getFileName() + ".clean");
    }

    /** Removes the clean-close marker; true if it was there (the last process closed cleanly). */
    private boolean consumeCleanMarker() {
        try {
            return Files.deleteIfExists(cleanMarker());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + cleanMarker(), e);
        }
    }

    /**
     * Records that every connection to the SQLite file is closed and the last transaction
     * committed, so the next open may skip the full integrity check. No-op for PostgreSQL.
     */
    void markClosedCleanly() {
        if (file == null || !Files.exists(file)) {
            return;
        }
        try {
            Files.write(cleanMarker(), new byte[0]);
        } catch (IOException e) {
            LOG.warn("cannot write {}: the next start checks the whole history database", cleanMarker(), e);
        }
    }

    /** Moves the file and its -wal/-shm to the first free {@code <name>.corrupt-<n>}. */
    private Path moveAside() {
        String name = file.getFileName().toString();
        try {
            for (int n = 1; ; n++) {
                Path target = file.resolveSibling(name + ".corrupt-" + n);
                if (Files.exists(target)) {
                    continue;
                }
                Files.move(file, target);
                for (String suffix : new String[] {"-wal", "-shm"}) {
                    Path side = file.resolveSibling(name + suffix);
                    if (Files.exists(side)) {
                        Files.move(side, file.resolveSibling(name + ".corrupt-" + n + suffix));
                    }
                }
                return target;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the unusable history database " + file + " aside", e);
        }
    }

    // ---- PostgreSQL ----------------------------------------------------------------------------

    private boolean preparePostgres(List<Schema.Migration> migrations) {
        int latest = Schema.latestVersion(migrations);
        int version;
        try (Connection c = connect()) {
            version = Schema.readVersion(c);
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot read the schema version of the history database " + url + ": "
                    + e.getMessage(), e);
        }
        if (version > latest) {
            throw new HistoryStoreException("history database " + url + " has schema version " + version
                    + ", newer than the " + latest + " this build knows: refusing to open it");
        }
        migrateFrom(version, migrations);
        if (version < latest) {
            LOG.info("history database {} migrated from schema version {} to {}", url, version, latest);
        }
        return version == 0;
    }

    private void migrateFrom(int version, List<Schema.Migration> migrations) {
        try (Connection c = connect()) {
            if (dialect == Dialect.SQLITE) {
                dialect.configureWriter(c);
            }
            Schema.migrate(c, dialect, migrations, version);
        } catch (SQLException e) {
            throw new HistoryStoreException("cannot migrate the history database " + describe() + " from schema version "
                    + version + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(Connection c, Exception failure) {
        try {
            c.close();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }
}
