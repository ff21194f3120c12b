package exchange.gateway.quotes.sim;

import exchange.risk.Money;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The simulated venue's market: per symbol a best bid and ask moved by a seeded random walk, and
 * now and then a trade between them. The same seed and the same calls give the same quotes.
 * Prices are our ticks ({@link Money#SCALE} per dollar) on a whole-cent grid; a symbol may be
 * pinned to a given quote (the walk then leaves it alone). Thread safe (one lock): the feed
 * thread walks, the control API pins.
 */
final class SimMarket {
    /** One symbol's quote, in ticks and whole shares. */
    record Quote(String symbol, long bidTicks, long bidQty, long askTicks, long askQty) {
    }

    /** One trade, in ticks and whole shares. */
    record Trade(String symbol, long id, long priceTicks, long qty, boolean buyerMaker) {
    }

    private static final long MAX_SIZE = 500;

    private final SplittableRandom random;
    private final Map<String, State> bySymbol = new LinkedHashMap<>();
    private final List<String> symbols;
    private long tradeIds;

    private static final class State {
        final long startMidTicks;
        long midTicks;
        long halfSpreadTicks;
        long bidQty;
        long askQty;
        boolean pinned;
        Quote pinnedQuote;

        State(long midTicks) {
            this.startMidTicks = midTicks;
            this.midTicks = midTicks;
            this.halfSpreadTicks = Money.CENT;
            this.bidQty = 100;
            this.askQty = 100;
        }
    }

    /**
     * @param startPrices each symbol's starting mid in ticks (at least two cents), in feed order
     */
    SimMarket(Map<String, Long> startPrices, long seed) {
        this.random = new SplittableRandom(seed);
        startPrices.forEach((s, mid) -> {
            if (mid < 2 * Money.CENT) {
                throw new IllegalArgumentException("start price of " + s + " must be at least 0.02");
            }
            bySymbol.put(s, new State(mid - mid % Money.CENT));
        });
        this.symbols = List.copyOf(bySymbol.keySet());
    }

    List<String> symbols() {
        return symbols;
    }

    boolean knows(String symbol) {
        return bySymbol.containsKey(symbol);
    }

    /**
     * Moves {@code symbol} one step: the mid by -2..+2 cents (pulled back towards the start once it
     * has wandered 10% away), the half spread 1..3 cents, sizes 1..500. Null if it is pinned.
     */
    synchronized Quote step(String symbol) {
        State s = state(symbol);
        if (s.pinned) {
            return null;
        }
        long move = (random.nextInt(5) - 2) * Money.CENT;
        long drift = s.midTicks - s.startMidTicks;
        if (Math.abs(drift) * 10 > s.startMidTicks && Long.signum(move) == Long.signum(drift)) {
            move = -move;
        }
        s.midTicks = Math.max(s.midTicks + move, 4 * Money.CENT);
        s.halfSpreadTicks = (1 + random.nextInt(3)) * Money.CENT;
        s.bidQty = 1 + random.nextLong(MAX_SIZE);
        s.askQty = 1 + random.nextLong(MAX_SIZE);
        return quoteOf(symbol, s);
    }

    /** A trade of {@code symbol} at its bid or ask (either side at random); a pinned symbol's too. */
    synchronized Trade trade(String symbol) {
        Quote q = quote(symbol);
        boolean atBid = random.nextBoolean();
        return new Trade(symbol, ++tradeIds, atBid ? q.bidTicks() : q.askTicks(),
                1 + random.nextLong(Math.max(1, atBid ? q.bidQty() : q.askQty())), atBid);
    }

    /** The current quote of {@code symbol}. */
    synchronized Quote quote(String symbol) {
        State s = state(symbol);
        return s.pinned ? s.pinnedQuote : quoteOf(symbol, s);
    }

    /** Holds {@code symbol} at this quote until {@link #release}; the walk resumes from its mid. */
    synchronized Quote pin(String symbol, long bidTicks, long bidQty, long askTicks, long askQty) {
        State s = state(symbol);
        s.pinned = true;
        s.pinnedQuote = new Quote(symbol, bidTicks, bidQty, askTicks, askQty);
        return s.pinnedQuote;
    }

    synchronized void release(String symbol) {
        State s = state(symbol);
        if (s.pinned && s.pinnedQuote.bidTicks() > 0 && s.pinnedQuote.askTicks() > s.pinnedQuote.bidTicks()) {
            long mid = (s.pinnedQuote.bidTicks() + s.pinnedQuote.askTicks()) / 2;
            s.midTicks = Math.max(4 * Money.CENT, mid - mid % Money.CENT);
        }
        s.pinned = false;
        s.pinnedQuote = null;
    }

    /** Every symbol's current quote, in feed order. */
    synchronized List<Quote> quotes() {
        List<Quote> out = new ArrayList<>();
        for (String s : symbols) {
            out.add(quote(s));
        }
        return out;
    }

    private State state(String symbol) {
        State s = bySymbol.get(symbol);
        if (s == null) {
            throw new IllegalArgumentException("unknown symbol " + symbol);
        }
        return s;
    }

    private static Quote quoteOf(String symbol, State s) {
        long bid = Math.max(Money.CENT, s.midTicks - s.halfSpreadTicks);
        return new Quote(symbol, bid, s.bidQty, Math.max(bid + Money.CENT, s.midTicks + s.halfSpreadTicks), s.askQty);
    }
}
