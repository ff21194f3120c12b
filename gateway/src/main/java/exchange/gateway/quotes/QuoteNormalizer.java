package exchange.gateway.quotes;

import exchange.gateway.quotes.BinanceQuoteMessages.BookTicker;
import exchange.gateway.quotes.BinanceQuoteMessages.Trade;
import exchange.risk.Fees;
import exchange.risk.Money;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns one source's untrusted messages into quotes in our units, or says why not. Pure: no
 * clock (time is a parameter), no I/O; the state it keeps is the jump filter's, per symbol.
 *
 * <p>Conversion: prices to ticks exactly ({@link DecimalText}), the bid rounded down and the ask
 * up to the price grid, so the reference never looks better than the venue quoted; sizes to
 * whole shares rounded down. A trade's price is rounded down too (it only values positions).
 *
 * <p>Checks, in order: symbol known ({@link DropReason#UNKNOWN_SYMBOL}), values plain decimals
 * ({@link DropReason#UNPARSEABLE}), every price and size positive ({@link DropReason#NON_POSITIVE}),
 * prices within {@code maxPriceTicks} ({@link DropReason#OUT_OF_RANGE}), bid below ask as quoted,
 * compared exactly before any rounding ({@link DropReason#CROSSED}: crossed or locked), then the
 * jump filter ({@link DropReason#JUMP}).
 *
 * <p>Jump filter: a quote whose mid is more than {@code jumpLimitBps} away from the mid of the
 * last quote accepted for the symbol is dropped, unless it is the {@code jumpConfirmations}-th
 * in a row at the new level (each within the limit of the one before): one bad print is
 * dropped, a real move is taken after a few quotes. No reference (none accepted yet, or the
 * last one older than the staleness limit, which the engine has stopped counting anyway) means
 * no filter. Trades are checked against the same reference, without confirmations.
 *
 * <p>Not thread safe: the owning adapter calls it under its lock.
 */
final class QuoteNormalizer {
    /** What one message came to: an accepted {@link Quote}, a {@link LastPrice}, or a {@link DropReason}. */
    sealed interface Outcome permits Quote, LastPrice, DropReason {
    }

    /** A validated quote for the symbol in {@code slot}, in ticks and whole shares. */
    record Quote(int slot, long bidTicks, long bidQty, long askTicks, long askQty) implements Outcome {
    }

    /** A validated trade price for the symbol in {@code slot}. */
    record LastPrice(int slot, long priceTicks) implements Outcome {
    }

    private final Map<String, Integer> slotByExternal = new HashMap<>();
    private final long maxPriceTicks;
    private final long staleAfterNanos;
    private final int jumpLimitBps;
    private final int jumpConfirmations;
    /** Per slot: bid + ask of the last accepted quote (twice its mid, so no rounding), 0 = none. */
    private final long[] acceptedMid2;
    private final long[] acceptedAtNanos;
    /** Per slot: twice the mid of the latest quote beyond the limit, and how many in a row agreed on it. */
    private final long[] pendingMid2;
    private final int[] pendingCount;

    /**
     * @param externals the source's symbols (upper case); a symbol's index is its slot
     */
    QuoteNormalizer(List<String> externals, long maxPriceTicks, long staleAfterNanos, int jumpLimitBps,
                    int jumpConfirmations) {
        for (int i = 0; i < externals.size(); i++) {
            slotByExternal.put(externals.get(i), i);
        }
        this.maxPriceTicks = maxPriceTicks;
        this.staleAfterNanos = staleAfterNanos;
        this.jumpLimitBps = jumpLimitBps;
        this.jumpConfirmations = jumpConfirmations;
        this.acceptedMid2 = new long[externals.size()];
        this.acceptedAtNanos = new long[externals.size()];
        this.pendingMid2 = new long[externals.size()];
        this.pendingCount = new int[externals.size()];
    }

    /** The slot of a venue symbol (any case), or -1. */
    int slot(String external) {
        Integer s = slotByExternal.get(external);
        if (s == null) {
            s = slotByExternal.get(external.toUpperCase(Locale.ROOT));
        }
        return s == null ? -1 : s;
    }

    Outcome bookTicker(BookTicker m, long nowNanos) {
        int slot = slot(m.symbol());
        if (slot < 0) {
            return DropReason.UNKNOWN_SYMBOL;
        }
        long bid = DecimalText.priceFloor(m.bid());
        long ask = DecimalText.priceCeil(m.ask());
        long bidQty = DecimalText.sharesFloor(m.bidQty());
        long askQty = DecimalText.sharesFloor(m.askQty());
        DropReason bad = worst(bid, ask, bidQty, askQty);
        if (bad != null) {
            return bad;
        }
        if (DecimalText.compare(m.bid(), m.ask()) >= 0) {
            return DropReason.CROSSED;
        }
        long mid2 = bid + ask;
        if (!passesJumpFilter(slot, mid2, nowNanos)) {
            return DropReason.JUMP;
        }
        acceptedMid2[slot] = mid2;
        acceptedAtNanos[slot] = nowNanos;
        return new Quote(slot, bid, bidQty, ask, askQty);
    }

    Outcome trade(Trade m, long nowNanos) {
        int slot = slot(m.symbol());
        if (slot < 0) {
            return DropReason.UNKNOWN_SYMBOL;
        }
        long price = DecimalText.priceFloor(m.price());
        DropReason bad = worst(price, price, 1, 1);
        if (bad != null) {
            return bad;
        }
        if (hasReference(slot, nowNanos) && beyondLimit(2 * price, acceptedMid2[slot])) {
            return DropReason.JUMP;
        }
        return new LastPrice(slot, price);
    }

    /** The first problem among converted values (sentinels and zeros), or null. */
    private DropReason worst(long bid, long ask, long bidQty, long askQty) {
        if (bid == DecimalText.UNPARSEABLE || ask == DecimalText.UNPARSEABLE || bidQty == DecimalText.UNPARSEABLE
                || askQty == DecimalText.UNPARSEABLE) {
            return DropReason.UNPARSEABLE;
        }
        if (bid == DecimalText.NEGATIVE || ask == DecimalText.NEGATIVE || bidQty == DecimalText.NEGATIVE
                || askQty == DecimalText.NEGATIVE || bid == 0 || ask == 0 || bidQty == 0 || askQty == 0) {
            return DropReason.NON_POSITIVE;
        }
        if (bid == DecimalText.TOO_LARGE || ask == DecimalText.TOO_LARGE || bidQty == DecimalText.TOO_LARGE
                || askQty == DecimalText.TOO_LARGE || bid > maxPriceTicks || ask > maxPriceTicks) {
            return DropReason.OUT_OF_RANGE;
        }
        return null;
    }

    private boolean passesJumpFilter(int slot, long mid2, long nowNanos) {
        if (!hasReference(slot, nowNanos) || !beyondLimit(mid2, acceptedMid2[slot])) {
            pendingCount[slot] = 0;
            return true;
        }
        if (pendingCount[slot] > 0 && !beyondLimit(mid2, pendingMid2[slot])) {
            pendingCount[slot]++;
        } else {
            pendingCount[slot] = 1;
        }
        pendingMid2[slot] = mid2;
        if (pendingCount[slot] >= jumpConfirmations) {
            pendingCount[slot] = 0;
            return true;
        }
        return false;
    }

    private boolean hasReference(int slot, long nowNanos) {
        return acceptedMid2[slot] != 0 && nowNanos - acceptedAtNanos[slot] <= staleAfterNanos;
    }

    /** |a - reference| / reference > jumpLimitBps / 10,000, exactly (both at the same scale). */
    private boolean beyondLimit(long a, long reference) {
        long diff = Math.abs(a - reference);
        long lhs = Money.multiplyOrOverflow(diff, Fees.BPS);
        long rhs = Money.multiplyOrOverflow(reference, jumpLimitBps);
        if (lhs != Money.OVERFLOW && rhs != Money.OVERFLOW) {
            return lhs > rhs;
        }
        // prices near the range of a long (a max_price far above any listing): the division form
        return diff / jumpLimitBps > reference / Fees.BPS;
    }
}
