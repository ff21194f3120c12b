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
        long p = Money.multiplyOrOverflow(notional, bps);
        return p == Money.OVERFLOW ? Money.OVERFLOW : p / BPS;
    }

    /** Fee reserved for {@code notional} at {@code bps}, rounded up. */
    public static long reserved(long notional, int bps) {
        long p = Money.multiplyOrOverflow(notional, bps);
        return p == Money.OVERFLOW ? Money.OVERFLOW : (p + BPS - 1) / BPS;
    }
}
