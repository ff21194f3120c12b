package exchange.engine;

import java.util.Objects;

/**
 * A copy of one order's fields at a point in the command stream. The engine fills it on its own
 * thread; other threads read it only after the ring hands the slot over. {@link #copy()} makes
 * an independent instance for lists and tests.
 */
public final class OrderView {
    /** Bits of {@link Command#conflictFields}: which fields of a reused client order id differ. */
    public static final int FIELD_SYMBOL = 1;
    public static final int FIELD_SIDE = 1 << 1;
    public static final int FIELD_QTY = 1 << 2;
    public static final int FIELD_LIMIT_PRICE = 1 << 3;
    public static final int FIELD_TIME_IN_FORCE = 1 << 4;
    public static final int FIELD_POST_ONLY = 1 << 5;
    public static final int FIELD_SELF_TRADE_PREVENTION = 1 << 6;

    /** Wire names of the conflict bits, in bit order. */
    public static final String[] FIELD_NAMES = {
        "symbol", "side", "qty", "limit_price", "time_in_force", "post_only", "self_trade_prevention"};

    public long orderId;
    public String clientOrderId;
    public long accountId;
    public String symbol;
    public Side side;
    public long qty;
    public long priceTicks;
    public TimeInForce timeInForce;
    public boolean postOnly;
    public SelfTradePrevention selfTradePrevention;
    public OrderStatus status;
    public long filledQty;
    public long leavesQty;
    /** Sum of price x qty over fills; avg fill price = filledNotional / filledQty. */
    public long filledNotional;
    /** Cash (buy) or shares (sell) still reserved for this order. */
    public long holdAmount;
    public long createdAtNanos;
    public long updatedAtNanos;
    /** Epoch day of the session the order was entered in. */
    public long sessionDate;
    /** Epoch nanos when a DAY order expires (its session's scheduled close); 0 if none. */
    public long expiresAtNanos;
    public ResultCode rejectReason;
    public ExpiryReason expiryReason;
    /** Engine sequence of the command that last changed the order. */
    public long seq;

    public void clear() {
        orderId = 0;
        clientOrderId = null;
        accountId = 0;
        symbol = null;
        side = null;
        qty = 0;
        priceTicks = 0;
        timeInForce = null;
        postOnly = false;
        selfTradePrevention = null;
        status = null;
        filledQty = 0;
        leavesQty = 0;
        filledNotional = 0;
        holdAmount = 0;
        createdAtNanos = 0;
        updatedAtNanos = 0;
        sessionDate = 0;
        expiresAtNanos = 0;
        rejectReason = null;
        expiryReason = null;
        seq = 0;
    }

    /** True if this view holds an order (orderId set). */
    public boolean isPresent() {
        return orderId != 0;
    }

    /** Average fill price in scaled units, rounded down; 0 when nothing filled. */
    public long avgFillPriceTicks() {
        return filledQty == 0 ? 0 : filledNotional / filledQty;
    }

    public OrderView copy() {
        OrderView v = new OrderView();
        v.copyFrom(this);
        return v;
    }

    public void copyFrom(OrderView o) {
        orderId = o.orderId;
        clientOrderId = o.clientOrderId;
        accountId = o.accountId;
        symbol = o.symbol;
        side = o.side;
        qty = o.qty;
        priceTicks = o.priceTicks;
        timeInForce = o.timeInForce;
        postOnly = o.postOnly;
        selfTradePrevention = o.selfTradePrevention;
        status = o.status;
        filledQty = o.filledQty;
        leavesQty = o.leavesQty;
        filledNotional = o.filledNotional;
        holdAmount = o.holdAmount;
        createdAtNanos = o.createdAtNanos;
        updatedAtNanos = o.updatedAtNanos;
        sessionDate = o.sessionDate;
        expiresAtNanos = o.expiresAtNanos;
        rejectReason = o.rejectReason;
        expiryReason = o.expiryReason;
        seq = o.seq;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OrderView v)) {
            return false;
        }
        return orderId == v.orderId && accountId == v.accountId && qty == v.qty && priceTicks == v.priceTicks
                && postOnly == v.postOnly && filledQty == v.filledQty && leavesQty == v.leavesQty
                && filledNotional == v.filledNotional && holdAmount == v.holdAmount
                && createdAtNanos == v.createdAtNanos && updatedAtNanos == v.updatedAtNanos
                && sessionDate == v.sessionDate && expiresAtNanos == v.expiresAtNanos && seq == v.seq
                && Objects.equals(clientOrderId, v.clientOrderId) && Objects.equals(symbol, v.symbol)
                && side == v.side && timeInForce == v.timeInForce && selfTradePrevention == v.selfTradePrevention
                && status == v.status && rejectReason == v.rejectReason && expiryReason == v.expiryReason;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(orderId) * 31 + Long.hashCode(seq);
    }

    @Override
    public String toString() {
        return "Order{" + orderId + " " + clientOrderId + " acct=" + accountId + " " + side + " " + qty + " " + symbol
                + " @" + priceTicks + " " + timeInForce + (postOnly ? " post_only" : "") + " " + status
                + " filled=" + filledQty + " leaves=" + leavesQty + " hold=" + holdAmount
                + (rejectReason != null ? " reject=" + rejectReason : "")
                + (expiryReason != null && expiryReason != ExpiryReason.NONE ? " expiry=" + expiryReason : "")
                + " seq=" + seq + "}";
    }
}
