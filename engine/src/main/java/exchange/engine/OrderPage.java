package exchange.engine;

import java.util.List;

/**
 * The result of {@code QUERY_ORDERS}: the account's orders the engine holds that match the
 * query's filters, newest first (descending order id), at most the query's limit, with the
 * idempotency window they were taken from. Orders that ended before the window are not here: the
 * history database serves them. A reader merging the two keeps an order from here over its
 * history row (the engine's is the live state as of the query).
 *
 * @param orders                 copies, newest first
 * @param windowStartCloseCount  {@code W = max(0, closeCount - idempotencySessions)}: every order
 *                               that ended at or after close count W (or is live) is held
 * @param closeCount             session closes applied so far
 * @param lastEvictionSeq        sequence of the last session close that evicted an order (0 = none
 *                               yet): the history database must have applied it before its rows
 *                               and these orders cover every order
 */
public record OrderPage(List<OrderView> orders, long windowStartCloseCount, long closeCount, long lastEvictionSeq) {
    public OrderPage {
        orders = List.copyOf(orders);
    }
}
