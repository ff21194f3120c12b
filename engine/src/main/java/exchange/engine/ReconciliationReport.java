package exchange.engine;

import java.util.List;

/**
 * The end-of-day reconciliation of one session, built by the engine at {@code SESSION_CLOSE}
 * after the sweep, from state alone (so replaying the journal rebuilds it bit for bit).
 * Cash in scaled units ({@code Money.SCALE}), shares whole. {@code firstSeq..seq} is the journal
 * range the session covered (its SESSION_OPEN through its SESSION_CLOSE).
 */
public record ReconciliationReport(long sessionDate, long firstSeq, long seq, List<AccountLine> accounts,
                                   List<Check> checks) {

    /**
     * One account over the session. Holds are cash holds; share holds are on each position.
     * {@code closingCash = openingCash + deposits - withdrawals + sales - purchases - fees};
     * {@code closingEquity} = closing cash plus every position's closing value
     * ({@link AccountSnapshot#NO_VALUE} if a position has none).
     */
    public record AccountLine(long accountId, String name, long openingCash, long closingCash, long deposits,
                              long withdrawals, long fills, long fees,
                              long holdsPlaced, long holdsConsumed, long holdsReleased, long ordersExpired,
                              List<PositionLine> positions, long closingEquity) {
    }

    /**
     * One symbol of one account over the session (only symbols the account held or moved), its
     * closing quantity valued at the symbol's mark price at the close: {@code closingValue =
     * closingQty x markPrice} ({@link AccountSnapshot#NO_VALUE} without a mark price).
     */
    public record PositionLine(String symbol, long openingQty, long closingQty, long deposits, long withdrawals,
                               long holdsPlaced, long holdsConsumed, long holdsReleased, long markPriceTicks,
                               MarkSource markSource, long closingValue) {
    }

    /** A system check: its stable name, whether it passed, and what was compared. */
    public record Check(String name, boolean passed, String detail) {
    }

    /** True if every check passed. */
    public boolean passed() {
        for (Check c : checks) {
            if (!c.passed()) {
                return false;
            }
        }
        return true;
    }
}
