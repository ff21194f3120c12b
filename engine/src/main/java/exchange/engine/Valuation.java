package exchange.engine;

import exchange.risk.Money;

/**
 * The arithmetic of valuing positions at mark prices, shared by the account view and the
 * end-of-day report so that both value alike. A value that has no mark price or does not fit in
 * a long is {@link AccountSnapshot#NO_VALUE}, and so is any sum that includes one. Stateless.
 */
final class Valuation {
    private Valuation() {
    }

    /** {@code qty x markPriceTicks}; 0 for no shares, {@code NO_VALUE} without a mark or beyond a long. */
    static long value(long qty, long markPriceTicks) {
        if (qty == 0) {
            return 0;
        }
        long v = markPriceTicks == 0 ? Money.OVERFLOW : Money.multiplyOrOverflow(qty, markPriceTicks);
        return v == Money.OVERFLOW ? AccountSnapshot.NO_VALUE : v;
    }

    /** {@code sum + value}, or {@code NO_VALUE} if either is or the sum overflows. */
    static long add(long sum, long value) {
        if (sum == AccountSnapshot.NO_VALUE || value == AccountSnapshot.NO_VALUE) {
            return AccountSnapshot.NO_VALUE;
        }
        long r = Money.addOrOverflow(sum, value);
        return r == Money.OVERFLOW ? AccountSnapshot.NO_VALUE : r;
    }
}
