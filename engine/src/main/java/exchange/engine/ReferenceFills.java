package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.Money;

import static exchange.engine.OrderStore.ACCOUNT;
import static exchange.engine.OrderStore.HOLD;
import static exchange.engine.OrderStore.ORDER_ID;
import static exchange.engine.OrderStore.PRICE;

/**
 * {@code REFERENCE_QUOTE} and fills against the outside market (issue 19): a quote is validated,
 * stored in {@link ReferenceQuotes} and announced; then, for a symbol configured to fill against
 * the reference and while the session is open, every resting customer order the quote crosses
 * fills against it, and an order that comes to rest fills at once against the fresh venues that
 * cross it. The counterparty is the liquidity-provider account, resolved by name (the lowest id of
 * that name); the trade is at the venue's price, up to what is left of the venue's size, and the
 * provider is the taker ({@link EventType#TRADE_EXECUTED} with order id 0 and the venue).
 *
 * <p>Settlement goes through the {@link Ledger} and the normal holds: the provider's side is held
 * for the length of the fill (its shares for a customer buy, cost plus fee for a customer sell)
 * and consumed by {@link Ledger#settleTrade}, so the provider's reserved balance after a command
 * is again exactly its own open orders' holds. A provider that cannot pay fills what it can pay
 * for, or nothing: no event, no error.
 *
 * <p>Engine thread only; owns the resolved provider id (derived from the accounts, so not part of
 * snapshots or the hash) and nothing else. Allocation-free. Deterministic: freshness and
 * priority come from journaled times and the books' price-time order.
 */
final class ReferenceFills {
    private final String liquidityProviderName;
    private final Ledger ledger;
    private final OrderStore store;
    private final Matcher matcher;
    private final ReferenceQuotes quotes;
    private final SessionState session;
    private final EventOut out;
    /** The liquidity provider's account id, 0 until an account of that name exists. */
    private long liquidityProviderId;

    ReferenceFills(ExchangeConfig config, Ledger ledger, OrderStore store, Matcher matcher, ReferenceQuotes quotes,
                   SessionState session, EventOut out) {
        this.liquidityProviderName = config.liquidityProviderName();
        this.ledger = ledger;
        this.store = store;
        this.matcher = matcher;
        this.quotes = quotes;
        this.session = session;
        this.out = out;
    }

    /** Called for every account opened, in id order: the first of the provider's name is the provider. */
    void onAccountOpened(Account a) {
        if (liquidityProviderId == 0 && liquidityProviderName != null && liquidityProviderName.equals(a.name())) {
            liquidityProviderId = a.id();
        }
    }

    /** {@code REFERENCE_QUOTE}: validate, store, emit {@code REFERENCE_QUOTED}, then fill what the quote crosses. */
    void quote(Command c, OrderBook book) {
        ResultCode refused = quotes.validate(c);
        if (refused != ResultCode.OK) {
            c.result = refused;
            return;
        }
        ReferenceQuotes.Quote q = quotes.store(c);
        c.result = ResultCode.OK;
        EngineEvent e = out.event(EventType.REFERENCE_QUOTED);
        e.symbol = c.symbol;
        e.venue = c.venue;
        e.bidPriceTicks = c.bidPriceTicks;
        e.bidQty = c.bidQty;
        e.askPriceTicks = c.askPriceTicks;
        e.askQty = c.askQty;
        e.lastPriceTicks = c.lastPriceTicks;
        e.staleAfterNanos = c.staleAfterNanos;
        out.emit();
        Account provider = provider(book);
        if (provider != null) {
            // at most one side can cross: our book is uncrossed and the quote's bid is below its ask
            fillSide(book, book.bids, q, provider);
            fillSide(book, book.asks, q, provider);
        }
    }

    /**
     * The resting orders on {@code side} that {@code q} crosses fill against it, best limit first,
     * then time, while the quote has size left and the provider can pay.
     */
    private void fillSide(OrderBook book, BookSide side, ReferenceQuotes.Quote q, Account provider) {
        int i = 0;
        while (i < side.size() && remaining(q, side.isBid()) > 0) {
            PriceLevel level = side.fromBest(i);
            if (!crosses(side.isBid(), level.priceTicks, q)) {
                return;
            }
            for (int slot = level.headSlot; slot != 0 && remaining(q, side.isBid()) > 0; ) {
                int next = store.bookNext(slot);
                if (store.get(slot, ACCOUNT) != provider.id() && fill(book, level, slot, q, provider) == 0) {
                    // the provider cannot pay for one more share at this price, so for no later order either
                    return;
                }
                slot = next;
            }
            if (i < side.size() && side.fromBest(i) == level) {
                i++;
            }
        }
    }

    /**
     * The order in {@code slot}, just come to rest, fills against the venues fresh now that cross
     * its limit, best venue price first (the first venue to have quoted on a tie).
     */
    void onRest(int slot, OrderBook book) {
        Account provider = provider(book);
        if (provider == null || store.get(slot, ACCOUNT) == provider.id()) {
            return;
        }
        boolean buy = store.side(slot) == Side.BUY;
        long limit = store.get(slot, PRICE);
        long now = out.timestampNanos();
        while (store.leaves(slot) > 0) {
            ReferenceQuotes.Quote best = null;
            for (int v = 0; v < quotes.venueCount(book.symbolIndex); v++) {
                ReferenceQuotes.Quote q = quotes.quote(book.symbolIndex, v);
                if (q.isFreshAt(now) && remaining(q, buy) > 0 && crosses(buy, limit, q)
                        && (best == null || (buy ? q.askPriceTicks < best.askPriceTicks : q.bidPriceTicks > best.bidPriceTicks))) {
                    best = q;
                }
            }
            if (best == null) {
                return;
            }
            PriceLevel level = book.side(store.side(slot)).find(limit);
            if (fill(book, level, slot, best, provider) == 0) {
                return;
            }
        }
    }

    /** The provider when the book fills against the reference, the session is open and the account exists; else null. */
    private Account provider(OrderBook book) {
        return book.fillsAgainstReference && session.open && liquidityProviderId != 0
                ? ledger.account(liquidityProviderId) : null;
    }

    /** A customer buy (bid) takes the venue's ask, a customer sell its bid. */
    private static boolean crosses(boolean customerBuys, long limit, ReferenceQuotes.Quote q) {
        return customerBuys ? limit >= q.askPriceTicks : limit <= q.bidPriceTicks;
    }

    private static long remaining(ReferenceQuotes.Quote q, boolean customerBuys) {
        return customerBuys ? q.remainingAskQty : q.remainingBidQty;
    }

    /**
     * Fills the resting order in {@code slot} (at {@code level}) against the quote, as much as its
     * leaves, the quote's remaining size and the provider's available balance allow; returns the
     * quantity filled (0 = the provider cannot pay for one share).
     */
    private long fill(OrderBook book, PriceLevel level, int slot, ReferenceQuotes.Quote q, Account provider) {
        boolean customerBuys = store.side(slot) == Side.BUY;
        long price = customerBuys ? q.askPriceTicks : q.bidPriceTicks;
        long wanted = Math.min(store.leaves(slot), remaining(q, customerBuys));
        int shares = book.symbolIndex + 1;
        long qty = customerBuys ? Math.min(wanted, provider.available(shares))
                : affordable(provider.available(Ledger.CASH), price, wanted, provider.takerFeeBps());
        if (qty <= 0) {
            return 0;
        }
        // a customer buy pays at most its limit, which its hold covers; a sell is paid by the provider's cash
        long notional = Math.multiplyExact(price, qty);
        Account customer = ledger.account(store.get(slot, ACCOUNT));
        long providerFee = Fees.charged(notional, provider.takerFeeBps());
        long customerFee = Fees.charged(notional, customer.makerFeeBps());
        if (customerBuys) {
            long holdBefore = store.get(slot, HOLD);
            long holdAfter = Holds.buyHold(store.leaves(slot) - qty, store.get(slot, PRICE), customer.maxFeeBps());
            ledger.reserve(provider, shares, qty);
            ledger.settleTrade(customer, provider, shares, qty, notional, customerFee, providerFee, holdBefore - holdAfter);
            store.set(slot, HOLD, holdAfter);
            q.remainingAskQty -= qty;
        } else {
            long cost = notional + providerFee;
            ledger.reserve(provider, Ledger.CASH, cost);
            ledger.settleTrade(provider, customer, shares, qty, notional, providerFee, customerFee, cost);
            store.add(slot, HOLD, -qty);
            q.remainingBidQty -= qty;
        }
        matcher.fill(slot, qty, notional);
        level.totalQty -= qty;
        book.lastTradePriceTicks = price;

        EngineEvent e = out.event(EventType.TRADE_EXECUTED);
        e.tradeId = ++matcher.lastTradeId;
        e.symbol = book.symbol;
        e.venue = q.venue;
        e.priceTicks = price;
        e.qty = qty;
        e.side = customerBuys ? Side.SELL : Side.BUY;
        e.orderId = 0;
        e.accountId = provider.id();
        e.counterOrderId = store.get(slot, ORDER_ID);
        e.counterAccountId = customer.id();
        e.takerFee = providerFee;
        e.makerFee = customerFee;
        e.leavesQty = 0;
        e.counterLeavesQty = store.leaves(slot);
        out.emit();

        if (store.leaves(slot) == 0) {
            matcher.unlink(book, level, slot);
        }
        return qty;
    }

    /**
     * The most shares, up to {@code wanted}, that {@code cash} buys at {@code price} with the
     * taker fee: the largest q with {@code q x price + floor(q x price x bps / 10,000) <= cash}
     * (the cost grows with q, so a binary search finds it; products that overflow cost too much).
     */
    static long affordable(long cash, long price, long wanted, int takerFeeBps) {
        long lo = 0;
        long hi = Math.min(wanted, cash / price);
        while (lo < hi) {
            long mid = lo + (hi - lo + 1) / 2;
            long notional = Money.multiplyOrOverflow(mid, price);
            long fee = notional == Money.OVERFLOW ? Money.OVERFLOW : Fees.charged(notional, takerFeeBps);
            long cost = fee == Money.OVERFLOW ? Money.OVERFLOW : Money.addOrOverflow(notional, fee);
            if (cost != Money.OVERFLOW && cost <= cash) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }
}
