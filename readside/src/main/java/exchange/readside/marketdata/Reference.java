package exchange.readside.marketdata;

import java.util.List;

/**
 * A symbol's composite reference at one instant: the best bid and the best ask among the venues
 * whose quotes are fresh then, each with the venue that quotes it, as the engine picks them (the
 * highest bid, the lowest ask; on a tie the venue that first quoted the symbol). Either is null
 * when no venue is fresh. Computed when served, never stored: freshness depends on the wall clock,
 * and the projection's state stays a pure function of the events.
 */
public record Reference(ReferenceQuote bid, ReferenceQuote ask) {
    public static final Reference NONE = new Reference(null, null);

    /** The best fresh bid and ask of {@code quotes} (venues in the order they first quoted) at {@code nowNanos}. */
    public static Reference of(List<ReferenceQuote> quotes, long nowNanos) {
        ReferenceQuote bid = null;
        ReferenceQuote ask = null;
        for (ReferenceQuote q : quotes) {
            if (!q.freshAt(nowNanos)) {
                continue;
            }
            if (bid == null || q.bidTicks() > bid.bidTicks()) {
                bid = q;
            }
            if (ask == null || q.askTicks() < ask.askTicks()) {
                ask = q;
            }
        }
        return bid == null ? NONE : new Reference(bid, ask);
    }
}
