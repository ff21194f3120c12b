package exchange.readside.marketdata;

import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;

import java.util.List;

/**
 * Everything the query side serves for one symbol, as of the commit at {@code seq}, immutable:
 * published by the projector through a volatile field and read by any thread.
 *
 * @param bids best first, at most {@link MarketDataProjection#MAX_SNAPSHOT_LEVELS}
 * @param trades the most recent trades, oldest first
 * @param finishedCandles per {@link CandleInterval} ordinal: finished buckets kept in memory, oldest first
 * @param currentCandles per interval ordinal: the open (newest) bucket, or null if the series never traded
 */
public record SymbolSnapshot(String symbol, long seq, List<BookLevel> bids, List<BookLevel> asks, List<PublicTrade> trades,
                      List<List<Candle>> finishedCandles, List<Candle> currentCandles, Ticker ticker) {

    /** The open (newest) bucket of {@code interval}, or null. */
    public Candle current(CandleInterval interval) {
        return currentCandles.get(interval.ordinal());
    }

    /** The finished buckets of {@code interval} kept in memory, oldest first. */
    public List<Candle> finished(CandleInterval interval) {
        return finishedCandles.get(interval.ordinal());
    }

    /** The same content as of a later {@code seq} (nothing changed the symbol in between). */
    SymbolSnapshot withSeq(long later) {
        return new SymbolSnapshot(symbol, later, bids, asks, trades, finishedCandles, currentCandles,
                ticker.withSeq(later));
    }

    /** The book's best {@code depth} levels per side, as of {@link #seq()}. */
    public BookSnapshot book(int depth) {
        return new BookSnapshot(symbol, seq, bids, asks).top(depth);
    }

    /** The most recent {@code limit} trades kept in memory, oldest first. */
    public List<PublicTrade> recentTrades(int limit) {
        return trades.subList(Math.max(0, trades.size() - limit), trades.size());
    }

    /**
     * The candles in memory with {@code startNanos <= openTime <= endNanos}, oldest first: the first
     * {@code limit} of the range when {@code fromStart}, else its last {@code limit} (Binance's rule:
     * with a start time the page begins there, without one it ends at the newest).
     */
    public List<Candle> candles(CandleInterval interval, long startNanos, long endNanos, int limit, boolean fromStart) {
        List<Candle> all = new java.util.ArrayList<>(finished(interval));
        Candle current = current(interval);
        if (current != null) {
            all.add(current);
        }
        List<Candle> in = new java.util.ArrayList<>();
        for (Candle c : all) {
            if (c.openTimeNanos() >= startNanos && c.openTimeNanos() <= endNanos) {
                in.add(c);
            }
        }
        return fromStart ? List.copyOf(in.subList(0, Math.min(limit, in.size())))
                : List.copyOf(in.subList(Math.max(0, in.size() - limit), in.size()));
    }
}
