package exchange.engine;

/** One side of one trade, as seen by one account (result rows of QUERY_FILLS). */
public record Fill(long tradeId, long orderId, String clientOrderId, String symbol, Side side, long priceTicks,
                   long qty, long fee, boolean maker, long timestampNanos, long seq) {
}
