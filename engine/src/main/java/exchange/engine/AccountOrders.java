package exchange.engine;

/**
 * One account's part of the {@link OrderStore}: its idempotency index, the heads of its two
 * chains of order slots (the orders held for it, and those resting in a book, each newest first)
 * with their lengths, and how many of its orders ever expired (a figure of the reconciliation
 * report). Owned by the engine thread; only the store links and unlinks the chains.
 *
 * <p>Invariants ({@link OrderStore#validateInternalState}): the index holds exactly the client
 * ids of the {@code heldOrders} orders of the held chain; the resting chain holds exactly the
 * account's live orders, {@code restingOrders} of them; both chains run in descending order id.
 */
final class AccountOrders {
    final ClientOrderIdIndex byClientOrderId = new ClientOrderIdIndex();
    /** Slot of the newest held order (0 = none); older ones follow the store's account links. */
    int newestHeld;
    /** Slot of the newest resting order (0 = none); older ones follow the store's resting links. */
    int newestResting;
    int heldOrders;
    int restingOrders;
    long ordersExpired;
}
