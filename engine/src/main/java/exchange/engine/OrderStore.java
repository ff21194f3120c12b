package exchange.engine;

import exchange.engine.state.SnapshotFormatException;
import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;
import org.agrona.collections.Long2ObjectHashMap;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The orders the engine holds: every live order, and every ended one still inside the
 * idempotency window. Each held order is one record of {@link #STRIDE} longs in a
 * {@link SlotPool}, plus its client order id as bytes in the slot's byte region: one byte per
 * character (an accepted id is printable ASCII, 0x21..0x7e), the region as wide as the longest id
 * accepted, padded with 0 after a shorter one. No object is kept per order, so a garbage collector
 * has nothing per order to trace or copy; a {@code String} is built only to hand an id out
 * ({@link #clientId}, off the order path). A slot freed by
 * eviction is taken again before the pool grows, so the pool's size follows the most orders held
 * at once and a long-lived order pins its own record only. Order ids map to slots through a
 * direct-mapped table ({@link OrderIdIndex}, ids are dense and ascending); nothing per order is boxed.
 *
 * <p>Besides the order's fields a record carries four links, each two slot numbers packed in a
 * long (high half towards the head of the chain, low half onwards): the book's FIFO at its price
 * level (used by {@link Matcher}), the account's held orders newest first, the account's resting
 * orders newest first ({@link AccountOrders}), and all held orders in ascending order id (which
 * gives eviction, the state hash and snapshots their id order without sorting). Slot numbers are
 * internal: nothing observable (events, views, the state hash, snapshots) depends on which slot
 * an order has, so a restored store with other slots is the same state.
 *
 * <p>Owned by the engine thread. Deterministic: slots are taken from the free list (last freed
 * first) or at the high-water mark, and eviction walks the held orders in id order. Invariants:
 * {@link OrderStoreInvariants}, which alone reads its fields directly.
 */
final class OrderStore {
    // ---- record fields: the order (hashed and snapshotted) ------------------------------------
    static final int ORDER_ID = 0;
    static final int ACCOUNT = 1;
    static final int PRICE = 2;
    static final int QTY = 3;
    static final int FILLED = 4;
    static final int FILLED_NOTIONAL = 5;
    static final int HOLD = 6;
    static final int CREATED = 7;
    static final int UPDATED = 8;
    static final int SESSION_DATE = 9;
    static final int EXPIRES = 10;
    static final int SEQ = 11;
    /** The small attributes, packed as {@link OrderMeta} describes. */
    static final int META = 12;
    /** The close count when the order was created. */
    static final int CREATED_CLOSE = 13;
    /** The close count when the order became terminal (0 while live). */
    static final int ENDED_CLOSE = 14;
    /** Fields 0 until this one describe the order; the rest are links. */
    static final int VALUE_FIELDS = 15;
    // ---- record fields: links, each {@code toHead << 32 | onwards} as slot numbers (0 = none) ---
    static final int BOOK_LINKS = 15;
    static final int ACCOUNT_LINKS = 16;
    static final int RESTING_LINKS = 17;
    /** Ascending order id; on a free slot, the next free slot in its low half. */
    static final int HELD_LINKS = 18;
    static final int STRIDE = 19;

    private final String[] bookSymbols;
    final SlotPool pool;
    /** Order id to slot of every held order. */
    final OrderIdIndex slotById = new OrderIdIndex();
    /** The symbol an order named when no book lists it (rejected UNKNOWN_SYMBOL), by order id. */
    final Long2ObjectHashMap<String> unlistedSymbols = new Long2ObjectHashMap<>();
    private final List<AccountOrders> accounts = new ArrayList<>();
    private final ClientOrderIdIndex.Keys keys = this::clientIdEquals;
    int oldestHeld;
    int newestHeld;
    int held;
    long resting;
    long lastOrderId;

    /**
     * A store for books listing {@code bookSymbols}, by symbol index, holding client order ids of
     * at most {@code maxClientOrderIdLength} characters.
     */
    OrderStore(String[] bookSymbols, int maxClientOrderIdLength) {
        this.bookSymbols = bookSymbols.clone();
        this.pool = new SlotPool(STRIDE, HELD_LINKS, maxClientOrderIdLength);
    }

    /**
     * Allocates the records, client-id regions and id map for {@code orders} held orders now
     * (see {@link SlotPool#reserve}) and the id table's pages for the next {@code orders} ids. Memory layout
     * only: no state, result, event or hash changes.
     */
    void reserve(int orders) {
        pool.reserve(orders);
        slotById.reserve(lastOrderId + 1, orders);
    }

    // ---- accounts -----------------------------------------------------------------------------

    void openAccount() {
        accounts.add(new AccountOrders());
    }

    int accountCount() {
        return accounts.size();
    }

    AccountOrders account(long accountId) {
        return accounts.get((int) (accountId - 1));
    }

    // ---- orders in and out ---------------------------------------------------------------------

    /**
     * Takes a slot for a new order of {@code accountId} with the next order id, records the client
     * id (the caller has checked it is not held for the account) and links the order everywhere
     * but the books. Every other field is 0 until the caller sets it.
     *
     * @return the slot
     */
    int create(long accountId, String clientOrderId, long closeCount) {
        int slot = pool.take();
        long id = ++lastOrderId;
        set(slot, ORDER_ID, id);
        set(slot, ACCOUNT, accountId);
        set(slot, CREATED_CLOSE, closeCount);
        setClientId(slot, clientOrderId);
        link(slot, clientOrderId.hashCode());
        return slot;
    }

    /**
     * Links the record in {@code slot} (id, account and client id set) as the newest held order;
     * {@code clientIdHash} is its client id's {@link String#hashCode()}.
     */
    private void link(int slot, int clientIdHash) {
        AccountOrders ao = account(get(slot, ACCOUNT));
        slotById.put(get(slot, ORDER_ID), slot);
        pool.setLinks(slot, HELD_LINKS, newestHeld, 0);
        if (newestHeld == 0) {
            oldestHeld = slot;
        } else {
            pool.setNext(newestHeld, HELD_LINKS, slot);
        }
        newestHeld = slot;
        pool.setLinks(slot, ACCOUNT_LINKS, 0, ao.newestHeld);
        if (ao.newestHeld != 0) {
            pool.setPrev(ao.newestHeld, ACCOUNT_LINKS, slot);
        }
        ao.newestHeld = slot;
        ao.byClientOrderId.put(clientIdHash, slot);
        ao.heldOrders++;
        held++;
    }

    /** Records the symbol an order named that no book lists. */
    void setUnlistedSymbol(int slot, String symbol) {
        unlistedSymbols.put(get(slot, ORDER_ID), symbol);
    }

    /**
     * Evicts every ended order with {@code max(createdCloseCount, endedCloseCount) < windowStart},
     * in ascending order id: out of the id map, the account's index and chain, the held chain;
     * its slot freed.
     *
     * @return how many left
     */
    int evictEndedBefore(long windowStart) {
        int evicted = 0;
        for (int slot = oldestHeld; slot != 0; ) {
            int next = pool.next(slot, HELD_LINKS);
            if (status(slot).isTerminal() && Math.max(get(slot, CREATED_CLOSE), get(slot, ENDED_CLOSE)) < windowStart) {
                evict(slot);
                evicted++;
            }
            slot = next;
        }
        return evicted;
    }

    private void evict(int slot) {
        long id = get(slot, ORDER_ID);
        AccountOrders ao = account(get(slot, ACCOUNT));
        ao.byClientOrderId.remove(clientIdHash(slot), slot);
        int newer = pool.prev(slot, ACCOUNT_LINKS);
        int older = pool.next(slot, ACCOUNT_LINKS);
        if (newer == 0) {
            ao.newestHeld = older;
        } else {
            pool.setNext(newer, ACCOUNT_LINKS, older);
        }
        if (older != 0) {
            pool.setPrev(older, ACCOUNT_LINKS, newer);
        }
        int lower = pool.prev(slot, HELD_LINKS);
        int higher = pool.next(slot, HELD_LINKS);
        if (lower == 0) {
            oldestHeld = higher;
        } else {
            pool.setNext(lower, HELD_LINKS, higher);
        }
        if (higher == 0) {
            newestHeld = lower;
        } else {
            pool.setPrev(higher, HELD_LINKS, lower);
        }
        slotById.remove(id);
        if (symbolIndex(slot) < 0) {
            unlistedSymbols.remove(id);
        }
        ao.heldOrders--;
        held--;
        pool.free(slot);
    }

    // ---- resting orders ------------------------------------------------------------------------

    /** Links a live order as its account's newest resting one (its id is above theirs). */
    void addResting(int slot) {
        AccountOrders ao = account(get(slot, ACCOUNT));
        pool.setLinks(slot, RESTING_LINKS, 0, ao.newestResting);
        if (ao.newestResting != 0) {
            pool.setPrev(ao.newestResting, RESTING_LINKS, slot);
        }
        ao.newestResting = slot;
        ao.restingOrders++;
        resting++;
    }

    void removeResting(int slot) {
        AccountOrders ao = account(get(slot, ACCOUNT));
        int newer = pool.prev(slot, RESTING_LINKS);
        int older = pool.next(slot, RESTING_LINKS);
        if (newer == 0) {
            ao.newestResting = older;
        } else {
            pool.setNext(newer, RESTING_LINKS, older);
        }
        if (older != 0) {
            pool.setPrev(older, RESTING_LINKS, newer);
        }
        set(slot, RESTING_LINKS, 0);
        ao.restingOrders--;
        resting--;
    }

    // ---- lookups and walks ---------------------------------------------------------------------

    /** The slot of held order {@code orderId}, or 0. */
    int slotOf(long orderId) {
        return slotById.get(orderId);
    }

    /** The slot of the order the account holds under {@code clientOrderId}, or 0. */
    int slotOfClientId(long accountId, String clientOrderId) {
        return account(accountId).byClientOrderId.get(clientOrderId, keys);
    }

    int oldestHeld() {
        return oldestHeld;
    }

    /** The held order after {@code slot} in ascending id, or 0. */
    int nextHeld(int slot) {
        return pool.next(slot, HELD_LINKS);
    }

    /** The account's held order before {@code slot} in time (smaller id), or 0. */
    int olderHeldOfAccount(int slot) {
        return pool.next(slot, ACCOUNT_LINKS);
    }

    /** The account's resting order before {@code slot} in time (smaller id), or 0. */
    int olderRestingOfAccount(int slot) {
        return pool.next(slot, RESTING_LINKS);
    }

    int bookPrev(int slot) {
        return pool.prev(slot, BOOK_LINKS);
    }

    int bookNext(int slot) {
        return pool.next(slot, BOOK_LINKS);
    }

    void setBookLinks(int slot, int prev, int next) {
        pool.setLinks(slot, BOOK_LINKS, prev, next);
    }

    void setBookPrev(int slot, int prev) {
        pool.setPrev(slot, BOOK_LINKS, prev);
    }

    void setBookNext(int slot, int next) {
        pool.setNext(slot, BOOK_LINKS, next);
    }

    int heldCount() {
        return held;
    }

    long restingCount() {
        return resting;
    }

    long lastOrderId() {
        return lastOrderId;
    }

    /** Slots the pool's pages provide. */
    int slotCapacity() {
        return pool.capacity();
    }

    /** The most slots ever in use at once: slots are reused before new ones are taken. */
    int slotHighWater() {
        return pool.highWater();
    }

    // ---- record access -------------------------------------------------------------------------

    long get(int slot, int field) {
        return pool.get(slot, field);
    }

    void set(int slot, int field, long value) {
        pool.set(slot, field, value);
    }

    void add(int slot, int field, long delta) {
        pool.add(slot, field, delta);
    }

    // ---- client order ids, as bytes in the slot's region -----------------------------------------

    /** Stores {@code id} (validated: printable ASCII, at most the region's width) in the slot's region. */
    private void setClientId(int slot, String id) {
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        int length = id.length();
        for (int i = 0; i < length; i++) {
            bytes[base + i] = (byte) id.charAt(i);
        }
        Arrays.fill(bytes, base + length, base + pool.width(), (byte) 0);
    }

    /** Characters in the order's client id: up to the first 0 byte, or the whole region. */
    int clientIdLength(int slot) {
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        int width = pool.width();
        int length = 0;
        while (length < width && bytes[base + length] != 0) {
            length++;
        }
        return length;
    }

    /** The first byte of the order's client id: read only to bring its bytes into the cache. */
    int firstClientIdByte(int slot) {
        return pool.bytes(slot)[pool.byteBase(slot)];
    }

    /** Whether the order's client id is {@code id}; reads the bytes, allocates nothing. */
    boolean clientIdEquals(int slot, String id) {
        int length = id.length();
        int width = pool.width();
        if (length > width) {
            return false;
        }
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        for (int i = 0; i < length; i++) {
            if (bytes[base + i] != id.charAt(i)) {
                return false;
            }
        }
        return length == width || bytes[base + length] == 0;
    }

    /** The {@link String#hashCode()} of the order's client id, from its bytes. */
    int clientIdHash(int slot) {
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        int end = base + pool.width();
        int h = 0;
        for (int i = base; i < end && bytes[i] != 0; i++) {
            h = 31 * h + bytes[i];
        }
        return h;
    }

    /** The order's client id as a new {@code String}: for views and reports, not the order path. */
    String clientId(int slot) {
        return new String(pool.bytes(slot), pool.byteBase(slot), clientIdLength(slot), StandardCharsets.US_ASCII);
    }

    /** Sets the order's fixed attributes; status NEW. */
    void initMeta(int slot, int symbolIndex, Side side, TimeInForce tif, boolean postOnly, SelfTradePrevention stp) {
        set(slot, META, OrderMeta.of(symbolIndex, side, tif, postOnly, stp));
    }

    /** The listed symbol's index, or -1. */
    int symbolIndex(int slot) {
        return OrderMeta.symbolIndex(get(slot, META));
    }

    /** The symbol the order named: its book's, or the unlisted one it was rejected for (null if none). */
    String symbol(int slot) {
        int index = symbolIndex(slot);
        return index >= 0 ? bookSymbols[index] : unlistedSymbols.get(get(slot, ORDER_ID));
    }

    Side side(int slot) {
        return OrderMeta.side(get(slot, META));
    }

    TimeInForce timeInForce(int slot) {
        return OrderMeta.timeInForce(get(slot, META));
    }

    OrderStatus status(int slot) {
        return OrderMeta.status(get(slot, META));
    }

    /** A live status (NEW, PARTIALLY_FILLED); terminal ones go through {@link #markEnded}. */
    void setLiveStatus(int slot, OrderStatus s) {
        set(slot, META, OrderMeta.withStatus(get(slot, META), s));
    }

    /** Makes the order terminal with {@code status}, recording the close count it ended at. */
    void markEnded(int slot, OrderStatus status, long closeCount) {
        set(slot, META, OrderMeta.withStatus(get(slot, META), status));
        set(slot, ENDED_CLOSE, closeCount);
    }

    boolean postOnly(int slot) {
        return OrderMeta.postOnly(get(slot, META));
    }

    SelfTradePrevention selfTradePrevention(int slot) {
        return OrderMeta.selfTradePrevention(get(slot, META));
    }

    ResultCode rejectReason(int slot) {
        return OrderMeta.rejectReason(get(slot, META));
    }

    void setRejectReason(int slot, ResultCode code) {
        set(slot, META, OrderMeta.withRejectReason(get(slot, META), code));
    }

    ExpiryReason expiryReason(int slot) {
        return OrderMeta.expiryReason(get(slot, META));
    }

    void setExpiryReason(int slot, ExpiryReason reason) {
        set(slot, META, OrderMeta.withExpiryReason(get(slot, META), reason));
    }

    long leaves(int slot) {
        return status(slot).isTerminal() ? 0 : get(slot, QTY) - get(slot, FILLED);
    }

    // ---- hash and snapshot ---------------------------------------------------------------------

    /** Adds the held orders, ascending id, by their fields, client id and unlisted symbol. */
    void hashInto(StateHasher h) {
        h.add(lastOrderId).add(held).add(resting);
        for (int slot = oldestHeld; slot != 0; slot = pool.next(slot, HELD_LINKS)) {
            long[] page = pool.page(slot);
            int base = pool.base(slot);
            for (int f = 0; f < VALUE_FIELDS; f++) {
                h.add(page[base + f]);
            }
            h.addString(clientIdLength(slot), clientIdHash(slot));
            if (symbolIndex(slot) < 0) {
                h.add(unlistedSymbols.get(get(slot, ORDER_ID)));
            }
        }
    }

    /**
     * Writes the last order id and the held orders, ascending id: fields, client id (its length as
     * an int, then its bytes), unlisted symbol.
     */
    void write(SnapshotOutput out) {
        out.putLong(lastOrderId);
        out.putInt(VALUE_FIELDS);
        out.putInt(held);
        for (int slot = oldestHeld; slot != 0; slot = pool.next(slot, HELD_LINKS)) {
            out.putLongs(pool.page(slot), pool.base(slot), VALUE_FIELDS);
            int length = clientIdLength(slot);
            out.putInt(length);
            out.putBytes(pool.bytes(slot), pool.byteBase(slot), length);
            out.putString(symbolIndex(slot) < 0 ? unlistedSymbols.get(get(slot, ORDER_ID)) : null);
        }
    }

    /**
     * Reads what {@link #write} wrote into this empty store (its accounts already opened), into
     * fresh slots, and rebuilds the id map, the indexes and the chains; the books are the
     * caller's, who links them with {@link #setBookLinks}.
     */
    void read(SnapshotInput in) {
        lastOrderId = in.getLong();
        int fields = in.getInt();
        if (fields != VALUE_FIELDS) {
            throw new SnapshotFormatException("snapshot orders have " + fields + " fields, this engine " + VALUE_FIELDS);
        }
        int count = in.getInt();
        if (count < 0) {
            throw new IllegalArgumentException("negative held order count " + count);
        }
        long previous = 0;
        for (int i = 0; i < count; i++) {
            int slot = pool.take();
            in.getLongs(pool.page(slot), pool.base(slot), VALUE_FIELDS);
            long id = get(slot, ORDER_ID);
            long account = get(slot, ACCOUNT);
            if (id <= previous || id > lastOrderId || account < 1 || account > accounts.size()) {
                throw new IllegalArgumentException("snapshot order " + id + " of account " + account
                        + " out of order or range");
            }
            previous = id;
            readClientId(in, slot, id);
            String unlisted = in.getString();
            link(slot, clientIdHash(slot));
            if (unlisted != null) {
                setUnlistedSymbol(slot, unlisted);
            }
        }
        for (int slot = oldestHeld; slot != 0; slot = pool.next(slot, HELD_LINKS)) {
            if (!status(slot).isTerminal()) {
                addResting(slot);
            }
        }
    }

    /** Reads a client id {@link #write} wrote into the slot's region, checking it as order entry does. */
    private void readClientId(SnapshotInput in, int slot, long orderId) {
        int length = in.getInt();
        if (length < 1 || length > pool.width()) {
            throw new IllegalArgumentException("snapshot order " + orderId + " has a client id of " + length
                    + " characters, this engine holds 1.." + pool.width());
        }
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        in.getBytes(bytes, base, length);
        for (int i = base; i < base + length; i++) {
            if (bytes[i] < 0x21 || bytes[i] > 0x7e) {
                throw new IllegalArgumentException("snapshot order " + orderId + " has a client id that is not printable ASCII");
            }
        }
        Arrays.fill(bytes, base + length, base + pool.width(), (byte) 0);
    }

    // ---- invariants ----------------------------------------------------------------------------

    /** See {@link OrderStoreInvariants#validate}. */
    void validateInternalState(long windowStart, long closeCount) {
        OrderStoreInvariants.validate(this, windowStart, closeCount);
    }
}
