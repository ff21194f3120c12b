package exchange.engine;

import java.util.List;

/** An account's balances at a point in the stream (result of QUERY_ACCOUNT). Cash in scaled units. */
public record AccountSnapshot(long accountId, String name, long cashTotal, long cashReserved,
                              List<Position> positions, long seq) {
    /** One symbol's shares: total and the part held by open sell orders. */
    public record Position(String symbol, long qty, long reserved) {
    }
}
