package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Ledger;
import exchange.risk.Money;
import exchange.risk.TransferKind;

import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-day reconciliation report and its system checks. Closing positions are valued at
 * the mark prices of {@link ReferenceQuotes} at the close. It owns what the report needs
 * beyond the balances: per account, the external transfers so far and a baseline of balances and
 * counters taken when the session opened ({@link AccountActivity}); the session's figures are the
 * differences. The checks recompute the holds of the open orders from the books and compare
 * them with the ledger's reservations, check conservation, no negative balance and uncrossed
 * books.
 *
 * <p>Engine thread only. Per account and per asset, so bounded by accounts, not by time.
 */
final class ReconciliationReportBuilder {
    /** One account's transfers so far and its balances and counters when the current session opened. */
    static final class AccountActivity {
        /** Cumulative external transfers per asset. */
        final long[] deposited;
        final long[] withdrawn;
        /** Balances and counters when the current session opened (zero for accounts opened later). */
        final long[] openTotal;
        final long[] openPlaced;
        final long[] openConsumed;
        final long[] openReleased;
        final long[] openDeposited;
        final long[] openWithdrawn;
        long openFees;
        long openFills;
        long openExpired;

        AccountActivity(int assets) {
            deposited = new long[assets];
            withdrawn = new long[assets];
            openTotal = new long[assets];
            openPlaced = new long[assets];
            openConsumed = new long[assets];
            openReleased = new long[assets];
            openDeposited = new long[assets];
            openWithdrawn = new long[assets];
        }

        void captureBaseline(Account a, long ordersExpired) {
            for (int i = 0; i < openTotal.length; i++) {
                openTotal[i] = a.total(i);
                openPlaced[i] = a.holdsPlaced(i);
                openConsumed[i] = a.holdsConsumed(i);
                openReleased[i] = a.holdsReleased(i);
                openDeposited[i] = deposited[i];
                openWithdrawn[i] = withdrawn[i];
            }
            openFees = a.feesPaid();
            openFills = a.fillCount();
            openExpired = ordersExpired;
        }
    }

    private final Ledger ledger;
    private final OrderBook[] books;
    private final OrderStore store;
    private final SessionState session;
    private final ReferenceQuotes quotes;
    private final List<AccountActivity> activity = new ArrayList<>();

    ReconciliationReportBuilder(Ledger ledger, OrderBook[] books, OrderStore store, SessionState session,
                                ReferenceQuotes quotes) {
        this.ledger = ledger;
        this.books = books;
        this.store = store;
        this.session = session;
        this.quotes = quotes;
    }

    void openAccount() {
        activity.add(new AccountActivity(ledger.assetCount()));
    }

    AccountActivity activity(long accountId) {
        return activity.get((int) (accountId - 1));
    }

    /** Counts an applied external transfer. */
    void onTransfer(long accountId, TransferKind kind, int asset, long amount) {
        AccountActivity a = activity(accountId);
        if (kind == TransferKind.DEPOSIT) {
            a.deposited[asset] += amount;
        } else {
            a.withdrawn[asset] += amount;
        }
    }

    /** Takes every account's baseline: the session opens now. */
    void captureOpeningBalances() {
        for (int id = 1; id <= ledger.accountCount(); id++) {
            activity(id).captureBaseline(ledger.account(id), store.account(id).ordersExpired);
        }
    }

    /**
     * The reconciliation of the session that is closing now (called after the sweep), closing
     * positions valued at the mark prices at {@code closeNanos}, the close command's stamped time.
     */
    ReconciliationReport build(long closeSeq, long closeNanos) {
        int assets = ledger.assetCount();
        long[] marks = new long[assets];
        MarkSource[] markSources = new MarkSource[assets];
        for (OrderBook book : books) {
            marks[book.symbolIndex + 1] = quotes.markPriceTicks(book, closeNanos);
            markSources[book.symbolIndex + 1] = quotes.markSource(book, closeNanos);
        }
        List<ReconciliationReport.AccountLine> lines = new ArrayList<>(ledger.accountCount());
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            AccountActivity ao = activity(id);
            List<ReconciliationReport.PositionLine> positions = new ArrayList<>();
            long equity = a.total(Ledger.CASH);
            for (int asset = 1; asset < assets; asset++) {
                if (ao.openTotal[asset] != 0 || a.total(asset) != 0 || a.holdsPlaced(asset) != ao.openPlaced[asset]
                        || ao.withdrawn[asset] != ao.openWithdrawn[asset]) {
                    long value = Valuation.value(a.total(asset), marks[asset]);
                    equity = Valuation.add(equity, value);
                    positions.add(new ReconciliationReport.PositionLine(ledger.assetName(asset), ao.openTotal[asset],
                            a.total(asset), ao.deposited[asset] - ao.openDeposited[asset],
                            ao.withdrawn[asset] - ao.openWithdrawn[asset], a.holdsPlaced(asset) - ao.openPlaced[asset],
                            a.holdsConsumed(asset) - ao.openConsumed[asset],
                            a.holdsReleased(asset) - ao.openReleased[asset], marks[asset], markSources[asset], value));
                }
            }
            lines.add(new ReconciliationReport.AccountLine(id, a.name(), ao.openTotal[Ledger.CASH], a.total(Ledger.CASH),
                    ao.deposited[Ledger.CASH] - ao.openDeposited[Ledger.CASH],
                    ao.withdrawn[Ledger.CASH] - ao.openWithdrawn[Ledger.CASH], a.fillCount() - ao.openFills,
                    a.feesPaid() - ao.openFees,
                    a.holdsPlaced(Ledger.CASH) - ao.openPlaced[Ledger.CASH],
                    a.holdsConsumed(Ledger.CASH) - ao.openConsumed[Ledger.CASH],
                    a.holdsReleased(Ledger.CASH) - ao.openReleased[Ledger.CASH],
                    store.account(id).ordersExpired - ao.openExpired, List.copyOf(positions), equity));
        }
        List<ReconciliationReport.Check> checks = new ArrayList<>();
        checks.add(conservationCheck("cash_conserved", Ledger.CASH));
        StringBuilder shares = new StringBuilder();
        boolean sharesOk = true;
        for (int asset = 1; asset < assets; asset++) {
            ReconciliationReport.Check c = conservationCheck("", asset);
            sharesOk &= c.passed();
            shares.append(shares.length() == 0 ? "" : "; ").append(c.detail());
        }
        checks.add(new ReconciliationReport.Check("shares_conserved", sharesOk, shares.toString()));
        String holds = holdsMismatch();
        checks.add(new ReconciliationReport.Check("holds_match_open_orders", holds == null,
                holds == null ? "reserved balances equal the holds of " + store.restingCount()
                        + " open orders recomputed from the books" : holds));
        String negative = ledger.findNegativeBalance();
        checks.add(new ReconciliationReport.Check("no_negative_balance", negative == null,
                negative == null ? "no total, reserved or available balance below zero" : negative));
        String crossed = crossedBook();
        checks.add(new ReconciliationReport.Check("books_uncrossed", crossed == null,
                crossed == null ? "best bid below best ask in every book" : crossed));
        checks.add(new ReconciliationReport.Check("journal_sequence_covered",
                closeSeq >= session.firstSeq && session.firstSeq > 0,
                "sequences " + session.firstSeq + ".." + closeSeq + " applied without gaps"));
        return new ReconciliationReport(session.date, session.firstSeq, closeSeq, List.copyOf(lines), List.copyOf(checks));
    }

    private ReconciliationReport.Check conservationCheck(String name, int asset) {
        long accounts = ledger.sumTotal(asset);
        long fees = ledger.feesCollected(asset);
        long net = ledger.deposited(asset) - ledger.withdrawn(asset);
        boolean ok = accounts + fees == net;
        String detail = asset == Ledger.CASH
                ? "USD: accounts " + Money.format(accounts) + " + fees " + Money.format(fees) + (ok ? " = " : " != ")
                        + "deposits - withdrawals " + Money.format(net)
                : ledger.assetName(asset) + ": accounts " + accounts + (ok ? " = " : " != ") + "deposits - withdrawals " + net;
        return new ReconciliationReport.Check(name, ok, detail);
    }

    /** First account/asset whose reserved balance differs from its open orders' holds; null if none. */
    private String holdsMismatch() {
        int assets = ledger.assetCount();
        long[][] holds = new long[ledger.accountCount() + 1][assets];
        for (OrderBook book : books) {
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                for (int i = 0; i < side.size(); i++) {
                    PriceLevel level = side.fromBest(i);
                    for (int slot = level.headSlot; slot != 0; slot = store.bookNext(slot)) {
                        long accountId = store.get(slot, OrderStore.ACCOUNT);
                        long leaves = store.leaves(slot);
                        long hold = side.isBid()
                                ? Holds.buyHold(leaves, level.priceTicks, ledger.account(accountId).maxFeeBps()) : leaves;
                        holds[(int) accountId][side.isBid() ? Ledger.CASH : book.symbolIndex + 1] += hold;
                    }
                }
            }
        }
        for (int id = 1; id <= ledger.accountCount(); id++) {
            for (int asset = 0; asset < assets; asset++) {
                if (ledger.account(id).reserved(asset) != holds[id][asset]) {
                    return "account " + id + " " + ledger.assetName(asset) + " reserved "
                            + ledger.account(id).reserved(asset) + " but open orders hold " + holds[id][asset];
                }
            }
        }
        return null;
    }

    /** The first crossed book, described; null if none. */
    private String crossedBook() {
        for (OrderBook book : books) {
            long bid = book.bids.bestPrice();
            long ask = book.asks.bestPrice();
            if (bid != 0 && ask != 0 && bid >= ask) {
                return book.symbol + " bid " + Money.format(bid) + " >= ask " + Money.format(ask);
            }
        }
        return null;
    }
}
