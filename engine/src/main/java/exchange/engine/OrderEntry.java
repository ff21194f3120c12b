package exchange.engine;

import exchange.risk.Account;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.Money;

import java.util.Map;
import java.util.Objects;

import static exchange.engine.OrderStore.CREATED;
import static exchange.engine.OrderStore.EXPIRES;
import static exchange.engine.OrderStore.HOLD;
import static exchange.engine.OrderStore.PRICE;
import static exchange.engine.OrderStore.QTY;
import static exchange.engine.OrderStore.SEQ;
import static exchange.engine.OrderStore.SESSION_DATE;
import static exchange.engine.OrderStore.UPDATED;

/**
 * {@code PLACE_ORDER} and {@code CANCEL_ORDER}, in the order {@code docs/engine-rules.md} lists
 * their checks: malformed input (no order), idempotency against the orders the engine holds (the
 * window), the entry checks (a rejected order; the collar is centred on the mark price of
 * {@link ReferenceQuotes}), then the hold, the FOK pre-check, matching and resting through the
 * {@link Matcher}, and for a symbol that fills against the outside market, the
 * {@link ReferenceFills} of an order that came to rest. A cancel finds only held orders: one that left the window
 * is {@code ORDER_NOT_FOUND} (and is the history database's to describe).
 *
 * <p>Engine thread only; owns no state. Validation completes before any mutation: a rejected
 * order is recorded (it has an id and keeps its client order id) but reserves nothing.
 */
final class OrderEntry {
    private final ExchangeConfig config;
    private final Ledger ledger;
    private final Map<String, OrderBook> bookBySymbol;
    private final OrderStore store;
    private final Matcher matcher;
    private final ExchangeQueries queries;
    private final SessionState session;
    private final EventOut out;
    private final ReferenceQuotes quotes;
    private final ReferenceFills referenceFills;

    OrderEntry(ExchangeConfig config, Ledger ledger, Map<String, OrderBook> bookBySymbol, OrderStore store,
               Matcher matcher, ExchangeQueries queries, SessionState session, EventOut out, ReferenceQuotes quotes,
               ReferenceFills referenceFills) {
        this.config = config;
        this.ledger = ledger;
        this.bookBySymbol = bookBySymbol;
        this.store = store;
        this.matcher = matcher;
        this.queries = queries;
        this.session = session;
        this.out = out;
        this.quotes = quotes;
        this.referenceFills = referenceFills;
    }

    private boolean isValidClientOrderId(String id) {
        if (id == null || id.isEmpty() || id.length() > config.maxClientOrderIdLength()) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char ch = id.charAt(i);
            if (ch < 0x21 || ch > 0x7e) {
                return false;
            }
        }
        return true;
    }

    void placeOrder(Command c) {
        Account account = ledger.account(c.accountId);
        if (account == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        if (!isValidClientOrderId(c.clientOrderId)) {
            c.result = ResultCode.INVALID_CLIENT_ORDER_ID;
            return;
        }
        int existing = store.slotOfClientId(c.accountId, c.clientOrderId);
        if (existing != 0) {
            int diff = differingFields(existing, c);
            c.conflictFields = diff;
            c.result = diff == 0 ? ResultCode.DUPLICATE : ResultCode.CONFLICT;
            queries.respond(c, existing, c.clientOrderId);
            return;
        }
        if (c.side == null || c.timeInForce == null || c.selfTradePrevention == null) {
            c.result = ResultCode.INVALID_COMMAND;
            return;
        }
        OrderBook book = c.symbol == null ? null : bookBySymbol.get(c.symbol);
        int slot = newOrder(c, book);

        ResultCode reject = validateNewOrder(c, account, book);
        if (reject != null) {
            store.markEnded(slot, OrderStatus.REJECTED, session.closeCount);
            store.setRejectReason(slot, reject);
            c.result = reject;
            entryEvent(EventType.ORDER_REJECTED, slot, c).code = reject;
            out.emit();
            queries.respond(c, slot, c.clientOrderId);
            return;
        }

        long hold = c.side == Side.BUY ? Holds.buyHold(c.qty, c.priceTicks, account.maxFeeBps()) : c.qty;
        ledger.reserve(account, c.side == Side.BUY ? Ledger.CASH : book.symbolIndex + 1, hold);
        store.set(slot, HOLD, hold);
        entryEvent(EventType.ORDER_ACCEPTED, slot, c).amount = hold;
        out.emit();

        SelfTradePrevention stp = c.selfTradePrevention == SelfTradePrevention.DEFAULT
                ? config.defaultSelfTradePrevention() : c.selfTradePrevention;
        if (c.timeInForce == TimeInForce.FOK && !matcher.canFillCompletely(book, c.side, c.priceTicks, c.qty, c.accountId, stp)) {
            matcher.endOrder(slot, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_FOK, false);
        } else if (matcher.match(slot, book, c.side, c.priceTicks, account, stp)) {
            long leaves = store.leaves(slot);
            if (leaves > 0) {
                if (c.timeInForce == TimeInForce.IOC) {
                    matcher.endOrder(slot, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_IOC, false);
                } else if (c.timeInForce == TimeInForce.FOK) {
                    matcher.endOrder(slot, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_FOK, false);
                } else {
                    matcher.rest(slot, book, c.side, c.priceTicks, leaves);
                    // post-only would take from the outside market, so it only waits for later quotes
                    if (book.fillsAgainstReference && !c.postOnly) {
                        referenceFills.onRest(slot, book);
                    }
                }
            }
        }
        c.result = ResultCode.OK;
        queries.respond(c, slot, c.clientOrderId);
    }

    /** Records a new order (status NEW, no hold yet) with the next id and returns its slot. */
    private int newOrder(Command c, OrderBook book) {
        int slot = store.create(c.accountId, c.clientOrderId, session.closeCount);
        store.set(slot, PRICE, c.priceTicks);
        store.set(slot, QTY, c.qty);
        store.set(slot, CREATED, c.timestampNanos);
        store.set(slot, UPDATED, c.timestampNanos);
        store.set(slot, SESSION_DATE, session.date);
        store.set(slot, EXPIRES, c.timeInForce == TimeInForce.DAY && session.open ? session.closesAtNanos : 0);
        store.set(slot, SEQ, c.seq);
        store.initMeta(slot, book == null ? -1 : book.symbolIndex, c.side, c.timeInForce, c.postOnly,
                c.selfTradePrevention);
        if (book == null && c.symbol != null) {
            store.setUnlistedSymbol(slot, c.symbol);
        }
        return slot;
    }

    /** Every entry check after idempotency, in the documented order; null if the order may enter. */
    private ResultCode validateNewOrder(Command c, Account account, OrderBook book) {
        if (!session.open) {
            return ResultCode.MARKET_CLOSED;
        }
        if (book == null) {
            return ResultCode.UNKNOWN_SYMBOL;
        }
        if (c.qty < 1 || c.qty > config.maxOrderQty()) {
            return ResultCode.INVALID_QUANTITY;
        }
        long price = c.priceTicks;
        if (price <= 0 || price > config.maxPriceTicks()) {
            return ResultCode.INVALID_PRICE;
        }
        if (price >= Money.SCALE && price % Money.CENT != 0) {
            return ResultCode.INVALID_TICK;
        }
        long notional = Money.multiplyOrOverflow(price, c.qty);
        if (notional == Money.OVERFLOW || notional > config.maxOrderNotional()) {
            return ResultCode.NOTIONAL_TOO_LARGE;
        }
        long reference = quotes.markPriceTicks(book, c.timestampNanos);
        if (reference > 0 && config.priceCollarBps() > 0) {
            long band = Money.multiplyOrOverflow(reference, config.priceCollarBps());
            band = band == Money.OVERFLOW ? Long.MAX_VALUE : band / Fees.BPS;
            if (price < reference - band || price - reference > band) {
                return ResultCode.PRICE_OUTSIDE_COLLAR;
            }
        }
        if (store.account(c.accountId).restingOrders >= config.maxOpenOrdersPerAccount()) {
            return ResultCode.TOO_MANY_OPEN_ORDERS;
        }
        if (c.postOnly) {
            long best = book.side(c.side.opposite()).bestPrice();
            if (best != 0 && (c.side == Side.BUY ? best <= price : best >= price)) {
                return ResultCode.POST_ONLY_WOULD_TAKE;
            }
        }
        if (c.side == Side.BUY) {
            long hold = Holds.buyHold(c.qty, price, account.maxFeeBps());
            // a hold that does not fit in a long exceeds any balance
            if (hold == Money.OVERFLOW || !ledger.canReserve(account, Ledger.CASH, hold)) {
                return ResultCode.INSUFFICIENT_BUYING_POWER;
            }
        } else if (!ledger.canReserve(account, book.symbolIndex + 1, c.qty)) {
            return ResultCode.INSUFFICIENT_POSITION;
        }
        return null;
    }

    private int differingFields(int slot, Command c) {
        int diff = 0;
        if (!Objects.equals(store.symbol(slot), c.symbol)) {
            diff |= OrderView.FIELD_SYMBOL;
        }
        if (store.side(slot) != c.side) {
            diff |= OrderView.FIELD_SIDE;
        }
        if (store.get(slot, QTY) != c.qty) {
            diff |= OrderView.FIELD_QTY;
        }
        if (store.get(slot, PRICE) != c.priceTicks) {
            diff |= OrderView.FIELD_LIMIT_PRICE;
        }
        if (store.timeInForce(slot) != c.timeInForce) {
            diff |= OrderView.FIELD_TIME_IN_FORCE;
        }
        if (store.postOnly(slot) != c.postOnly) {
            diff |= OrderView.FIELD_POST_ONLY;
        }
        if (store.selfTradePrevention(slot) != c.selfTradePrevention) {
            diff |= OrderView.FIELD_SELF_TRADE_PREVENTION;
        }
        return diff;
    }

    void cancelOrder(Command c) {
        int slot = queries.ownedSlot(c.accountId, c.orderId);
        if (slot == 0) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            cancelRejected(c);
            return;
        }
        OrderStatus status = store.status(slot);
        if (status == OrderStatus.CANCELED) {
            c.result = ResultCode.DUPLICATE;
        } else if (status.isTerminal()) {
            c.result = ResultCode.TOO_LATE_TO_CANCEL;
            cancelRejected(c);
        } else {
            matcher.endOrder(slot, OrderStatus.CANCELED, ExpiryReason.NONE, true);
            c.result = ResultCode.OK;
        }
        queries.respond(c, slot, null);
    }

    private void cancelRejected(Command c) {
        EngineEvent e = out.event(EventType.CANCEL_REJECTED);
        e.accountId = c.accountId;
        e.orderId = c.orderId;
        e.code = c.result;
        out.emit();
    }

    /** What {@link Exchange#prefetch} touches for a place: the idempotency cell of its client id. */
    int touchClientId(Command c) {
        return store.account(c.accountId).byClientOrderId.touch(c.clientOrderId.hashCode());
    }

    /** The ORDER_ACCEPTED or ORDER_REJECTED event of a new order: its entry fields, as the command asked. */
    private EngineEvent entryEvent(EventType type, int slot, Command c) {
        EngineEvent e = matcher.orderEvent(type, slot);
        e.clientOrderId = c.clientOrderId;
        e.qty = c.qty;
        e.priceTicks = c.priceTicks;
        e.timeInForce = c.timeInForce;
        e.postOnly = c.postOnly;
        e.selfTradePrevention = c.selfTradePrevention;
        return e;
    }
}
