package exchange.engine;

import java.util.Arrays;
import java.util.Map;

/**
 * The latest quote of each outside venue for each symbol (issue 19, DESIGN section 10), as
 * {@code REFERENCE_QUOTE} commands brought them. Owned by the engine thread; no clock: a quote is
 * fresh for a command stamped {@code now} while {@code now - quote time <= its staleAfterNanos},
 * both times journaled, so a replay decides freshness exactly as the live run did.
 *
 * <p>Bounded: at most {@link #MAX_VENUES_PER_SYMBOL} venues per symbol, in the order they first
 * quoted it (a quote from one more is refused). Invariant of every stored quote:
 * {@code 0 < bid < ask <= maxPrice}, sizes {@code > 0}, {@code 0 <= remaining <= size}.
 */
final class ReferenceQuotes {
    /** Most venues quoting one symbol. */
    static final int MAX_VENUES_PER_SYMBOL = 8;
    /** Longest venue name, in chars. */
    static final int MAX_VENUE_LENGTH = 32;

    /** One venue's latest quote for one symbol. */
    static final class Quote {
        final String venue;
        long bidPriceTicks;
        long bidQty;
        long askPriceTicks;
        long askQty;
        /** The venue's last trade price, 0 = none known. */
        long lastPriceTicks;
        long staleAfterNanos;
        /** When the quote arrived (the command's stamped time). */
        long timestampNanos;
        /** What fills against the outside market have not yet used of the quote's sizes. */
        long remainingBidQty;
        long remainingAskQty;

        Quote(String venue) {
            this.venue = venue;
        }

        boolean isFreshAt(long nowNanos) {
            return nowNanos - timestampNanos <= staleAfterNanos;
        }
    }

    private final Map<String, OrderBook> bookBySymbol;
    private final Quote[][] bySymbol;
    private final int[] venueCount;
    private final long maxPriceTicks;

    ReferenceQuotes(Map<String, OrderBook> bookBySymbol, int symbols, long maxPriceTicks) {
        this.bookBySymbol = bookBySymbol;
        this.bySymbol = new Quote[symbols][MAX_VENUES_PER_SYMBOL];
        this.venueCount = new int[symbols];
        this.maxPriceTicks = maxPriceTicks;
    }

    /** What is wrong with the quote {@code c} carries, or {@code OK}; changes nothing. */
    ResultCode validate(Command c) {
        OrderBook book = c.symbol == null ? null : bookBySymbol.get(c.symbol);
        if (book == null) {
            return ResultCode.UNKNOWN_SYMBOL;
        }
        if (c.venue == null || c.venue.isEmpty() || c.venue.length() > MAX_VENUE_LENGTH
                || c.bidPriceTicks <= 0 || c.askPriceTicks <= c.bidPriceTicks || c.askPriceTicks > maxPriceTicks
                || c.bidQty <= 0 || c.askQty <= 0 || c.lastPriceTicks < 0 || c.lastPriceTicks > maxPriceTicks
                || c.staleAfterNanos <= 0) {
            return ResultCode.INVALID_QUOTE;
        }
        if (find(book.symbolIndex, c.venue) == null && venueCount[book.symbolIndex] == MAX_VENUES_PER_SYMBOL) {
            return ResultCode.TOO_MANY_VENUES;
        }
        return ResultCode.OK;
    }

    /** Stores the valid quote {@code c} as its venue's latest for its symbol (sizes all unused). */
    Quote store(Command c) {
        int symbol = bookBySymbol.get(c.symbol).symbolIndex;
        Quote q = find(symbol, c.venue);
        if (q == null) {
            q = new Quote(c.venue);
            bySymbol[symbol][venueCount[symbol]++] = q;
        }
        q.bidPriceTicks = c.bidPriceTicks;
        q.bidQty = c.bidQty;
        q.askPriceTicks = c.askPriceTicks;
        q.askQty = c.askQty;
        q.lastPriceTicks = c.lastPriceTicks;
        q.staleAfterNanos = c.staleAfterNanos;
        q.timestampNanos = c.timestampNanos;
        q.remainingBidQty = c.bidQty;
        q.remainingAskQty = c.askQty;
        return q;
    }

    /** The venues quoting {@code symbolIndex}, in the order they first did. */
    int venueCount(int symbolIndex) {
        return venueCount[symbolIndex];
    }

    Quote quote(int symbolIndex, int venue) {
        return bySymbol[symbolIndex][venue];
    }

    /** The highest bid among the venues fresh at {@code nowNanos}; the first such venue on a tie; null if none. */
    Quote bestBid(int symbolIndex, long nowNanos) {
        Quote best = null;
        for (int i = 0; i < venueCount[symbolIndex]; i++) {
            Quote q = bySymbol[symbolIndex][i];
            if (q.isFreshAt(nowNanos) && (best == null || q.bidPriceTicks > best.bidPriceTicks)) {
                best = q;
            }
        }
        return best;
    }

    /** The lowest ask among the venues fresh at {@code nowNanos}; the first such venue on a tie; null if none. */
    Quote bestAsk(int symbolIndex, long nowNanos) {
        Quote best = null;
        for (int i = 0; i < venueCount[symbolIndex]; i++) {
            Quote q = bySymbol[symbolIndex][i];
            if (q.isFreshAt(nowNanos) && (best == null || q.askPriceTicks < best.askPriceTicks)) {
                best = q;
            }
        }
        return best;
    }

    /** The mid of the best fresh bid and ask at {@code nowNanos} (rounded down), 0 if no venue is fresh. */
    long midTicks(int symbolIndex, long nowNanos) {
        Quote bid = bestBid(symbolIndex, nowNanos);
        Quote ask = bestAsk(symbolIndex, nowNanos);
        return bid == null ? 0 : (bid.bidPriceTicks + ask.askPriceTicks) / 2;
    }

    private Quote find(int symbolIndex, String venue) {
        Quote[] quotes = bySymbol[symbolIndex];
        for (int i = 0; i < venueCount[symbolIndex]; i++) {
            if (quotes[i].venue.equals(venue)) {
                return quotes[i];
            }
        }
        return null;
    }

    /** Every stored quote, for the state hash and snapshots: symbol by symbol, venues in arrival order. */
    Quote[] all(int symbolIndex) {
        return Arrays.copyOf(bySymbol[symbolIndex], venueCount[symbolIndex]);
    }
}
