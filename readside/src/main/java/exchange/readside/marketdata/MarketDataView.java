package exchange.readside.marketdata;

import java.util.List;

/**
 * The market-data projection's query side, for any thread: immutable snapshots of committed
 * state only, no locks the projector could wait on.
 */
public interface MarketDataView {
    /** The listed symbols, in configuration order. */
    List<String> symbols();

    /** The sequence through which every event is reflected in what this view serves. */
    long committedSeq();

    boolean sessionOpen();

    /** The current (or last) session's date, epoch day; 0 before the first session. */
    long sessionDate();

    /** The symbol's snapshot as of at least {@link #committedSeq()} read before the call; null if not listed. */
    SymbolSnapshot snapshot(String symbol);
}
