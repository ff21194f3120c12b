package exchange.readside.marketdata;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.SeededFlow;
import exchange.engine.Side;
import exchange.engine.SymbolConfig;
import exchange.engine.TimeInForce;
import exchange.readside.ExternalFills;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static exchange.engine.testing.ExchangeDriver.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market-data projection on issue 19's events, built by hand in exactly the engine's shape:
 * reference quotes (kept per venue, chosen fresh when served, announced when they go stale) and
 * fills against the outside market (the liquidity provider is the taker and has no order).
 */
@Timeout(60)
class ReferenceAndExternalFillTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long T = 1_728_047_100L * SECOND;
    private static final long CUSTOMER = 2;
    private static final long SELLER = 3;
    private static final long LP = 9;

    private final AtomicLong wallClock = new AtomicLong(T);
    private final List<MarketDataUpdate> updates = new ArrayList<>();
    private final List<MarketDataUpdate> clockUpdates = new ArrayList<>();
    private MarketDataProjection projection;

    @BeforeEach
    void setUp() {
        projection = new MarketDataProjection(List.of("AAPL", "MSFT"), 1_000, 1_000, 0, wallClock::get);
        projection.addListener(new MarketDataListener() {
            @Override
            public void onUpdates(List<MarketDataUpdate> batch) {
                updates.addAll(batch);
            }

            @Override
            public void onClockUpdates(List<MarketDataUpdate> batch) {
                clockUpdates.addAll(batch);
            }
        });
    }

    // ---- events by hand ------------------------------------------------------------------------

    private static EngineEvent accepted(long seq, long orderId, long account, Side side, long qty, String price) {
        EngineEvent e = new EngineEvent().reset(EventType.ORDER_ACCEPTED, seq, T + seq);
        e.orderId = orderId;
        e.accountId = account;
        e.clientOrderId = "c" + orderId;
        e.symbol = "AAPL";
        e.side = side;
        e.qty = qty;
        e.priceTicks = px(price);
        e.timeInForce = TimeInForce.GTC;
        return e;
    }

    static EngineEvent quoted(long seq, long timeNanos, String symbol, String venue, String bid, long bidQty,
                              String ask, long askQty, long staleAfterNanos) {
        EngineEvent e = new EngineEvent().reset(EventType.REFERENCE_QUOTED, seq, timeNanos);
        e.symbol = symbol;
        e.venue = venue;
        e.bidPriceTicks = px(bid);
        e.bidQty = bidQty;
        e.askPriceTicks = px(ask);
        e.askQty = askQty;
        e.staleAfterNanos = staleAfterNanos;
        return e;
    }

    /** The liquidity provider fills the customer's resting order {@code makerOrderId} at the venue's price. */
    private static EngineEvent externalFill(long seq, long tradeId, Side providerSide, long qty, String price,
                                            long makerOrderId, long makerLeavesAfter, String venue) {
        EngineEvent e = new EngineEvent().reset(EventType.TRADE_EXECUTED, seq, T + seq);
        e.tradeId = tradeId;
        e.symbol = "AAPL";
        e.priceTicks = px(price);
        e.qty = qty;
        e.side = providerSide;
        e.orderId = 0;
        e.accountId = LP;
        e.leavesQty = 0;
        e.counterOrderId = makerOrderId;
        e.counterAccountId = CUSTOMER;
        e.counterLeavesQty = makerLeavesAfter;
        e.takerFee = 0;
        e.makerFee = 1_000;
        e.venue = venue;
        return e;
    }

    private void command(EngineEvent... events) {
        for (EngineEvent e : events) {
            projection.apply(e);
        }
        projection.commit(events[events.length - 1].seq);
    }

    private List<BookLevel> bids() {
        return projection.snapshot("AAPL").book(100).bids();
    }

    private <U> List<U> of(Class<U> kind, List<MarketDataUpdate> from) {
        return from.stream().filter(kind::isInstance).map(kind::cast).toList();
    }

    // ---- fills against the outside market -----------------------------------------------------

    @Test
    void shouldShrinkOnlyTheMakersLevelAndCountTheTradeWhenTheOutsideMarketFillsARestingOrder() {
        command(accepted(1, 1, CUSTOMER, Side.BUY, 100, "190.00"));
        command(accepted(2, 2, CUSTOMER, Side.BUY, 50, "189.00"));
        command(accepted(3, 3, SELLER, Side.SELL, 30, "191.00"));
        updates.clear();

        // the venue's ask drops to 189.95: the provider sells 40 to the resting buy at 190.00, at 189.95
        command(quoted(4, T + 4, "AAPL", "venue1", "188.90", 40, "189.95", 40, 5 * SECOND),
                externalFill(4, 1, Side.SELL, 40, "189.95", 1, 60, "venue1"));
        assertEquals(List.of(new BookLevel(px("190.00"), 60, 1), new BookLevel(px("189.00"), 50, 1)), bids());
        assertEquals(List.of(new BookLevel(px("191.00"), 30, 1)), projection.snapshot("AAPL").book(100).asks());
        DepthUpdate diff = of(DepthUpdate.class, updates).get(0);
        assertEquals(List.of(new BookLevel(px("190.00"), 60, 1)), diff.bids(), "only the maker's level changed");
        assertEquals(List.of(), diff.asks());

        PublicTrade trade = of(TradeUpdate.class, updates).get(0).trade();
        assertEquals(new PublicTrade("AAPL", 1, px("189.95"), 40, Side.SELL, 1, 0, T + 4, 4, "venue1"), trade);
        assertTrue(trade.buyerIsMaker(), "the customer's resting buy is the maker");
        Ticker ticker = projection.snapshot("AAPL").ticker();
        assertEquals(px("189.95"), ticker.lastTicks());
        assertEquals(40, ticker.volume());
        assertEquals(1, ticker.tradeCount());
        assertEquals(px("190.00"), ticker.bidTicks());
        assertEquals(60, ticker.bidQty());
        assertEquals(40, projection.snapshot("AAPL").current(CandleInterval.M1).volume());

        List<OrderUpdate> orders = of(OrderUpdate.class, updates);
        assertEquals(2, orders.size(), orders.toString());
        OrderUpdate provider = orders.get(0);
        assertEquals(new OrderUpdate(4, T + 4, LP, 0, null, "AAPL", Side.SELL, OrderStatus.FILLED, 40, 40, 0,
                px("189.95"), null, null, new MarketDataUpdate.OrderFill(1, 40, px("189.95"), 0, "taker", "venue1")),
                provider);
        OrderUpdate customer = orders.get(1);
        assertEquals(1, customer.orderId());
        assertEquals(CUSTOMER, customer.accountId());
        assertEquals(OrderStatus.PARTIALLY_FILLED, customer.status());
        assertEquals(40, customer.filledQty());
        assertEquals(60, customer.leavesQty());
        assertEquals(px("190.00"), customer.priceTicks(), "the order keeps its limit; the fill has the venue's price");
        assertEquals(new MarketDataUpdate.OrderFill(1, 40, px("189.95"), 1_000, "maker", "venue1"), customer.fill());

        // the ask drops again: the rest of the order fills and its level goes; the next bid is the top
        updates.clear();
        command(quoted(5, T + 5, "AAPL", "venue1", "188.80", 100, "189.90", 100, 5 * SECOND),
                externalFill(5, 2, Side.SELL, 60, "189.90", 1, 0, "venue1"));
        assertEquals(List.of(new BookLevel(px("189.00"), 50, 1)), bids());
        assertEquals(OrderStatus.FILLED, of(OrderUpdate.class, updates).get(1).status());
        assertEquals(px("189.00"), projection.snapshot("AAPL").ticker().bidTicks());
        assertEquals(100, projection.snapshot("AAPL").ticker().volume());
        assertEquals(2, projection.snapshot("AAPL").recentTrades(10).stream().filter(t -> t.venue() != null).count());
    }

    @Test
    void shouldStopRatherThanServeAWrongBookWhenATradeHasAVenueAndATakerOrderOrNeither() {
        command(accepted(1, 1, CUSTOMER, Side.BUY, 100, "190.00"));
        EngineEvent withOrder = externalFill(2, 1, Side.SELL, 10, "190.00", 1, 90, "venue1");
        withOrder.orderId = 1;
        assertThrows(IllegalStateException.class, () -> projection.apply(withOrder));
        EngineEvent noVenue = externalFill(3, 1, Side.SELL, 10, "190.00", 1, 90, null);
        assertThrows(IllegalStateException.class, () -> projection.apply(noVenue));
    }

    /**
     * A seeded engine flow in which every third trade that fully filled a new order in one go
     * becomes a fill against the outside market ({@link ExternalFills}): the projection's books
     * equal the engine's, level for level, and a Binance local book kept from the diffs does too.
     */
    @Test
    void shouldMatchTheEnginesBookWhenSomeTradesOfASeededFlowAreFillsAgainstTheOutsideMarket() {
        long seed = Long.getLong("exchange.test.seed", 23L);
        List<String> symbols = SeededFlow.config().symbols().stream().map(SymbolConfig::symbol).toList();
        List<EngineEvent> flow = new ArrayList<>();
        Exchange engine = SeededFlow.run(seed, 12_000, e -> flow.add(e.copy()), new ArrayList<>());
        ExternalFills.Rewritten rewritten = ExternalFills.rewrite(flow, 3, "venue1", "venue2");
        assertTrue(rewritten.externalFills() > 50, "seed " + seed + ": external fills " + rewritten.externalFills());

        MarketDataProjection p = new MarketDataProjection(symbols, 100_000, 1_000, 0, () -> 0L);
        Map<String, LocalOrderBook> local = new HashMap<>();
        symbols.forEach(s -> local.put(s, new LocalOrderBook()));
        List<PublicTrade> tape = new ArrayList<>();
        p.addListener(batch -> {
            for (MarketDataUpdate u : batch) {
                if (u instanceof DepthUpdate d) {
                    local.get(d.symbol()).onDiff(d);
                } else if (u instanceof TradeUpdate t) {
                    tape.add(t.trade());
                }
            }
        });
        for (String s : symbols) {
            local.get(s).onSnapshot(p.snapshot(s).book(MarketDataProjection.MAX_SNAPSHOT_LEVELS));
        }
        ProjectionFeed feed = new ProjectionFeed(p, 5);
        rewritten.events().forEach(feed::onEvent);
        feed.flush();

        assertEquals(rewritten.externalFills(), tape.stream().filter(t -> t.venue() != null).count(), "seed " + seed);
        for (String s : symbols) {
            BookSnapshot mine = p.snapshot(s).book(MarketDataProjection.MAX_SNAPSHOT_LEVELS);
            assertEquals(engineLevels(engine, s, Side.BUY), mine.bids(), "seed " + seed + " " + s + " bids");
            assertEquals(engineLevels(engine, s, Side.SELL), mine.asks(), "seed " + seed + " " + s + " asks");
            List<String> want = new ArrayList<>();
            mine.bids().forEach(l -> want.add("bid " + l.priceTicks() + " x " + l.qty()));
            mine.asks().forEach(l -> want.add("ask " + l.priceTicks() + " x " + l.qty()));
            assertEquals(want, local.get(s).levels(), "seed " + seed + " local book of " + s);
            // external fills are trades here: the session's volume and count include them
            long sessionOpenedSeq = 0;
            long volume = 0;
            long count = 0;
            for (EngineEvent e : rewritten.events()) {
                if (e.type == EventType.SESSION_OPENED) {
                    sessionOpenedSeq = e.seq;
                    volume = 0;
                    count = 0;
                } else if (e.type == EventType.TRADE_EXECUTED && e.symbol.equals(s) && e.seq > sessionOpenedSeq) {
                    volume += e.qty;
                    count++;
                }
            }
            assertEquals(volume, p.snapshot(s).ticker().volume(), "seed " + seed + " " + s + " session volume");
            assertEquals(count, p.snapshot(s).ticker().tradeCount(), "seed " + seed + " " + s + " session trades");
        }
    }

    private static List<BookLevel> engineLevels(Exchange engine, String symbol, Side side) {
        Comparator<Long> order = side == Side.BUY ? Comparator.reverseOrder() : Comparator.naturalOrder();
        TreeMap<Long, long[]> levels = new TreeMap<>(order);
        for (OrderView o : engine.openOrders()) {
            if (symbol.equals(o.symbol) && o.side == side && o.leavesQty > 0) {
                long[] l = levels.computeIfAbsent(o.priceTicks, k -> new long[2]);
                l[0] += o.leavesQty;
                l[1]++;
            }
        }
        List<BookLevel> out = new ArrayList<>();
        levels.forEach((price, l) -> out.add(new BookLevel(price, l[0], (int) l[1])));
        return out;
    }

    // ---- reference quotes ----------------------------------------------------------------------

    @Test
    void shouldKeepEachVenuesLatestQuoteAndPickTheBestFreshOnesWhenServed() {
        command(quoted(1, T, "AAPL", "venue1", "189.90", 300, "190.10", 200, 5 * SECOND),
                quoted(1, T, "AAPL", "venue2", "189.95", 100, "190.20", 100, SECOND));
        Ticker t = projection.snapshot("AAPL").ticker();
        assertEquals(List.of("venue1", "venue2"), t.referenceQuotes().stream().map(ReferenceQuote::venue).toList());
        Reference r = t.reference(T + SECOND / 2);
        assertEquals("venue2", r.bid().venue());
        assertEquals(px("189.95"), r.bid().bidTicks());
        assertEquals("venue1", r.ask().venue());
        assertEquals(px("190.10"), r.ask().askTicks());
        assertEquals(500, r.bid().ageMillis(T + SECOND / 2));
        assertEquals("venue2", t.reference(T + SECOND).bid().venue(), "fresh through exactly its limit");
        assertEquals("venue1", t.reference(T + SECOND + 1).bid().venue(), "venue2 is stale");
        assertEquals(Reference.NONE, t.reference(T + 5 * SECOND + 1));
        assertEquals(Reference.NONE, projection.snapshot("MSFT").ticker().reference(T));

        // venue1 quotes again: it replaces its own quote and keeps its place; a tie goes to the first venue
        command(quoted(2, T + 100, "AAPL", "venue1", "189.95", 10, "190.20", 10, 5 * SECOND));
        t = projection.snapshot("AAPL").ticker();
        assertEquals(2, t.referenceQuotes().size());
        assertEquals(10, t.referenceQuotes().get(0).bidQty());
        assertEquals("venue1", t.reference(T + 200).bid().venue());
        assertEquals("venue1", t.reference(T + 200).ask().venue());
    }

    @Test
    void shouldSendAtMostOneTickerUpdateAnIntervalForQuotesAloneAndNoneOfTheirOwnWhenATradeCarriesThem() {
        long interval = MarketDataProjection.REFERENCE_TICKER_INTERVAL_NANOS;
        projection.apply(quoted(1, T, "AAPL", "venue1", "189.90", 300, "190.10", 200, 5 * SECOND));
        projection.apply(quoted(2, T + 1, "AAPL", "venue1", "189.91", 300, "190.10", 200, 5 * SECOND));
        projection.apply(quoted(3, T + 2, "MSFT", "venue1", "399.00", 5, "401.00", 5, 5 * SECOND));
        projection.apply(quoted(4, T + 3, "AAPL", "venue2", "189.80", 300, "190.30", 200, 5 * SECOND));
        projection.commit(4);
        List<TickerUpdate> tickers = of(TickerUpdate.class, updates);
        assertEquals(2, tickers.size(), "one per symbol quoted in the batch: " + tickers);
        for (TickerUpdate u : tickers) {
            assertEquals(4, u.seq(), "at the batch's seq");
            assertTrue(u.referenceOnly());
        }
        assertEquals(2, tickers.stream().filter(u -> u.ticker().symbol().equals("AAPL")).findFirst().orElseThrow()
                .ticker().referenceQuotes().size());
        assertEquals(4, projection.snapshot("AAPL").seq());

        // more quotes within the interval: held back, then sent (not as the clock's) once it has passed
        updates.clear();
        command(quoted(5, T + 5, "AAPL", "venue1", "189.92", 300, "190.10", 200, 5 * SECOND));
        command(quoted(6, T + 6, "AAPL", "venue1", "189.93", 300, "190.10", 200, 5 * SECOND));
        wallClock.set(T + interval - 1);
        projection.housekeep(6);
        assertEquals(List.of(), of(TickerUpdate.class, updates), "within the interval");
        assertEquals(px("189.93"), projection.snapshot("AAPL").ticker().referenceQuotes().get(0).bidTicks(),
                "the snapshot has them at once");
        wallClock.set(T + interval);
        projection.housekeep(6);
        projection.housekeep(6);
        tickers = of(TickerUpdate.class, updates);
        assertEquals(1, tickers.size(), tickers.toString());
        assertEquals(6, tickers.get(0).seq());
        assertEquals(px("189.93"), tickers.get(0).ticker().referenceQuotes().get(0).bidTicks());
        assertEquals(List.of(), clockUpdates);

        // a quote, then an order: the order's ticker update carries the quote, none is owed after
        updates.clear();
        projection.apply(quoted(7, T + 7, "AAPL", "venue1", "189.94", 300, "190.10", 200, 5 * SECOND));
        projection.apply(accepted(8, 1, CUSTOMER, Side.BUY, 10, "189.50"));
        projection.commit(8);
        wallClock.set(T + 3 * interval);
        projection.housekeep(8);
        tickers = of(TickerUpdate.class, updates);
        assertEquals(1, tickers.size(), tickers.toString());
        assertEquals(8, tickers.get(0).seq());
        assertFalse(tickers.get(0).referenceOnly());
        assertEquals(px("189.94"), tickers.get(0).ticker().referenceQuotes().get(0).bidTicks());

        // an order, then a quote, the interval passed: the order's update, then the quote's at the batch's end
        updates.clear();
        projection.apply(accepted(9, 2, CUSTOMER, Side.BUY, 10, "189.60"));
        projection.apply(quoted(10, T + 10, "AAPL", "venue1", "189.95", 300, "190.10", 200, 5 * SECOND));
        projection.commit(10);
        tickers = of(TickerUpdate.class, updates);
        assertEquals(List.of(9L, 10L), tickers.stream().map(TickerUpdate::seq).toList());
        assertEquals(px("189.95"), tickers.get(1).ticker().referenceQuotes().get(0).bidTicks());
    }

    @Test
    void shouldAnnounceOnceThroughTheClockListenerWhenAQuoteGoesStale() {
        command(quoted(1, T, "AAPL", "venue1", "189.90", 300, "190.10", 200, 5 * SECOND),
                quoted(1, T, "AAPL", "venue2", "189.95", 100, "190.20", 100, SECOND));
        updates.clear();
        wallClock.set(T + SECOND);
        projection.housekeep(1);
        assertEquals(List.of(), clockUpdates, "venue2 is still fresh");
        wallClock.set(T + SECOND + 1);
        projection.housekeep(1);
        projection.housekeep(1);
        List<TickerUpdate> stale = of(TickerUpdate.class, clockUpdates);
        assertEquals(1, stale.size(), "once: " + clockUpdates);
        assertEquals(1, stale.get(0).seq());
        assertTrue(stale.get(0).referenceOnly());
        assertEquals("venue1", stale.get(0).ticker().reference(T + SECOND + 1).bid().venue());
        assertEquals(List.of(), updates, "the clock's updates go to onClockUpdates only");

        wallClock.set(T + 5 * SECOND + 1);
        projection.housekeep(1);
        assertEquals(2, of(TickerUpdate.class, clockUpdates).size());
        wallClock.set(T + 60 * SECOND);
        projection.housekeep(1);
        assertEquals(2, of(TickerUpdate.class, clockUpdates).size(), "nothing left to go stale");

        // a fresh quote from venue2 goes stale in its turn
        command(quoted(2, T + 60 * SECOND, "AAPL", "venue2", "189.95", 100, "190.20", 100, SECOND));
        wallClock.set(T + 61 * SECOND + 1);
        projection.housekeep(2);
        assertEquals(3, of(TickerUpdate.class, clockUpdates).size());
        assertEquals(Reference.NONE, of(TickerUpdate.class, clockUpdates).get(2).ticker().reference(wallClock.get()));
    }

    @Test
    void shouldKeepTheSameStateWhateverTheWallClockWasWhileItApplied() {
        MarketDataProjection other = new MarketDataProjection(List.of("AAPL", "MSFT"), 1_000, 1_000, 0,
                () -> T + 3_600 * SECOND);
        List<EngineEvent> events = List.of(
                quoted(1, T, "AAPL", "venue1", "189.90", 300, "190.10", 200, SECOND),
                accepted(2, 1, CUSTOMER, Side.BUY, 100, "190.00"),
                quoted(3, T + 3, "AAPL", "venue2", "188.00", 100, "189.95", 100, SECOND),
                externalFill(3, 1, Side.SELL, 40, "189.95", 1, 60, "venue2"));
        for (EngineEvent e : events) {
            projection.apply(e);
            other.apply(e);
            projection.commit(e.seq);
            other.commit(e.seq);
            other.housekeep(e.seq);
        }
        assertEquals(projection.snapshot("AAPL").ticker(), other.snapshot("AAPL").ticker());
        assertEquals(projection.snapshot("AAPL").trades(), other.snapshot("AAPL").trades());
        assertEquals(projection.snapshot("AAPL").bids(), other.snapshot("AAPL").bids());
    }

    @Test
    void shouldStopWhenMoreVenuesQuoteASymbolThanTheEngineAllows() {
        for (int v = 1; v <= MarketDataProjection.MAX_REFERENCE_VENUES; v++) {
            projection.apply(quoted(v, T, "AAPL", "venue" + v, "189.90", 1, "190.10", 1, SECOND));
        }
        projection.commit(MarketDataProjection.MAX_REFERENCE_VENUES);
        assertEquals(MarketDataProjection.MAX_REFERENCE_VENUES,
                projection.snapshot("AAPL").ticker().referenceQuotes().size());
        EngineEvent oneMore = quoted(20, T, "AAPL", "venue-extra", "189.90", 1, "190.10", 1, SECOND);
        assertThrows(IllegalStateException.class, () -> projection.apply(oneMore));
        assertNull(projection.snapshot("NOPE"));
    }
}
