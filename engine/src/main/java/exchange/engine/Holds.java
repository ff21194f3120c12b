package exchange.engine;

import exchange.risk.Fees;
import exchange.risk.Money;

/**
 * What an open order reserves, computed the way the engine reserves it, for readers that rebuild
 * an order's {@code hold_amount} from events (the history database). A buy holds its notional plus
 * the fee reserve at the account's larger fee rate ({@code exchange.risk.Account#maxFeeBps()});
 * a sell holds its leaves quantity in shares. Stateless; any thread.
 */
public final class Holds {
    private Holds() {
    }

    /**
     * Cash a buy of {@code leaves} at {@code limitTicks} holds: notional plus the fee reserve at
     * {@code maxFeeBps}, or {@link Money#OVERFLOW} if that does not fit in a long.
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
