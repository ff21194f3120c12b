package exchange.readside.candle;

import java.util.Objects;

/**
 * The open bucket of one symbol at one interval, and the rule that puts a trade into a bucket.
 * Both the market-data projection (memory) and the history writer (the {@code candles} table)
 * aggregate through this class, so the two hold the same candles.
 *
 * <p><b>Bucketing.</b> A trade goes into the bucket of its <em>bucketing time</em>:
 * {@code max(its event timestamp, the bucketing time of the series' previous trade)}, floored to
 * the interval. Event timestamps are the gateway's stamps, taken before the ring, so two commands
 * can reach the engine in the opposite order of their stamps by a few microseconds; the max keeps
 * a series' buckets in trade order (a late-stamped trade joins the open bucket instead of
 * reopening a finished one). The contents are therefore a pure function of the symbol's trades in
 * sequence order: a rebuild from the events queue gives the same candles.
 *
 * <p><b>Closing.</b> A bucket is finished for good when a trade of the series lands in a later
 * bucket ({@link #add} returns the finished candle). Whoever serves candles live may also declare
 * it closed once a wall clock is past its end (the projection does, with a grace); that flag is
 * presentation only, never a change of contents.
 *
 * <p>Mutable; used by one thread (the projector's or the history writer's).
 */
public final class CandleSeries {
    private final String symbol;
    private final CandleInterval interval;

    private boolean open;
    private long openTimeNanos;
    private long openTicks;
    private long highTicks;
    private long lowTicks;
    private long closeTicks;
    private long volume;
    private long quoteVolumeTicks;
    private long takerBuyVolume;
    private long takerBuyQuoteVolumeTicks;
    private long tradeCount;
    private long firstTradeId;
    private long lastTradeId;
    private long lastTradeAtNanos;
    private long seq;

    public CandleSeries(String symbol, CandleInterval interval) {
        this.symbol = Objects.requireNonNull(symbol, "symbol");
        this.interval = Objects.requireNonNull(interval, "interval");
    }

    /** Resumes from a stored candle (the history writer at start): its bucket becomes the open one. */
    public void resume(Candle c) {
        if (!c.symbol().equals(symbol) || c.interval() != interval) {
            throw new IllegalArgumentException("candle " + c + " is not of series " + symbol + "@" + interval.code());
        }
        open = true;
        openTimeNanos = c.openTimeNanos();
        openTicks = c.openTicks();
        highTicks = c.highTicks();
        lowTicks = c.lowTicks();
        closeTicks = c.closeTicks();
        volume = c.volume();
        quoteVolumeTicks = c.quoteVolumeTicks();
        takerBuyVolume = c.takerBuyVolume();
        takerBuyQuoteVolumeTicks = c.takerBuyQuoteVolumeTicks();
        tradeCount = c.tradeCount();
        firstTradeId = c.firstTradeId();
        lastTradeId = c.lastTradeId();
        lastTradeAtNanos = c.lastTradeAtNanos();
        seq = c.seq();
    }

    /**
     * Adds a trade. Returns the bucket it finished (closed), if the trade opened a later one, else null.
     *
     * @param timestampNanos the trade event's timestamp (epoch nanos)
     * @param takerBought the taker was the buyer
     */
    public Candle add(long timestampNanos, long priceTicks, long qty, boolean takerBought, long tradeId, long tradeSeq) {
        if (priceTicks <= 0 || qty <= 0) {
            throw new IllegalArgumentException("trade " + tradeId + " has price " + priceTicks + " and qty " + qty);
        }
        long at = Math.max(timestampNanos, lastTradeAtNanos);
        long bucket = interval.bucketStart(at);
        Candle finished = null;
        if (open && bucket != openTimeNanos) {
            finished = current(true);
        }
        if (!open || bucket != openTimeNanos) {
            open = true;
            openTimeNanos = bucket;
            openTicks = priceTicks;
            highTicks = priceTicks;
            lowTicks = priceTicks;
            volume = 0;
            quoteVolumeTicks = 0;
            takerBuyVolume = 0;
            takerBuyQuoteVolumeTicks = 0;
            tradeCount = 0;
            firstTradeId = tradeId;
        }
        highTicks = Math.max(highTicks, priceTicks);
        lowTicks = Math.min(lowTicks, priceTicks);
        closeTicks = priceTicks;
        volume = Math.addExact(volume, qty);
        long notional = Math.multiplyExact(priceTicks, qty);
        quoteVolumeTicks = Math.addExact(quoteVolumeTicks, notional);
        if (takerBought) {
            takerBuyVolume = Math.addExact(takerBuyVolume, qty);
            takerBuyQuoteVolumeTicks = Math.addExact(takerBuyQuoteVolumeTicks, notional);
        }
        tradeCount++;
        lastTradeId = tradeId;
        lastTradeAtNanos = at;
        seq = tradeSeq;
        return finished;
    }

    /** True once the series has had a trade. */
    public boolean hasCandle() {
        return open;
    }

    /** The open bucket as a candle (null if the series never traded). */
    public Candle current(boolean closed) {
        if (!open) {
            return null;
        }
        return new Candle(symbol, interval, openTimeNanos, openTicks, highTicks, lowTicks, closeTicks, volume,
                quoteVolumeTicks, takerBuyVolume, takerBuyQuoteVolumeTicks, tradeCount, firstTradeId, lastTradeId, lastTradeAtNanos, seq, closed);
    }

    /** The open bucket's start, or {@link Long#MIN_VALUE} if none. */
    public long openTimeNanos() {
        return open ? openTimeNanos : Long.MIN_VALUE;
    }

    public String symbol() {
        return symbol;
    }

    public CandleInterval interval() {
        return interval;
    }
}
