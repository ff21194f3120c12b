package exchange.engine;

import exchange.risk.Fees;
import exchange.risk.Money;

/**
 * The reservation an open order holds, as one formula for everything that computes it: the
 * engine when it places, fills and checks orders, and the history writer when it records an
 * order's {@code hold_amount} from the events alone. A sell holds its leaves in shares; a buy
 * holds cash, {@link #buyHold}. Stateless.
 */
public final class Holds {
    private Holds() {
    }

    /**
     * Cash a buy of {@code leaves} shares at {@code limitTicks} must hold:
     * {@code R(L) = L x limit + ceil(L x limit x maxFeeBps / 10,000)} (notional plus the fee
     * reserve at the larger of the account's maker and taker rates), or {@link Money#OVERFLOW}
     * if it does not fit in a long. {@code R(0) = 0}.
     */
    public static long buyHold(long leaves, long limitTicks, int maxFeeBps) {
        long notional = Money.multiplyOrOverflow(leaves, limitTicks);
        if (notional == Money.OVERFLOW) {
            return Money.OVERFLOW;
        }
        long fee = Fees.reserved(notional, maxFeeBps);
        return fee == Money.OVERFLOW ? Money.OVERFLOW : Money.addOrOverflow(notional, fee);
    }
}
