package exchange.readside.marketdata;

import exchange.engine.Side;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.candle.CandleSeries;
import exchange.readside.marketdata.MarketDataUpdate.BookTickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import org.agrona.collections.LongHashSet;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One symbol's market data while the projector builds it: the L2 book (price -> total leaves and
 * order count, per side), the recent-trades ring, the candle series, and the session ticker. It
 * collects what one command changed and turns it into updates at the command's end
 * ({@link #endCommand}), and freezes itself into a {@link SymbolSnapshot} at a commit.
 *
 * <p>It also keeps each outside venue's latest reference quote (at most
 * {@link MarketDataProjection#MAX_REFERENCE_VENUES}, in the order they first quoted), which the
 * ticker carries; which of them count is decided when the ticker is served ({@link Ticker#reference}).
 * Quotes alone make at most one ticker update per {@link MarketDataProjection#REFERENCE_TICKER_INTERVAL_NANOS}
 * of wall-clock time ({@link #sendReference}), however many came: a fast feed cannot flood the
 * ticker streams; a trade or a change of the top of the book sends one at once, which carries the
 * latest quotes too. {@link #announceStale} makes one when the wall clock passes a quote's
 * staleness limit.
 *
 * <p>Projector thread only. Invariant after every command: no level holds zero or negative
 * quantity or orders (a level whose last order left is removed), and the book is not crossed.
 */
final class SymbolMarket {
    private static final CandleInterval[] INTERVALS = CandleInterval.values();

    final String symbol;
    private final int maxCandles;

    private final TreeMap<Long, long[]> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, long[]> asks = new TreeMap<>();
    private final LongHashSet touchedBids = new LongHashSet();
    private final LongHashSet touchedAsks = new LongHashSet();
    private final TradeTape trades;
    private final CandleSeries[] series = new CandleSeries[INTERVALS.length];
    private final List<ArrayDeque<Candle>> finished = new ArrayList<>();
    /** Per interval: the open bucket was announced closed by the wall clock (no second closing message). */
    private final boolean[] closedByClock = new boolean[INTERVALS.length];
    private final boolean[] candleTouched = new boolean[INTERVALS.length];
    private final List<CandleUpdate> finishedThisCommand = new ArrayList<>();

    private long lastDiffSeq;
    private boolean tradedThisCommand;
    private boolean dirty = true;
    private boolean finishedChanged = true;
    private List<List<Candle>> finishedSnapshot = List.of();
    // what the last snapshot froze, kept while unchanged: a batch of reference quotes alone copies no book
    private boolean bookChangedSinceSnapshot = true;
    private boolean tradesChangedSinceSnapshot = true;
    private List<BookLevel> bidsSnapshot = List.of();
    private List<BookLevel> asksSnapshot = List.of();
    private List<PublicTrade> tradesSnapshot = List.of();

    // reference quotes
    private final ReferenceQuote[] quotes = new ReferenceQuote[MarketDataProjection.MAX_REFERENCE_VENUES];
    private int venues;
    private List<ReferenceQuote> quotesView = List.of();
    private boolean quotedThisCommand;
    /** A quote changed the ticker since the last ticker update: one is due. */
    private boolean referenceUpdateDue;
    /** When the last ticker update that quotes alone made went out, by the wall clock. */
    private long referenceSentAtNanos = Long.MIN_VALUE;
    /** Wall-clock time through which quotes going stale have been announced, epoch nanos. */
    private long staleAnnouncedThroughNanos;

    // ticker
    private long sessionDate;
    private boolean sessionOpen;
    private long sessionOpenedAtNanos;
    private long lastTicks;
    private long lastQty;
    private long lastTradeAtNanos;
    private long openTicks;
    private long highTicks;
    private long lowTicks;
    private long volume;
    private long quoteVolumeTicks;
    private long tradeCount;
    private long firstTradeId;
    private long lastTradeId;
    private long prevCloseTicks;
    private long bidTicks;
    private long bidQty;
    private long askTicks;
    private long askQty;
    private boolean sessionChanged;

    SymbolMarket(String symbol, int maxTrades, int maxCandles) {
        this.symbol = symbol;
        this.maxCandles = maxCandles;
        this.trades = new TradeTape(maxTrades);
        for (CandleInterval i : INTERVALS) {
            series[i.ordinal()] = new CandleSeries(symbol, i);
            finished.add(new ArrayDeque<>(maxCandles));
        }
    }

    // ---- book ----------------------------------------------------------------------------------

    /** An order enters its level (before it matches: the command's trades then take it out again). */
    void addOrder(Side side, long priceTicks, long qty) {
        long[] level = book(side).computeIfAbsent(priceTicks, p -> new long[2]);
        level[0] = Math.addExact(level[0], qty);
        level[1]++;
        touched(side).add(priceTicks);
        bookChangedSinceSnapshot = true;
    }

    /** Takes {@code qty} off an order's level; {@code orderGone} if that was its last quantity. */
    void reduceOrder(Side side, long priceTicks, long qty, boolean orderGone) {
        TreeMap<Long, long[]> book = book(side);
        long[] level = book.get(priceTicks);
        if (level == null || level[0] < qty) {
            throw new IllegalStateException("market data: " + symbol + " " + side + " level " + priceTicks + " holds "
                    + (level == null ? "nothing" : level[0]) + ", cannot take " + qty);
        }
        level[0] -= qty;
        if (orderGone) {
            level[1]--;
        }
        if (level[1] == 0 || level[0] == 0) {
            if (level[1] != 0 || level[0] != 0) {
                throw new IllegalStateException("market data: " + symbol + " " + side + " level " + priceTicks
                        + " left with qty " + level[0] + " and " + level[1] + " orders");
            }
            book.remove(priceTicks);
        }
        touched(side).add(priceTicks);
        bookChangedSinceSnapshot = true;
    }

    private TreeMap<Long, long[]> book(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    private LongHashSet touched(Side side) {
        return side == Side.BUY ? touchedBids : touchedAsks;
    }

    // ---- trades, candles, session ----------------------------------------------------------------

    void trade(PublicTrade t, List<MarketDataUpdate> out) {
        trades.add(t);
        tradesChangedSinceSnapshot = true;
        out.add(new TradeUpdate(t));
        for (CandleInterval i : INTERVALS) {
            Candle done = series[i.ordinal()].add(t.timeNanos(), t.priceTicks(), t.qty(), !t.buyerIsMaker(), t.tradeId(),
                    t.seq());
            if (done != null) {
                keepFinished(i, done);
                if (!closedByClock[i.ordinal()]) {
                    finishedThisCommand.add(new CandleUpdate(t.seq(), done));
                }
                closedByClock[i.ordinal()] = false;
            }
            candleTouched[i.ordinal()] = true;
        }
        if (tradeCount == 0) {
            openTicks = t.priceTicks();
            highTicks = t.priceTicks();
            lowTicks = t.priceTicks();
            firstTradeId = t.tradeId();
        }
        highTicks = Math.max(highTicks, t.priceTicks());
        lowTicks = Math.min(lowTicks, t.priceTicks());
        volume = Math.addExact(volume, t.qty());
        quoteVolumeTicks = Math.addExact(quoteVolumeTicks, Math.multiplyExact(t.priceTicks(), t.qty()));
        tradeCount++;
        lastTradeId = t.tradeId();
        lastTicks = t.priceTicks();
        lastQty = t.qty();
        lastTradeAtNanos = t.timeNanos();
        tradedThisCommand = true;
    }

    private void keepFinished(CandleInterval i, Candle c) {
        ArrayDeque<Candle> kept = finished.get(i.ordinal());
        if (kept.size() == maxCandles) {
            kept.removeFirst();
        }
        kept.addLast(c);
        finishedChanged = true;
    }

    void sessionOpened(long date, long atNanos) {
        sessionDate = date;
        sessionOpen = true;
        sessionOpenedAtNanos = atNanos;
        openTicks = 0;
        highTicks = 0;
        lowTicks = 0;
        volume = 0;
        quoteVolumeTicks = 0;
        tradeCount = 0;
        firstTradeId = 0;
        lastTradeId = 0;
        sessionChanged = true;
    }

    void sessionClosed() {
        sessionOpen = false;
        prevCloseTicks = lastTicks;
        sessionChanged = true;
    }

    // ---- reference quotes ------------------------------------------------------------------------

    /**
     * Takes {@code q} as its venue's latest quote. The engine refuses a quote from a venue beyond
     * its limit, so one more here means the two disagree: it throws rather than serve a reference
     * the engine does not hold.
     */
    void quote(ReferenceQuote q) {
        int i = 0;
        while (i < venues && !quotes[i].venue().equals(q.venue())) {
            i++;
        }
        if (i == quotes.length) {
            throw new IllegalStateException("market data: " + symbol + " quoted by more than " + quotes.length
                    + " venues (the engine's limit): " + q.venue());
        }
        quotes[i] = q;
        venues = Math.max(venues, i + 1);
        quotesView = List.of(Arrays.copyOf(quotes, venues));
        quotedThisCommand = true;
    }

    /** The earliest time at which a quote goes stale that is not announced yet; {@link Long#MAX_VALUE} if none. */
    long nextStaleAt() {
        long next = Long.MAX_VALUE;
        for (int i = 0; i < venues; i++) {
            long at = quotes[i].staleAtNanos();
            if (at > staleAnnouncedThroughNanos) {
                next = Math.min(next, at);
            }
        }
        return next;
    }

    /**
     * Announces, with one ticker update at {@code seq}, that a quote went stale by the wall clock
     * ({@code nowNanos}) since the last announcement: the ticker's stored state did not change, but
     * what it serves did. Returns {@link #nextStaleAt()} afterwards.
     */
    long announceStale(long nowNanos, long seq, List<MarketDataUpdate> out) {
        long next = nextStaleAt();
        if (next <= nowNanos) {
            out.add(new TickerUpdate(ticker(seq), true));
            staleAnnouncedThroughNanos = nowNanos;
            next = nextStaleAt();
        }
        return next;
    }

    /** Quotes changed the ticker since its last update. */
    boolean referenceUpdateDue() {
        return referenceUpdateDue;
    }

    /** When the ticker update quotes are owed may go out; {@link Long#MAX_VALUE} if none is owed. */
    long referenceDueAtNanos() {
        if (!referenceUpdateDue) {
            return Long.MAX_VALUE;
        }
        return referenceSentAtNanos == Long.MIN_VALUE ? Long.MIN_VALUE
                : referenceSentAtNanos + MarketDataProjection.REFERENCE_TICKER_INTERVAL_NANOS;
    }

    /**
     * At a commit through {@code seq} (or later, at {@code seq} the committed one): the ticker
     * update quotes are owed, if one is and the interval since the last has passed at {@code nowNanos}.
     */
    void sendReference(long seq, long nowNanos, List<MarketDataUpdate> out) {
        if (nowNanos >= referenceDueAtNanos()) {
            out.add(new TickerUpdate(ticker(seq), true));
            referenceUpdateDue = false;
            referenceSentAtNanos = nowNanos;
        }
    }

    // ---- command end, wall-clock closes, snapshots -----------------------------------------------

    /** Turns what the command {@code seq} changed into updates (depth diff, candles, tickers). */
    void endCommand(long seq, long timeNanos, List<MarketDataUpdate> out) {
        boolean bookChanged = !touchedBids.isEmpty() || !touchedAsks.isEmpty();
        if (bookChanged) {
            out.add(new DepthUpdate(symbol, lastDiffSeq + 1, seq, timeNanos, levels(bids, touchedBids),
                    levels(asks, touchedAsks)));
            lastDiffSeq = seq;
            touchedBids.clear();
            touchedAsks.clear();
        }
        out.addAll(finishedThisCommand);
        finishedThisCommand.clear();
        for (CandleInterval i : INTERVALS) {
            if (candleTouched[i.ordinal()]) {
                out.add(new CandleUpdate(seq, series[i.ordinal()].current(closedByClock[i.ordinal()])));
                candleTouched[i.ordinal()] = false;
            }
        }
        boolean topChanged = false;
        if (bookChanged) {
            Map.Entry<Long, long[]> b = bids.firstEntry();
            Map.Entry<Long, long[]> a = asks.firstEntry();
            long nb = b == null ? 0 : b.getKey();
            long nbq = b == null ? 0 : b.getValue()[0];
            long na = a == null ? 0 : a.getKey();
            long naq = a == null ? 0 : a.getValue()[0];
            if (nb != bidTicks || nbq != bidQty || na != askTicks || naq != askQty) {
                if (nb != 0 && na != 0 && nb >= na) {
                    throw new IllegalStateException("market data: " + symbol + " crossed after seq " + seq + ": bid "
                            + nb + " >= ask " + na);
                }
                bidTicks = nb;
                bidQty = nbq;
                askTicks = na;
                askQty = naq;
                topChanged = true;
                out.add(new BookTickerUpdate(symbol, seq, timeNanos, bidTicks, bidQty, askTicks, askQty));
            }
        }
        if (topChanged || tradedThisCommand || sessionChanged) {
            out.add(new TickerUpdate(ticker(seq)));
            referenceUpdateDue = false; // this ticker carries the quotes too
        } else if (quotedThisCommand) {
            referenceUpdateDue = true;
        }
        quotedThisCommand = false;
        tradedThisCommand = false;
        sessionChanged = false;
        dirty = true;
    }

    private static List<BookLevel> levels(TreeMap<Long, long[]> book, LongHashSet touched) {
        if (touched.isEmpty()) {
            return List.of();
        }
        long[] prices = new long[touched.size()];
        int n = 0;
        for (LongHashSet.LongIterator it = touched.iterator(); it.hasNext(); ) {
            prices[n++] = it.nextValue();
        }
        Arrays.sort(prices);
        List<BookLevel> out = new ArrayList<>(n);
        for (long p : prices) {
            long[] level = book.get(p);
            out.add(level == null ? new BookLevel(p, 0, 0) : new BookLevel(p, level[0], (int) level[1]));
        }
        if (book.comparator() != null) {
            Collections.reverse(out); // bids: best (highest) first, as the book lists them
        }
        return out;
    }

    /**
     * Announces the open buckets whose end is at or before {@code closeBeforeNanos} as closed (the
     * wall clock passed them), once per bucket. Returns the earliest end of a bucket still open,
     * or {@link Long#MAX_VALUE}.
     */
    long closeByClock(long closeBeforeNanos, long seq, List<MarketDataUpdate> out) {
        long next = Long.MAX_VALUE;
        for (CandleInterval i : INTERVALS) {
            CandleSeries s = series[i.ordinal()];
            if (!s.hasCandle() || closedByClock[i.ordinal()]) {
                continue;
            }
            long end = s.openTimeNanos() + i.nanos();
            if (end <= closeBeforeNanos) {
                closedByClock[i.ordinal()] = true;
                out.add(new CandleUpdate(seq, s.current(true)));
                dirty = true;
            } else {
                next = Math.min(next, end);
            }
        }
        return next;
    }

    /** The end of the earliest open bucket not yet announced closed, or {@link Long#MAX_VALUE}. */
    long nextCandleEnd() {
        long next = Long.MAX_VALUE;
        for (CandleInterval i : INTERVALS) {
            CandleSeries s = series[i.ordinal()];
            if (s.hasCandle() && !closedByClock[i.ordinal()]) {
                next = Math.min(next, s.openTimeNanos() + i.nanos());
            }
        }
        return next;
    }

    boolean dirty() {
        return dirty;
    }

    void markDirty() {
        dirty = true;
    }

    /** Freezes the symbol as of the commit at {@code seq}, the book to {@link MarketDataProjection#MAX_SNAPSHOT_LEVELS} a side. */
    SymbolSnapshot snapshot(long seq) {
        dirty = false;
        if (finishedChanged) {
            List<List<Candle>> lists = new ArrayList<>(INTERVALS.length);
            for (ArrayDeque<Candle> kept : finished) {
                lists.add(List.copyOf(kept));
            }
            finishedSnapshot = List.copyOf(lists);
            finishedChanged = false;
        }
        if (bookChangedSinceSnapshot) {
            bidsSnapshot = top(bids, MarketDataProjection.MAX_SNAPSHOT_LEVELS);
            asksSnapshot = top(asks, MarketDataProjection.MAX_SNAPSHOT_LEVELS);
            bookChangedSinceSnapshot = false;
        }
        if (tradesChangedSinceSnapshot) {
            tradesSnapshot = trades.view();
            tradesChangedSinceSnapshot = false;
        }
        Candle[] current = new Candle[INTERVALS.length];
        for (CandleInterval i : INTERVALS) {
            current[i.ordinal()] = series[i.ordinal()].current(closedByClock[i.ordinal()]);
        }
        return new SymbolSnapshot(symbol, seq, bidsSnapshot, asksSnapshot, tradesSnapshot,
                finishedSnapshot, Collections.unmodifiableList(Arrays.asList(current)), ticker(seq));
    }

    private static List<BookLevel> top(TreeMap<Long, long[]> book, int maxLevels) {
        List<BookLevel> out = new ArrayList<>(Math.min(book.size(), maxLevels));
        for (Map.Entry<Long, long[]> e : book.entrySet()) {
            if (out.size() == maxLevels) {
                break;
            }
            out.add(new BookLevel(e.getKey(), e.getValue()[0], (int) e.getValue()[1]));
        }
        return Collections.unmodifiableList(out);
    }

    Ticker ticker(long seq) {
        return new Ticker(symbol, seq, sessionDate, sessionOpen, sessionOpenedAtNanos, lastTicks, lastQty,
                lastTradeAtNanos, bidTicks, bidQty, askTicks, askQty, openTicks, highTicks, lowTicks, volume,
                quoteVolumeTicks, tradeCount, firstTradeId, lastTradeId, prevCloseTicks, quotesView);
    }
}
