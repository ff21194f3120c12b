package exchange.readside.history;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The history database's schema as an ordered list of migrations, and the one table that says
 * which of them a database has: {@code schema_version(version)}, one row. Opening a database
 * applies the migrations it lacks, each in its own transaction with its version bump, and refuses
 * a database whose version is newer than this build's. Units are in {@code readside/README.md}:
 * prices and amounts in {@code Money.SCALE} ticks, times in epoch nanos, dates as epoch days.
 *
 * <p>Statements are portable SQL; {@code ${ID}} (the key type) is the only
 * per-{@link Dialect} spelling. A released migration is never edited: a change is a new one.
 */
final class Schema {
    /** One step: the statements that take a database from {@code version - 1} to {@code version}. */
    record Migration(int version, String description, List<String> statements) {
    }

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "history tables and the indexes of the API's queries", List.of(
                    """
                    CREATE TABLE projection_state (
                      projection TEXT PRIMARY KEY,
                      applied_seq BIGINT NOT NULL,
                      queue_index BIGINT NOT NULL,
                      close_count BIGINT NOT NULL,
                      session_date BIGINT NOT NULL,
                      session_open INTEGER NOT NULL,
                      session_closes_at BIGINT NOT NULL,
                      rebuilding INTEGER NOT NULL)""",
                    """
                    CREATE TABLE accounts (
                      account_id ${ID} PRIMARY KEY,
                      name TEXT NOT NULL,
                      maker_fee_bps INTEGER NOT NULL,
                      taker_fee_bps INTEGER NOT NULL,
                      created_at BIGINT NOT NULL,
                      seq BIGINT NOT NULL)""",
                    """
                    CREATE TABLE orders (
                      order_id ${ID} PRIMARY KEY,
                      account_id BIGINT NOT NULL,
                      client_order_id TEXT NOT NULL,
                      symbol TEXT,
                      side TEXT NOT NULL,
                      qty BIGINT NOT NULL,
                      limit_price BIGINT NOT NULL,
                      time_in_force TEXT NOT NULL,
                      post_only INTEGER NOT NULL,
                      self_trade_prevention TEXT,
                      status TEXT NOT NULL,
                      filled_qty BIGINT NOT NULL,
                      leaves_qty BIGINT NOT NULL,
                      filled_notional BIGINT NOT NULL,
                      hold_amount BIGINT NOT NULL,
                      created_at BIGINT NOT NULL,
                      updated_at BIGINT NOT NULL,
                      session_date BIGINT NOT NULL,
                      expires_at BIGINT NOT NULL,
                      reject_reason TEXT,
                      expiry_reason TEXT,
                      seq BIGINT NOT NULL,
                      created_close_count BIGINT NOT NULL,
                      ended_close_count BIGINT)""",
                    """
                    CREATE TABLE trades (
                      trade_id ${ID} PRIMARY KEY,
                      symbol TEXT NOT NULL,
                      price BIGINT NOT NULL,
                      qty BIGINT NOT NULL,
                      taker_side TEXT NOT NULL,
                      taker_order_id BIGINT NOT NULL,
                      taker_account_id BIGINT NOT NULL,
                      maker_order_id BIGINT NOT NULL,
                      maker_account_id BIGINT NOT NULL,
                      taker_fee BIGINT NOT NULL,
                      maker_fee BIGINT NOT NULL,
                      executed_at BIGINT NOT NULL,
                      seq BIGINT NOT NULL)""",
                    """
                    CREATE TABLE fills (
                      account_id BIGINT NOT NULL,
                      trade_id BIGINT NOT NULL,
                      order_id BIGINT NOT NULL,
                      symbol TEXT NOT NULL,
                      side TEXT NOT NULL,
                      price BIGINT NOT NULL,
                      qty BIGINT NOT NULL,
                      fee BIGINT NOT NULL,
                      liquidity TEXT NOT NULL,
                      executed_at BIGINT NOT NULL,
                      seq BIGINT NOT NULL)""",
                    """
                    CREATE TABLE transfers (
                      seq ${ID} PRIMARY KEY,
                      account_id BIGINT NOT NULL,
                      kind TEXT NOT NULL,
                      asset TEXT,
                      amount BIGINT NOT NULL,
                      transfer_id TEXT,
                      code TEXT,
                      at BIGINT NOT NULL)""",
                    """
                    CREATE TABLE eod_reports (
                      session_date ${ID} PRIMARY KEY,
                      first_seq BIGINT NOT NULL,
                      close_seq BIGINT NOT NULL,
                      report_json TEXT NOT NULL,
                      batch_check_passed INTEGER,
                      batch_check_detail TEXT,
                      checked_at BIGINT)""",
                    "CREATE UNIQUE INDEX fills_key ON fills (account_id, trade_id)",
                    "CREATE INDEX orders_by_account ON orders (account_id, order_id)",
                    "CREATE INDEX orders_by_client_id ON orders (account_id, client_order_id, order_id)",
                    "CREATE INDEX orders_live ON orders (order_id) WHERE ended_close_count IS NULL",
                    "CREATE INDEX orders_expired_by_seq ON orders (seq) WHERE status = 'expired'",
                    "CREATE INDEX fills_by_seq ON fills (seq)",
                    "CREATE INDEX transfers_by_account ON transfers (account_id, seq)")),
            new Migration(2, "candles (1s, 1m, 5m), backfilled from the trades a version-1 database holds", List.of(
                    """
                    CREATE TABLE candles (
                      symbol TEXT NOT NULL,
                      interval_code TEXT NOT NULL,
                      open_time BIGINT NOT NULL,
                      open_price BIGINT NOT NULL,
                      high_price BIGINT NOT NULL,
                      low_price BIGINT NOT NULL,
                      close_price BIGINT NOT NULL,
                      volume BIGINT NOT NULL,
                      quote_volume BIGINT NOT NULL,
                      taker_buy_volume BIGINT NOT NULL,
                      taker_buy_quote_volume BIGINT NOT NULL,
                      trade_count BIGINT NOT NULL,
                      first_trade_id BIGINT NOT NULL,
                      last_trade_id BIGINT NOT NULL,
                      last_trade_at BIGINT NOT NULL,
                      seq BIGINT NOT NULL,
                      PRIMARY KEY (symbol, interval_code, open_time))""",
                    candleBackfill("1s", 1_000_000_000L),
                    candleBackfill("1m", 60_000_000_000L),
                    candleBackfill("5m", 300_000_000_000L))),
            new Migration(3, "the venue of a fill against the outside market, on trades and fills (NULL: our book)",
                    List.of(
                            "ALTER TABLE trades ADD COLUMN venue TEXT",
                            "ALTER TABLE fills ADD COLUMN venue TEXT")));

    /**
     * The candles of one interval computed in SQL from the trades table (migration 2, for a
     * database written before candles were kept). It buckets by each trade's own time; the writer's
     * rule ({@code CandleSeries}) also keeps a series' buckets in trade order when stamps arrive out
     * of order, so a backfilled candle can differ from a rebuilt one only for such trades.
     */
    private static String candleBackfill(String code, long intervalNanos) {
        return "INSERT INTO candles (symbol, interval_code, open_time, open_price, high_price, low_price, close_price,"
                + " volume, quote_volume, taker_buy_volume, taker_buy_quote_volume, trade_count, first_trade_id, last_trade_id, last_trade_at, seq)"
                + " SELECT g.symbol, '" + code + "', g.bucket, f.price, g.high_price, g.low_price, l.price, g.volume,"
                + " g.quote_volume, g.taker_buy_volume, g.taker_buy_quote_volume, g.trade_count, g.first_id, g.last_id, g.last_at, g.last_seq FROM"
                + " (SELECT symbol, bucket, MIN(trade_id) AS first_id, MAX(trade_id) AS last_id, MAX(price) AS high_price,"
                + " MIN(price) AS low_price, SUM(qty) AS volume, SUM(price * qty) AS quote_volume,"
                + " SUM(CASE WHEN taker_side = 'buy' THEN qty ELSE 0 END) AS taker_buy_volume,"
                + " SUM(CASE WHEN taker_side = 'buy' THEN price * qty ELSE 0 END) AS taker_buy_quote_volume,"
                + " COUNT(*) AS trade_count,"
                + " MAX(executed_at) AS last_at, MAX(seq) AS last_seq FROM"
                + " (SELECT trade_id, symbol, price, qty, taker_side, executed_at, seq,"
                + " executed_at - (executed_at % " + intervalNanos + ") AS bucket FROM trades) t"
                + " GROUP BY symbol, bucket) g"
                + " JOIN trades f ON f.trade_id = g.first_id JOIN trades l ON l.trade_id = g.last_id";
    }

    /**
     * The indexes keyed by account first, by name: a batch inserts into each of them at as many
     * places as there are active accounts, and every commit rewrites those pages. The writer drops
     * them while it rebuilds an empty database and creates them again from sorted rows once it has
     * caught up with the events queue. Must match what the migrations create. The others grow at
     * their end (seq, live order ids) and are kept up as rows arrive.
     *
     * <p>{@code fills_key} is the fills table's key, (account_id, trade_id): a unique index rather
     * than a declared primary key, so that a rebuild can append fills and build the key at the end.
     * There is no (account_id, symbol, trade_id) index: a symbol-filtered fills query walks the
     * account's fills newest first through {@code fills_key}, and that index cost six insert points
     * per account per batch (measured: the largest single cost of a writer with indexes).
     */
    static final List<String[]> ACCOUNT_INDEXES = List.of(
            new String[] {"fills_key", "fills (account_id, trade_id)", "UNIQUE"},
            new String[] {"orders_by_account", "orders (account_id, order_id)"},
            new String[] {"orders_by_client_id", "orders (account_id, client_order_id, order_id)"});

    /** The tables a rebuild fills from the events queue (an interrupted rebuild empties them first). */
    static final List<String> QUEUE_TABLES = List.of("accounts", "orders", "trades", "fills", "transfers", "candles");

    /** Tables whose rows are history (hashed by {@code contentHash}), with their primary keys. */
    static final List<String[]> CONTENT_TABLES = List.of(
            new String[] {"accounts", "account_id"},
            new String[] {"orders", "order_id"},
            new String[] {"trades", "trade_id"},
            new String[] {"fills", "account_id, trade_id"},
            new String[] {"transfers", "seq"},
            new String[] {"candles", "symbol, interval_code, open_time"},
            new String[] {"eod_reports", "session_date"});

    private Schema() {
    }

    static int latestVersion(List<Migration> migrations) {
        return migrations.isEmpty() ? 0 : migrations.get(migrations.size() - 1).version();
    }

    /** The tables of the connection's current schema, lower case. */
    static List<String> tables(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        List<String> out = new ArrayList<>();
        try (ResultSet rs = md.getTables(c.getCatalog(), c.getSchema(), "%", new String[] {"TABLE"})) {
            while (rs.next()) {
                out.add(rs.getString("TABLE_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return out;
    }

    /**
     * The version the database has: 0 if it has no table at all (a new database).
     *
     * @throws UnreadableVersionException if it has tables but no readable version row
     */
    static int readVersion(Connection c) throws SQLException {
        List<String> tables = tables(c);
        if (tables.isEmpty()) {
            return 0;
        }
        if (!tables.contains("schema_version")) {
            throw new UnreadableVersionException("it has tables " + tables + " but no schema_version table");
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
            if (!rs.next()) {
                throw new UnreadableVersionException("its schema_version table is empty");
            }
            int version = rs.getInt(1);
            if (rs.wasNull() || version < 0 || rs.next()) {
                throw new UnreadableVersionException("its schema_version table does not hold one version number");
            }
            return version;
        }
    }

    /**
     * Applies the migrations after {@code from}, each with its version bump in one transaction.
     * The connection is left with auto-commit off.
     */
    static void migrate(Connection c, Dialect dialect, List<Migration> migrations, int from) throws SQLException {
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            if (from == 0) {
                s.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)");
                s.execute("INSERT INTO schema_version (version) VALUES (0)");
                c.commit();
            }
            for (Migration m : migrations) {
                if (m.version() <= from) {
                    continue;
                }
                for (String statement : m.statements()) {
                    s.execute(dialect.expand(statement));
                }
                s.executeUpdate("UPDATE schema_version SET version = " + m.version());
                c.commit();
            }
        } catch (SQLException e) {
            c.rollback();
            throw e;
        }
    }

    /** The database has tables but its schema version cannot be read: it is not (or no longer) ours. */
    static final class UnreadableVersionException extends SQLException {
        private static final long serialVersionUID = 1L;

        UnreadableVersionException(String message) {
            super(message);
        }
    }
}
