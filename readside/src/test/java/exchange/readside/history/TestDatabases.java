package exchange.readside.history;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the history store tests keep their database: a SQLite file under the test's data directory,
 * or, when the system property {@value #URL_PROPERTY} is set (with optional {@value #USER_PROPERTY}
 * and {@value #PASSWORD_PROPERTY}), a fresh schema of that PostgreSQL database per call, dropped and
 * created anew, so every test starts empty.
 */
final class TestDatabases {
    static final String URL_PROPERTY = "exchange.history.test.jdbc-url";
    static final String USER_PROPERTY = "exchange.history.test.user";
    static final String PASSWORD_PROPERTY = "exchange.history.test.password";
    private static final AtomicInteger SCHEMAS = new AtomicInteger();

    private TestDatabases() {
    }

    static boolean postgres() {
        return property(URL_PROPERTY) != null;
    }

    private static String property(String name) {
        String v = System.getProperty(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** Options for a new, empty database for {@code dataDir} (whose events queue it follows): the default file. */
    static HistoryOptions fresh(Path dataDir) {
        return fresh(dataDir, null);
    }

    /**
     * As {@link #fresh(Path)}; with a {@code name}, a second SQLite database beside the default one
     * (for comparing two builds over the same queue).
     */
    static HistoryOptions fresh(Path dataDir, String name) {
        HistoryOptions defaults = HistoryOptions.defaults(dataDir).withMaxIdle(java.time.Duration.ofMillis(2));
        if (!postgres()) {
            return name == null ? defaults
                    : defaults.withJdbc("jdbc:sqlite:" + dataDir.resolve(HistoryOptions.SQLITE_DIRECTORY).resolve(name),
                            null, null);
        }
        String schema = "history_test_" + ProcessHandle.current().pid() + "_" + SCHEMAS.incrementAndGet();
        String url = property(URL_PROPERTY);
        try (Connection c = DriverManager.getConnection(url, property(USER_PROPERTY), property(PASSWORD_PROPERTY));
             Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            s.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test schema " + schema + " in " + url, e);
        }
        return defaults.withJdbc(url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema,
                property(USER_PROPERTY), property(PASSWORD_PROPERTY));
    }
}
