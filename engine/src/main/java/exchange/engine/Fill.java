package exchange.engine;

/**
 * One side of one trade, as seen by one account: a row of the account's fills, which the history
 * database (read side) serves from the events queue. The engine keeps no trades; it announces
 * each in a {@link EventType#TRADE_EXECUTED} event.
 *
 * <p>The liquidity provider's side of a fill against the outside market has no order:
 * {@code orderId} 0 and no client order id.
 *
 * @param venue the quote source of a fill against the outside market; null for a trade in our book
 */
public record Fill(long tradeId, long orderId, String clientOrderId, String symbol, Side side, long priceTicks,
                   long qty, long fee, boolean maker, long timestampNanos, long seq, String venue) {
}
