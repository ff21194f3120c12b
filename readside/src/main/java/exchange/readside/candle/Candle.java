package exchange.readside.candle;

import exchange.risk.Money;

/**
 * One OHLCV candle of one symbol and interval, immutable. Prices in {@code Money.SCALE} ticks,
 * {@code quoteVolume} (the traded notional) in the same ticks, times in epoch nanos. A candle
 * exists only for an interval with at least one trade ({@code tradeCount >= 1}): an interval
 * without trades has no candle, on REST, on WebSocket and in the history database alike.
 *
 * @param takerBuyVolume the volume of the trades whose taker bought (Binance's kline {@code V})
 * @param openTimeNanos the bucket's start (inclusive); the bucket ends at {@code openTime + interval} (exclusive)
 * @param firstTradeId the first trade in the bucket
 * @param lastTradeId the last trade in the bucket
 * @param lastTradeAtNanos the bucketing time of the last trade (see {@link CandleSeries})
 * @param seq the sequence of the last trade in the bucket
 * @param closed true once the bucket can take no more trades (see {@link CandleSeries})
 */
public record Candle(String symbol, CandleInterval interval, long openTimeNanos, long openTicks, long highTicks,
                     long lowTicks, long closeTicks, long volume, long quoteVolumeTicks, long takerBuyVolume,
                     long takerBuyQuoteVolumeTicks, long tradeCount, long firstTradeId, long lastTradeId, long lastTradeAtNanos, long seq, boolean closed) {

    /** The bucket's last instant (inclusive), as Binance's kline close time is its last millisecond. */
    public long closeTimeNanos() {
        return openTimeNanos + interval.nanos() - 1;
    }

    /**
     * The volume-weighted average price, {@code quoteVolume / volume}, in ticks rounded half up
     * (between low and high whatever the rounding).
     */
    public long vwapTicks() {
        return Math.floorDiv(Math.addExact(quoteVolumeTicks, volume / 2), volume);
    }

    /** This candle with {@code closed} set. */
    public Candle asClosed() {
        return closed ? this : new Candle(symbol, interval, openTimeNanos, openTicks, highTicks, lowTicks, closeTicks,
                volume, quoteVolumeTicks, takerBuyVolume, takerBuyQuoteVolumeTicks, tradeCount, firstTradeId, lastTradeId, lastTradeAtNanos, seq, true);
    }

    @Override
    public String toString() {
        return symbol + "@" + interval.code() + "[" + openTimeNanos + " o=" + Money.format(openTicks) + " h="
                + Money.format(highTicks) + " l=" + Money.format(lowTicks) + " c=" + Money.format(closeTicks) + " v="
                + volume + " n=" + tradeCount + (closed ? " closed" : "") + "]";
    }
}
