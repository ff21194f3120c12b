package exchange.engine;

import java.util.List;

/**
 * An account's balances at a point in the stream (result of QUERY_ACCOUNT), with each position
 * valued at its symbol's mark price at the query's stamped time. Cash in scaled units.
 * {@code equity} is cash plus the market value of every position, or {@link #NO_VALUE} when a
 * position has none.
 */
public record AccountSnapshot(long accountId, String name, long cashTotal, long cashReserved,
                              List<Position> positions, long seq, long equity) {
    /** A market value or equity that cannot be given: no mark price, or beyond a long. */
    public static final long NO_VALUE = Long.MIN_VALUE;

    /**
     * One symbol's shares: total and the part held by open sell orders, the mark price (0 with
     * source {@code NONE}) and {@code marketValue = qty x markPrice} ({@link #NO_VALUE} if none).
     */
    public record Position(String symbol, long qty, long reserved, long markPriceTicks, MarkSource markSource,
                           long marketValue) {
    }
}
