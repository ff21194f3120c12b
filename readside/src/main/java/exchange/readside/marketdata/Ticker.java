package exchange.readside.marketdata;

/**
 * A symbol's session ticker as of {@code seq}. Prices in {@code Money.SCALE} ticks, 0 where there
 * is none yet (no trade, empty side). The session figures (open = first trade of the session,
 * high, low, volume, quote volume, trade count, first/last trade id) cover the trades since the
 * current (or last) session opened; {@code prevCloseTicks} is the last trade price when the
 * previous session closed (0 if none). Immutable.
 *
 * @param sessionOpenedAtNanos when the current (or last) session opened, epoch nanos; 0 if never
 */
public record Ticker(String symbol, long seq, long sessionDate, boolean sessionOpen, long sessionOpenedAtNanos,
                     long lastTicks, long lastQty, long lastTradeAtNanos, long bidTicks, long bidQty, long askTicks,
                     long askQty, long openTicks, long highTicks, long lowTicks, long volume, long quoteVolumeTicks,
                     long tradeCount, long firstTradeId, long lastTradeId, long prevCloseTicks) {

    /** The session's volume-weighted average price in ticks (rounded half up), 0 with no volume. */
    public long vwapTicks() {
        return volume == 0 ? 0 : Math.floorDiv(Math.addExact(quoteVolumeTicks, volume / 2), volume);
    }
}
