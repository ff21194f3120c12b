package exchange.readside.history;

import exchange.engine.OrderView;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;

/**
 * One row of the {@code orders} table as the writer holds it while the order is live (or touched
 * in the current batch): the order's view, exactly as the engine would show it, plus the window
 * bookkeeping. Also the table's column list and the row mapping the reader shares.
 *
 * <p>Writer thread only. Invariants: {@code view.qty = view.filledQty + view.leavesQty} while live;
 * {@code endedCloseCount == OPEN} exactly while the status is not terminal.
 */
final class OrderRow {
    /** {@link #endedCloseCount} of a live order: NULL in the table. */
    static final long OPEN = -1;

    static final String COLUMNS = "order_id, account_id, client_order_id, symbol, side, qty, limit_price, time_in_force,"
            + " post_only, self_trade_prevention, status, filled_qty, leaves_qty, filled_notional, hold_amount,"
            + " created_at, updated_at, session_date, expires_at, reject_reason, expiry_reason, seq,"
            + " created_close_count, ended_close_count";
    static final String INSERT_HEAD = "INSERT INTO orders (" + COLUMNS + ")";
    /** Inserted, or on a known order id (a row stored after all), what can change is updated. */
    static final String ON_CONFLICT = " ON CONFLICT (order_id) DO UPDATE SET status = excluded.status,"
            + " filled_qty = excluded.filled_qty, leaves_qty = excluded.leaves_qty,"
            + " filled_notional = excluded.filled_notional, hold_amount = excluded.hold_amount,"
            + " updated_at = excluded.updated_at, reject_reason = excluded.reject_reason,"
            + " expiry_reason = excluded.expiry_reason, seq = excluded.seq,"
            + " ended_close_count = excluded.ended_close_count";
    static final int COLUMN_COUNT = 24;

    /** What can change once a row is stored (a rejected order is stored terminal, its reason with it). */
    static final String UPDATE = "UPDATE orders SET status = ?, filled_qty = ?, leaves_qty = ?, filled_notional = ?,"
            + " hold_amount = ?, updated_at = ?, expiry_reason = ?, seq = ?, ended_close_count = ? WHERE order_id = ?";

    final OrderView view = new OrderView();
    long createdCloseCount;
    long endedCloseCount = OPEN;
    /** The account's larger fee rate, for a buy's hold. */
    int maxFeeBps;
    /** True while the row has changes not yet written in this batch. */
    boolean dirty;
    /** True once the row is in the table (committed, or loaded at open): later changes are updates. */
    boolean stored;

    boolean isLive() {
        return endedCloseCount == OPEN;
    }

    /** Adds every column of {@link #COLUMNS}, in order, as one row. */
    void addTo(MultiRowInsert insert) throws SQLException {
        OrderView v = view;
        insert.add(v.orderId).add(v.accountId).add(v.clientOrderId).add(v.symbol).add(Codes.side(v.side)).add(v.qty)
                .add(v.priceTicks).add(Codes.tif(v.timeInForce)).add(v.postOnly ? 1 : 0)
                .add(Codes.stp(v.selfTradePrevention)).add(Codes.status(v.status)).add(v.filledQty).add(v.leavesQty)
                .add(v.filledNotional).add(v.holdAmount).add(v.createdAtNanos).add(v.updatedAtNanos).add(v.sessionDate)
                .add(v.expiresAtNanos).add(Codes.reject(v.rejectReason)).add(Codes.expiry(v.expiryReason)).add(v.seq)
                .add(createdCloseCount);
        if (endedCloseCount == OPEN) {
            insert.addNull();
        } else {
            insert.add(endedCloseCount);
        }
        insert.endRow();
    }

    /** Binds {@link #UPDATE}'s parameters. */
    void bindUpdate(PreparedStatement ps) throws SQLException {
        OrderView v = view;
        ps.setString(1, Codes.status(v.status));
        ps.setLong(2, v.filledQty);
        ps.setLong(3, v.leavesQty);
        ps.setLong(4, v.filledNotional);
        ps.setLong(5, v.holdAmount);
        ps.setLong(6, v.updatedAtNanos);
        setString(ps, 7, Codes.expiry(v.expiryReason));
        ps.setLong(8, v.seq);
        if (endedCloseCount == OPEN) {
            ps.setNull(9, Types.BIGINT);
        } else {
            ps.setLong(9, endedCloseCount);
        }
        ps.setLong(10, v.orderId);
    }

    /** Reads a row selected with {@link #COLUMNS} (in order, from column 1) into {@code v}. */
    static OrderView read(ResultSet rs, OrderView v) throws SQLException {
        v.orderId = rs.getLong(1);
        v.accountId = rs.getLong(2);
        v.clientOrderId = rs.getString(3);
        v.symbol = rs.getString(4);
        v.side = Codes.side(rs.getString(5));
        v.qty = rs.getLong(6);
        v.priceTicks = rs.getLong(7);
        v.timeInForce = Codes.tif(rs.getString(8));
        v.postOnly = rs.getInt(9) != 0;
        v.selfTradePrevention = Codes.stp(rs.getString(10));
        v.status = Codes.status(rs.getString(11));
        v.filledQty = rs.getLong(12);
        v.leavesQty = rs.getLong(13);
        v.filledNotional = rs.getLong(14);
        v.holdAmount = rs.getLong(15);
        v.createdAtNanos = rs.getLong(16);
        v.updatedAtNanos = rs.getLong(17);
        v.sessionDate = rs.getLong(18);
        v.expiresAtNanos = rs.getLong(19);
        v.rejectReason = Codes.reject(rs.getString(20));
        v.expiryReason = Codes.expiry(rs.getString(21));
        v.seq = rs.getLong(22);
        return v;
    }

    /** Reads a whole row (as {@link #read}) with its window columns. */
    static OrderRow readRow(ResultSet rs) throws SQLException {
        OrderRow r = new OrderRow();
        r.stored = true;
        read(rs, r.view);
        r.createdCloseCount = rs.getLong(23);
        long ended = rs.getLong(24);
        r.endedCloseCount = rs.wasNull() ? OPEN : ended;
        return r;
    }

    static void setString(PreparedStatement ps, int index, String value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, value);
        }
    }
}
