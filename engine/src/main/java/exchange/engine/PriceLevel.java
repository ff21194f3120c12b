package exchange.engine;

/**
 * All resting orders at one price on one side, as a FIFO linked through the order store's
 * prev/next fields ({@code head} is the oldest). Pooled by its {@link BookSide}.
 * Invariant: {@code count} orders are linked from head to tail and their leaves sum to {@code totalQty}.
 */
final class PriceLevel {
    long priceTicks;
    long headOrderId;
    long tailOrderId;
    long totalQty;
    int count;

    void reset(long priceTicks) {
        this.priceTicks = priceTicks;
        headOrderId = 0;
        tailOrderId = 0;
        totalQty = 0;
        count = 0;
    }
}
