package exchange.readside.marketdata;

import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A client's local order book kept by Binance's documented procedure: buffer the diffs, take a
 * snapshot, drop diffs with {@code u <= lastUpdateId}, require the first kept one to straddle
 * {@code lastUpdateId + 1}, then require each next {@code U == previous u + 1}. Test code.
 */
final class LocalOrderBook {
    private final TreeMap<Long, Long> bids = new TreeMap<>(Comparator.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    private final List<DepthUpdate> buffered = new ArrayList<>();
    private long lastUpdateId = -1;
    private long lastU;
    private boolean synced;

    /** A diff from the stream; before the snapshot it is buffered. */
    void onDiff(DepthUpdate d) {
        if (lastUpdateId < 0) {
            buffered.add(d);
            return;
        }
        apply(d);
    }

    void onSnapshot(BookSnapshot s) {
        lastUpdateId = s.seq();
        for (BookLevel l : s.bids()) {
            bids.put(l.priceTicks(), l.qty());
        }
        for (BookLevel l : s.asks()) {
            asks.put(l.priceTicks(), l.qty());
        }
        for (DepthUpdate d : buffered) {
            apply(d);
        }
        buffered.clear();
    }

    private void apply(DepthUpdate d) {
        if (d.seq() <= lastUpdateId) {
            return;
        }
        if (!synced) {
            if (d.firstSeq() > lastUpdateId + 1 || d.seq() < lastUpdateId + 1) {
                throw new AssertionError("first diff " + d.firstSeq() + ".." + d.seq() + " does not straddle "
                        + (lastUpdateId + 1));
            }
            synced = true;
        } else if (d.firstSeq() != lastU + 1) {
            throw new AssertionError("gap: diff starts at " + d.firstSeq() + " after " + lastU);
        }
        lastU = d.seq();
        for (BookLevel l : d.bids()) {
            set(bids, l);
        }
        for (BookLevel l : d.asks()) {
            set(asks, l);
        }
    }

    private static void set(TreeMap<Long, Long> side, BookLevel l) {
        if (l.qty() == 0) {
            side.remove(l.priceTicks());
        } else {
            side.put(l.priceTicks(), l.qty());
        }
    }

    /** The levels as "price x qty" lines, best first: bids then asks. */
    List<String> levels() {
        List<String> out = new ArrayList<>();
        for (Map.Entry<Long, Long> e : bids.entrySet()) {
            out.add("bid " + e.getKey() + " x " + e.getValue());
        }
        for (Map.Entry<Long, Long> e : asks.entrySet()) {
            out.add("ask " + e.getKey() + " x " + e.getValue());
        }
        return out;
    }
}
