package exchange.engine;

import static exchange.engine.ExchangeInvariants.check;
import static exchange.engine.OrderStore.ACCOUNT;
import static exchange.engine.OrderStore.ACCOUNT_LINKS;
import static exchange.engine.OrderStore.BOOK_LINKS;
import static exchange.engine.OrderStore.CREATED_CLOSE;
import static exchange.engine.OrderStore.ENDED_CLOSE;
import static exchange.engine.OrderStore.HELD_LINKS;
import static exchange.engine.OrderStore.HOLD;
import static exchange.engine.OrderStore.ORDER_ID;
import static exchange.engine.OrderStore.RESTING_LINKS;

/**
 * The invariants of an {@link OrderStore}, checked by reading its fields and links directly (the
 * store's accessors would walk past a broken link). Stateless; run on the thread that owns the
 * store, between commands.
 */
final class OrderStoreInvariants {
    private OrderStoreInvariants() {
    }

    /**
     * Throws {@link IllegalStateException} naming the first broken invariant: the held chain runs
     * in ascending id and holds exactly the id map's orders, each with its client id in its
     * account's index; every ended order is inside the window
     * ({@code max(createdCloseCount, endedCloseCount) >= windowStart}) and holds nothing; close
     * counts are not in the future; each account's chains run in descending id, the resting one
     * over exactly its live orders; the slots in use are exactly the held orders. Cost: O(held
     * orders + accounts).
     */
    static void validate(OrderStore store, long windowStart, long closeCount) {
        SlotPool pool = store.pool;
        int count = 0;
        int unlisted = 0;
        long previousId = 0;
        int previous = 0;
        int[] live = new int[store.accountCount() + 1];
        for (int slot = store.oldestHeld; slot != 0; slot = pool.next(slot, HELD_LINKS)) {
            long id = pool.get(slot, ORDER_ID);
            check(id > previousId && id <= store.lastOrderId, "held orders out of id order at %d", id);
            check(pool.prev(slot, HELD_LINKS) == previous, "broken held link at order %d", id);
            check(store.slotOf(id) == slot, "order %d not in the id map at its slot", id);
            long account = pool.get(slot, ACCOUNT);
            check(account >= 1 && account <= store.accountCount(), "order %d of unknown account %d", id, account);
            check(validClientId(store, slot) && store.slotOfClientId(account, store.clientId(slot)) == slot,
                    "order %d not in its account's client order id index", id);
            long created = pool.get(slot, CREATED_CLOSE);
            long ended = pool.get(slot, ENDED_CLOSE);
            check(created >= 0 && created <= closeCount && ended <= closeCount,
                    "order %d close counts %d/%d beyond %d", id, created, ended, closeCount);
            if (store.status(slot).isTerminal()) {
                check(Math.max(created, ended) >= windowStart,
                        "ended order %d (close counts %d/%d) outside the window starting at %d", id, created, ended,
                        windowStart);
                check(pool.get(slot, HOLD) == 0 && pool.get(slot, BOOK_LINKS) == 0 && pool.get(slot, RESTING_LINKS) == 0,
                        "ended order %d still holds or is linked", id);
            } else {
                check(ended == 0, "live order %d has an end close count", id);
                live[(int) account]++;
            }
            if (store.symbolIndex(slot) < 0 && store.unlistedSymbols.containsKey(id)) {
                unlisted++;
            }
            previousId = id;
            previous = slot;
            check(++count <= store.held, "held chain longer than its count %d", store.held);
        }
        check(previous == store.newestHeld && count == store.held && store.slotById.size() == store.held,
                "held chain has " + count + " orders, count " + store.held + ", id map " + store.slotById.size());
        check(unlisted == store.unlistedSymbols.size(), "unlisted symbols kept for orders not held");
        long restingTotal = 0;
        int heldTotal = 0;
        for (int a = 1; a <= store.accountCount(); a++) {
            AccountOrders ao = store.account(a);
            check(walk(store, ao.newestHeld, ACCOUNT_LINKS, a, false) == ao.heldOrders
                    && ao.byClientOrderId.size() == ao.heldOrders, "account " + a + " held chain or index count wrong");
            check(walk(store, ao.newestResting, RESTING_LINKS, a, true) == ao.restingOrders
                    && live[a] == ao.restingOrders,
                    "account " + a + " has " + live[a] + " live orders but " + ao.restingOrders + " resting");
            restingTotal += ao.restingOrders;
            heldTotal += ao.heldOrders;
        }
        check(heldTotal == store.held && restingTotal == store.resting, "account counts do not add up to the store's");
        pool.validateFreeList();
        check(pool.inUse() == store.held, "slots: " + pool.inUse() + " in use but " + store.held + " orders held");
    }

    /** Length of an account chain from {@code head}, checking links, owner, id order and liveness. */
    private static int walk(OrderStore store, int head, int chain, long account, boolean liveOnly) {
        SlotPool pool = store.pool;
        int n = 0;
        int previous = 0;
        long previousId = Long.MAX_VALUE;
        for (int slot = head; slot != 0; slot = pool.next(slot, chain)) {
            long id = pool.get(slot, ORDER_ID);
            check(pool.prev(slot, chain) == previous && pool.get(slot, ACCOUNT) == account && id < previousId
                    && store.slotOf(id) == slot, "broken account chain at order %d", id);
            check(!liveOnly || !store.status(slot).isTerminal(), "ended order %d in a resting chain", id);
            previous = slot;
            previousId = id;
            check(++n <= store.held, "account chain longer than the orders held");
        }
        return n;
    }

    /** Whether the slot's region holds an id as order entry accepts it: printable ASCII, then only 0s. */
    private static boolean validClientId(OrderStore store, int slot) {
        SlotPool pool = store.pool;
        byte[] bytes = pool.bytes(slot);
        int base = pool.byteBase(slot);
        int length = store.clientIdLength(slot);
        for (int i = 0; i < pool.width(); i++) {
            byte b = bytes[base + i];
            if (i < length ? b < 0x21 || b > 0x7e : b != 0) {
                return false;
            }
        }
        return length >= 1;
    }
}
