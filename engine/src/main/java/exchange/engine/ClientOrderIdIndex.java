package exchange.engine;

/**
 * One account's idempotency index: the client order id of each order the engine holds for the
 * account, mapped to the order's slot in the {@link OrderStore}. Open addressing with linear
 * probing, load factor at most 1/2; removal shifts later entries of the probe run back, so there
 * are no tombstones and a lookup never walks past an empty cell. A cell holds the key's hash and
 * the slot only; the key itself is the order's client id, which {@link Keys} (the store)
 * compares. A cell whose hash is 0 is empty (a key hashing to 0 is stored as 1), so a lookup of
 * a new id, which is nearly every lookup, reads one int array and nothing else.
 *
 * <p>Owned by the engine thread. Grows by doubling when half full; never shrinks, so its size
 * follows the most orders the account has held at once, not how long it has traded.
 * Invariant: every held order of the account is in it exactly once, and nothing else.
 */
final class ClientOrderIdIndex {
    /** Returned by {@link #get} for an id not held: slot 0 is never a record. */
    static final int MISSING = 0;
    private static final int INITIAL_CAPACITY = 16;

    /** Where the keys live: the client id of the order in each slot. */
    interface Keys {
        boolean clientIdEquals(int slot, String clientOrderId);
    }

    /**
     * The cells, each two ints side by side: the key's cell hash at {@code 2i}, the slot at
     * {@code 2i + 1}. One array rather than one of hashes and one of slots: a lookup and the
     * insert that follows it (a new order) then touch one cache line and one array header
     * instead of two of each.
     */
    private int[] cells;
    private int size;

    ClientOrderIdIndex() {
        this(0);
    }

    /** An index that holds {@code expected} ids without growing. */
    ClientOrderIdIndex(int expected) {
        int capacity = INITIAL_CAPACITY;
        while (capacity < expected * 2L) {
            capacity <<= 1;
        }
        cells = new int[capacity * 2];
    }

    int size() {
        return size;
    }

    int capacity() {
        return cells.length >> 1;
    }

    /** The slot of the held order placed with {@code clientOrderId}, or {@link #MISSING}. */
    int get(String clientOrderId, Keys keys) {
        int[] cells = this.cells;
        int h = cellHash(clientOrderId.hashCode());
        int mask = cells.length - 2;
        for (int i = (h << 1) & mask; cells[i] != 0; i = (i + 2) & mask) {
            if (cells[i] == h && keys.clientIdEquals(cells[i + 1], clientOrderId)) {
                return cells[i + 1];
            }
        }
        return MISSING;
    }

    /**
     * Reads the cell where {@code get} and {@code put} of a key with String hash {@code hashCode}
     * start, so that their cache misses happen now (see {@link Exchange#prefetch}); the value
     * means nothing.
     */
    int touch(int hashCode) {
        return cells[(cellHash(hashCode) << 1) & (cells.length - 2)];
    }

    /** Records a new id, whose String hash code is {@code hashCode}; the caller has checked it is absent. */
    void put(int hashCode, int slot) {
        if ((size + 1) * 4 > cells.length) {
            grow();
        }
        insert(cellHash(hashCode), slot);
        size++;
    }

    /**
     * Removes the entry of {@code slot}, whose client id's String hash code is {@code hashCode}.
     *
     * @throws IllegalStateException if the index has no such entry (a broken invariant)
     */
    void remove(int hashCode, int slot) {
        int[] cells = this.cells;
        int mask = cells.length - 2;
        int h = cellHash(hashCode);
        int i = (h << 1) & mask;
        while (cells[i + 1] != slot || cells[i] != h) {
            if (cells[i] == 0) {
                throw new IllegalStateException("slot " + slot + " is not in the client order id index");
            }
            i = (i + 2) & mask;
        }
        // shift back every later entry of the run whose home cell does not lie in (i, j]
        for (int j = (i + 2) & mask; cells[j] != 0; j = (j + 2) & mask) {
            int home = (cells[j] << 1) & mask;
            boolean staysPut = i <= j ? i < home && home <= j : i < home || home <= j;
            if (!staysPut) {
                cells[i] = cells[j];
                cells[i + 1] = cells[j + 1];
                i = j;
            }
        }
        cells[i] = 0;
        cells[i + 1] = 0;
        size--;
    }

    private void insert(int h, int slot) {
        int[] cells = this.cells;
        int mask = cells.length - 2;
        int i = (h << 1) & mask;
        while (cells[i] != 0) {
            i = (i + 2) & mask;
        }
        cells[i] = h;
        cells[i + 1] = slot;
    }

    private void grow() {
        int[] old = cells;
        cells = new int[old.length * 2];
        for (int i = 0; i < old.length; i += 2) {
            if (old[i] != 0) {
                insert(old[i], old[i + 1]);
            }
        }
    }

    private static int cellHash(int stringHash) {
        int h = stringHash * 0x9E3779B9;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }
}
