package exchange.readside.marketdata;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.SeededFlow;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.SymbolConfig;
import exchange.engine.testing.ExchangeDriver;
import exchange.engine.testing.Outcome;
import exchange.engine.testing.Venue;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import static exchange.engine.testing.ExchangeDriver.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class MarketDataProjectionTest {
    private static final long SECOND = 1_000_000_000L;
    private static final long MINUTE = 60 * SECOND;

    private final AtomicLong wallClock = new AtomicLong();
    private final List<MarketDataUpdate> updates = new ArrayList<>();
    private Exchange exchange;
    private ExchangeDriver driver;
    private MarketDataProjection projection;
    private long alice;
    private long bob;
    /** Start of the session's first 5-minute bucket (13:00 UTC of day one). */
    private long t0;

    @BeforeEach
    void setUp() {
        ExchangeConfig config = ExchangeConfig.builder().symbol("AAPL", px("190.00")).symbol("MSFT", px("400.00")).build();
        exchange = new Exchange(config);
        projection = new MarketDataProjection(List.of("AAPL", "MSFT"), 1_000, 1_000, 0, wallClock::get);
        projection.addListener(updates::addAll);
        Venue inner = Venue.of(exchange);
        // the engine's venue, with every command's events also fed to the projection and committed
        Venue fed = (Venue) java.lang.reflect.Proxy.newProxyInstance(Venue.class.getClassLoader(),
                new Class<?>[] {Venue.class}, (proxy, method, args) -> {
                    if (!method.getName().equals("apply")) {
                        return method.invoke(inner, args);
                    }
                    exchange.engine.EventSink sink = (exchange.engine.EventSink) args[1];
                    List<EngineEvent> events = new ArrayList<>();
                    inner.apply((Command) args[0], e -> {
                        events.add(e.copy());
                        sink.onEvent(e);
                    });
                    events.forEach(projection::apply);
                    if (!events.isEmpty()) {
                        projection.commit(events.get(0).seq);
                    }
                    return null;
                });
        driver = new ExchangeDriver(fed);
        alice = driver.newAccount("alice", 0, 0);
        bob = driver.newAccount("bob", 0, 0);
        for (long a : new long[] {alice, bob}) {
            driver.fund(a, "USD", px("10000000"));
            driver.fund(a, "AAPL", 100_000);
            driver.fund(a, "MSFT", 100_000);
        }
        driver.openSession(ExchangeDriver.DAY_ONE);
        t0 = ExchangeDriver.DAY_ONE * ExchangeDriver.DAY_NANOS + 13 * 60 * MINUTE;
        updates.clear();
    }

    private Outcome at(long timeNanos, ExchangeDriver.Ticket ticket) {
        Command c = ticket.command();
        c.timestampNanos = timeNanos;
        return driver.apply(c);
    }

    private BookSnapshot book() {
        return projection.snapshot("AAPL").book(100);
    }

    /** The engine's own book of a symbol, from its open orders, as the projection shows levels. */
    private static Map<String, List<BookLevel>> engineBook(Exchange exchange, String symbol) {
        TreeMap<Long, long[]> bids = new TreeMap<>(java.util.Comparator.reverseOrder());
        TreeMap<Long, long[]> asks = new TreeMap<>();
        for (OrderView o : exchange.openOrders()) {
            if (symbol.equals(o.symbol) && o.leavesQty > 0) {
                long[] l = (o.side == Side.BUY ? bids : asks).computeIfAbsent(o.priceTicks, p -> new long[2]);
                l[0] += o.leavesQty;
                l[1]++;
            }
        }
        Map<String, List<BookLevel>> out = new HashMap<>();
        out.put("bids", levels(bids));
        out.put("asks", levels(asks));
        return out;
    }

    private static List<BookLevel> levels(TreeMap<Long, long[]> side) {
        List<BookLevel> out = new ArrayList<>();
        side.forEach((p, l) -> out.add(new BookLevel(p, l[0], (int) l[1])));
        return out;
    }

    private void assertBookMatchesEngine(String symbol) {
        Map<String, List<BookLevel>> engine = engineBook(exchange, symbol);
        BookSnapshot mine = projection.snapshot(symbol).book(MarketDataProjection.MAX_SNAPSHOT_LEVELS);
        assertEquals(engine.get("bids"), mine.bids(), symbol + " bids");
        assertEquals(engine.get("asks"), mine.asks(), symbol + " asks");
    }

    @Test
    void shouldKeepLevelsRightAfterPartialFillsCancelsIocAndTheEndOfDaySweep() {
        long first = driver.sell(alice, 100, "190.00").orderId();
        driver.sell(alice, 50, "190.00");
        long third = driver.sell(alice, 30, "191.00").orderId();
        driver.order(alice).sell(40, "192.00").gtc().place();
        driver.buy(bob, 20, "189.00");
        assertEquals(List.of(new BookLevel(px("190.00"), 150, 2), new BookLevel(px("191.00"), 30, 1),
                new BookLevel(px("192.00"), 40, 1)), book().asks());

        driver.buy(bob, 120, "190.00");   // fills the first, 20 of the second
        assertEquals(new BookLevel(px("190.00"), 30, 1), book().asks().get(0));
        driver.cancel(alice, third);
        assertEquals(List.of(new BookLevel(px("190.00"), 30, 1), new BookLevel(px("192.00"), 40, 1)), book().asks());
        driver.order(bob).buy(100, "190.00").ioc().place();   // takes 30, the rest expires
        assertEquals(List.of(new BookLevel(px("192.00"), 40, 1)), book().asks());
        assertEquals(List.of(new BookLevel(px("189.00"), 20, 1)), book().bids());
        assertBookMatchesEngine("AAPL");

        driver.closeSession();   // the sweep expires the DAY orders; the GTC one stays
        assertEquals(List.of(), book().bids());
        assertEquals(List.of(new BookLevel(px("192.00"), 40, 1)), book().asks());
        assertBookMatchesEngine("AAPL");
        assertFalse(projection.sessionOpen());
        assertTrue(updates.stream().anyMatch(u -> u instanceof OrderUpdate o && o.orderId() == first
                && o.status() == OrderStatus.FILLED && o.fill() != null && o.fill().liquidity().equals("maker")));
    }

    @Test
    void shouldTakeTheRestingOrderOutWhenSelfTradePreventionExpiresIt() {
        driver.sell(alice, 10, "190.00");
        driver.order(alice).buy(10, "190.00").stp(SelfTradePrevention.CANCEL_OLDEST).place();
        assertEquals(List.of(), book().asks());
        assertEquals(List.of(new BookLevel(px("190.00"), 10, 1)), book().bids());
        assertBookMatchesEngine("AAPL");
    }

    @Test
    void shouldBucketCandlesAtSecondMinuteAndFiveMinuteBoundaries() {
        driver.sell(alice, 1_000, "190.00");
        at(t0 + 5 * MINUTE - 1, driver.order(bob).buy(10, "190.00"));          // last nano of 13:00..13:05
        at(t0 + 5 * MINUTE, driver.order(bob).buy(30, "190.00"));              // first of 13:05 (also 1s and 1m)
        at(t0 + 5 * MINUTE + SECOND - 1, driver.order(bob).buy(5, "190.00"));  // same second
        at(t0 + 5 * MINUTE + SECOND, driver.order(bob).buy(5, "190.00"));      // next second, same minute
        at(t0 + 6 * MINUTE, driver.order(bob).buy(1, "190.00"));               // next minute, same 5m

        SymbolSnapshot s = projection.snapshot("AAPL");
        assertEquals(List.of(t0 + 5 * MINUTE - SECOND, t0 + 5 * MINUTE, t0 + 5 * MINUTE + SECOND, t0 + 6 * MINUTE),
                openTimes(s, CandleInterval.S1, 4));
        assertEquals(List.of(t0 + 4 * MINUTE, t0 + 5 * MINUTE), openTimes(s, CandleInterval.M1, 3).subList(0, 2));
        assertEquals(List.of(t0, t0 + 5 * MINUTE), openTimes(s, CandleInterval.M5, 3));
        Candle fiveMinute = s.current(CandleInterval.M5);
        assertEquals(41, fiveMinute.volume());
        assertEquals(4, fiveMinute.tradeCount());
        assertFalse(fiveMinute.closed());
        assertTrue(s.finished(CandleInterval.M5).get(0).closed());
        Candle secondOfTwo = s.candles(CandleInterval.S1, t0 + 5 * MINUTE, t0 + 5 * MINUTE, 10, true).get(0);
        assertEquals(35, secondOfTwo.volume());
        assertEquals(2, secondOfTwo.tradeCount());
    }

    private static List<Long> openTimes(SymbolSnapshot s, CandleInterval i, int last) {
        List<Candle> all = s.candles(i, Long.MIN_VALUE, Long.MAX_VALUE, last, false);
        return all.stream().map(Candle::openTimeNanos).toList();
    }

    @Test
    void shouldComputeOhlcAndVwapOfABucket() {
        driver.sell(alice, 10, "190.00");
        driver.sell(alice, 30, "191.00");
        at(t0 + 10 * SECOND, driver.order(bob).buy(10, "190.00"));   // 10 @ 190.00
        driver.sell(alice, 5, "189.50");
        at(t0 + 10 * SECOND + 1, driver.order(bob).buy(35, "191.00"));   // 5 @ 189.50, then 30 @ 191.00
        Candle c = projection.snapshot("AAPL").current(CandleInterval.M1);
        assertEquals(px("190.00"), c.openTicks());
        assertEquals(px("191.00"), c.highTicks());
        assertEquals(px("189.50"), c.lowTicks());
        assertEquals(px("191.00"), c.closeTicks());
        assertEquals(45, c.volume());
        assertEquals(3, c.tradeCount());
        // (1900 + 947.50 + 5730) / 45 = 190.6111.. -> 190.6111
        assertEquals(px("1900") + px("947.50") + px("5730"), c.quoteVolumeTicks());
        assertEquals(1_906_111, c.vwapTicks());
        Ticker t = projection.snapshot("AAPL").ticker();
        assertEquals(px("190.00"), t.openTicks());
        assertEquals(45, t.volume());
        assertEquals(px("191.00"), t.lastTicks());
    }

    @Test
    void shouldCarryIncreasingSeqAndGaplessDiffRangesPerSymbol() {
        driver.sell(alice, 10, "190.00");
        driver.order(alice).symbol("MSFT").sell(10, "400.00").place();
        driver.buy(bob, 4, "190.00");
        driver.order(bob).symbol("MSFT").buy(10, "400.00").place();
        driver.buy(bob, 1, "185.00");
        long previous = 0;
        Map<String, Long> lastU = new HashMap<>();
        for (MarketDataUpdate u : updates) {
            assertTrue(u.seq() >= previous, "seq went back at " + u);
            previous = u.seq();
            if (u instanceof DepthUpdate d) {
                assertEquals(lastU.getOrDefault(d.symbol(), 0L) + 1, d.firstSeq(), "U of " + d);
                assertTrue(d.seq() >= d.firstSeq());
                lastU.put(d.symbol(), d.seq());
            }
        }
        assertEquals(projection.committedSeq(), book().seq());
        assertEquals(2, updates.stream().filter(u -> u instanceof TradeUpdate).count());
    }

    @Test
    void shouldAnnounceACandleClosedOnceWhenTheClockPassesItsEnd() {
        driver.sell(alice, 10, "190.00");
        at(t0 + 10 * SECOND, driver.order(bob).buy(1, "190.00"));
        updates.clear();
        wallClock.set(t0 + 11 * SECOND - 1);
        projection.housekeep(projection.committedSeq());
        assertTrue(updates.isEmpty());
        wallClock.set(t0 + 11 * SECOND);
        projection.housekeep(projection.committedSeq());
        projection.housekeep(projection.committedSeq());
        List<Candle> closed = updates.stream().map(u -> ((CandleUpdate) u).candle()).toList();
        assertEquals(1, closed.size());
        assertEquals(CandleInterval.S1, closed.get(0).interval());
        assertTrue(closed.get(0).closed());
        assertTrue(projection.snapshot("AAPL").current(CandleInterval.S1).closed());
        // the next trade opens a new bucket without a second closing message for the old one
        updates.clear();
        at(t0 + 12 * SECOND, driver.order(bob).buy(1, "190.00"));
        assertEquals(0, updates.stream().filter(u -> u instanceof CandleUpdate c && c.candle().closed()).count());
        assertEquals(1, projection.snapshot("AAPL").finished(CandleInterval.S1).size());
    }

    @Test
    void shouldMatchTheEnginesBookAndKeepABinanceLocalBookAfterASeededRandomFlow() {
        long seed = 17L;
        List<String> symbols = SeededFlow.config().symbols().stream().map(SymbolConfig::symbol).toList();
        MarketDataProjection p = new MarketDataProjection(symbols, 1_000, 1_000, 0, () -> 0L);
        Map<String, LocalOrderBook> local = new HashMap<>();
        for (String s : symbols) {
            local.put(s, new LocalOrderBook());
        }
        List<Long> snapshotsTakenAt = new ArrayList<>();
        p.addListener(batch -> {
            for (MarketDataUpdate u : batch) {
                if (u instanceof DepthUpdate d) {
                    local.get(d.symbol()).onDiff(d);
                }
            }
            // the clients join mid-flow: each takes its REST snapshot after some batches
            if (p.committedSeq() > 2_000 && snapshotsTakenAt.isEmpty()) {
                for (String s : symbols) {
                    local.get(s).onSnapshot(p.snapshot(s).book(MarketDataProjection.MAX_SNAPSHOT_LEVELS));
                }
                snapshotsTakenAt.add(p.committedSeq());
            }
        });
        ProjectionFeed feed = new ProjectionFeed(p, 7);
        Exchange engine = SeededFlow.run(seed, 20_000, feed, new ArrayList<>());
        feed.flush();
        assertFalse(snapshotsTakenAt.isEmpty());
        for (String s : symbols) {
            Map<String, List<BookLevel>> expected = engineBook(engine, s);
            BookSnapshot mine = p.snapshot(s).book(MarketDataProjection.MAX_SNAPSHOT_LEVELS);
            assertEquals(expected.get("bids"), mine.bids(), "seed " + seed + " " + s + " bids");
            assertEquals(expected.get("asks"), mine.asks(), "seed " + seed + " " + s + " asks");
            List<String> want = new ArrayList<>();
            mine.bids().forEach(l -> want.add("bid " + l.priceTicks() + " x " + l.qty()));
            mine.asks().forEach(l -> want.add("ask " + l.priceTicks() + " x " + l.qty()));
            assertEquals(want, local.get(s).levels(), "seed " + seed + " local book of " + s);
            assertEquals(engine.bestBidTicks(s), p.snapshot(s).ticker().bidTicks());
            assertEquals(engine.bestAskTicks(s), p.snapshot(s).ticker().askTicks());
        }
    }

    @Test
    void shouldBuildTheSameCandlesWhateverTheBatching() {
        List<String> symbols = SeededFlow.config().symbols().stream().map(SymbolConfig::symbol).toList();
        Map<String, List<Candle>> one = candlesOf(symbols, 1);
        Map<String, List<Candle>> other = candlesOf(symbols, 500);
        assertEquals(one, other);
        assertTrue(one.values().stream().mapToInt(List::size).sum() > 10, "the flow traded");
    }

    private static Map<String, List<Candle>> candlesOf(List<String> symbols, int commandsPerCommit) {
        MarketDataProjection p = new MarketDataProjection(symbols, 1_000, 100_000, 0, () -> 0L);
        ProjectionFeed feed = new ProjectionFeed(p, commandsPerCommit);
        SeededFlow.run(99L, 8_000, feed, new ArrayList<>());
        feed.flush();
        Map<String, List<Candle>> out = new HashMap<>();
        for (String s : symbols) {
            for (CandleInterval i : CandleInterval.values()) {
                out.put(s + "@" + i.code(), p.snapshot(s).candles(i, Long.MIN_VALUE, Long.MAX_VALUE, 100_000, true));
            }
        }
        return out;
    }

    @Test
    void shouldServeNothingForAnUnlistedSymbol() {
        assertNull(projection.snapshot("NOPE"));
    }

    @Test
    void shouldLetBatchesWaitOnlyWhileNoListenerAwaitsUpdates() {
        MarketDataProjection p = new MarketDataProjection(List.of("AAPL"));
        assertTrue(p.batchesMayWait(), "no listener: only REST reads, which wait for their own seq");
        boolean[] subscribed = {false};
        MarketDataListener stream = new MarketDataListener() {
            @Override
            public void onUpdates(List<MarketDataUpdate> batch) {
            }

            @Override
            public boolean awaitsUpdates() {
                return subscribed[0];
            }
        };
        p.addListener(stream);
        assertTrue(p.batchesMayWait(), "a listener with nobody subscribed");
        subscribed[0] = true;
        assertFalse(p.batchesMayWait(), "a subscriber gets every command at once");
        subscribed[0] = false;
        p.addListener(batch -> { });
        assertFalse(p.batchesMayWait(), "a plain listener awaits updates by default");
    }
}
