package exchange.readside.marketdata;

/**
 * One outside venue's latest quote for one symbol, as its {@code REFERENCE_QUOTED} event told it
 * (issue 19, DESIGN section 10). Immutable; prices in {@code Money.SCALE} ticks.
 *
 * @param lastTicks the venue's last trade price, 0 = none known
 * @param quotedAtNanos when the quote arrived: the event's (journaled) time, epoch nanos
 * @param staleAfterNanos how long the quote counts: fresh at {@code now} while
 *     {@code now - quotedAtNanos <= staleAfterNanos}, the engine's rule
 */
public record ReferenceQuote(String venue, long bidTicks, long bidQty, long askTicks, long askQty, long lastTicks,
                             long quotedAtNanos, long staleAfterNanos) {

    public boolean freshAt(long nowNanos) {
        return nowNanos - quotedAtNanos <= staleAfterNanos;
    }

    /** When the quote stops counting: the first nanosecond at which it is no longer fresh. */
    public long staleAtNanos() {
        return quotedAtNanos + staleAfterNanos + 1;
    }

    /** Milliseconds since the quote arrived, as of {@code nowNanos} (0 if the clock is behind the stamp). */
    public long ageMillis(long nowNanos) {
        return Math.max(0, nowNanos - quotedAtNanos) / 1_000_000;
    }
}
