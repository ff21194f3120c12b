package exchange.engine;

/**
 * The order book of one symbol: bids and asks, and the last trade price (the collar's
 * reference). Owned by the engine thread; matching lives in {@link Matcher}, which keeps
 * the book and the order store consistent. Invariant: never crossed after a command
 * (best bid < best ask).
 */
final class OrderBook {
    final int symbolIndex;
    final String symbol;
    final long configuredReferencePriceTicks;
    final BookSide bids = new BookSide(true);
    final BookSide asks = new BookSide(false);
    long lastTradePriceTicks;

    OrderBook(int symbolIndex, String symbol, long configuredReferencePriceTicks) {
        this.symbolIndex = symbolIndex;
        this.symbol = symbol;
        this.configuredReferencePriceTicks = configuredReferencePriceTicks;
    }

    BookSide side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    /** The collar's reference: last trade, else the configured reference, 0 = none. */
    long referencePriceTicks() {
        return lastTradePriceTicks != 0 ? lastTradePriceTicks : configuredReferencePriceTicks;
    }
}
