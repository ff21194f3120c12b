package exchange.engine;

/**
 * One account's client order ids and the order id each was first used for: the idempotency
 * index. Open addressing with linear probing, load factor at most 1/2. A slot holds the key's
 * hash and the order id only; the key itself is the order's client id, which {@link Keys} (the
 * engine's {@link ClientIdArena}) compares. A slot whose hash is 0 is empty (a key hashing to 0
 * is stored as 1), so a lookup of a new id, which is nearly every lookup, reads one int array and
 * nothing else; in a replay profile the generic map spent a third of the engine's time on
 * {@code String.equals} of neighbouring keys, and the string-keyed table after it a fifth on
 * cache misses in its key array.
 *
 * <p>Owned by the engine thread. Grows by doubling; never shrinks (ids are kept for good).
 */
final class ClientOrderIdIndex {
    /** Returned by {@link #get} for an id never seen. */
    static final long MISSING = -1L;
    private static final int INITIAL_CAPACITY = 16;

    /** Where the keys live: the client id each order was placed with. */
    interface Keys {
        boolean clientIdEquals(long orderId, String clientOrderId);

        /** The {@link String#hashCode()} of the order's client id. */
        int clientIdHashCode(long orderId);
    }

    private int[] hashes;
    private long[] orderIds;
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
        hashes = new int[capacity];
        orderIds = new long[capacity];
    }

    int size() {
        return size;
    }

    /** The order id first placed with {@code clientOrderId}, or {@link #MISSING}. */
    long get(String clientOrderId, Keys keys) {
        int h = slotHash(clientOrderId.hashCode());
        int mask = hashes.length - 1;
        for (int i = h & mask; hashes[i] != 0; i = (i + 1) & mask) {
            if (hashes[i] == h && keys.clientIdEquals(orderIds[i], clientOrderId)) {
                return orderIds[i];
            }
        }
        return MISSING;
    }

    /**
     * Reads the slot where {@code get} and {@code put} of a key with String hash {@code hashCode}
     * start, so that their cache misses happen now (see {@link Exchange#prefetch}); the value
     * means nothing.
     */
    long touch(int hashCode) {
        int i = slotHash(hashCode) & (hashes.length - 1);
        return hashes[i] + orderIds[i];
    }

    /** Records a new id, whose String hash code is {@code hashCode}; the caller has checked it is absent. */
    void put(int hashCode, long orderId) {
        if ((size + 1) * 2 > hashes.length) {
            grow();
        }
        insert(slotHash(hashCode), orderId);
        size++;
    }

    private void insert(int h, long orderId) {
        int mask = hashes.length - 1;
        int i = h & mask;
        while (hashes[i] != 0) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        orderIds[i] = orderId;
    }

    private void grow() {
        int[] oldHashes = hashes;
        long[] oldIds = orderIds;
        hashes = new int[oldHashes.length * 2];
        orderIds = new long[oldHashes.length * 2];
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0) {
                insert(oldHashes[i], oldIds[i]);
            }
        }
    }

    private static int slotHash(int stringHash) {
        int h = stringHash * 0x9E3779B9;
        h ^= h >>> 16;
        return h == 0 ? 1 : h;
    }
}
