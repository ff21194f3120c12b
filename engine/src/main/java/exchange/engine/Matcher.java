package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Fees;
import exchange.risk.Ledger;

import static exchange.engine.OrderStore.ACCOUNT;
import static exchange.engine.OrderStore.FILLED;
import static exchange.engine.OrderStore.FILLED_NOTIONAL;
import static exchange.engine.OrderStore.HOLD;
import static exchange.engine.OrderStore.PRICE;
import static exchange.engine.OrderStore.QTY;
import static exchange.engine.OrderStore.SEQ;
import static exchange.engine.OrderStore.UPDATED;

/**
 * Matching and everything that moves an order in or out of a book: the FOK pre-check,
 * price-time matching with self-trade prevention, trades settled into the {@link Ledger} (holds
 * consumed at the trade price, price improvement released), resting an order at the tail of its
 * level, and ending a live order (cancel or expiry: out of the book, hold released, one event).
 * It owns the trade id counter; the books and records it changes are the {@link OrderBook}s' and
 * the {@link OrderStore}'s.
 *
 * <p>Engine thread only. Allocation-free: levels come from each side's pool, orders are slots,
 * events go through the {@link EventOut} flyweight. Invariants it keeps: after a command no book
 * is crossed; a resting order is live with leaves > 0 and holds exactly
 * {@link Holds#buyHold R(leaves)} cash or leaves shares; an order becomes terminal here (or at
 * entry) and then records the close count it ended at.
 */
final class Matcher {
    private final OrderStore store;
    private final Ledger ledger;
    private final OrderBook[] books;
    private final SessionState session;
    private final EventOut out;
    long lastTradeId;

    Matcher(OrderStore store, Ledger ledger, OrderBook[] books, SessionState session, EventOut out) {
        this.store = store;
        this.ledger = ledger;
        this.books = books;
        this.session = session;
        this.out = out;
    }

    /** True if resting liquidity the order could reach covers {@code qty} (the FOK pre-check). */
    boolean canFillCompletely(OrderBook book, Side side, long limit, long qty, long accountId, SelfTradePrevention stp) {
        BookSide opposite = book.side(side.opposite());
        long available = 0;
        for (int i = 0; i < opposite.size(); i++) {
            PriceLevel level = opposite.fromBest(i);
            if (!crosses(side, limit, level.priceTicks)) {
                return false;
            }
            for (int m = level.headSlot; m != 0; m = store.bookNext(m)) {
                if (store.get(m, ACCOUNT) == accountId) {
                    if (stp == SelfTradePrevention.CANCEL_OLDEST) {
                        continue;
                    }
                    return false;
                }
                available += store.leaves(m);
                if (available >= qty) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean crosses(Side takerSide, long limit, long restingPrice) {
        return takerSide == Side.BUY ? restingPrice <= limit : restingPrice >= limit;
    }

    /**
     * Matches the incoming order in {@code taker} against the opposite side. Returns false if
     * self-trade prevention ended it (nothing is left to rest or expire).
     */
    boolean match(int taker, OrderBook book, Side side, long limit, Account takerAccount, SelfTradePrevention stp) {
        BookSide opposite = book.side(side.opposite());
        while (store.leaves(taker) > 0) {
            PriceLevel level = opposite.best();
            if (level == null || !crosses(side, limit, level.priceTicks)) {
                return true;
            }
            int maker = level.headSlot;
            while (maker != 0 && store.leaves(taker) > 0) {
                int next = store.bookNext(maker);
                long makerAccountId = store.get(maker, ACCOUNT);
                if (makerAccountId == takerAccount.id()) {
                    EngineEvent e = out.event(EventType.SELF_TRADE_PREVENTED);
                    e.accountId = takerAccount.id();
                    e.orderId = store.get(taker, OrderStore.ORDER_ID);
                    e.counterOrderId = store.get(maker, OrderStore.ORDER_ID);
                    e.symbol = book.symbol;
                    e.side = side;
                    e.priceTicks = level.priceTicks;
                    e.qty = Math.min(store.leaves(taker), store.leaves(maker));
                    out.emit();
                    if (stp == SelfTradePrevention.CANCEL_NEWEST) {
                        endOrder(taker, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, false);
                        return false;
                    }
                    endOrder(maker, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, true);
                    if (stp == SelfTradePrevention.CANCEL_BOTH) {
                        endOrder(taker, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, false);
                        return false;
                    }
                } else {
                    trade(book, level, taker, takerAccount, maker, ledger.account(makerAccountId), side);
                }
                maker = next;
            }
        }
        return true;
    }

    private void trade(OrderBook book, PriceLevel level, int taker, Account takerAccount, int maker, Account makerAccount,
                       Side takerSide) {
        long price = level.priceTicks;
        long qty = Math.min(store.leaves(taker), store.leaves(maker));
        long notional = Math.multiplyExact(price, qty);
        long makerFee = Fees.charged(notional, makerAccount.makerFeeBps());
        long takerFee = Fees.charged(notional, takerAccount.takerFeeBps());
        boolean takerBuys = takerSide == Side.BUY;
        int buyer = takerBuys ? taker : maker;
        int seller = takerBuys ? maker : taker;
        Account buyerAccount = takerBuys ? takerAccount : makerAccount;
        Account sellerAccount = takerBuys ? makerAccount : takerAccount;

        long buyerHoldBefore = store.get(buyer, HOLD);
        long buyerHoldAfter = Holds.buyHold(store.leaves(buyer) - qty, store.get(buyer, PRICE), buyerAccount.maxFeeBps());
        ledger.settleTrade(buyerAccount, sellerAccount, book.symbolIndex + 1, qty, notional,
                takerBuys ? takerFee : makerFee, takerBuys ? makerFee : takerFee, buyerHoldBefore - buyerHoldAfter);
        store.set(buyer, HOLD, buyerHoldAfter);
        store.add(seller, HOLD, -qty);
        fill(taker, qty, notional);
        fill(maker, qty, notional);
        level.totalQty -= qty;
        book.lastTradePriceTicks = price;

        EngineEvent e = out.event(EventType.TRADE_EXECUTED);
        e.tradeId = ++lastTradeId;
        e.symbol = book.symbol;
        e.priceTicks = price;
        e.qty = qty;
        e.side = takerSide;
        e.orderId = store.get(taker, OrderStore.ORDER_ID);
        e.accountId = takerAccount.id();
        e.counterOrderId = store.get(maker, OrderStore.ORDER_ID);
        e.counterAccountId = makerAccount.id();
        e.takerFee = takerFee;
        e.makerFee = makerFee;
        e.leavesQty = store.leaves(taker);
        e.counterLeavesQty = store.leaves(maker);
        out.emit();

        if (store.leaves(maker) == 0) {
            unlink(book, level, maker);
        }
    }

    /** Records a fill of {@code qty} for {@code notional} on the order: filled, status, time and sequence. */
    void fill(int slot, long qty, long notional) {
        store.add(slot, FILLED, qty);
        store.add(slot, FILLED_NOTIONAL, notional);
        store.set(slot, UPDATED, out.timestampNanos());
        store.set(slot, SEQ, out.seq());
        if (store.get(slot, FILLED) == store.get(slot, QTY)) {
            store.markEnded(slot, OrderStatus.FILLED, session.closeCount);
        } else {
            store.setLiveStatus(slot, OrderStatus.PARTIALLY_FILLED);
        }
    }

    /** Rests a live order with {@code leaves} at the tail of its level, as its account's newest resting order. */
    void rest(int slot, OrderBook book, Side side, long price, long leaves) {
        linkAtTail(book.side(side), price, slot, leaves);
        store.addResting(slot);
    }

    /** Appends the order to the FIFO at {@code price} (creating the level) and counts its leaves there. */
    void linkAtTail(BookSide side, long price, int slot, long leaves) {
        PriceLevel level = side.findOrCreate(price);
        int tail = level.tailSlot;
        store.setBookLinks(slot, tail, 0);
        if (tail == 0) {
            level.headSlot = slot;
        } else {
            store.setBookNext(tail, slot);
        }
        level.tailSlot = slot;
        level.count++;
        level.totalQty += leaves;
    }

    /** Takes a resting order out of its level (removing the level if it empties) and its account's resting chain. */
    void unlink(OrderBook book, PriceLevel level, int slot) {
        int prev = store.bookPrev(slot);
        int next = store.bookNext(slot);
        if (prev == 0) {
            level.headSlot = next;
        } else {
            store.setBookNext(prev, next);
        }
        if (next == 0) {
            level.tailSlot = prev;
        } else {
            store.setBookPrev(next, prev);
        }
        store.setBookLinks(slot, 0, 0);
        level.count--;
        if (level.count == 0) {
            book.side(store.side(slot)).remove(level);
        }
        store.removeResting(slot);
    }

    /**
     * Ends a live order as canceled or expired: out of the book (if resting), whole remaining hold
     * released, one event.
     */
    void endOrder(int slot, OrderStatus status, ExpiryReason reason, boolean resting) {
        long leaves = store.leaves(slot);
        OrderBook book = books[store.symbolIndex(slot)];
        if (resting) {
            PriceLevel level = book.side(store.side(slot)).find(store.get(slot, PRICE));
            level.totalQty -= leaves;
            unlink(book, level, slot);
        }
        long hold = store.get(slot, HOLD);
        Account account = ledger.account(store.get(slot, ACCOUNT));
        ledger.release(account, store.side(slot) == Side.BUY ? Ledger.CASH : book.symbolIndex + 1, hold);
        store.set(slot, HOLD, 0);
        store.set(slot, UPDATED, out.timestampNanos());
        store.set(slot, SEQ, out.seq());
        store.markEnded(slot, status, session.closeCount);
        if (status == OrderStatus.EXPIRED) {
            store.setExpiryReason(slot, reason);
            store.account(account.id()).ordersExpired++;
        }
        EngineEvent e = orderEvent(status == OrderStatus.EXPIRED ? EventType.ORDER_EXPIRED : EventType.ORDER_CANCELED, slot);
        e.qty = leaves;
        e.amount = hold;
        if (status == OrderStatus.EXPIRED) {
            e.expiryReason = reason;
        }
        out.emit();
    }

    /** The flyweight, reset to {@code type}, with the order's account, id, symbol and side. */
    EngineEvent orderEvent(EventType type, int slot) {
        EngineEvent e = out.event(type);
        e.accountId = store.get(slot, ACCOUNT);
        e.orderId = store.get(slot, OrderStore.ORDER_ID);
        e.symbol = store.symbol(slot);
        e.side = store.side(slot);
        return e;
    }
}
