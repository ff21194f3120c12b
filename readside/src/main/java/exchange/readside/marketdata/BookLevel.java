package exchange.readside.marketdata;

/**
 * One price level of one side of a book: total resting quantity and number of orders. In a
 * depth diff, {@code qty == 0} (and {@code orderCount == 0}) means the level is gone.
 */
public record BookLevel(long priceTicks, long qty, int orderCount) {
}
