package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.ExpiryReason;
import exchange.engine.Holds;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ReconciliationReport;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.engine.report.ReportFormat;
import exchange.readside.Projection;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The history writer: applies events to the history tables ({@link Schema}) over one JDBC
 * connection, one transaction per {@link #commit}, which also stores the applied seq, the queue
 * index and the session bookkeeping in {@code projection_state}.
 *
 * <p><b>No reads per event.</b> It keeps in memory the orders that are live (reloaded from the
 * table at open: {@code ended_close_count IS NULL}) and every account's fee rate, so applying an
 * event never queries; each order touched in a batch is written once, at the commit: inserted
 * (an upsert, should a row exist after all) when new, else updated by its key. Trades, fills and
 * new orders go in {@link MultiRowInsert} chunks; transfers and accounts (few) in JDBC batches.
 *
 * <p><b>Rebuild.</b> On an empty database (applied seq 0) it works in bulk until it has caught
 * up with the queue ({@link #caughtUp}): the per-account indexes ({@link Schema#ACCOUNT_INDEXES})
 * are dropped and built from sorted rows at the end (inserting into them at a thousand points per
 * batch costs far more), and a live order is written once, when it ends or at the end, instead of
 * at every batch that changes it. {@code projection_state.rebuilding} is 1 meanwhile: a rebuild
 * that stops before it caught up is incomplete, and the next open starts it over.
 *
 * <p><b>Window bookkeeping.</b> {@code closeCount} counts SESSION_CLOSED events applied; an order
 * row records it when created and when it ended (the gateway's window rule, see
 * {@link HistoryReader#evictedOrders}).
 *
 * <p><b>Reports.</b> {@link #submit} (any thread) queues an end-of-day report; the writer thread
 * stores it in {@code eod_reports} in {@link #housekeep}, and runs its {@link BatchCheck} once the
 * applied seq has reached the report's seq.
 *
 * <p><b>Commit delay</b> (a test seam, {@link HistoryOptions#commitDelay()}, zero in production): when
 * set, {@link #commit} sleeps that long after it has written the batch's rows and the applied seq,
 * before {@code COMMIT}, so the batch's transaction stays open, written but not committed. A test
 * then sees the writer lag behind the engine, and a kill then lands inside a batch.
 *
 * <p><b>Threads.</b> Constructed by the opener, then used by the runner thread only, except
 * {@link #submit} and {@link #batchCheckFailures()}. A cross-check of the engine's leaves quantities
 * against the rows' runs on every trade, cancel and expiry; a mismatch throws (fail-stop), since
 * the history would otherwise drift from the engine.
 */
final class HistoryProjection implements Projection {
    static final String NAME = "history";
    private static final Logger LOG = LoggerFactory.getLogger(HistoryProjection.class);

    private static final String INSERT_ACCOUNT = "INSERT INTO accounts (account_id, name, maker_fee_bps, taker_fee_bps,"
            + " created_at, seq) VALUES (?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TRANSFER = "INSERT INTO transfers (seq, account_id, kind, asset, amount,"
            + " transfer_id, code, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_TRADE = "INSERT INTO trades (trade_id, symbol, price, qty, taker_side,"
            + " taker_order_id, taker_account_id, maker_order_id, maker_account_id, taker_fee, maker_fee, executed_at,"
            + " seq, venue)";
    private static final String INSERT_FILL = "INSERT INTO fills (account_id, trade_id, order_id, symbol, side, price,"
            + " qty, fee, liquidity, executed_at, seq, venue)";
    private static final String UPDATE_STATE = "UPDATE projection_state SET applied_seq = ?, queue_index = ?,"
            + " close_count = ?, session_date = ?, session_open = ?, session_closes_at = ? WHERE projection = ?";
    private static final String UPSERT_REPORT = "INSERT INTO eod_reports (session_date, first_seq, close_seq,"
            + " report_json, batch_check_passed, batch_check_detail, checked_at) VALUES (?, ?, ?, ?, NULL, NULL, NULL)"
            + " ON CONFLICT (session_date) DO UPDATE SET first_seq = excluded.first_seq, close_seq = excluded.close_seq,"
            + " report_json = excluded.report_json, batch_check_passed = NULL, batch_check_detail = NULL,"
            + " checked_at = NULL";
    private static final String UPDATE_CHECK = "UPDATE eod_reports SET batch_check_passed = ?, batch_check_detail = ?,"
            + " checked_at = ? WHERE session_date = ?";

    private final HistoryDatabase database;
    private final Connection connection;
    private final LongSupplier epochNanosClock;
    /** {@link HistoryOptions#commitDelay()} in nanos; 0 = none. */
    private final long commitDelayNanos;
    private final PreparedStatement insertAccount;
    private final PreparedStatement insertTransfer;
    private final MultiRowInsert insertTrades;
    private final MultiRowInsert insertFills;
    private final MultiRowInsert insertOrders;
    private final PreparedStatement updateOrder;
    private final PreparedStatement updateState;
    private final CandleWriter candles;
    private int pendingAccounts;
    private int pendingTransfers;

    private final Long2ObjectHashMap<OrderRow> liveOrders = new Long2ObjectHashMap<>();
    private final List<OrderRow> dirtyOrders = new ArrayList<>();
    /** The larger of maker and taker bps, by account id; -1 for an account not seen. */
    private int[] maxFeeBps = new int[64];

    /**
     * True while an empty database is being rebuilt: its per-account indexes are dropped, and created
     * at the first {@link #caughtUp}.
     */
    private boolean bulkLoad;
    private final long appliedSeqAtOpen;
    private final long queueIndexAtOpen;
    private long closeCount;
    private long sessionDate;
    private boolean sessionOpen;
    private long sessionClosesAtNanos;

    private final ConcurrentLinkedQueue<ReconciliationReport> submitted = new ConcurrentLinkedQueue<>();
    /** Stored reports whose batch check waits for the applied seq to reach theirs. */
    private final List<ReconciliationReport> checksDue = new ArrayList<>();
    private volatile long batchCheckFailures;

    /** Opens the writer connection and loads the state it resumes from; commits without delay. */
    HistoryProjection(HistoryDatabase database, LongSupplier epochNanosClock) {
        this(database, epochNanosClock, HistoryOptions.DEFAULT_COMMIT_DELAY);
    }

    /**
     * Opens the writer connection and loads the state it resumes from.
     *
     * @param commitDelay the test seam's pause before each commit (see the class comment), already
     *     validated by {@link HistoryOptions}
     */
    HistoryProjection(HistoryDatabase database, LongSupplier epochNanosClock, Duration commitDelay) {
        this.database = database;
        this.epochNanosClock = epochNanosClock;
        this.commitDelayNanos = commitDelay.toNanos();
        Arrays.fill(maxFeeBps, -1);
        Connection c = null;
        try {
            c = database.connectWriter();
            this.connection = c;
            long[] state = loadState(c);
            if (state[6] != 0) {
                LOG.warn("history database {}: a rebuild from the events queue stopped before it caught up"
                        + " (at seq {}); starting it over", database.describe(), state[0]);
                startOver(c);
                state = loadState(c);
            }
            appliedSeqAtOpen = state[0];
            queueIndexAtOpen = state[1];
            closeCount = state[2];
            sessionDate = state[3];
            sessionOpen = state[4] != 0;
            sessionClosesAtNanos = state[5];
            bulkLoad = appliedSeqAtOpen == 0;
            secondaryIndexes(c, bulkLoad ? "DROP" : "CREATE");
            if (bulkLoad) {
                setRebuilding(c, true);
                c.commit();
                database.dialect().beginBulkLoad(c);
            }
            loadAccounts(c);
            loadLiveOrders(c);
            c.commit();
            insertAccount = c.prepareStatement(INSERT_ACCOUNT);
            insertTransfer = c.prepareStatement(INSERT_TRANSFER);
            insertTrades = new MultiRowInsert(c, INSERT_TRADE, 14, "");
            insertFills = new MultiRowInsert(c, INSERT_FILL, 12, "");
            insertOrders = new MultiRowInsert(c, OrderRow.INSERT_HEAD, OrderRow.COLUMN_COUNT, OrderRow.ON_CONFLICT);
            updateOrder = c.prepareStatement(OrderRow.UPDATE);
            updateState = c.prepareStatement(UPDATE_STATE);
            candles = new CandleWriter(c);
        } catch (SQLException e) {
            if (c != null) {
                try {
                    c.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new HistoryStoreException("cannot open the history writer on " + database.describe() + ": "
                    + e.getMessage(), e);
        }
        LOG.info("history writer on {}: applied seq {}, {} live orders, {} sessions closed", database.describe(),
                appliedSeqAtOpen, liveOrders.size(), closeCount);
    }

    private static long[] loadState(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT applied_seq, queue_index, close_count, session_date,"
                + " session_open, session_closes_at, rebuilding FROM projection_state WHERE projection = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    long[] s = new long[7];
                    for (int i = 0; i < s.length; i++) {
                        s[i] = rs.getLong(i + 1);
                    }
                    return s;
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO projection_state (projection, applied_seq,"
                + " queue_index, close_count, session_date, session_open, session_closes_at, rebuilding)"
                + " VALUES (?, 0, ?, 0, 0, 0, 0, 0)")) {
            ps.setString(1, NAME);
            ps.setLong(2, NO_INDEX);
            ps.executeUpdate();
        }
        return new long[] {0, NO_INDEX, 0, 0, 0, 0, 0};
    }

    private static void setRebuilding(Connection c, boolean rebuilding) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE projection_state SET rebuilding = ? WHERE projection = ?")) {
            ps.setInt(1, rebuilding ? 1 : 0);
            ps.setString(2, NAME);
            ps.executeUpdate();
        }
    }

    /**
     * Empties what a rebuild writes (not the submitted end-of-day reports) and resets the state:
     * a rebuild leaves live orders unwritten until it catches up, so one that stopped early is
     * incomplete and must be done again.
     */
    private static void startOver(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String table : Schema.QUEUE_TABLES) {
                s.executeUpdate("DELETE FROM " + table);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE projection_state SET applied_seq = 0, queue_index = ?,"
                + " close_count = 0, session_date = 0, session_open = 0, session_closes_at = 0, rebuilding = 0"
                + " WHERE projection = ?")) {
            ps.setLong(1, NO_INDEX);
            ps.setString(2, NAME);
            ps.executeUpdate();
        }
        c.commit();
    }

    /**
     * Drops every per-account index (bulk load) or creates those missing (a database whose rebuild
     * stopped before it caught up gets them back before it is queried).
     */
    private static void secondaryIndexes(Connection c, String verb) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String[] index : Schema.ACCOUNT_INDEXES) {
                s.execute(verb.equals("DROP") ? "DROP INDEX IF EXISTS " + index[0]
                        : "CREATE " + (index.length > 2 ? index[2] + " " : "") + "INDEX IF NOT EXISTS " + index[0]
                                + " ON " + index[1]);
            }
        }
    }

    private void loadAccounts(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT account_id, maker_fee_bps, taker_fee_bps FROM accounts")) {
            while (rs.next()) {
                setMaxFeeBps(rs.getLong(1), Math.max(rs.getInt(2), rs.getInt(3)));
            }
        }
    }

    private void loadLiveOrders(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT " + OrderRow.COLUMNS + " FROM orders WHERE ended_close_count IS NULL")) {
            while (rs.next()) {
                OrderRow r = OrderRow.readRow(rs);
                r.maxFeeBps = maxFeeBps(r.view.accountId);
                liveOrders.put(r.view.orderId, r);
            }
        }
    }

    // ---- Projection ---------------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long appliedSeq() {
        return appliedSeqAtOpen;
    }

    @Override
    public long appliedQueueIndex() {
        return queueIndexAtOpen;
    }

    @Override
    public void apply(EngineEvent e) {
        try {
            switch (e.type) {
                case ACCOUNT_CREATED -> accountCreated(e);
                case FUNDS_DEPOSITED -> transfer(e, Codes.DEPOSIT);
                case FUNDS_WITHDRAWN -> transfer(e, Codes.WITHDRAWAL);
                case TRANSFER_REJECTED -> transfer(e, Codes.REJECTED);
                case ORDER_ACCEPTED -> orderEntered(e, OrderStatus.NEW);
                case ORDER_REJECTED -> orderEntered(e, OrderStatus.REJECTED);
                case TRADE_EXECUTED -> trade(e);
                case ORDER_CANCELED -> orderEnded(e, OrderStatus.CANCELED, null);
                case ORDER_EXPIRED -> orderEnded(e, OrderStatus.EXPIRED, e.expiryReason);
                case SESSION_OPENED -> {
                    sessionDate = e.sessionDate;
                    sessionOpen = true;
                    sessionClosesAtNanos = e.amount;
                }
                case SESSION_CLOSED -> {
                    closeCount++;
                    sessionOpen = false;
                }
                // a prevented self-trade changes no order by itself (the expiry that follows does);
                // refused cancels and session commands change nothing either; reference quotes are
                // not history rows: the events queue (journal) holds every one, and the market-data
                // projection keeps each venue's latest
                case SELF_TRADE_PREVENTED, CANCEL_REJECTED, SESSION_REJECTED, REFERENCE_QUOTED -> {
                }
                default -> throw new IllegalStateException("history: unhandled event type " + e.type);
            }
        } catch (SQLException x) {
            throw new HistoryStoreException("history: cannot apply " + e + ": " + x.getMessage(), x);
        }
    }

    private void accountCreated(EngineEvent e) throws SQLException {
        PreparedStatement ps = insertAccount;
        ps.setLong(1, e.accountId);
        ps.setString(2, e.name);
        ps.setInt(3, e.makerFeeBps);
        ps.setInt(4, e.takerFeeBps);
        ps.setLong(5, e.timestampNanos);
        ps.setLong(6, e.seq);
        ps.addBatch();
        pendingAccounts++;
        setMaxFeeBps(e.accountId, Math.max(e.makerFeeBps, e.takerFeeBps));
    }

    private void transfer(EngineEvent e, String kind) throws SQLException {
        PreparedStatement ps = insertTransfer;
        ps.setLong(1, e.seq);
        ps.setLong(2, e.accountId);
        ps.setString(3, kind);
        OrderRow.setString(ps, 4, e.asset);
        ps.setLong(5, e.amount);
        OrderRow.setString(ps, 6, e.transferId);
        OrderRow.setString(ps, 7, e.code == null ? null : e.code.name());
        ps.setLong(8, e.timestampNanos);
        ps.addBatch();
        pendingTransfers++;
    }

    private void orderEntered(EngineEvent e, OrderStatus status) {
        OrderRow r = new OrderRow();
        OrderView v = r.view;
        v.orderId = e.orderId;
        v.clientOrderId = e.clientOrderId;
        v.accountId = e.accountId;
        v.symbol = e.symbol;
        v.side = e.side;
        v.qty = e.qty;
        v.priceTicks = e.priceTicks;
        v.timeInForce = e.timeInForce;
        v.postOnly = e.postOnly;
        v.selfTradePrevention = e.selfTradePrevention;
        v.status = status;
        v.createdAtNanos = e.timestampNanos;
        v.updatedAtNanos = e.timestampNanos;
        v.sessionDate = sessionDate;
        v.expiresAtNanos = e.timeInForce == TimeInForce.DAY && sessionOpen ? sessionClosesAtNanos : 0;
        v.seq = e.seq;
        r.createdCloseCount = closeCount;
        if (status == OrderStatus.REJECTED) {
            v.rejectReason = e.code;
            r.endedCloseCount = closeCount;
        } else {
            v.leavesQty = e.qty;
            v.holdAmount = e.amount;
            r.maxFeeBps = maxFeeBps(e.accountId);
            if (liveOrders.put(e.orderId, r) != null) {
                throw new IllegalStateException("history: order " + e.orderId + " accepted twice (seq " + e.seq + ")");
            }
        }
        markDirty(r);
    }

    /**
     * A trade: both orders' fills, the trade row and a fill row per side. A fill against the
     * outside market has no taker order (the liquidity provider's side, {@code orderId} 0, which
     * rests nothing): its trade row and the provider's fill row say order 0, and only the
     * customer's order changes.
     */
    private void trade(EngineEvent e) throws SQLException {
        boolean againstOutside = e.orderId == 0;
        if (againstOutside != (e.venue != null) || (againstOutside && e.leavesQty != 0)) {
            throw new IllegalStateException("history: a trade has a venue exactly when its taker has no order, which"
                    + " leaves nothing, but " + e + " does not");
        }
        long notional = Math.multiplyExact(e.priceTicks, e.qty);
        if (!againstOutside) {
            filled(live(e.orderId, e), e, notional, e.leavesQty);
        }
        filled(live(e.counterOrderId, e), e, notional, e.counterLeavesQty);
        insertTrades.add(e.tradeId).add(e.symbol).add(e.priceTicks).add(e.qty).add(Codes.side(e.side)).add(e.orderId)
                .add(e.accountId).add(e.counterOrderId).add(e.counterAccountId).add(e.takerFee).add(e.makerFee)
                .add(e.timestampNanos).add(e.seq).add(e.venue).endRow();
        candles.trade(e);
        fill(e.accountId, e.orderId, e.side, e.takerFee, Codes.TAKER, e);
        fill(e.counterAccountId, e.counterOrderId, e.side.opposite(), e.makerFee, Codes.MAKER, e);
    }

    private void fill(long accountId, long orderId, Side side, long fee, String liquidity, EngineEvent e)
            throws SQLException {
        insertFills.add(accountId).add(e.tradeId).add(orderId).add(e.symbol).add(Codes.side(side)).add(e.priceTicks)
                .add(e.qty).add(fee).add(liquidity).add(e.timestampNanos).add(e.seq).add(e.venue).endRow();
    }

    /** One side of a trade on its order: fill, status, and the hold recomputed as the engine does. */
    private void filled(OrderRow r, EngineEvent e, long notional, long leavesAfter) {
        OrderView v = r.view;
        v.filledQty += e.qty;
        v.filledNotional = Math.addExact(v.filledNotional, notional);
        v.leavesQty = v.qty - v.filledQty;
        if (v.leavesQty != leavesAfter) {
            throw new IllegalStateException("history: order " + v.orderId + " has " + v.leavesQty
                    + " leaves after trade " + e.tradeId + " but the engine says " + leavesAfter);
        }
        v.updatedAtNanos = e.timestampNanos;
        v.seq = e.seq;
        if (v.leavesQty == 0) {
            v.status = OrderStatus.FILLED;
            v.holdAmount = 0;
            r.endedCloseCount = closeCount;
        } else {
            v.status = OrderStatus.PARTIALLY_FILLED;
            v.holdAmount = v.side == Side.BUY ? Holds.buyHold(v.leavesQty, v.priceTicks, r.maxFeeBps) : v.leavesQty;
        }
        markDirty(r);
    }

    private void orderEnded(EngineEvent e, OrderStatus status, ExpiryReason reason) {
        OrderRow r = live(e.orderId, e);
        OrderView v = r.view;
        if (v.leavesQty != e.qty) {
            throw new IllegalStateException("history: order " + v.orderId + " has " + v.leavesQty + " leaves but "
                    + e.type + " at seq " + e.seq + " ends " + e.qty);
        }
        v.status = status;
        v.expiryReason = reason == ExpiryReason.NONE ? null : reason;
        v.leavesQty = 0;
        v.holdAmount = 0;
        v.updatedAtNanos = e.timestampNanos;
        v.seq = e.seq;
        r.endedCloseCount = closeCount;
        markDirty(r);
    }

    private OrderRow live(long orderId, EngineEvent e) {
        OrderRow r = liveOrders.get(orderId);
        if (r == null || !r.isLive()) {
            throw new IllegalStateException("history: order " + orderId + " is not live in " + database.describe()
                    + " but " + e + " changes it");
        }
        return r;
    }

    private void markDirty(OrderRow r) {
        if (!r.dirty) {
            r.dirty = true;
            dirtyOrders.add(r);
        }
    }

    private int maxFeeBps(long accountId) {
        int bps = accountId >= 0 && accountId < maxFeeBps.length ? maxFeeBps[(int) accountId] : -1;
        if (bps < 0) {
            throw new IllegalStateException("history: account " + accountId + " was never created");
        }
        return bps;
    }

    private void setMaxFeeBps(long accountId, int bps) {
        if (accountId < 0 || accountId > Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("history: account id out of range: " + accountId);
        }
        if (accountId >= maxFeeBps.length) {
            int old = maxFeeBps.length;
            maxFeeBps = Arrays.copyOf(maxFeeBps, (int) Math.max(accountId + 1, old * 2L));
            Arrays.fill(maxFeeBps, old, maxFeeBps.length, -1);
        }
        maxFeeBps[(int) accountId] = bps;
    }

    @Override
    public void commit(long throughSeq) {
        commit(throughSeq, NO_INDEX);
    }

    @Override
    public void commit(long throughSeq, long queueIndex) {
        try {
            flush(insertAccount, pendingAccounts);
            pendingAccounts = 0;
            flush(insertTransfer, pendingTransfers);
            pendingTransfers = 0;
            insertTrades.flush();
            insertFills.flush();
            candles.flush();
            int updates = 0;
            for (OrderRow r : dirtyOrders) {
                if (bulkLoad && r.isLive()) {
                    continue;   // written once it ends, or when the rebuild catches up
                }
                if (r.stored) {
                    r.bindUpdate(updateOrder);
                    updateOrder.addBatch();
                    updates++;
                } else {
                    r.addTo(insertOrders);
                }
            }
            insertOrders.flush();
            flush(updateOrder, updates);
            PreparedStatement s = updateState;
            s.setLong(1, throughSeq);
            s.setLong(2, queueIndex);
            s.setLong(3, closeCount);
            s.setLong(4, sessionDate);
            s.setInt(5, sessionOpen ? 1 : 0);
            s.setLong(6, sessionClosesAtNanos);
            s.setString(7, NAME);
            if (s.executeUpdate() != 1) {
                throw new IllegalStateException("history: projection_state row missing in " + database.describe());
            }
            pauseBeforeCommit();
            connection.commit();
        } catch (SQLException e) {
            throw new HistoryStoreException("history: commit through seq " + throughSeq + " failed on "
                    + database.describe() + ": " + e.getMessage(), e);
        }
        int kept = 0;
        for (OrderRow r : dirtyOrders) {
            if (bulkLoad && r.isLive()) {
                dirtyOrders.set(kept++, r);
                continue;
            }
            r.dirty = false;
            r.stored = true;
            if (!r.isLive()) {
                liveOrders.remove(r.view.orderId);
            }
        }
        dirtyOrders.subList(kept, dirtyOrders.size()).clear();
    }

    /** The commit-delay test seam: sleeps (not spinning) with the batch's transaction open. */
    private void pauseBeforeCommit() {
        long end = System.nanoTime() + commitDelayNanos;
        for (long left = commitDelayNanos; left > 0 && !Thread.currentThread().isInterrupted();
                left = end - System.nanoTime()) {
            LockSupport.parkNanos(this, left);
        }
    }

    private static void flush(PreparedStatement ps, int rows) throws SQLException {
        if (rows > 0) {
            ps.executeBatch();
        }
    }

    @Override
    public void caughtUp(long appliedSeq) {
        if (!bulkLoad) {
            return;
        }
        long t0 = System.nanoTime();
        try {
            for (OrderRow r : dirtyOrders) {
                r.addTo(insertOrders);
                r.dirty = false;
                r.stored = true;
            }
            insertOrders.flush();
            dirtyOrders.clear();
            setRebuilding(connection, false);
            connection.commit();
            secondaryIndexes(connection, "CREATE");
            connection.commit();
            database.dialect().endBulkLoad(connection);
        } catch (SQLException e) {
            throw new HistoryStoreException("history: creating the indexes after the rebuild of " + database.describe()
                    + " failed: " + e.getMessage(), e);
        }
        bulkLoad = false;
        LOG.info("history database {} rebuilt through seq {}; its {} indexes created in {} ms", database.describe(),
                appliedSeq, Schema.ACCOUNT_INDEXES.size(), (System.nanoTime() - t0) / 1_000_000);
    }

    // ---- reports and batch checks -------------------------------------------------------------

    /** Queues a report for the writer thread (any thread). */
    void submit(ReconciliationReport report) {
        submitted.add(report);
    }

    long batchCheckFailures() {
        return batchCheckFailures;
    }

    @Override
    public void housekeep(long appliedSeq) {
        if (submitted.isEmpty() && checksDue.isEmpty()) {
            return;
        }
        try {
            for (ReconciliationReport r; (r = submitted.poll()) != null; ) {
                storeReport(r);
                checksDue.add(r);
            }
            for (Iterator<ReconciliationReport> it = checksDue.iterator(); it.hasNext(); ) {
                ReconciliationReport r = it.next();
                if (r.seq() <= appliedSeq) {
                    runCheck(r);
                    it.remove();
                }
            }
        } catch (SQLException e) {
            throw new HistoryStoreException("history: storing or checking an end-of-day report failed on "
                    + database.describe() + ": " + e.getMessage(), e);
        }
    }

    private void storeReport(ReconciliationReport r) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement(UPSERT_REPORT)) {
            ps.setLong(1, r.sessionDate());
            ps.setLong(2, r.firstSeq());
            ps.setLong(3, r.seq());
            ps.setString(4, ReportFormat.toJson(r));
            ps.executeUpdate();
        }
        connection.commit();
    }

    private void runCheck(ReconciliationReport r) throws SQLException {
        BatchCheckResult result = BatchCheck.run(connection, r);
        try (PreparedStatement ps = connection.prepareStatement(UPDATE_CHECK)) {
            ps.setInt(1, result.passed() ? 1 : 0);
            ps.setString(2, result.detail());
            ps.setLong(3, epochNanosClock.getAsLong());
            ps.setLong(4, r.sessionDate());
            ps.executeUpdate();
        }
        connection.commit();
        if (result.passed()) {
            LOG.info("batch check of session {} passed: {}", ReportFormat.sessionDate(r.sessionDate()), result.detail());
        } else {
            batchCheckFailures++;
            LOG.error("BATCH CHECK FAILED for session {} (seq {}..{}): {}", ReportFormat.sessionDate(r.sessionDate()),
                    r.firstSeq(), r.seq(), result.detail());
        }
    }

    @Override
    public void close() {
        try {
            connection.rollback();
        } catch (SQLException e) {
            LOG.warn("history: rollback at close failed: {}", e.getMessage());
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("history: closing the writer connection failed: {}", e.getMessage());
        }
    }
}
