package exchange.engine;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;
import exchange.risk.Money;

import java.util.Map;

/**
 * The latest quote of each outside venue for each symbol (issue 19, DESIGN section 10), as
 * {@code REFERENCE_QUOTE} commands brought them, and the mark price derived from them. Owned by
 * the engine thread; no clock: a quote is fresh for a command stamped {@code now} while
 * {@code now - quote time <= its staleAfterNanos}, both times journaled, so a replay decides
 * freshness exactly as the live run did.
 *
 * <p>Bounded: at most {@link #MAX_VENUES_PER_SYMBOL} venues per symbol, in the order they first
 * quoted it (a quote from one more is refused). Invariant of every stored quote, checked by
 * {@link #validateInternalState}: venue names distinct per symbol and 1..{@value #MAX_VENUE_LENGTH}
 * chars, {@code 0 < bid < ask <= maxPrice} on the tick ladder, sizes {@code > 0},
 * {@code 0 <= remaining <= size}, {@code 0 <= last <= maxPrice}, {@code staleAfter > 0}.
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
    private final OrderBook[] books;
    private final Quote[][] bySymbol;
    private final int[] venueCount;
    private final long maxPriceTicks;

    ReferenceQuotes(Map<String, OrderBook> bookBySymbol, OrderBook[] books, long maxPriceTicks) {
        this.bookBySymbol = bookBySymbol;
        this.books = books;
        this.bySymbol = new Quote[books.length][MAX_VENUES_PER_SYMBOL];
        this.venueCount = new int[books.length];
        this.maxPriceTicks = maxPriceTicks;
    }

    /** What is wrong with the quote {@code c} carries, or {@code OK}; changes nothing. */
    ResultCode validate(Command c) {
        OrderBook book = c.symbol == null ? null : bookBySymbol.get(c.symbol);
        if (book == null) {
            return ResultCode.UNKNOWN_SYMBOL;
        }
        if (!isValid(c.venue, c.bidPriceTicks, c.bidQty, c.askPriceTicks, c.askQty, c.lastPriceTicks, c.staleAfterNanos)) {
            return ResultCode.INVALID_QUOTE;
        }
        if (find(book.symbolIndex, c.venue) == null && venueCount[book.symbolIndex] == MAX_VENUES_PER_SYMBOL) {
            return ResultCode.TOO_MANY_VENUES;
        }
        return ResultCode.OK;
    }

    /**
     * The quote rules. Bid and ask must be on our tick ladder, because a fill against the outside
     * market trades at them.
     */
    private boolean isValid(String venue, long bid, long bidQty, long ask, long askQty, long last, long staleAfter) {
        return venue != null && !venue.isEmpty() && venue.length() <= MAX_VENUE_LENGTH
                && bid > 0 && ask > bid && ask <= maxPriceTicks && onTick(bid) && onTick(ask)
                && bidQty > 0 && askQty > 0 && last >= 0 && last <= maxPriceTicks && staleAfter > 0;
    }

    private static boolean onTick(long price) {
        return price < Money.SCALE || price % Money.CENT == 0;
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

    /**
     * The mid of the best fresh bid and the best fresh ask at {@code nowNanos} (rounded down; the
     * two may come from different venues), 0 if no venue is fresh. A fresh venue has both sides,
     * so there is a best ask whenever there is a best bid.
     */
    long midTicks(int symbolIndex, long nowNanos) {
        Quote bid = bestBid(symbolIndex, nowNanos);
        if (bid == null) {
            return 0;
        }
        // floor((bid + ask) / 2) without forming bid + ask, which can overflow under a huge maximum
        // price; the difference cannot, both being in (0, maxPrice], and is negative when the best
        // bid of one venue is above the best ask of another
        long ask = bestAsk(symbolIndex, nowNanos).askPriceTicks;
        return bid.bidPriceTicks + Math.floorDiv(ask - bid.bidPriceTicks, 2);
    }

    /**
     * The symbol's mark price at {@code nowNanos}: the fresh reference mid, else the last trade,
     * else the configured reference price; 0 = none. The collar is centred on it and positions are
     * valued at it.
     */
    long markPriceTicks(OrderBook book, long nowNanos) {
        long mid = venueCount[book.symbolIndex] == 0 ? 0 : midTicks(book.symbolIndex, nowNanos);
        return mid != 0 ? mid : book.referencePriceTicks();
    }

    /** Which of the three {@link #markPriceTicks} took. */
    MarkSource markSource(OrderBook book, long nowNanos) {
        if (venueCount[book.symbolIndex] != 0 && midTicks(book.symbolIndex, nowNanos) != 0) {
            return MarkSource.REFERENCE;
        }
        if (book.lastTradePriceTicks != 0) {
            return MarkSource.LAST_TRADE;
        }
        return book.configuredReferencePriceTicks != 0 ? MarkSource.CONFIGURED : MarkSource.NONE;
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

    // ---- invariants, hash, snapshot ------------------------------------------------------------

    /** Checks the class invariant of every stored quote; throws {@link IllegalStateException} naming the first broken one. */
    void validateInternalState() {
        for (OrderBook book : books) {
            int n = venueCount[book.symbolIndex];
            ExchangeInvariants.check(n >= 0 && n <= MAX_VENUES_PER_SYMBOL, "too many venues for " + book.symbol);
            for (int i = 0; i < n; i++) {
                Quote q = bySymbol[book.symbolIndex][i];
                ExchangeInvariants.check(q != null && isValid(q.venue, q.bidPriceTicks, q.bidQty, q.askPriceTicks,
                        q.askQty, q.lastPriceTicks, q.staleAfterNanos), "invalid reference quote for " + book.symbol);
                ExchangeInvariants.check(q.remainingBidQty >= 0 && q.remainingBidQty <= q.bidQty
                        && q.remainingAskQty >= 0 && q.remainingAskQty <= q.askQty,
                        "reference quote of " + q.venue + " for " + book.symbol + " has more left than it showed");
                ExchangeInvariants.check(find(book.symbolIndex, q.venue) == q,
                        "venue " + q.venue + " quotes " + book.symbol + " twice");
            }
        }
    }

    /** Adds every stored quote, symbol by symbol in configured order, venues in arrival order. */
    void hashInto(StateHasher h) {
        for (int s = 0; s < books.length; s++) {
            h.add(venueCount[s]);
            for (int i = 0; i < venueCount[s]; i++) {
                Quote q = bySymbol[s][i];
                h.add(q.venue).add(q.bidPriceTicks).add(q.bidQty).add(q.askPriceTicks).add(q.askQty)
                        .add(q.lastPriceTicks).add(q.staleAfterNanos).add(q.timestampNanos).add(q.remainingBidQty)
                        .add(q.remainingAskQty);
            }
        }
    }

    /** Per symbol in configured order: venues:i32 {venue bid bidQty ask askQty last staleAfter time remainingBid remainingAsk}. */
    void write(SnapshotOutput out) {
        for (int s = 0; s < books.length; s++) {
            out.putInt(venueCount[s]);
            for (int i = 0; i < venueCount[s]; i++) {
                Quote q = bySymbol[s][i];
                out.putString(q.venue);
                out.putLong(q.bidPriceTicks);
                out.putLong(q.bidQty);
                out.putLong(q.askPriceTicks);
                out.putLong(q.askQty);
                out.putLong(q.lastPriceTicks);
                out.putLong(q.staleAfterNanos);
                out.putLong(q.timestampNanos);
                out.putLong(q.remainingBidQty);
                out.putLong(q.remainingAskQty);
            }
        }
    }

    /** Reads what {@link #write} wrote into this (empty) store; the caller validates afterwards. */
    void read(SnapshotInput in) {
        for (int s = 0; s < books.length; s++) {
            int n = in.getInt();
            if (n < 0 || n > MAX_VENUES_PER_SYMBOL) {
                throw new IllegalArgumentException("snapshot lists " + n + " venues for " + books[s].symbol);
            }
            for (int i = 0; i < n; i++) {
                Quote q = new Quote(in.getString());
                q.bidPriceTicks = in.getLong();
                q.bidQty = in.getLong();
                q.askPriceTicks = in.getLong();
                q.askQty = in.getLong();
                q.lastPriceTicks = in.getLong();
                q.staleAfterNanos = in.getLong();
                q.timestampNanos = in.getLong();
                q.remainingBidQty = in.getLong();
                q.remainingAskQty = in.getLong();
                bySymbol[s][i] = q;
            }
            venueCount[s] = n;
        }
    }
}
