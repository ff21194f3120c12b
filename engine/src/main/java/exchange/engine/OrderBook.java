package exchange.engine;

/**
 * The order book of one symbol: bids and asks, the last trade price, the configured reference
 * price and whether its resting orders fill against the outside market. Owned by the engine
 * thread; matching lives in {@link Matcher} (and {@link ReferenceFills}), which keep the book and
 * the order store consistent. Invariant: never crossed after a command (best bid < best ask).
 */
final class OrderBook {
    final int symbolIndex;
    final String symbol;
    final long configuredReferencePriceTicks;
    /** Resting orders fill against the outside market ({@link ReferenceFills}); fixed by the config. */
    final boolean fillsAgainstReference;
    final BookSide bids = new BookSide(true);
    final BookSide asks = new BookSide(false);
    long lastTradePriceTicks;

    OrderBook(int symbolIndex, String symbol, long configuredReferencePriceTicks, boolean fillsAgainstReference) {
        this.symbolIndex = symbolIndex;
        this.symbol = symbol;
        this.configuredReferencePriceTicks = configuredReferencePriceTicks;
        this.fillsAgainstReference = fillsAgainstReference;
    }

    BookSide side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    /**
     * The last trade, else the configured reference, 0 = none: the mark price when no outside
     * venue is fresh ({@link ReferenceQuotes#markPriceTicks}).
     */
    long referencePriceTicks() {
        return lastTradePriceTicks != 0 ? lastTradePriceTicks : configuredReferencePriceTicks;
    }
}
