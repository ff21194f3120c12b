package exchange.readside.marketdata;

import java.util.List;

/**
 * A symbol's session ticker as of {@code seq}. Prices in {@code Money.SCALE} ticks, 0 where there
 * is none yet (no trade, empty side). The session figures (open = first trade of the session,
 * high, low, volume, quote volume, trade count, first/last trade id) cover the trades since the
 * current (or last) session opened; {@code prevCloseTicks} is the last trade price when the
 * previous session closed (0 if none). Trades against the outside market count like any other:
 * they are trades on this exchange. Immutable.
 *
 * @param sessionOpenedAtNanos when the current (or last) session opened, epoch nanos; 0 if never
 * @param referenceQuotes each outside venue's latest quote for the symbol, in the order the venues
 *     first quoted it, fresh or not: {@link #reference} picks the fresh ones when the ticker is served
 */
public record Ticker(String symbol, long seq, long sessionDate, boolean sessionOpen, long sessionOpenedAtNanos,
                     long lastTicks, long lastQty, long lastTradeAtNanos, long bidTicks, long bidQty, long askTicks,
                     long askQty, long openTicks, long highTicks, long lowTicks, long volume, long quoteVolumeTicks,
                     long tradeCount, long firstTradeId, long lastTradeId, long prevCloseTicks,
                     List<ReferenceQuote> referenceQuotes) {

    public Ticker {
        referenceQuotes = List.copyOf(referenceQuotes);
    }

    /** The session's volume-weighted average price in ticks (rounded half up), 0 with no volume. */
    public long vwapTicks() {
        return volume == 0 ? 0 : Math.floorDiv(Math.addExact(quoteVolumeTicks, volume / 2), volume);
    }

    /** The composite reference at {@code nowNanos} (the wall clock of whoever serves the ticker). */
    public Reference reference(long nowNanos) {
        return Reference.of(referenceQuotes, nowNanos);
    }

    /** The same ticker as of a later {@code seq} (nothing changed it in between). */
    Ticker withSeq(long later) {
        return new Ticker(symbol, later, sessionDate, sessionOpen, sessionOpenedAtNanos, lastTicks, lastQty,
                lastTradeAtNanos, bidTicks, bidQty, askTicks, askQty, openTicks, highTicks, lowTicks, volume,
                quoteVolumeTicks, tradeCount, firstTradeId, lastTradeId, prevCloseTicks, referenceQuotes);
    }
}
