package exchange.readside.marketdata;

import java.util.List;

/**
 * A symbol's L2 book as of sequence {@code seq} (Binance's {@code lastUpdateId}): every depth
 * diff with {@code seq <= this.seq} is in it, none after. Bids best (highest) first, asks best
 * (lowest) first. Immutable.
 */
public record BookSnapshot(String symbol, long seq, List<BookLevel> bids, List<BookLevel> asks) {
    public BookSnapshot {
        bids = List.copyOf(bids);
        asks = List.copyOf(asks);
    }

    /** The best {@code depth} levels of each side. */
    public BookSnapshot top(int depth) {
        if (depth >= bids.size() && depth >= asks.size()) {
            return this;
        }
        return new BookSnapshot(symbol, seq, bids.subList(0, Math.min(depth, bids.size())),
                asks.subList(0, Math.min(depth, asks.size())));
    }
}
