package exchange.engine;

import exchange.engine.state.SnapshotFormatException;
import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;
import exchange.risk.Account;
import exchange.risk.Ledger;
import exchange.risk.TransferKind;

/**
 * The snapshot encoding of an {@link Exchange}: live state only, as primitives, in this order
 * (format {@value #FORMAT}):
 * <pre>
 *  format:i32  assets:i32 {name:str}
 *  lastSeq lastTradeId:i64  sessionOpen:i8 firstSeq date closesAt closeCount lastEvictionSeq:i64
 *  per asset: feesCollected deposited withdrawn
 *  accounts:i32 per account: name keyHash makerBps takerBps feesPaid fillCount {total reserved placed consumed
 *      released per asset} ordersExpired openFees openFills openExpired {8 report figures per asset}
 *  transfers:i32 {transferId kind account asset amount}
 *  orders (OrderStore#write): lastOrderId fields:i32 held:i32 {fields longs, clientOrderIdLength:i32
 *      clientOrderId:bytes (ASCII), unlistedSymbol}
 *      ascending order id
 *  per book: lastTradePrice; bids then asks: levels:i32 {price count:i32 {orderId} in FIFO order}, worst first
 *  per symbol: venues:i32 {venue:str bid bidQty ask askQty last staleAfter time remainingBid remainingAsk:i64}
 *      in arrival order (format 6 on; a format 5 snapshot has none and reads as no quotes)
 * </pre>
 * Nothing in it depends on slot numbers: reading takes fresh slots, rebuilds the id map, client id
 * indexes and chains from the orders and relinks the books by order id, then runs
 * {@link Exchange#validateInternalState()}. Level totals are recomputed from the orders' leaves.
 * Format 5, written before reference quotes existed, reads as a state without quotes, which it
 * was; any other format number is a {@link SnapshotFormatException} (recovery then replays the
 * journal).
 *
 * <p>Stateless; the exchange written must not be applying a command meanwhile.
 */
final class ExchangeSnapshot {
    /**
     * 6: the reference quotes after the books. 5: a held order's client id as its length and ASCII
     * bytes (4 wrote it as a string). 4: live state only (held orders, no trades), slot-independent
     * book links.
     */
    static final int FORMAT = 6;
    /** The format before reference quotes, still read (as no quotes). */
    static final int FORMAT_WITHOUT_QUOTES = 5;

    private ExchangeSnapshot() {
    }

    static void write(Exchange x, SnapshotOutput out) {
        Ledger ledger = x.ledger;
        SessionState s = x.session;
        out.putInt(FORMAT);
        int assets = ledger.assetCount();
        out.putInt(assets);
        for (int asset = 0; asset < assets; asset++) {
            out.putString(ledger.assetName(asset));
        }
        out.putLong(x.lastSeq);
        out.putLong(x.matcher.lastTradeId);
        out.putByte((byte) (s.open ? 1 : 0));
        out.putLong(s.firstSeq);
        out.putLong(s.date);
        out.putLong(s.closesAtNanos);
        out.putLong(s.closeCount);
        out.putLong(s.lastEvictionSeq);
        for (int asset = 0; asset < assets; asset++) {
            out.putLong(ledger.feesCollected(asset));
            out.putLong(ledger.deposited(asset));
            out.putLong(ledger.withdrawn(asset));
        }
        out.putInt(ledger.accountCount());
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            out.putString(a.name());
            out.putString(a.apiKeyHash());
            out.putInt(a.makerFeeBps());
            out.putInt(a.takerFeeBps());
            out.putLong(a.feesPaid());
            out.putLong(a.fillCount());
            for (int asset = 0; asset < assets; asset++) {
                out.putLong(a.total(asset));
                out.putLong(a.reserved(asset));
                out.putLong(a.holdsPlaced(asset));
                out.putLong(a.holdsConsumed(asset));
                out.putLong(a.holdsReleased(asset));
            }
            out.putLong(x.store.account(id).ordersExpired);
            ReconciliationReportBuilder.AccountActivity aa = x.reports.activity(id);
            out.putLong(aa.openFees);
            out.putLong(aa.openFills);
            out.putLong(aa.openExpired);
            for (int asset = 0; asset < assets; asset++) {
                out.putLong(aa.openTotal[asset]);
                out.putLong(aa.openPlaced[asset]);
                out.putLong(aa.openConsumed[asset]);
                out.putLong(aa.openReleased[asset]);
                out.putLong(aa.deposited[asset]);
                out.putLong(aa.withdrawn[asset]);
                out.putLong(aa.openDeposited[asset]);
                out.putLong(aa.openWithdrawn[asset]);
            }
        }
        var transfers = ledger.transfers();
        out.putInt(transfers.size());
        for (Ledger.Transfer t : transfers) {
            out.putString(t.transferId());
            out.putByte((byte) t.kind().ordinal());
            out.putLong(t.accountId());
            out.putInt(t.asset());
            out.putLong(t.amount());
        }
        x.store.write(out);
        for (OrderBook book : x.books) {
            out.putLong(book.lastTradePriceTicks);
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                out.putInt(side.size());
                for (int i = side.size() - 1; i >= 0; i--) {
                    PriceLevel l = side.fromBest(i);
                    out.putLong(l.priceTicks);
                    out.putInt(l.count);
                    for (int slot = l.headSlot; slot != 0; slot = x.store.bookNext(slot)) {
                        out.putLong(x.store.get(slot, OrderStore.ORDER_ID));
                    }
                }
            }
        }
        x.referenceQuotes.write(out);
    }

    static Exchange read(ExchangeConfig config, SnapshotInput in) {
        int format = in.getInt();
        if (format != FORMAT && format != FORMAT_WITHOUT_QUOTES) {
            throw new SnapshotFormatException("snapshot format " + format + ", this engine reads formats "
                    + FORMAT_WITHOUT_QUOTES + " and " + FORMAT);
        }
        Exchange x = new Exchange(config);
        Ledger ledger = x.ledger;
        SessionState s = x.session;
        int assets = in.getInt();
        if (assets != ledger.assetCount()) {
            throw new IllegalArgumentException("snapshot has " + assets + " assets, config " + ledger.assetCount());
        }
        for (int asset = 0; asset < assets; asset++) {
            String name = in.getString();
            if (!name.equals(ledger.assetName(asset))) {
                throw new IllegalArgumentException("snapshot asset " + asset + " is " + name + ", config has "
                        + ledger.assetName(asset));
            }
        }
        x.lastSeq = in.getLong();
        x.matcher.lastTradeId = in.getLong();
        s.open = in.getByte() == 1;
        s.firstSeq = in.getLong();
        s.date = in.getLong();
        s.closesAtNanos = in.getLong();
        s.closeCount = in.getLong();
        s.lastEvictionSeq = in.getLong();
        long[] fees = new long[assets];
        long[] deposited = new long[assets];
        long[] withdrawn = new long[assets];
        for (int asset = 0; asset < assets; asset++) {
            fees[asset] = in.getLong();
            deposited[asset] = in.getLong();
            withdrawn[asset] = in.getLong();
        }
        ledger.restoreTotals(fees, deposited, withdrawn);
        int accounts = in.getInt();
        long[][] v = new long[5][assets];
        for (int id = 1; id <= accounts; id++) {
            Account a = x.openAccount(in.getString(), in.getString(), in.getInt(), in.getInt());
            long feesPaid = in.getLong();
            long fillCount = in.getLong();
            for (int asset = 0; asset < assets; asset++) {
                for (int k = 0; k < 5; k++) {
                    v[k][asset] = in.getLong();
                }
            }
            ledger.restoreAccount(a, v[0], v[1], v[2], v[3], v[4], feesPaid, fillCount);
            x.store.account(id).ordersExpired = in.getLong();
            ReconciliationReportBuilder.AccountActivity aa = x.reports.activity(id);
            aa.openFees = in.getLong();
            aa.openFills = in.getLong();
            aa.openExpired = in.getLong();
            for (int asset = 0; asset < assets; asset++) {
                aa.openTotal[asset] = in.getLong();
                aa.openPlaced[asset] = in.getLong();
                aa.openConsumed[asset] = in.getLong();
                aa.openReleased[asset] = in.getLong();
                aa.deposited[asset] = in.getLong();
                aa.withdrawn[asset] = in.getLong();
                aa.openDeposited[asset] = in.getLong();
                aa.openWithdrawn[asset] = in.getLong();
            }
        }
        int transfers = in.getInt();
        for (int i = 0; i < transfers; i++) {
            ledger.restoreTransfer(new Ledger.Transfer(in.getString(), TransferKind.values()[in.getByte()],
                    in.getLong(), in.getInt(), in.getLong()));
        }
        x.store.read(in);
        for (OrderBook book : x.books) {
            book.lastTradePriceTicks = in.getLong();
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                int levels = in.getInt();
                for (int i = 0; i < levels; i++) {
                    long price = in.getLong();
                    int count = in.getInt();
                    for (int k = 0; k < count; k++) {
                        long id = in.getLong();
                        int slot = x.store.slotOf(id);
                        if (slot == 0 || x.store.status(slot).isTerminal()) {
                            throw new IllegalArgumentException("snapshot book " + book.symbol + " lists order " + id
                                    + ", which is not a live held order");
                        }
                        x.matcher.linkAtTail(side, price, slot, x.store.leaves(slot));
                    }
                }
            }
        }
        if (format >= 6) {
            x.referenceQuotes.read(in);
        }
        x.validateInternalState();
        return x;
    }
}
