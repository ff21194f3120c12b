package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Ledger;

/**
 * The checks and the hash over the whole engine state: the books against the order store and
 * the ledger ({@link #validateOpenState}) and {@link Exchange#stateHash()}. Stateless; called on
 * the engine thread (or on an engine no thread is applying to, as tests and the replay tool do).
 */
final class ExchangeInvariants {
    private ExchangeInvariants() {
    }

    static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    // The checks below run once per order held, twice in every restart (a million orders and
    // more): their message is a format filled in only when the check fails, never a string
    // built on every call.

    static void check(boolean ok, String format, long a) {
        if (!ok) {
            throw new IllegalStateException(String.format(format, a));
        }
    }

    static void check(boolean ok, String format, long a, long b) {
        if (!ok) {
            throw new IllegalStateException(String.format(format, a, b));
        }
    }

    static void check(boolean ok, String format, long a, long b, long c) {
        if (!ok) {
            throw new IllegalStateException(String.format(format, a, b, c));
        }
    }

    static void check(boolean ok, String format, long a, long b, long c, long d) {
        if (!ok) {
            throw new IllegalStateException(String.format(format, a, b, c, d));
        }
    }

    /**
     * Books: levels ordered and non-empty, FIFO links consistent, every order at its level live,
     * with {@code qty = filled + leaves}, leaves > 0 and the hold the rules give; level totals;
     * no crossed book; the store's resting count; and every account's reserved balances equal to
     * its resting orders' holds.
     *
     * @return the number of resting orders per account id
     */
    static int[] validateOpenState(Ledger ledger, OrderBook[] books, OrderStore store) {
        ledger.validateInternalState();
        int assets = ledger.assetCount();
        long[][] holds = new long[ledger.accountCount() + 1][assets];
        int[] openPerAccount = new int[ledger.accountCount() + 1];
        long resting = 0;
        for (OrderBook book : books) {
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                for (int i = 0; i < side.size(); i++) {
                    PriceLevel level = side.fromBest(i);
                    check(level.count > 0, "empty level " + book.symbol + " " + level.priceTicks);
                    check(i == 0 || side.better(side.fromBest(i - 1).priceTicks, level.priceTicks),
                            "levels out of order in " + book.symbol);
                    check(side.priceFromBest(i) == level.priceTicks, "level price index stale in " + book.symbol);
                    long qty = 0;
                    int count = 0;
                    int prev = 0;
                    for (int slot = level.headSlot; slot != 0; slot = store.bookNext(slot)) {
                        long id = store.get(slot, OrderStore.ORDER_ID);
                        check(store.slotOf(id) == slot, "order %d in a book but not held", id);
                        check(store.bookPrev(slot) == prev, "broken prev link at order %d", id);
                        check(!store.status(slot).isTerminal(), "terminal order %d in book", id);
                        check(store.get(slot, OrderStore.PRICE) == level.priceTicks, "order %d at wrong level", id);
                        check(store.symbolIndex(slot) == book.symbolIndex && (store.side(slot) == Side.BUY) == side.isBid(),
                                "order %d in wrong book or side", id);
                        long leaves = store.leaves(slot);
                        check(leaves > 0 && store.get(slot, OrderStore.QTY) == store.get(slot, OrderStore.FILLED) + leaves,
                                "qty != filled + leaves for order %d", id);
                        long accountId = store.get(slot, OrderStore.ACCOUNT);
                        Account a = ledger.account(accountId);
                        long expectedHold = side.isBid() ? Holds.buyHold(leaves, level.priceTicks, a.maxFeeBps()) : leaves;
                        check(store.get(slot, OrderStore.HOLD) == expectedHold,
                                "hold of order %d is %d, reservation recomputed is %d", id,
                                store.get(slot, OrderStore.HOLD), expectedHold);
                        holds[(int) accountId][side.isBid() ? Ledger.CASH : book.symbolIndex + 1] += expectedHold;
                        openPerAccount[(int) accountId]++;
                        qty += leaves;
                        count++;
                        prev = slot;
                        if (count > level.count) {
                            check(false, "level at " + book.symbol + " " + level.priceTicks + " longer than its count");
                        }
                    }
                    check(prev == level.tailSlot, "tail mismatch at " + book.symbol + " " + level.priceTicks);
                    check(count == level.count && qty == level.totalQty, "level totals wrong at " + book.symbol + " "
                            + level.priceTicks);
                    resting += count;
                }
            }
            long bid = book.bids.bestPrice();
            long ask = book.asks.bestPrice();
            check(bid == 0 || ask == 0 || bid < ask, "book crossed: " + book.symbol + " bid " + bid + " ask " + ask);
        }
        check(resting == store.restingCount(), "resting order count " + store.restingCount() + " but books hold " + resting);
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            check(openPerAccount[id] == store.account(id).restingOrders, "open order count wrong for account " + id);
            for (int asset = 0; asset < assets; asset++) {
                check(a.reserved(asset) == holds[id][asset], "account " + id + " " + ledger.assetName(asset)
                        + " reserved " + a.reserved(asset) + " but open orders hold " + holds[id][asset]);
            }
        }
        return openPerAccount;
    }

    /** See {@link Exchange#stateHash()}. */
    static long stateHash(Exchange x) {
        Ledger ledger = x.ledger;
        SessionState s = x.session;
        StateHasher h = new StateHasher();
        h.add(x.lastSeq).add(x.matcher.lastTradeId).add(s.open ? 1 : 0).add(s.firstSeq).add(s.date)
                .add(s.closesAtNanos).add(s.closeCount).add(s.lastEvictionSeq);
        int assets = ledger.assetCount();
        for (int asset = 0; asset < assets; asset++) {
            h.add(ledger.assetName(asset)).add(ledger.feesCollected(asset)).add(ledger.deposited(asset))
                    .add(ledger.withdrawn(asset));
        }
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            h.add(a.id()).add(a.name()).add(a.apiKeyHash()).add(a.makerFeeBps()).add(a.takerFeeBps())
                    .add(a.feesPaid()).add(a.fillCount());
            for (int asset = 0; asset < assets; asset++) {
                h.add(a.total(asset)).add(a.reserved(asset)).add(a.holdsPlaced(asset)).add(a.holdsConsumed(asset))
                        .add(a.holdsReleased(asset));
            }
            AccountOrders ao = x.store.account(id);
            ReconciliationReportBuilder.AccountActivity aa = x.reports.activity(id);
            h.add(ao.heldOrders).add(ao.restingOrders).add(ao.ordersExpired).add(aa.openFees).add(aa.openFills)
                    .add(aa.openExpired);
            for (int asset = 0; asset < assets; asset++) {
                h.add(aa.openTotal[asset]).add(aa.openPlaced[asset]).add(aa.openConsumed[asset])
                        .add(aa.openReleased[asset]).add(aa.deposited[asset]).add(aa.withdrawn[asset])
                        .add(aa.openDeposited[asset]).add(aa.openWithdrawn[asset]);
            }
        }
        for (Ledger.Transfer t : ledger.transfers()) {
            h.add(t.transferId()).add(t.kind().ordinal()).add(t.accountId()).add(t.asset()).add(t.amount());
        }
        x.store.hashInto(h);
        for (OrderBook book : x.books) {
            h.add(book.symbol).add(book.lastTradePriceTicks);
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                h.add(side.size());
                for (int i = 0; i < side.size(); i++) {
                    PriceLevel l = side.fromBest(i);
                    h.add(l.priceTicks).add(l.totalQty).add(l.count);
                    for (int slot = l.headSlot; slot != 0; slot = x.store.bookNext(slot)) {
                        h.add(x.store.get(slot, OrderStore.ORDER_ID));
                    }
                }
            }
        }
        x.referenceQuotes.hashInto(h);
        return h.value();
    }
}
