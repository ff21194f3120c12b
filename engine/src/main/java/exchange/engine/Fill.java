package exchange.engine;

/**
 * One side of one trade, as seen by one account: a row of the account's fills, which the history
 * database (read side) serves from the events queue. The engine keeps no trades; it announces
 * each in a {@link EventType#TRADE_EXECUTED} event.
 */
public record Fill(long tradeId, long orderId, String clientOrderId, String symbol, Side side, long priceTicks,
                   long qty, long fee, boolean maker, long timestampNanos, long seq) {
}
