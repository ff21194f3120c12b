package exchange.engine;

/**
 * One account's client order ids and the order id each was first used for: the idempotency
 * index. Open addressing with linear probing over parallel arrays, load factor at most 1/2, and
 * each slot's hash stored beside its key, so a probe compares an int before it touches another
 * string's characters. Nearly every lookup is a miss (a new id); in a replay profile the generic
 * map spent a third of the engine's time on {@code String.equals} of neighbouring keys.
 *
 * <p>Owned by the engine thread. Grows by doubling; never shrinks (ids are kept for good).
 */
final class ClientOrderIdIndex {
    /** Returned by {@link #get} for an id never seen. */
    static final long MISSING = -1L;
    private static final int INITIAL_CAPACITY = 16;

    private int[] hashes = new int[INITIAL_CAPACITY];
    private String[] keys = new String[INITIAL_CAPACITY];
    private long[] values = new long[INITIAL_CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** The order id first placed with {@code clientOrderId}, or {@link #MISSING}. */
    long get(String clientOrderId) {
        int h = hash(clientOrderId);
        int mask = keys.length - 1;
        for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keys[i].equals(clientOrderId)) {
                return values[i];
            }
        }
        return MISSING;
    }

    /** Records a new id; the caller has checked it is absent. */
    void put(String clientOrderId, long orderId) {
        if ((size + 1) * 2 > keys.length) {
            grow();
        }
        insert(hash(clientOrderId), clientOrderId, orderId);
        size++;
    }

    private void insert(int h, String key, long value) {
        int mask = keys.length - 1;
        int i = h & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        hashes[i] = h;
        keys[i] = key;
        values[i] = value;
    }

    private void grow() {
        int[] oldHashes = hashes;
        String[] oldKeys = keys;
        long[] oldValues = values;
        int capacity = oldKeys.length * 2;
        hashes = new int[capacity];
        keys = new String[capacity];
        values = new long[capacity];
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldKeys[i] != null) {
                insert(oldHashes[i], oldKeys[i], oldValues[i]);
            }
        }
    }

    private static int hash(String s) {
        int h = s.hashCode() * 0x9E3779B9;
        return h ^ (h >>> 16);
    }
}
