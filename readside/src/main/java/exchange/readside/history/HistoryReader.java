package exchange.readside.history;

import exchange.engine.Command;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.Side;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.PublicTrade;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The history database's queries, for request threads, concurrently with the writer. It owns a
 * bounded pool of read-only connections ({@code readPoolSize}); a query borrows one for its
 * duration and waits at most {@code readTimeout} for one to be free, else throws
 * {@link HistoryStoreException} (the gateway answers 503). Every query sees committed batches
 * only, so a row never shows half a command.
 *
 * <p>Orders come back as the engine's {@link OrderView} and executions as the engine's
 * {@link Fill}, field for field what the engine would show for the same order at the same seq.
 * Lists are newest first, paged by an exclusive cursor (an order or trade id) and a limit.
 *
 * <p>Thread-safe. Connections are opened lazily up to the pool size and closed by {@link #close}.
 */
public final class HistoryReader implements AutoCloseable {
    /** Largest page a list query returns, whatever the caller asks. */
    public static final int MAX_LIMIT = 1_000;

    private static final String ORDER_BY_ID = "SELECT " + OrderRow.COLUMNS
            + " FROM orders WHERE order_id = ? AND account_id = ?";
    private static final String ORDER_BY_CLIENT_ID = "SELECT " + OrderRow.COLUMNS
            + " FROM orders WHERE account_id = ? AND client_order_id = ? ORDER BY order_id DESC LIMIT 1";
    private static final String FILL_COLUMNS = "f.trade_id, f.order_id, o.client_order_id, f.symbol, f.side, f.price,"
            + " f.qty, f.fee, f.liquidity, f.executed_at, f.seq, f.venue";
    private static final String BATCH_CHECK = "SELECT batch_check_passed, batch_check_detail FROM eod_reports"
            + " WHERE session_date = ?";

    private static final long POOL_RECHECK_NANOS = 50_000_000L;

    private final HistoryDatabase database;
    private final Duration readTimeout;
    private final ArrayBlockingQueue<Connection> idle;
    private final int poolSize;
    private int opened;
    private boolean closed;

    HistoryReader(HistoryDatabase database, int poolSize, Duration readTimeout) {
        this.database = database;
        this.poolSize = poolSize;
        this.readTimeout = readTimeout;
        this.idle = new ArrayBlockingQueue<>(poolSize);
    }

    /** Order {@code orderId} if it exists in the history and belongs to {@code accountId}. */
    public Optional<OrderView> order(long accountId, long orderId) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement(ORDER_BY_ID)) {
                ps.setLong(1, orderId);
                ps.setLong(2, accountId);
                return firstOrder(ps);
            }
        });
    }

    /**
     * The account's newest order with this client order id: a client id may be used again once
     * its earlier order left the engine's idempotency window, and the newest order id wins.
     */
    public Optional<OrderView> newestOrderByClientId(long accountId, String clientOrderId) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement(ORDER_BY_CLIENT_ID)) {
                ps.setLong(1, accountId);
                ps.setString(2, clientOrderId);
                return firstOrder(ps);
            }
        });
    }

    /**
     * The account's orders that the engine no longer holds: terminal, with
     * {@code max(created_close_count, ended_close_count) < windowStartCloseCount}. Newest first.
     *
     * @param filter OPEN returns nothing (evicted orders are all terminal); CLOSED and ALL the same rows
     * @param symbolOrNull only this symbol, or any
     * @param afterNanos only orders created after this time (exclusive), 0 = no bound
     * @param untilNanos only orders created at or before this time, 0 = no bound
     * @param beforeOrderId cursor: only order ids below this, 0 = from the newest
     * @param windowStartCloseCount the engine's {@code W}: sessions closed when its window starts
     * @param limit at most this many rows, 1..{@link #MAX_LIMIT} (larger is cut to it)
     */
    public List<OrderView> evictedOrders(long accountId, Command.OrderFilter filter, String symbolOrNull,
                                         long afterNanos, long untilNanos, long beforeOrderId,
                                         long windowStartCloseCount, int limit) {
        if (filter == Command.OrderFilter.OPEN || windowStartCloseCount <= 0) {
            return List.of();
        }
        Where where = new Where("SELECT " + OrderRow.COLUMNS + " FROM orders WHERE account_id = ?"
                + " AND ended_close_count IS NOT NULL AND created_close_count < ? AND ended_close_count < ?",
                accountId, windowStartCloseCount, windowStartCloseCount)
                .and(symbolOrNull != null, "symbol = ?", symbolOrNull)
                .and(afterNanos != 0, "created_at > ?", afterNanos)
                .and(untilNanos != 0, "created_at <= ?", untilNanos)
                .and(beforeOrderId != 0, "order_id < ?", beforeOrderId);
        return query(c -> {
            try (PreparedStatement ps = where.prepare(c, "ORDER BY order_id DESC", checkLimit(limit));
                 ResultSet rs = ps.executeQuery()) {
                List<OrderView> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(OrderRow.read(rs, new OrderView()));
                }
                return List.copyOf(out);
            }
        });
    }

    /**
     * The account's fills, newest first (by trade id), with the order's client order id. The
     * liquidity provider's fills against the outside market have no order: order id 0, client
     * order id null (an outer join), and their venue.
     *
     * @param afterNanos only fills executed after this time (exclusive), 0 = no bound
     * @param untilNanos only fills executed at or before this time, 0 = no bound
     * @param beforeTradeId cursor: only trade ids below this, 0 = from the newest
     * @param limit at most this many rows, 1..{@link #MAX_LIMIT} (larger is cut to it)
     */
    public List<Fill> fills(long accountId, String symbolOrNull, long afterNanos, long untilNanos, long beforeTradeId,
                            int limit) {
        Where where = new Where("SELECT " + FILL_COLUMNS
                + " FROM fills f LEFT JOIN orders o ON o.order_id = f.order_id WHERE f.account_id = ?", accountId)
                .and(symbolOrNull != null, "f.symbol = ?", symbolOrNull)
                .and(afterNanos != 0, "f.executed_at > ?", afterNanos)
                .and(untilNanos != 0, "f.executed_at <= ?", untilNanos)
                .and(beforeTradeId != 0, "f.trade_id < ?", beforeTradeId);
        return query(c -> {
            try (PreparedStatement ps = where.prepare(c, "ORDER BY f.trade_id DESC", checkLimit(limit));
                 ResultSet rs = ps.executeQuery()) {
                List<Fill> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Fill(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                            Codes.side(rs.getString(5)), rs.getLong(6), rs.getLong(7), rs.getLong(8),
                            Codes.MAKER.equals(rs.getString(9)), rs.getLong(10), rs.getLong(11), rs.getString(12)));
                }
                return List.copyOf(out);
            }
        });
    }

    /** The stored batch check of a session, if its report was stored and checked. */
    public Optional<BatchCheckResult> batchCheck(long sessionDate) {
        return query(c -> {
            try (PreparedStatement ps = c.prepareStatement(BATCH_CHECK)) {
                ps.setLong(1, sessionDate);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return Optional.empty();
                    }
                    int passed = rs.getInt(1);
                    if (rs.wasNull()) {
                        return Optional.empty();
                    }
                    return Optional.of(new BatchCheckResult(sessionDate, passed != 0, rs.getString(2)));
                }
            }
        });
    }

    /**
     * A SHA-256, in hex, over every row of every history table ({@link Schema#CONTENT_TABLES}, not
     * the projection's bookkeeping), in primary-key order, each value tagged by kind (NULL, integer,
     * text) so that SQLite and PostgreSQL hash alike. {@code eod_reports.checked_at}, a wall-clock
     * time, is left out. Equal for a database rebuilt from the events queue and the live one.
     */
    public String contentHash() {
        return query(c -> {
            MessageDigest md = sha256();
            byte[] longBytes = new byte[9];
            for (String[] table : Schema.CONTENT_TABLES) {
                md.update(table[0].getBytes(StandardCharsets.UTF_8));
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT * FROM " + table[0] + " ORDER BY " + table[1])) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int columns = meta.getColumnCount();
                    while (rs.next()) {
                        md.update((byte) 'R');
                        for (int i = 1; i <= columns; i++) {
                            if (table[0].equals("eod_reports") && meta.getColumnName(i).equalsIgnoreCase("checked_at")) {
                                continue;
                            }
                            Object v = rs.getObject(i);
                            if (v == null) {
                                md.update((byte) 'N');
                            } else if (v instanceof Number n) {
                                long x = n.longValue();
                                longBytes[0] = 'I';
                                for (int b = 0; b < 8; b++) {
                                    longBytes[b + 1] = (byte) (x >>> (56 - 8 * b));
                                }
                                md.update(longBytes);
                            } else {
                                byte[] text = v.toString().getBytes(StandardCharsets.UTF_8);
                                md.update((byte) 'T');
                                md.update((byte) (text.length >>> 24));
                                md.update((byte) (text.length >>> 16));
                                md.update((byte) (text.length >>> 8));
                                md.update((byte) text.length);
                                md.update(text);
                            }
                        }
                    }
                }
            }
            return HexFormat.of().formatHex(md.digest());
        });
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    private static int checkLimit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be at least 1: " + limit);
        }
        return Math.min(limit, MAX_LIMIT);
    }

    private static Optional<OrderView> firstOrder(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(OrderRow.read(rs, new OrderView())) : Optional.empty();
        }
    }

    /** A SELECT whose optional filters each add a clause and its parameter, in order. */
    /**
     * Candles of one symbol and interval with {@code startNanos <= open_time <= endNanos}, oldest
     * first: the first {@code limit} of the range when {@code fromStart}, else its last {@code limit}.
     * Every candle read here is marked closed: the caller asks the database only for buckets older
     * than the ones it holds in memory.
     */
    public List<Candle> candles(String symbol, CandleInterval interval, long startNanos, long endNanos, int limit,
                                boolean fromStart) {
        Where where = new Where("SELECT " + CandleWriter.COLUMNS + " FROM candles WHERE symbol = ? AND interval_code = ?",
                symbol, interval.code())
                .and(true, "open_time >= ?", startNanos)
                .and(true, "open_time <= ?", endNanos);
        return query(c -> {
            try (PreparedStatement ps = where.prepare(c, "ORDER BY open_time " + (fromStart ? "ASC" : "DESC"),
                    checkLimit(limit)); ResultSet rs = ps.executeQuery()) {
                List<Candle> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(CandleWriter.read(rs, true));
                }
                if (!fromStart) {
                    Collections.reverse(out);
                }
                return List.copyOf(out);
            }
        });
    }

    /**
     * Trades of one symbol, oldest first. With {@code fromTradeId > 0} (or a start time) the page
     * begins there; without either it ends at the newest trade at or before {@code endNanos}.
     *
     * @param fromTradeId only trade ids at or above this, 0 = no bound
     * @param beforeTradeId only trade ids below this, 0 = no bound
     * @param startNanos only trades executed at or after this, {@link Long#MIN_VALUE} = no bound
     * @param endNanos only trades executed at or before this, {@link Long#MAX_VALUE} = no bound
     */
    public List<PublicTrade> trades(String symbol, long fromTradeId, long beforeTradeId, long startNanos, long endNanos,
                                    int limit) {
        boolean fromStart = fromTradeId > 0 || startNanos != Long.MIN_VALUE;
        Where where = new Where("SELECT trade_id, price, qty, taker_side, taker_order_id, maker_order_id, executed_at,"
                + " seq, venue FROM trades WHERE symbol = ?", symbol)
                .and(fromTradeId > 0, "trade_id >= ?", fromTradeId)
                .and(beforeTradeId > 0, "trade_id < ?", beforeTradeId)
                .and(startNanos != Long.MIN_VALUE, "executed_at >= ?", startNanos)
                .and(endNanos != Long.MAX_VALUE, "executed_at <= ?", endNanos);
        return query(c -> {
            try (PreparedStatement ps = where.prepare(c, "ORDER BY trade_id " + (fromStart ? "ASC" : "DESC"),
                    checkLimit(limit)); ResultSet rs = ps.executeQuery()) {
                List<PublicTrade> out = new ArrayList<>();
                while (rs.next()) {
                    Side taker = Codes.side(rs.getString(4));
                    long takerOrder = rs.getLong(5);
                    long makerOrder = rs.getLong(6);
                    out.add(new PublicTrade(symbol, rs.getLong(1), rs.getLong(2), rs.getLong(3), taker,
                            taker == Side.BUY ? takerOrder : makerOrder, taker == Side.BUY ? makerOrder : takerOrder,
                            rs.getLong(7), rs.getLong(8), rs.getString(9)));
                }
                if (!fromStart) {
                    Collections.reverse(out);
                }
                return List.copyOf(out);
            }
        });
    }

    private static final class Where {
        private final StringBuilder sql;
        private final List<Object> params = new ArrayList<>();

        Where(String select, Object... params) {
            this.sql = new StringBuilder(select);
            this.params.addAll(List.of(params));
        }

        /** Adds {@code AND clause} with its one parameter when {@code present}. */
        Where and(boolean present, String clause, Object param) {
            if (present) {
                sql.append(" AND ").append(clause);
                params.add(param);
            }
            return this;
        }

        PreparedStatement prepare(Connection c, String orderBy, int limit) throws SQLException {
            PreparedStatement ps = c.prepareStatement(sql + " " + orderBy + " LIMIT ?");
            try {
                int i = 1;
                for (Object p : params) {
                    if (p instanceof Long v) {
                        ps.setLong(i++, v);
                    } else {
                        ps.setString(i++, (String) p);
                    }
                }
                ps.setInt(i, limit);
                return ps;
            } catch (SQLException e) {
                ps.close();
                throw e;
            }
        }
    }

    // ---- the connection pool -----------------------------------------------------------------

    @FunctionalInterface
    private interface Query<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T query(Query<T> q) {
        Connection c = borrow();
        boolean healthy = false;
        try {
            T result = q.run(c);
            healthy = true;
            return result;
        } catch (SQLException e) {
            throw new HistoryStoreException("history query failed on " + database.describe() + ": " + e.getMessage(), e);
        } finally {
            giveBack(c, healthy);
        }
    }

    private Connection borrow() {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        while (true) {
            Connection c = idle.poll();
            if (c != null) {
                return c;
            }
            synchronized (this) {
                if (closed) {
                    throw new HistoryStoreException("history reader is closed");
                }
                if (opened < poolSize) {
                    try {
                        c = database.connectReader();
                    } catch (SQLException e) {
                        throw new HistoryStoreException("cannot open a read connection to " + database.describe()
                                + ": " + e.getMessage(), e);
                    }
                    opened++;
                    return c;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new HistoryStoreException("no history read connection free within " + readTimeout + " (all "
                        + poolSize + " busy)");
            }
            try {
                // a bounded wait, then look again: a connection closed after a failure frees a slot
                c = idle.poll(Math.min(left, POOL_RECHECK_NANOS), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HistoryStoreException("interrupted waiting for a history read connection");
            }
            if (c != null) {
                return c;
            }
        }
    }

    /** Returns a connection to the pool; a broken one (its query failed) is closed and replaced later. */
    private void giveBack(Connection c, boolean healthy) {
        synchronized (this) {
            if (!closed && healthy) {
                idle.add(c);
                return;
            }
            opened--;
        }
        closeQuietly(c);
    }

    /** Closes the idle connections now and each busy one when its query returns. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        for (Connection c; (c = idle.poll()) != null; ) {
            closeQuietly(c);
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing to do: the connection is gone either way
        }
    }
}
