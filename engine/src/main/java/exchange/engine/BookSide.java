package exchange.engine;

/**
 * One side of one order book: its price levels in a sorted array with the best price last, so
 * the best level is read in O(1), a level near the top is inserted or removed with a short
 * shift, and any level is found by binary search. Empty levels go back to a pool.
 *
 * <p>Owned by the engine thread. Invariant: prices strictly improve with the index (ascending
 * for bids, descending for asks) and no level is empty.
 */
final class BookSide {
    private final boolean bid;
    private PriceLevel[] levels = new PriceLevel[64];
    /**
     * {@code levels[i].priceTicks}, side by side: the binary search reads one array instead of
     * following a pointer to a level object (a cache miss each) at every step.
     */
    private long[] prices = new long[64];
    private int size;
    private PriceLevel[] pool = new PriceLevel[64];
    private int poolSize;

    BookSide(boolean bid) {
        this.bid = bid;
    }

    boolean isBid() {
        return bid;
    }

    int size() {
        return size;
    }

    /** Level {@code i} counted from the best (0 = best). */
    PriceLevel fromBest(int i) {
        return levels[size - 1 - i];
    }

    /** The price of level {@code i} counted from the best, from the search index. */
    long priceFromBest(int i) {
        return prices[size - 1 - i];
    }

        PriceLevel best() {
        return size == 0 ? null : levels[size - 1];
    }

    long bestPrice() {
        return size == 0 ? 0 : prices[size - 1];
    }

    /** True if price {@code a} is better than {@code b} on this side. */
    boolean better(long a, long b) {
        return bid ? a > b : a < b;
    }

    /** Index of the level at {@code price}, or {@code -(insertionPoint + 1)}. */
    private int search(long price) {
        int lo = 0;
        int hi = size - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long p = prices[mid];
            if (p == price) {
                return mid;
            }
            if (better(p, price)) {
                hi = mid - 1;
            } else {
                lo = mid + 1;
            }
        }
        return -(lo + 1);
    }

    PriceLevel find(long price) {
        int i = search(price);
        return i >= 0 ? levels[i] : null;
    }

    PriceLevel findOrCreate(long price) {
        int i = search(price);
        if (i >= 0) {
            return levels[i];
        }
        int at = -(i + 1);
        if (size == levels.length) {
            PriceLevel[] grown = new PriceLevel[size * 2];
            System.arraycopy(levels, 0, grown, 0, size);
            levels = grown;
            long[] grownPrices = new long[size * 2];
            System.arraycopy(prices, 0, grownPrices, 0, size);
            prices = grownPrices;
        }
        System.arraycopy(levels, at, levels, at + 1, size - at);
        System.arraycopy(prices, at, prices, at + 1, size - at);
        prices[at] = price;
        PriceLevel level = poolSize > 0 ? pool[--poolSize] : new PriceLevel();
        pool[poolSize] = null;
        level.reset(price);
        levels[at] = level;
        size++;
        return level;
    }

    /** Removes an empty level and returns it to the pool. */
    void remove(PriceLevel level) {
        int i = search(level.priceTicks);
        if (i < 0 || levels[i] != level || level.count != 0) {
            throw new IllegalStateException("removing a level that is not empty or not in the book: " + level.priceTicks);
        }
        System.arraycopy(levels, i + 1, levels, i, size - i - 1);
        System.arraycopy(prices, i + 1, prices, i, size - i - 1);
        levels[--size] = null;
        if (poolSize == pool.length) {
            PriceLevel[] grown = new PriceLevel[poolSize * 2];
            System.arraycopy(pool, 0, grown, 0, poolSize);
            pool = grown;
        }
        pool[poolSize++] = level;
    }
}
