package exchange.engine;

/**
 * All resting orders at one price on one side, as a FIFO linked through the order store's book
 * links ({@code headSlot} is the oldest). The links are store slots, which stay inside the
 * engine: the hash and snapshots see the orders' ids. Pooled by its {@link BookSide}.
 * Invariant: {@code count} orders are linked from head to tail and their leaves sum to {@code totalQty}.
 */
final class PriceLevel {
    long priceTicks;
    int headSlot;
    int tailSlot;
    long totalQty;
    int count;

    void reset(long priceTicks) {
        this.priceTicks = priceTicks;
        headSlot = 0;
        tailSlot = 0;
        totalQty = 0;
        count = 0;
    }
}
