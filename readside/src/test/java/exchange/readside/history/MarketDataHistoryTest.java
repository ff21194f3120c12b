package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.SeededFlow;
import exchange.engine.SymbolConfig;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataProjection;
import exchange.readside.marketdata.MarketDataService;
import exchange.readside.marketdata.ProjectionFeed;
import exchange.readside.marketdata.PublicTrade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Candles and trades through the history database: the writer stores the candles the market-data
 * projection builds, keeps them across a restart, and serves ranges older than memory.
 */
@Timeout(120)
class MarketDataHistoryTest {
    private static final long SEED = 4242L;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dataDir;

    private static List<String> symbols() {
        return SeededFlow.config().symbols().stream().map(SymbolConfig::symbol).toList();
    }

    /** Every candle of the run, as an unbounded in-memory projection builds them (closed flags aside). */
    private static List<Candle> expected(Flows.Run run, String symbol, CandleInterval interval) {
        MarketDataProjection p = new MarketDataProjection(symbols(), 1_000, 100_000, 0, () -> 0L);
        ProjectionFeed feed = new ProjectionFeed(p, 100);
        for (EngineEvent e : run.events()) {
            feed.onEvent(e);
        }
        feed.flush();
        return closed(p.snapshot(symbol).candles(interval, Long.MIN_VALUE, Long.MAX_VALUE, 100_000, true));
    }

    private static List<Candle> closed(List<Candle> candles) {
        return candles.stream().map(Candle::asClosed).toList();
    }

    private static List<Candle> stored(HistoryReader reader, String symbol, CandleInterval interval) {
        List<Candle> out = new ArrayList<>();
        long from = Long.MIN_VALUE;
        while (true) {
            List<Candle> page = reader.candles(symbol, interval, from, Long.MAX_VALUE, HistoryReader.MAX_LIMIT, true);
            out.addAll(page);
            if (page.size() < HistoryReader.MAX_LIMIT) {
                return out;
            }
            from = page.get(page.size() - 1).openTimeNanos() + 1;
        }
    }

    private static HistoryService built(HistoryOptions options, long throughSeq) throws InterruptedException {
        HistoryService history = HistoryService.open(options, () -> Long.MAX_VALUE).start();
        if (!history.awaitSeq(throughSeq, WAIT)) {
            history.close();
            throw new AssertionError("history did not reach seq " + throughSeq, history.failure());
        }
        return history;
    }

    @Test
    void shouldStoreTheProjectionsCandlesKeepThemAcrossARestartAndServeOlderRangesFromTheDatabase() throws Exception {
        Flows.Run run = Flows.generate(SEED, 6_000);
        int half = run.events().size() / 2;
        while (run.events().get(half - 1).seq == run.events().get(half).seq) {
            half++;
        }
        HistoryOptions options = TestDatabases.fresh(dataDir);
        run.append(dataDir, 0, half);
        try (HistoryService history = built(options, run.events().get(half - 1).seq)) {
            assertTrue(history.failure() == null);
        }
        run.append(dataDir, half, run.events().size());
        try (HistoryService history = built(options, run.lastEventSeq());
             MarketDataService marketData = new MarketDataService(symbols(), 20, 2, 0, dataDir, history.reader(),
                     () -> Long.MAX_VALUE, exchange.readside.ProjectionRunner::systemEpochNanos).start()) {
            assertTrue(marketData.awaitSeq(run.lastEventSeq(), WAIT), "market data caught up");
            int candles = 0;
            for (String symbol : symbols()) {
                for (CandleInterval interval : CandleInterval.values()) {
                    List<Candle> want = expected(run, symbol, interval);
                    assertEquals(want, stored(history.reader(), symbol, interval), symbol + "@" + interval.code());
                    candles += want.size();
                    // memory keeps 2 finished buckets per series; the rest of the 50 newest come from the database
                    List<Candle> newest = want.subList(Math.max(0, want.size() - 50), want.size());
                    assertEquals(newest, closed(marketData.candles(symbol, interval, Long.MIN_VALUE, Long.MAX_VALUE, 50,
                            false)), "newest 50 " + symbol + "@" + interval.code());
                    if (want.size() > 3) {
                        List<Candle> fromSecond = want.subList(1, Math.min(want.size(), 31));
                        assertEquals(fromSecond, closed(marketData.candles(symbol, interval,
                                want.get(1).openTimeNanos(), Long.MAX_VALUE, 30, true)));
                    }
                }
                List<PublicTrade> trades = marketData.recentTrades(symbol, 100);
                List<PublicTrade> fromDb = history.reader().trades(symbol, 0, 0, Long.MIN_VALUE, Long.MAX_VALUE, 100);
                assertEquals(fromDb, trades, "the 100 newest trades of " + symbol + ", 20 from memory");
            }
            assertTrue(candles > 30, "candles compared: " + candles);
            System.out.printf("market data rebuilt %d events (seq %d) in %d ms%n", run.events().size(),
                    run.lastEventSeq(), marketData.rebuildMillis());
        }
    }

    @Test
    void shouldBackfillCandlesFromTheTradesOfAVersionOneDatabase() throws Exception {
        HistoryOptions options = TestDatabases.fresh(dataDir);
        HistoryDatabase v1 = HistoryDatabase.open(options, Schema.MIGRATIONS.subList(0, 1));
        long second = 1_000_000_000L;
        long t = 1_728_000_000L * second;
        long[][] trades = {{t + 100, 1_900_000, 10}, {t + 200, 1_910_000, 30}, {t + second, 1_890_000, 5},
                {t + 60 * second, 1_950_000, 1}};
        try (Connection c = v1.connectWriter();
             PreparedStatement ps = c.prepareStatement("INSERT INTO trades (trade_id, symbol, price, qty, taker_side,"
                     + " taker_order_id, taker_account_id, maker_order_id, maker_account_id, taker_fee, maker_fee,"
                     + " executed_at, seq) VALUES (?, 'AAA', ?, ?, 'buy', 1, 1, 2, 2, 0, 0, ?, ?)")) {
            for (int i = 0; i < trades.length; i++) {
                ps.setLong(1, i + 1);
                ps.setLong(2, trades[i][1]);
                ps.setLong(3, trades[i][2]);
                ps.setLong(4, trades[i][0]);
                ps.setLong(5, 10 + i);
                ps.executeUpdate();
            }
            c.commit();
        }
        HistoryDatabase migrated = HistoryDatabase.open(options);
        HistoryReader reader = new HistoryReader(migrated, 1, WAIT);
        try {
            exchange.readside.candle.CandleSeries[] series = new exchange.readside.candle.CandleSeries[3];
            List<List<Candle>> want = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (CandleInterval i : CandleInterval.values()) {
                series[i.ordinal()] = new exchange.readside.candle.CandleSeries("AAA", i);
                for (int k = 0; k < trades.length; k++) {
                    Candle done = series[i.ordinal()].add(trades[k][0], trades[k][1], trades[k][2], true, k + 1, 10 + k);
                    if (done != null) {
                        want.get(i.ordinal()).add(done);
                    }
                }
                want.get(i.ordinal()).add(series[i.ordinal()].current(true));
                assertEquals(want.get(i.ordinal()), reader.candles("AAA", i, Long.MIN_VALUE, Long.MAX_VALUE, 100, true),
                        i.code());
            }
            assertEquals(3, want.get(CandleInterval.S1.ordinal()).size());
            assertEquals(1, want.get(CandleInterval.M5.ordinal()).size());
        } finally {
            reader.close();
        }
        try (Connection c = migrated.connectReader(); Statement s = c.createStatement();
             var rs = s.executeQuery("SELECT version FROM schema_version")) {
            assertTrue(rs.next());
            assertEquals(Schema.latestVersion(Schema.MIGRATIONS), rs.getInt(1), "migrated through the latest version");
        }
    }
}
