package exchange.readside.marketdata;

import exchange.engine.EngineEvent;
import exchange.engine.OrderStatus;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.readside.Projection;
import exchange.readside.marketdata.MarketDataUpdate.OrderFill;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import org.agrona.collections.Long2ObjectHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;

/**
 * The market-data read model: per symbol the L2 book, recent trades, 1s/1m/5m candles and the
 * session ticker ({@link SymbolMarket}), built from the events queue by a
 * {@link exchange.readside.ProjectionRunner} on the thread {@code readside-marketdata}.
 *
 * <p><b>In memory only.</b> {@link #appliedSeq()} is 0 at start, so the runner rebuilds it from
 * the start of the events queue (see {@code readside/README.md} for what that costs).
 *
 * <p><b>Book from events.</b> The engine emits no "rested" event: an accepted order enters its
 * level at once with its whole quantity, and the command's own trades, cancels and expiries take
 * it out again, so at the command's end the level holds exactly what the engine's book holds. It
 * keeps each live order's symbol, side, price and leaves by order id (a primitive-keyed map) and
 * checks the engine's leaves after every trade and end against its own (a mismatch throws: the
 * runner stops rather than serve a wrong book).
 *
 * <p><b>Publication.</b> Updates of a command are collected at its end; at a commit every symbol
 * the batch changed is frozen into an immutable {@link SymbolSnapshot} (copy-on-commit) and
 * published through a volatile field, then the committed seq, then the listeners are called with
 * the batch's updates. Readers ({@link MarketDataView}, any thread) take no lock.
 *
 * <p><b>Fills against the outside market</b> (issue 19) are trades whose taker, the liquidity
 * provider, has no order ({@code orderId} 0, {@code venue} set): only the maker's level shrinks,
 * and the trade counts in the tape, candles and ticker like any other. The provider's account
 * gets an order update without an order (see {@link OrderUpdate}).
 *
 * <p><b>Reference quotes.</b> Each {@code REFERENCE_QUOTED} event becomes its venue's latest quote
 * for the symbol, carried by the ticker; freshness and age are computed by whoever serves it, from
 * the wall clock ({@link Ticker#reference}), so the stored state stays a pure function of the events.
 * Quotes alone make at most one ticker update per symbol every {@link #REFERENCE_TICKER_INTERVAL_NANOS};
 * one held back goes out from {@link #housekeep} once the interval has passed.
 *
 * <p><b>The wall clock.</b> In {@link #housekeep} (after each batch and idle wake), an open bucket
 * whose end is {@code closeGrace} behind the wall clock is announced closed (the grace covers
 * commands stamped before the end that are still on their way through the ring), and a symbol
 * whose reference quote went stale gets a ticker update; both reach listeners through
 * {@link MarketDataListener#onClockUpdates}.
 */
public final class MarketDataProjection implements Projection, MarketDataView {
    public static final String NAME = "marketdata";
    /** Recent trades kept per symbol, by default. */
    public static final int DEFAULT_MAX_TRADES = 1_000;
    /** Finished candles kept per symbol and interval, by default (1,000 1m candles: about 16 hours). */
    public static final int DEFAULT_MAX_CANDLES = 1_000;
    /** Levels per side a published book keeps (Binance's largest depth limit). */
    public static final int MAX_SNAPSHOT_LEVELS = 5_000;
    /** How long past its end an open bucket waits for late-stamped commands before the clock closes it, by default. */
    public static final long DEFAULT_CLOSE_GRACE_NANOS = 250_000_000L;
    /** Outside venues quoting one symbol: the engine's limit ({@code ReferenceQuotes.MAX_VENUES_PER_SYMBOL}). */
    public static final int MAX_REFERENCE_VENUES = 8;
    /** Shortest wall-clock time between two ticker updates of one symbol that quotes alone make (10 a second). */
    public static final long REFERENCE_TICKER_INTERVAL_NANOS = 100_000_000L;

    private static final Logger LOG = LoggerFactory.getLogger(MarketDataProjection.class);

    private final Map<String, SymbolMarket> markets = new LinkedHashMap<>();
    private final Map<String, Published> published = new LinkedHashMap<>();
    private final List<String> symbols;
    private final Long2ObjectHashMap<OpenOrder> orders = new Long2ObjectHashMap<>();
    private final List<MarketDataListener> listeners = new CopyOnWriteArrayList<>();
    private final LongSupplier epochNanosClock;
    private final long closeGraceNanos;

    // ---- projector thread --------------------------------------------------------------------
    private final List<MarketDataUpdate> pending = new ArrayList<>();
    private final List<SymbolMarket> inCommand = new ArrayList<>();
    private long commandSeq;
    private long commandTimeNanos;
    private long nextCandleEndNanos = Long.MAX_VALUE;
    private long nextStaleAtNanos = Long.MAX_VALUE;
    private long nextReferenceDueNanos = Long.MAX_VALUE;

    private final long createdAtNanos = System.nanoTime();
    private volatile long rebuildMillis;
    private volatile long committedSeq;
    private volatile long sessionDate;
    private volatile boolean sessionOpen;

    /**
     * @param symbols the listed symbols, in the order {@link #symbols()} gives them
     * @param maxTrades recent trades kept per symbol, 1..100,000
     * @param maxCandles finished candles kept per symbol and interval, 1..100,000
     * @param closeGraceNanos see the class comment, 0..60 s
     * @param epochNanosClock wall clock for closing candles, epoch nanos
     */
    public MarketDataProjection(List<String> symbols, int maxTrades, int maxCandles, long closeGraceNanos,
                                LongSupplier epochNanosClock) {
        if (maxTrades < 1 || maxTrades > 100_000 || maxCandles < 1 || maxCandles > 100_000) {
            throw new IllegalArgumentException("maxTrades and maxCandles must be 1..100000: " + maxTrades + ", "
                    + maxCandles);
        }
        if (closeGraceNanos < 0 || closeGraceNanos > 60_000_000_000L) {
            throw new IllegalArgumentException("closeGraceNanos must be 0..60 s: " + closeGraceNanos);
        }
        this.epochNanosClock = Objects.requireNonNull(epochNanosClock, "epochNanosClock");
        this.closeGraceNanos = closeGraceNanos;
        this.symbols = List.copyOf(symbols);
        for (String s : this.symbols) {
            SymbolMarket m = new SymbolMarket(s, maxTrades, maxCandles);
            markets.put(s, m);
            Published p = new Published();
            p.snapshot = m.snapshot(0);
            published.put(s, p);
        }
    }

    /** A projection with the default bounds and grace, on the system clock. */
    public MarketDataProjection(List<String> symbols) {
        this(symbols, DEFAULT_MAX_TRADES, DEFAULT_MAX_CANDLES, DEFAULT_CLOSE_GRACE_NANOS,
                () -> System.currentTimeMillis() * 1_000_000L);
    }

    /** Adds a listener (any thread); it gets the batches committed from then on. */
    public void addListener(MarketDataListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    public void removeListener(MarketDataListener listener) {
        listeners.remove(listener);
    }

    // ---- Projection ------------------------------------------------------------------------------

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public long appliedSeq() {
        return 0;
    }

    @Override
    public void apply(EngineEvent e) {
        if (e.seq != commandSeq) {
            endCommand();
            commandSeq = e.seq;
            commandTimeNanos = e.timestampNanos;
        }
        switch (e.type) {
            case ORDER_ACCEPTED -> accepted(e);
            case ORDER_REJECTED -> pending.add(new OrderUpdate(e.seq, e.timestampNanos, e.accountId, e.orderId,
                    e.clientOrderId, e.symbol, e.side, OrderStatus.REJECTED, e.qty, 0, 0, e.priceTicks, e.timeInForce,
                    e.code == null ? null : e.code.name(), null));
            case TRADE_EXECUTED -> trade(e);
            case ORDER_CANCELED -> ended(e, OrderStatus.CANCELED, null);
            case ORDER_EXPIRED -> ended(e, OrderStatus.EXPIRED, e.expiryReason == null ? null : e.expiryReason.name());
            case SESSION_OPENED -> {
                for (SymbolMarket m : markets.values()) {
                    m.sessionOpened(e.sessionDate, e.timestampNanos);
                    touch(m);
                }
                sessionDate = e.sessionDate;
                sessionOpen = true;
            }
            case SESSION_CLOSED -> {
                for (SymbolMarket m : markets.values()) {
                    m.sessionClosed();
                    touch(m);
                }
                sessionOpen = false;
            }
            case REFERENCE_QUOTED -> quoted(e);
            default -> {
                // accounts, transfers, prevented self-trades (the expiry that follows moves the book),
                // refused cancels and session commands change no market data
            }
        }
    }

    private void accepted(EngineEvent e) {
        SymbolMarket m = market(e);
        OpenOrder o = new OpenOrder(e.accountId, e.clientOrderId, m, e.side, e.priceTicks, e.qty, e.timeInForce);
        if (orders.put(e.orderId, o) != null) {
            throw new IllegalStateException("market data: order " + e.orderId + " accepted twice (seq " + e.seq + ")");
        }
        m.addOrder(e.side, e.priceTicks, e.qty);
        touch(m);
        pending.add(update(e, e.orderId, o, OrderStatus.NEW, null, null));
    }

    private void trade(EngineEvent e) {
        SymbolMarket m = market(e);
        boolean againstOutside = e.orderId == 0;
        if (againstOutside != (e.venue != null)) {
            throw new IllegalStateException("market data: a trade has a venue exactly when its taker has no order, but "
                    + e + " does not");
        }
        OpenOrder taker = againstOutside ? null : live(e.orderId, e);
        OpenOrder maker = live(e.counterOrderId, e);
        boolean takerBuys = e.side == Side.BUY;
        PublicTrade t = new PublicTrade(e.symbol, e.tradeId, e.priceTicks, e.qty, e.side,
                takerBuys ? e.orderId : e.counterOrderId, takerBuys ? e.counterOrderId : e.orderId, e.timestampNanos,
                e.seq, e.venue);
        m.trade(t, pending);
        if (taker != null) {
            filled(e, e.orderId, taker, e.leavesQty, e.takerFee, "taker");
        } else {
            // the liquidity provider: a fill without an order, which leaves nothing resting
            if (e.leavesQty != 0) {
                throw new IllegalStateException("market data: the liquidity provider's side rests nothing, but " + e
                        + " leaves " + e.leavesQty);
            }
            pending.add(new OrderUpdate(e.seq, e.timestampNanos, e.accountId, 0, null, e.symbol, e.side,
                    OrderStatus.FILLED, e.qty, e.qty, 0, e.priceTicks, null, null,
                    new OrderFill(e.tradeId, e.qty, e.priceTicks, e.takerFee, "taker", e.venue)));
        }
        filled(e, e.counterOrderId, maker, e.counterLeavesQty, e.makerFee, "maker");
        touch(m);
    }

    private void quoted(EngineEvent e) {
        SymbolMarket m = market(e);
        ReferenceQuote q = new ReferenceQuote(e.venue, e.bidPriceTicks, e.bidQty, e.askPriceTicks, e.askQty,
                e.lastPriceTicks, e.timestampNanos, e.staleAfterNanos);
        m.quote(q);
        nextStaleAtNanos = Math.min(nextStaleAtNanos, q.staleAtNanos());
        touch(m);
    }

    private void filled(EngineEvent e, long orderId, OpenOrder o, long leavesAfter, long fee, String liquidity) {
        o.leaves -= e.qty;
        o.filled += e.qty;
        if (o.leaves != leavesAfter) {
            throw new IllegalStateException("market data: order " + orderId + " has " + o.leaves
                    + " leaves after trade " + e.tradeId + " but the engine says " + leavesAfter);
        }
        o.market.reduceOrder(o.side, o.priceTicks, e.qty, o.leaves == 0);
        if (o.leaves == 0) {
            orders.remove(orderId);
        }
        pending.add(update(e, orderId, o, o.leaves == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED, null,
                new OrderFill(e.tradeId, e.qty, e.priceTicks, fee, liquidity, e.venue)));
    }

    private void ended(EngineEvent e, OrderStatus status, String reason) {
        OpenOrder o = live(e.orderId, e);
        if (o.leaves != e.qty) {
            throw new IllegalStateException("market data: order " + e.orderId + " has " + o.leaves + " leaves but "
                    + e.type + " at seq " + e.seq + " ends " + e.qty);
        }
        orders.remove(e.orderId);
        o.market.reduceOrder(o.side, o.priceTicks, o.leaves, true);
        o.leaves = 0;
        touch(o.market);
        pending.add(update(e, e.orderId, o, status, reason, null));
    }

    private static OrderUpdate update(EngineEvent e, long orderId, OpenOrder o, OrderStatus status, String reason,
                                      OrderFill fill) {
        return new OrderUpdate(e.seq, e.timestampNanos, o.accountId, orderId, o.clientOrderId, o.market.symbol, o.side,
                status, o.qty, o.filled, o.leaves, o.priceTicks, o.timeInForce, reason, fill);
    }

    private OpenOrder live(long orderId, EngineEvent e) {
        OpenOrder o = orders.get(orderId);
        if (o == null) {
            throw new IllegalStateException("market data: order " + orderId + " is not live but " + e + " changes it");
        }
        return o;
    }

    private SymbolMarket market(EngineEvent e) {
        SymbolMarket m = markets.get(e.symbol);
        if (m == null) {
            throw new IllegalStateException("market data: " + e + " names a symbol that is not listed");
        }
        return m;
    }

    private void touch(SymbolMarket m) {
        if (!inCommand.contains(m)) {
            inCommand.add(m);
        }
    }

    /** Turns the current command's changes into updates (the runner never splits a command across commits). */
    private void endCommand() {
        for (SymbolMarket m : inCommand) {
            m.endCommand(commandSeq, commandTimeNanos, pending);
            nextCandleEndNanos = Math.min(nextCandleEndNanos, m.nextCandleEnd());
        }
        inCommand.clear();
    }

    @Override
    public void commit(long throughSeq) {
        endCommand();
        sendReferences(throughSeq, Long.MIN_VALUE);
        publish(throughSeq, false);
    }

    /**
     * The ticker updates quotes are owed whose interval has passed (see {@link SymbolMarket}); the
     * wall clock is read only if some are owed. {@code nowNanos} is {@link Long#MIN_VALUE} when not read yet.
     */
    private void sendReferences(long seq, long nowNanos) {
        long next = Long.MAX_VALUE;
        for (SymbolMarket m : markets.values()) {
            if (m.referenceUpdateDue()) {
                if (nowNanos == Long.MIN_VALUE) {
                    nowNanos = epochNanosClock.getAsLong();
                }
                m.sendReference(seq, nowNanos, pending);
                next = Math.min(next, m.referenceDueAtNanos());
            }
        }
        nextReferenceDueNanos = next;
    }

    private void publish(long throughSeq, boolean byClock) {
        for (SymbolMarket m : markets.values()) {
            if (m.dirty()) {
                published.get(m.symbol).snapshot = m.snapshot(throughSeq);
            }
        }
        committedSeq = throughSeq;
        if (pending.isEmpty()) {
            return;
        }
        List<MarketDataUpdate> batch = List.copyOf(pending);
        pending.clear();
        for (MarketDataListener l : listeners) {
            try {
                if (byClock) {
                    l.onClockUpdates(batch);
                } else {
                    l.onUpdates(batch);
                }
            } catch (RuntimeException x) {
                LOG.error("market-data listener {} failed on a batch through seq {}; it loses that batch", l,
                        throughSeq, x);
            }
        }
    }

    @Override
    public void housekeep(long appliedSeq) {
        long now = epochNanosClock.getAsLong();
        long closeBefore = now - closeGraceNanos;
        boolean closeCandles = closeBefore >= nextCandleEndNanos;
        boolean announceStale = now >= nextStaleAtNanos;
        if (now >= nextReferenceDueNanos) {
            // held back by the interval, not caused by the clock: the committed state, at its seq
            sendReferences(appliedSeq, now);
            publish(appliedSeq, false);
        }
        if (!closeCandles && !announceStale) {
            return;
        }
        if (closeCandles) {
            long next = Long.MAX_VALUE;
            for (SymbolMarket m : markets.values()) {
                next = Math.min(next, m.closeByClock(closeBefore, appliedSeq, pending));
            }
            nextCandleEndNanos = next;
        }
        if (announceStale) {
            long next = Long.MAX_VALUE;
            for (SymbolMarket m : markets.values()) {
                next = Math.min(next, m.announceStale(now, appliedSeq, pending));
            }
            nextStaleAtNanos = next;
        }
        publish(appliedSeq, true);
    }

    /** Batches may wait while no listener has a consumer waiting for updates (see {@link MarketDataListener#awaitsUpdates}). */
    @Override
    public boolean batchesMayWait() {
        for (MarketDataListener l : listeners) {
            if (l.awaitsUpdates()) {
                return false;
            }
        }
        return true;
    }

    /** Logs what the rebuild from the events queue cost, once: the projection is in memory, so every start rebuilds. */
    @Override
    public void caughtUp(long appliedSeq) {
        if (rebuildMillis == 0) {
            rebuildMillis = Math.max(1, (System.nanoTime() - createdAtNanos) / 1_000_000);
            LOG.info("market data rebuilt from the events queue through seq {} in {} ms ({} live orders)", appliedSeq,
                    rebuildMillis, orders.size());
        }
    }

    /** Milliseconds from construction until the first catch-up with the queue; 0 before. */
    long rebuildMillis() {
        return rebuildMillis;
    }

    @Override
    public void close() {
        listeners.clear();
    }

    // ---- MarketDataView (any thread) ---------------------------------------------------------------

    @Override
    public List<String> symbols() {
        return symbols;
    }

    @Override
    public long committedSeq() {
        return committedSeq;
    }

    @Override
    public boolean sessionOpen() {
        return sessionOpen;
    }

    @Override
    public long sessionDate() {
        return sessionDate;
    }

    /**
     * The symbol's snapshot, with {@code seq} raised to the committed seq read before it: a symbol
     * no later batch touched is the same at that seq. Null for an unlisted symbol.
     */
    @Override
    public SymbolSnapshot snapshot(String symbol) {
        Published p = published.get(symbol);
        if (p == null) {
            return null;
        }
        long seq = committedSeq;
        SymbolSnapshot s = p.snapshot;
        if (s.seq() >= seq) {
            return s;
        }
        return s.withSeq(seq);
    }

    /** A symbol's latest snapshot, written by the projector, read by anyone. */
    private static final class Published {
        volatile SymbolSnapshot snapshot;
    }

    /** What the projection keeps of a live order. Projector thread only. */
    private static final class OpenOrder {
        final long accountId;
        final String clientOrderId;
        final SymbolMarket market;
        final Side side;
        final long priceTicks;
        final long qty;
        final TimeInForce timeInForce;
        long leaves;
        long filled;

        OpenOrder(long accountId, String clientOrderId, SymbolMarket market, Side side, long priceTicks, long qty,
                  TimeInForce timeInForce) {
            this.accountId = accountId;
            this.clientOrderId = clientOrderId;
            this.market = market;
            this.side = side;
            this.priceTicks = priceTicks;
            this.qty = qty;
            this.timeInForce = timeInForce;
            this.leaves = qty;
        }
    }
}
