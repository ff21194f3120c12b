package exchange.risk;

/**
 * Fee arithmetic in basis points. A charged fee rounds down (the exchange never charges more
 * than the schedule); the fee reserved in a buy hold rounds up, so the hold always covers the
 * fee actually charged. Both return {@link Money#OVERFLOW} rather than wrap.
 */
public final class Fees {
    /** Basis points in one whole. */
    public static final long BPS = 10_000L;
    /** Highest fee rate accepted for an account: 10%. */
    public static final int MAX_FEE_BPS = 1_000;

    private Fees() {
    }

    /** Fee charged on {@code notional} at {@code bps}, rounded down. */
    public static long charged(long notional, int bps) {
        return fee(notional, bps, 0);
    }

    /** Fee reserved for {@code notional} at {@code bps}, rounded up. */
    public static long reserved(long notional, int bps) {
        return fee(notional, bps, BPS - 1);
    }

    /**
     * {@code (notional x bps + roundUp) / BPS} without forming {@code notional x bps}, which can
     * overflow although the fee fits: with {@code notional = q x BPS + r}, the fee is
     * {@code q x bps + (r x bps + roundUp) / BPS}, and {@code r x bps} is small.
     */
    private static long fee(long notional, int bps, long roundUp) {
        if (notional < 0 || bps < 0) {
            return Money.OVERFLOW;
        }
        long whole = Money.multiplyOrOverflow(notional / BPS, bps);
        if (whole == Money.OVERFLOW) {
            return Money.OVERFLOW;
        }
        return Money.addOrOverflow(whole, ((notional % BPS) * bps + roundUp) / BPS);
    }
}
