package exchange.engine;

import java.util.List;

/**
 * System totals at a point in the stream (result of QUERY_STATE; also printed by the replay tool).
 * {@code stateHash} is {@link Exchange#stateHash()}; {@code heldOrders} counts the orders the
 * engine holds (open ones and those inside the idempotency window), {@code closeCount} the
 * session closes applied.
 */
public record StateSummary(long seq, long stateHash, int accounts, long openOrders, boolean sessionOpen,
                           long sessionDate, long sessionClosesAtNanos, long cashTotal, long cashReserved,
                           long feesCollected, List<AssetTotal> positions, long heldOrders, long closeCount) {
    /** One symbol's shares summed over accounts. */
    public record AssetTotal(String symbol, long total, long reserved) {
    }
}
