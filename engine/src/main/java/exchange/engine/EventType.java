package exchange.engine;

/**
 * Kinds of engine output event, in past tense. Which {@link EngineEvent} fields each carries is
 * listed here; unlisted fields are zero/null.
 */
public enum EventType {
    /** accountId, name, apiKeyHash, makerFeeBps, takerFeeBps. */
    ACCOUNT_CREATED,
    /** accountId, asset, amount, transferId. */
    FUNDS_DEPOSITED,
    /** accountId, asset, amount, transferId. */
    FUNDS_WITHDRAWN,
    /** accountId, asset, amount, transferId, code. Duplicate transfers emit nothing. */
    TRANSFER_REJECTED,
    /**
     * accountId, orderId, clientOrderId, symbol, side, qty, priceTicks, timeInForce, postOnly,
     * selfTradePrevention (as requested, {@code DEFAULT} included), amount = hold placed.
     */
    ORDER_ACCEPTED,
    /**
     * accountId, orderId, clientOrderId, symbol, side, qty, priceTicks, timeInForce, postOnly,
     * selfTradePrevention (as requested), code.
     */
    ORDER_REJECTED,
    /**
     * tradeId, symbol, priceTicks, qty, side = taker side, orderId/accountId = taker,
     * counterOrderId/counterAccountId = maker, takerFee, makerFee, leavesQty = taker leaves after,
     * counterLeavesQty = maker leaves after; venue = null for a trade inside our book.
     *
     * <p>A fill against the outside market (issue 19) has the same shape with venue = the quote
     * source's name: the liquidity provider is always the taker (orderId = 0, accountId = the
     * liquidity provider, side = its side, leavesQty = 0) and the customer's resting order the
     * maker (counterOrderId, counterAccountId, counterLeavesQty).
     */
    TRADE_EXECUTED,
    /** accountId, orderId, symbol, side, qty = quantity canceled, amount = hold released. */
    ORDER_CANCELED,
    /** accountId, orderId, symbol, side, qty = quantity expired, amount = hold released, expiryReason. */
    ORDER_EXPIRED,
    /** accountId, orderId = taker, counterOrderId = resting order, symbol, side = taker side, priceTicks, qty = quantity not traded. */
    SELF_TRADE_PREVENTED,
    /** accountId, orderId, code (ORDER_NOT_FOUND, TOO_LATE_TO_CANCEL). */
    CANCEL_REJECTED,
    /** sessionDate, amount = scheduled close (epoch nanos). */
    SESSION_OPENED,
    /** sessionDate, qty = number of orders expired by the sweep. */
    SESSION_CLOSED,
    /** code, sessionDate = the date the command asked for (0 for a close): a session command refused. */
    SESSION_REJECTED,
    /**
     * A reference quote the engine took: symbol, venue, bidPriceTicks, bidQty, askPriceTicks,
     * askQty, lastPriceTicks (0 = none), staleAfterNanos; the envelope's time is the quote's.
     * A quote the engine refused emits nothing (its result code says why).
     */
    REFERENCE_QUOTED;

    private static final EventType[] VALUES = values();

    public static EventType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
