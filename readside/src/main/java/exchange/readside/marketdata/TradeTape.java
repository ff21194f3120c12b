package exchange.readside.marketdata;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * A symbol's most recent trades, at most {@code maxTrades}, oldest first, whose {@link #view()}
 * costs one small object instead of a copy of the whole tape: the projector published a copy of
 * its 1,000 trades at every commit that saw a trade, 60% of the projector's allocation under HTTP
 * load.
 *
 * <p>How a view stays immutable without a copy: trades are appended to an array twice the tape's
 * length and a slot, once written, is never written again; a view is the array and a range of
 * written slots. When the array is full the newest {@code maxTrades} move to a new array (one
 * reference copied per trade appended, amortized), and views of the old array keep it.
 *
 * <p>Written by the projector thread only; a view may be read by any thread once published
 * through a volatile write (the slots it covers were written before it).
 */
final class TradeTape {
    private final int maxTrades;
    private PublicTrade[] slots;
    /** Index of the oldest trade kept. */
    private int first;
    /** Index after the newest trade. */
    private int end;

    /** @param maxTrades trades kept, at least 1 */
    TradeTape(int maxTrades) {
        if (maxTrades < 1) {
            throw new IllegalArgumentException("maxTrades must be at least 1: " + maxTrades);
        }
        this.maxTrades = maxTrades;
        this.slots = new PublicTrade[2 * maxTrades];
    }

    void add(PublicTrade t) {
        if (end == slots.length) {
            PublicTrade[] next = new PublicTrade[slots.length];
            int kept = end - first;
            System.arraycopy(slots, first, next, 0, kept);
            slots = next;
            first = 0;
            end = kept;
        }
        slots[end++] = t;
        if (end - first > maxTrades) {
            first++;
        }
    }

    int size() {
        return end - first;
    }

    /** The trades kept now, oldest first: immutable, unaffected by later {@link #add}s. */
    List<PublicTrade> view() {
        return end == first ? List.of() : new View(slots, first, end - first);
    }

    /** A range of written slots, never written again. */
    private static final class View extends AbstractList<PublicTrade> implements RandomAccess {
        private final PublicTrade[] slots;
        private final int from;
        private final int size;

        View(PublicTrade[] slots, int from, int size) {
            this.slots = slots;
            this.from = from;
            this.size = size;
        }

        @Override
        public PublicTrade get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("index " + index + ", size " + size);
            }
            return slots[from + index];
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public Object[] toArray() {
            return Arrays.copyOfRange(slots, from, from + size, Object[].class);
        }
    }
}
