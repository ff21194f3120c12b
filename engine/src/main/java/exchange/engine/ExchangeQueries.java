package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static exchange.engine.OrderStore.ACCOUNT;
import static exchange.engine.OrderStore.CREATED;

/**
 * The read side of the engine's live state: the query commands ({@code QUERY_ORDER},
 * {@code QUERY_ORDER_BY_CLIENT_ID}, {@code QUERY_ORDERS}, {@code QUERY_ACCOUNT}) and the copies
 * they hand out ({@link OrderView}, {@link OrderPage}, {@link AccountSnapshot}). Queries see only
 * what the engine holds: an order that left the idempotency window is {@code ORDER_NOT_FOUND}
 * here and is the history database's to answer.
 *
 * <p>Engine thread only; it owns no state and changes none. The results are immutable copies,
 * safe to hand to another thread through the ring.
 */
final class ExchangeQueries {
    private final ExchangeConfig config;
    private final Ledger ledger;
    private final OrderBook[] books;
    private final OrderStore store;
    private final SessionState session;
    private final ReferenceQuotes quotes;

    ExchangeQueries(ExchangeConfig config, Ledger ledger, OrderBook[] books, OrderStore store, SessionState session,
                    ReferenceQuotes quotes) {
        this.config = config;
        this.ledger = ledger;
        this.books = books;
        this.store = store;
        this.session = session;
        this.quotes = quotes;
    }

    /** The held order {@code orderId} if it belongs to {@code accountId}, as a slot; 0 if not. */
    int ownedSlot(long accountId, long orderId) {
        int slot = store.slotOf(orderId);
        return slot != 0 && store.get(slot, ACCOUNT) == accountId ? slot : 0;
    }

    void queryOrder(Command c) {
        int slot = ownedSlot(c.accountId, c.orderId);
        if (slot == 0) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        respond(c, slot, null);
        c.result = ResultCode.OK;
    }

    void queryOrderByClientId(Command c) {
        if (ledger.account(c.accountId) == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        int slot = c.clientOrderId == null ? 0 : store.slotOfClientId(c.accountId, c.clientOrderId);
        if (slot == 0) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        respond(c, slot, c.clientOrderId);
        c.result = ResultCode.OK;
    }

    /**
     * The account's held orders matching every filter, newest first, at most the limit. OPEN walks
     * the account's resting orders only (all live orders rest), so its cost follows the open orders;
     * CLOSED and ALL walk the held ones. A cursor ({@code beforeOrderId}) on a held order of the
     * account starts right after it; on any other id the walk skips the ids at or above it.
     */
    void queryOrders(Command c) {
        if (ledger.account(c.accountId) == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        boolean open = c.orderFilter == Command.OrderFilter.OPEN;
        int limit = c.limit <= 0 ? ExchangeConfig.DEFAULT_QUERY_LIMIT : Math.min(c.limit, ExchangeConfig.MAX_QUERY_LIMIT);
        AccountOrders ao = store.account(c.accountId);
        int slot = open ? ao.newestResting : ao.newestHeld;
        int cursor = c.beforeOrderId == 0 ? 0 : ownedSlot(c.accountId, c.beforeOrderId);
        if (cursor != 0 && (!open || !store.status(cursor).isTerminal())) {
            slot = open ? store.olderRestingOfAccount(cursor) : store.olderHeldOfAccount(cursor);
        }
        List<OrderView> out = new ArrayList<>();
        for (; slot != 0 && out.size() < limit;
             slot = open ? store.olderRestingOfAccount(slot) : store.olderHeldOfAccount(slot)) {
            if (matches(c, slot)) {
                OrderView v = new OrderView();
                view(slot, v);
                out.add(v);
            }
        }
        c.queryResult = new OrderPage(out, session.windowStart(config.idempotencySessions()), session.closeCount,
                session.lastEvictionSeq);
        c.result = ResultCode.OK;
    }

    private boolean matches(Command c, int slot) {
        if (c.beforeOrderId != 0 && store.get(slot, OrderStore.ORDER_ID) >= c.beforeOrderId) {
            return false;
        }
        if (c.orderFilter == Command.OrderFilter.CLOSED && !store.status(slot).isTerminal()) {
            return false;
        }
        long created = store.get(slot, CREATED);
        if ((c.afterNanos != 0 && created <= c.afterNanos) || (c.untilNanos != 0 && created > c.untilNanos)) {
            return false;
        }
        return c.symbol == null || Objects.equals(c.symbol, store.symbol(slot));
    }

    void queryAccount(Command c, long lastSeq) {
        Account a = ledger.account(c.accountId);
        if (a == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        c.queryResult = accountSnapshot(a, lastSeq, c.timestampNanos);
        c.result = ResultCode.OK;
    }

    /** The account's balances, its positions valued at the mark prices at {@code nowNanos}. */
    AccountSnapshot accountSnapshot(Account a, long lastSeq, long nowNanos) {
        List<AccountSnapshot.Position> positions = new ArrayList<>();
        long equity = a.total(Ledger.CASH);
        for (OrderBook book : books) {
            int asset = book.symbolIndex + 1;
            long qty = a.total(asset);
            if (qty != 0) {
                long mark = quotes.markPriceTicks(book, nowNanos);
                long value = Valuation.value(qty, mark);
                positions.add(new AccountSnapshot.Position(book.symbol, qty, a.reserved(asset), mark,
                        quotes.markSource(book, nowNanos), value));
                equity = Valuation.add(equity, value);
            }
        }
        return new AccountSnapshot(a.id(), a.name(), a.total(Ledger.CASH), a.reserved(Ledger.CASH),
                List.copyOf(positions), lastSeq, equity);
    }

    /** Copies of every resting order, ascending order id. */
    List<OrderView> openOrders() {
        List<OrderView> out = new ArrayList<>((int) Math.min(Integer.MAX_VALUE - 8, store.restingCount()));
        for (int slot = store.oldestHeld(); slot != 0; slot = store.nextHeld(slot)) {
            if (!store.status(slot).isTerminal()) {
                OrderView v = new OrderView();
                view(slot, v);
                out.add(v);
            }
        }
        return out;
    }

    /**
     * Fills the command's order view with the order in {@code slot}, unless its caller will not
     * read it. {@code clientOrderId}, if not null, is the order's client id as the command carried
     * it (placing it, or finding it by it): the view takes that string instead of building one
     * from the stored bytes, so answering the placing command allocates nothing.
     */
    void respond(Command c, int slot, String clientOrderId) {
        if (!c.orderViewUnused) {
            view(slot, c.order, clientOrderId);
        }
    }

    /** Fills {@code v} with the order in {@code slot}. */
    void view(int slot, OrderView v) {
        view(slot, v, null);
    }

    /** Fills {@code v} with the order in {@code slot}; {@code clientOrderId}, if not null, is its client id. */
    void view(int slot, OrderView v, String clientOrderId) {
        v.orderId = store.get(slot, OrderStore.ORDER_ID);
        v.clientOrderId = clientOrderId != null ? clientOrderId : store.clientId(slot);
        v.accountId = store.get(slot, ACCOUNT);
        v.symbol = store.symbol(slot);
        v.side = store.side(slot);
        v.qty = store.get(slot, OrderStore.QTY);
        v.priceTicks = store.get(slot, OrderStore.PRICE);
        v.timeInForce = store.timeInForce(slot);
        v.postOnly = store.postOnly(slot);
        v.selfTradePrevention = store.selfTradePrevention(slot);
        v.status = store.status(slot);
        v.filledQty = store.get(slot, OrderStore.FILLED);
        v.leavesQty = store.leaves(slot);
        v.filledNotional = store.get(slot, OrderStore.FILLED_NOTIONAL);
        v.holdAmount = store.get(slot, OrderStore.HOLD);
        v.createdAtNanos = store.get(slot, CREATED);
        v.updatedAtNanos = store.get(slot, OrderStore.UPDATED);
        v.sessionDate = store.get(slot, OrderStore.SESSION_DATE);
        v.expiresAtNanos = store.get(slot, OrderStore.EXPIRES);
        v.rejectReason = store.rejectReason(slot);
        ExpiryReason expiry = store.expiryReason(slot);
        v.expiryReason = expiry == ExpiryReason.NONE ? null : expiry;
        v.seq = store.get(slot, OrderStore.SEQ);
    }
}
