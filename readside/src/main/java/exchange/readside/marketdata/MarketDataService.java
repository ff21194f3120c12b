package exchange.readside.marketdata;

import exchange.readside.ProjectionRunner;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.history.HistoryReader;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Market data as the process wiring and the routes see it: the {@link MarketDataProjection} on its
 * {@link ProjectionRunner} thread ({@code readside-marketdata}), and the reads that span memory and
 * the history database: candles and trades older than what memory keeps come from
 * {@link HistoryReader} (the history writer stores both).
 *
 * <p>Lifecycle: construct, {@link #addListener} as needed, {@link #start}, then any thread may
 * read, until {@link #close}. The projection is in memory: each start rebuilds it from the events
 * queue (see {@code readside/README.md} for the cost).
 */
public final class MarketDataService implements AutoCloseable {
    /**
     * While no listener awaits updates (no stream subscriber), the projector starts a batch at
     * most once per this interval under load, instead of being woken every ~3 commands (each
     * wake-up cost ~15 us of CPU under HTTP load on 2 cores, more than twice the work of the
     * commands it then projected). A REST read then sees a book up to this much older; one with
     * {@code min_seq} still waits only for its own sequence ({@link ProjectionRunner#awaitSeq}
     * ends the pause).
     * With a subscriber, every command is projected as soon as it is appended, as before.
     */
    public static final Duration QUIET_BATCH_INTERVAL = Duration.ofMillis(1);

    private final MarketDataProjection projection;
    private final ProjectionRunner runner;
    private final HistoryReader history;
    private final int maxTrades;
    private final int maxCandles;

    /**
     * @param history where ranges older than memory are read, or null (memory only)
     * @param eventsCompleteThroughSeq see {@link ProjectionRunner}
     * @param epochNanosClock the wall clock that stamps commands: when a candle's end or a reference
     *     quote's staleness limit has passed
     */
    public MarketDataService(List<String> symbols, int maxTrades, int maxCandles, long closeGraceNanos, Path dataDir,
                             HistoryReader history, LongSupplier eventsCompleteThroughSeq, LongSupplier epochNanosClock) {
        this.projection = new MarketDataProjection(symbols, maxTrades, maxCandles, closeGraceNanos,
                Objects.requireNonNull(epochNanosClock, "epochNanosClock"));
        this.runner = new ProjectionRunner(projection, dataDir, Objects.requireNonNull(eventsCompleteThroughSeq),
                ProjectionRunner.DEFAULT_MAX_BATCH_EVENTS, ProjectionRunner.DEFAULT_MAX_IDLE, QUIET_BATCH_INTERVAL,
                ProjectionRunner::systemEpochNanos);
        this.history = history;
        this.maxTrades = maxTrades;
        this.maxCandles = maxCandles;
    }

    public MarketDataService start() {
        runner.start();
        return this;
    }

    public void addListener(MarketDataListener listener) {
        projection.addListener(listener);
    }

    public void removeListener(MarketDataListener listener) {
        projection.removeListener(listener);
    }

    public MarketDataView view() {
        return projection;
    }

    public long appliedSeq() {
        return runner.appliedSeq();
    }

    /** See {@link ProjectionRunner#eventsAppended()}: the pipeline's results thread, after each command. */
    public void eventsAppended() {
        runner.eventsAppended();
    }

    /** Waits (bounded) until the projection reflects {@code seq}: read-your-writes. */
    public boolean awaitSeq(long seq, Duration timeout) throws InterruptedException {
        return runner.awaitSeq(seq, timeout);
    }

    public boolean rebuilding() {
        return runner.rebuilding();
    }

    public Throwable failure() {
        return runner.failure();
    }

    public long lagEvents() {
        return runner.lagEvents();
    }

    /** Milliseconds the last rebuild from the events queue took (0 until it caught up). */
    public long rebuildMillis() {
        return projection.rebuildMillis();
    }

    /**
     * Candles with {@code startNanos <= openTime <= endNanos}, oldest first, at most {@code limit}:
     * the first of the range when {@code fromStart}, else the last (Binance's rule). Buckets older
     * than memory keeps come from the history database.
     */
    public List<Candle> candles(String symbol, CandleInterval interval, long startNanos, long endNanos, int limit,
                                boolean fromStart) {
        SymbolSnapshot s = projection.snapshot(symbol);
        if (s == null) {
            return List.of();
        }
        List<Candle> memory = s.candles(interval, startNanos, endNanos, Integer.MAX_VALUE, true);
        List<Candle> finished = s.finished(interval);
        boolean evicted = finished.size() >= maxCandles;
        Candle oldest = !finished.isEmpty() ? finished.get(0) : s.current(interval);
        if (!evicted || history == null || oldest == null || startNanos >= oldest.openTimeNanos()
                || (!fromStart && memory.size() >= limit)) {
            return fromStart ? memory.subList(0, Math.min(limit, memory.size()))
                    : memory.subList(Math.max(0, memory.size() - limit), memory.size());
        }
        long dbEnd = Math.min(endNanos, oldest.openTimeNanos() - 1);
        int dbLimit = fromStart ? limit : limit - memory.size();
        List<Candle> out = new ArrayList<>(history.candles(symbol, interval, startNanos, dbEnd,
                Math.min(dbLimit, HistoryReader.MAX_LIMIT), fromStart));
        out.addAll(memory);
        return List.copyOf(fromStart ? out.subList(0, Math.min(limit, out.size())) : out);
    }

    /** The most recent {@code limit} trades, oldest first; beyond what memory keeps, from the history database. */
    public List<PublicTrade> recentTrades(String symbol, int limit) {
        SymbolSnapshot s = projection.snapshot(symbol);
        if (s == null) {
            return List.of();
        }
        List<PublicTrade> memory = s.recentTrades(limit);
        if (memory.size() >= limit || s.trades().size() < maxTrades || history == null) {
            return memory;
        }
        List<PublicTrade> out = new ArrayList<>(history.trades(symbol, 0, memory.get(0).tradeId(), Long.MIN_VALUE,
                Long.MAX_VALUE, Math.min(limit - memory.size(), HistoryReader.MAX_LIMIT)));
        out.addAll(memory);
        return List.copyOf(out);
    }

    /** Trades from an id or a time range (Binance's aggTrades), ascending: from the history database, then from memory what it has not written yet. */
    public List<PublicTrade> trades(String symbol, long fromTradeId, long startNanos, long endNanos, int limit) {
        List<PublicTrade> out = new ArrayList<>();
        if (history != null) {
            out.addAll(history.trades(symbol, fromTradeId, 0, startNanos, endNanos, limit));
        }
        // the history writer may lag the projection: its rows are a prefix of the trades, the
        // projection's ring a suffix, so a page the database leaves short goes on from memory
        long after = out.isEmpty() ? fromTradeId - 1 : Math.max(fromTradeId - 1, out.get(out.size() - 1).tradeId());
        SymbolSnapshot s = projection.snapshot(symbol);
        for (PublicTrade t : s == null ? List.<PublicTrade>of() : s.trades()) {
            if (out.size() < limit && t.tradeId() > after && t.timeNanos() >= startNanos && t.timeNanos() <= endNanos) {
                out.add(t);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public void close() {
        runner.close();
    }
}
