package exchange.engine;

import java.util.List;

/**
 * System totals at a point in the stream (result of QUERY_STATE; also printed by the replay tool).
 * {@code stateHash} is {@link Exchange#stateHash()}.
 */
public record StateSummary(long seq, long stateHash, int accounts, long openOrders, boolean sessionOpen,
                           long sessionDate, long sessionClosesAtNanos, long cashTotal, long cashReserved,
                           long feesCollected, List<AssetTotal> positions) {
    /** One symbol's shares summed over accounts. */
    public record AssetTotal(String symbol, long total, long reserved) {
    }
}
