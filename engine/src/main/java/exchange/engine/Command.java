package exchange.engine;

/**
 * A mutable command: one instance per Disruptor ring slot, allocated once and reused. Which
 * fields matter depends on {@link #type}; the rest are ignored (and zero/null after
 * {@link #clear()}). The gateway stamps {@link #timestampNanos} before publishing, so the engine
 * never reads a clock. The engine writes the outcome into the result fields at the bottom.
 *
 * <p>Prices and cash amounts are scaled longs ({@code exchange.risk.Money#SCALE} units per dollar),
 * quantities whole shares.
 */
public final class Command {
    // ---- input, set by the producer --------------------------------------------------------
    public CommandType type;
    /** Engine sequence; assigned by the engine when it applies a journaled command, carried in the journal. */
    public long seq;
    /** Wall-clock time stamped by the gateway, epoch nanoseconds. */
    public long timestampNanos;

    /** The acting account (from the API key); for CREATE_ACCOUNT the id is assigned by the engine. */
    public long accountId;

    // CREATE_ACCOUNT
    public String name;
    public String apiKeyHash;
    public int makerFeeBps;
    public int takerFeeBps;

    // DEPOSIT / WITHDRAW
    public String asset;
    public long amount;
    public String transferId;

    // PLACE_ORDER (QUERY_ORDERS reads symbol as a filter, null = any)
    public String clientOrderId;
    public String symbol;
    public Side side;
    public long qty;
    public long priceTicks;
    public TimeInForce timeInForce;
    public boolean postOnly;
    public SelfTradePrevention selfTradePrevention = SelfTradePrevention.DEFAULT;

    // CANCEL_ORDER, QUERY_ORDER (orderId); QUERY_ORDER_BY_CLIENT_ID (clientOrderId);
    // QUERY_ORDERS (orderFilter, symbol, afterNanos, untilNanos, beforeOrderId, limit; never journaled)
    public long orderId;
    public OrderFilter orderFilter = OrderFilter.ALL;
    /** QUERY_ORDERS: at most this many rows, newest first (0 = the engine's default, capped at the maximum). */
    public int limit;
    /** QUERY_ORDERS: only orders created after this time, epoch nanos, exclusive (0 = no bound). */
    public long afterNanos;
    /** QUERY_ORDERS: only orders created at or before this time, epoch nanos, inclusive (0 = no bound). */
    public long untilNanos;
    /** QUERY_ORDERS: only order ids below this one, the cursor of the next page (0 = no bound). */
    public long beforeOrderId;

    // SESSION_OPEN
    /** The trading date the session opens for, as epoch day (days since 1970-01-01). */
    public long sessionDate;
    /** When that session is scheduled to close (epoch nanos); DAY orders carry it as expires_at. */
    public long sessionClosesAtNanos;

    // REFERENCE_QUOTE (symbol is ours; the adapter stamps timestampNanos when the quote arrives)
    /** The quote source's configured name (its venue). */
    public String venue;
    /** The venue's best bid and its size; the venue's best ask and its size. */
    public long bidPriceTicks;
    public long bidQty;
    public long askPriceTicks;
    public long askQty;
    /** The venue's last trade price, 0 = none known. */
    public long lastPriceTicks;
    /** The quote stops counting once a later command's time is more than this past its own. */
    public long staleAfterNanos;

    /**
     * Set by a caller that will not read {@link #order} (journal replay): the engine then leaves
     * it empty, sparing a copy of the order and, for a cancel, decoding its client id. The state
     * and the events are the same either way. Not journaled.
     */
    public boolean orderViewUnused;

    // ---- output, set by the engine ---------------------------------------------------------
    public ResultCode result;
    /** For PLACE_ORDER/CANCEL_ORDER/QUERY_ORDER*: the order as it stands after the command. */
    public final OrderView order = new OrderView();
    /** For CONFLICT on PLACE_ORDER: bit set of {@link OrderView} fields that differ ({@code OrderView.FIELD_*}). */
    public int conflictFields;
    /** CREATE_ACCOUNT: the new account id. */
    public long resultAccountId;
    /**
     * Queries: an immutable result object built on the engine thread: {@link OrderPage} for
     * QUERY_ORDERS, {@link AccountSnapshot} for QUERY_ACCOUNT, {@link StateSummary} for
     * QUERY_STATE; SESSION_CLOSE hands back its {@link ReconciliationReport}.
     */
    public Object queryResult;

    /** Which orders QUERY_ORDERS returns. */
    public enum OrderFilter {
        OPEN,
        CLOSED,
        ALL
    }

    /** Resets every field so a reused slot carries nothing from its previous use. */
    public void clear() {
        clearInput();
        clearResult();
    }

    /**
     * Resets only the input fields: for a decoder filling a command that {@link Exchange#apply}
     * will take, which clears the result fields itself.
     */
    public void clearInput() {
        type = null;
        seq = 0;
        timestampNanos = 0;
        accountId = 0;
        name = null;
        apiKeyHash = null;
        makerFeeBps = 0;
        takerFeeBps = 0;
        asset = null;
        amount = 0;
        transferId = null;
        clientOrderId = null;
        symbol = null;
        side = null;
        qty = 0;
        priceTicks = 0;
        timeInForce = null;
        postOnly = false;
        selfTradePrevention = SelfTradePrevention.DEFAULT;
        orderId = 0;
        orderFilter = OrderFilter.ALL;
        limit = 0;
        afterNanos = 0;
        untilNanos = 0;
        beforeOrderId = 0;
        sessionDate = 0;
        sessionClosesAtNanos = 0;
        venue = null;
        bidPriceTicks = 0;
        bidQty = 0;
        askPriceTicks = 0;
        askQty = 0;
        lastPriceTicks = 0;
        staleAfterNanos = 0;
        orderViewUnused = false;
    }

    /** Resets only the output fields. */
    public void clearResult() {
        result = null;
        order.clear();
        conflictFields = 0;
        resultAccountId = 0;
        queryResult = null;
    }

    /** Copies every input field of {@code o} into this command and clears the result. */
    public void copyInputFrom(Command o) {
        copyInputFieldsFrom(o);
        clearResult();
    }

    /**
     * Copies every input field of {@code o} into this command and leaves the result fields as
     * they are: for a ring slot, whose result {@link Exchange#apply} clears itself.
     */
    public void copyInputFieldsFrom(Command o) {
        type = o.type;
        seq = o.seq;
        timestampNanos = o.timestampNanos;
        accountId = o.accountId;
        name = o.name;
        apiKeyHash = o.apiKeyHash;
        makerFeeBps = o.makerFeeBps;
        takerFeeBps = o.takerFeeBps;
        asset = o.asset;
        amount = o.amount;
        transferId = o.transferId;
        clientOrderId = o.clientOrderId;
        symbol = o.symbol;
        side = o.side;
        qty = o.qty;
        priceTicks = o.priceTicks;
        timeInForce = o.timeInForce;
        postOnly = o.postOnly;
        selfTradePrevention = o.selfTradePrevention;
        orderId = o.orderId;
        orderFilter = o.orderFilter;
        limit = o.limit;
        afterNanos = o.afterNanos;
        untilNanos = o.untilNanos;
        beforeOrderId = o.beforeOrderId;
        sessionDate = o.sessionDate;
        sessionClosesAtNanos = o.sessionClosesAtNanos;
        venue = o.venue;
        bidPriceTicks = o.bidPriceTicks;
        bidQty = o.bidQty;
        askPriceTicks = o.askPriceTicks;
        askQty = o.askQty;
        lastPriceTicks = o.lastPriceTicks;
        staleAfterNanos = o.staleAfterNanos;
        orderViewUnused = o.orderViewUnused;
    }

    @Override
    public String toString() {
        return "Command{" + type + " seq=" + seq + " ts=" + timestampNanos + " account=" + accountId
                + (clientOrderId != null ? " clientOrderId=" + clientOrderId : "")
                + (symbol != null ? " " + side + " " + qty + " " + symbol + " @" + priceTicks + " " + timeInForce : "")
                + (orderId != 0 ? " orderId=" + orderId : "")
                + (transferId != null ? " " + asset + " " + amount + " transfer=" + transferId : "")
                + (sessionDate != 0 ? " sessionDate=" + sessionDate : "")
                + (venue != null ? " venue=" + venue + " bid=" + bidQty + "@" + bidPriceTicks + " ask=" + askQty + "@"
                        + askPriceTicks + " last=" + lastPriceTicks + " staleAfter=" + staleAfterNanos : "")
                + (type == CommandType.QUERY_ORDERS ? " filter=" + orderFilter + " limit=" + limit + " after="
                        + afterNanos + " until=" + untilNanos + " before=" + beforeOrderId : "")
                + " result=" + result + "}";
    }
}
