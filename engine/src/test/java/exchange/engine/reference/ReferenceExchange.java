package exchange.engine.reference;

import exchange.engine.AccountSnapshot;
import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.EventType;
import exchange.engine.ExchangeConfig;
import exchange.engine.ExpiryReason;
import exchange.engine.MarkSource;
import exchange.engine.OrderPage;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.SessionStatus;
import exchange.engine.Side;
import exchange.engine.StateSummary;
import exchange.engine.SymbolConfig;
import exchange.engine.TimeInForce;
import exchange.engine.testing.Venue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A deliberately naive implementation of {@code docs/engine-rules.md}, written from the document
 * alone, to check the real engine against (differential testing). Every book is a plain
 * {@link ArrayList} of resting orders kept sorted best price first, then arrival; every lookup is a
 * linear scan or a {@link HashMap} get; every amount that could overflow is computed with
 * {@link BigInteger}. Speed does not matter here; being obviously right does.
 *
 * <p>It consumes the same {@link Command}s as {@code Exchange}, writes the same result fields
 * ({@code seq, result, order, conflictFields, resultAccountId, queryResult}) and emits the same
 * {@link EngineEvent}s. Not thread safe; one test thread owns it.
 *
 * <p>It holds orders as the engine must: every live order, and an ended one until a session close
 * leaves {@code max(createdCloseCount, endedCloseCount)} below the window start
 * {@code max(0, closeCount - idempotencySessions)}; then the order, its client order id and its
 * place in the account's list go, at once, with no trace kept.
 *
 * <p>Where the rules document is silent, the choice made here is marked "(doc silent)".
 */
public final class ReferenceExchange implements Venue {
    private static final long BPS = 10_000L;
    private static final long ONE_DOLLAR = 10_000L;
    private static final long CENT = 100L;
    private static final int MAX_NAME_LENGTH = 64;
    private static final int MAX_TRANSFER_ID_LENGTH = 64;

    private final ExchangeConfig config;
    private final List<String> assets = new ArrayList<>();
    private final Map<String, Long> referencePrice = new HashMap<>();
    private final Map<String, Long> lastTradePrice = new HashMap<>();
    private final Map<String, List<RefOrder>> bids = new HashMap<>();
    private final Map<String, List<RefOrder>> asks = new HashMap<>();
    private final List<RefAccount> accounts = new ArrayList<>();
    /** The orders held, by id: live ones and ended ones inside the idempotency window. */
    private final TreeMap<Long, RefOrder> held = new TreeMap<>();
    private long lastOrderId;
    private long closeCount;
    private long lastEvictionSeq;
    private final Map<String, Transfer> transfers = new HashMap<>();
    private final long[] deposited;
    private final long[] withdrawn;
    private long feesCollected;
    private long lastSeq;
    private long lastTradeId;
    private boolean sessionOpen;
    private long sessionDate;
    private long sessionClosesAtNanos;
    /** Per symbol, each venue's latest quote, in the order the venues first quoted it. */
    private final Map<String, List<RefQuote>> quotes = new HashMap<>();

    private final EngineEvent event = new EngineEvent();

    /** An account: balances per asset (index 0 = USD, then the symbols in configured order). */
    private static final class RefAccount {
        long id;
        String name;
        int makerFeeBps;
        int takerFeeBps;
        long[] total;
        long[] reserved;
        long feesPaid;
        long fillCount;
        final Map<String, RefOrder> byClientOrderId = new HashMap<>();
        /** The account's held orders, oldest first. */
        final List<RefOrder> orders = new ArrayList<>();

        int maxFeeBps() {
            return Math.max(makerFeeBps, takerFeeBps);
        }
    }

    /** Every field of an order as the rules describe it. */
    private static final class RefOrder {
        final OrderView v = new OrderView();
        /** closeCount when the order was created, and when it became terminal. */
        long createdCloseCount;
        long endedCloseCount;
    }

    private record Transfer(CommandType kind, long accountId, String asset, long amount) {
    }

    /** One venue's latest quote for one symbol, with what fills have left of its sizes. */
    private static final class RefQuote {
        String venue;
        long bid;
        long bidQty;
        long ask;
        long askQty;
        long last;
        long staleAfterNanos;
        long timeNanos;
        long bidLeft;
        long askLeft;

        boolean freshAt(long nowNanos) {
            return nowNanos - timeNanos <= staleAfterNanos;
        }
    }

    public ReferenceExchange(ExchangeConfig config) {
        this.config = config;
        assets.add("USD");
        for (SymbolConfig s : config.symbols()) {
            assets.add(s.symbol());
            referencePrice.put(s.symbol(), s.referencePriceTicks());
            lastTradePrice.put(s.symbol(), 0L);
            quotes.put(s.symbol(), new ArrayList<>());
            bids.put(s.symbol(), new ArrayList<>());
            asks.put(s.symbol(), new ArrayList<>());
        }
        deposited = new long[assets.size()];
        withdrawn = new long[assets.size()];
    }

    // ---- read access for tests ----------------------------------------------------------------

    @Override
    public long lastSeq() {
        return lastSeq;
    }

    @Override
    public boolean isSessionOpen() {
        return sessionOpen;
    }

    public long sessionDate() {
        return sessionDate;
    }

    public int accountCount() {
        return accounts.size();
    }

    /** The account's total of {@code asset} ("USD" or a symbol); 0 for an unknown account. */
    @Override
    public long total(long accountId, String asset) {
        RefAccount a = account(accountId);
        return a == null ? 0 : a.total[assets.indexOf(asset)];
    }

    @Override
    public long reserved(long accountId, String asset) {
        RefAccount a = account(accountId);
        return a == null ? 0 : a.reserved[assets.indexOf(asset)];
    }

    public long feesPaid(long accountId) {
        return account(accountId).feesPaid;
    }

    public long fillCount(long accountId) {
        return account(accountId).fillCount;
    }

    @Override
    public long feesCollected() {
        return feesCollected;
    }

    public long deposited(String asset) {
        return deposited[assets.indexOf(asset)];
    }

    public long withdrawn(String asset) {
        return withdrawn[assets.indexOf(asset)];
    }

    @Override
    public long closeCount() {
        return closeCount;
    }

    /** {@code W = max(0, closeCount - idempotencySessions)}. */
    @Override
    public long windowStartCloseCount() {
        return Math.max(0, closeCount - config.idempotencySessions());
    }

    @Override
    public long lastEvictionSeq() {
        return lastEvictionSeq;
    }

    @Override
    public long heldOrderCount() {
        return held.size();
    }

    /** The last order id given out (held or not). */
    public long lastOrderId() {
        return lastOrderId;
    }

    @Override
    public boolean order(long orderId, OrderView into) {
        RefOrder o = orderById(orderId);
        if (o == null) {
            into.clear();
            return false;
        }
        into.copyFrom(o.v);
        return true;
    }

    /** Copies of every open order, ascending order id. */
    @Override
    public List<OrderView> openOrders() {
        List<OrderView> out = new ArrayList<>();
        for (RefOrder o : restingOrders()) {
            out.add(o.v.copy());
        }
        return out;
    }

    @Override
    public long openOrderCount() {
        return restingOrders().size();
    }

    /** Every order on any book, ascending order id. Open orders are exactly the resting ones. */
    private List<RefOrder> restingOrders() {
        List<RefOrder> all = new ArrayList<>();
        for (String symbol : assets.subList(1, assets.size())) {
            all.addAll(bids.get(symbol));
            all.addAll(asks.get(symbol));
        }
        all.sort((x, y) -> Long.compare(x.v.orderId, y.v.orderId));
        return all;
    }

    @Override
    public long bestBidTicks(String symbol) {
        List<RefOrder> book = bids.get(symbol);
        return book == null || book.isEmpty() ? 0 : book.get(0).v.priceTicks;
    }

    @Override
    public long bestAskTicks(String symbol) {
        List<RefOrder> book = asks.get(symbol);
        return book == null || book.isEmpty() ? 0 : book.get(0).v.priceTicks;
    }

    @Override
    public long lastTradePriceTicks(String symbol) {
        Long p = lastTradePrice.get(symbol);
        return p == null ? 0 : p;
    }

    // ---- apply ---------------------------------------------------------------------------------

    /** Applies one command: the rules document, step by step. */
    /** The model has no internal structure beyond what its checks read: nothing to validate. */
    @Override
    public void validate() {
    }

    @Override
    public void apply(Command c, EventSink sink) {
        c.clearResult();
        if (c.type.isJournaled()) {
            if (c.seq != 0 && c.seq != lastSeq + 1) {
                throw new IllegalStateException("replayed command carries seq " + c.seq + ", expected " + (lastSeq + 1));
            }
            lastSeq++;
            c.seq = lastSeq;
        }
        switch (c.type) {
            case CREATE_ACCOUNT -> createAccount(c, sink);
            case DEPOSIT, WITHDRAW -> transfer(c, sink);
            case PLACE_ORDER -> placeOrder(c, sink);
            case CANCEL_ORDER -> cancelOrder(c, sink);
            case SESSION_OPEN -> sessionOpen(c, sink);
            case SESSION_CLOSE -> sessionClose(c, sink);
            case QUERY_ORDER -> queryOrder(c);
            case QUERY_ORDER_BY_CLIENT_ID -> queryOrderByClientId(c);
            case QUERY_ORDERS -> queryOrders(c);
            case QUERY_ACCOUNT -> queryAccount(c);
            case QUERY_STATE -> c.result = ResultCode.OK;
            case SNAPSHOT -> c.result = ResultCode.OK;
            case QUERY_SESSION -> {
                StateSummary s = summary(0);
                c.queryResult = new SessionStatus(s.sessionOpen(), s.sessionDate());
                c.result = ResultCode.OK;
            }
            case REFERENCE_QUOTE -> referenceQuote(c, sink);
            default -> throw new IllegalArgumentException("unknown command type " + c.type);
        }
        if (c.type == CommandType.QUERY_STATE) {
            c.queryResult = summary(0);
        }
    }

    private void createAccount(Command c, EventSink sink) {
        if (c.name == null || c.name.isEmpty() || c.name.length() > MAX_NAME_LENGTH) {
            c.result = ResultCode.INVALID_NAME;
            return;
        }
        if (c.makerFeeBps < 0 || c.makerFeeBps > 1000 || c.takerFeeBps < 0 || c.takerFeeBps > 1000) {
            c.result = ResultCode.INVALID_FEE;
            return;
        }
        if (accounts.size() >= config.maxAccounts()) {
            c.result = ResultCode.TOO_MANY_ACCOUNTS;
            return;
        }
        RefAccount a = new RefAccount();
        a.id = accounts.size() + 1L;
        a.name = c.name;
        a.makerFeeBps = c.makerFeeBps;
        a.takerFeeBps = c.takerFeeBps;
        a.total = new long[assets.size()];
        a.reserved = new long[assets.size()];
        accounts.add(a);
        c.result = ResultCode.OK;
        c.resultAccountId = a.id;
        EngineEvent e = event(EventType.ACCOUNT_CREATED, c);
        e.accountId = a.id;
        e.name = c.name;
        e.apiKeyHash = c.apiKeyHash;
        e.makerFeeBps = c.makerFeeBps;
        e.takerFeeBps = c.takerFeeBps;
        sink.onEvent(e);
    }

    private void transfer(Command c, EventSink sink) {
        boolean deposit = c.type == CommandType.DEPOSIT;
        ResultCode code = transferCheck(c, deposit);
        if (code == ResultCode.DUPLICATE) {
            c.result = code;
            return;
        }
        EngineEvent e;
        if (code != ResultCode.OK) {
            c.result = code;
            e = event(EventType.TRANSFER_REJECTED, c);
            e.code = code;
        } else {
            RefAccount a = account(c.accountId);
            int asset = assets.indexOf(c.asset);
            if (deposit) {
                a.total[asset] += c.amount;
                deposited[asset] += c.amount;
            } else {
                a.total[asset] -= c.amount;
                withdrawn[asset] += c.amount;
            }
            transfers.put(c.transferId, new Transfer(c.type, c.accountId, c.asset, c.amount));
            c.result = ResultCode.OK;
            e = event(deposit ? EventType.FUNDS_DEPOSITED : EventType.FUNDS_WITHDRAWN, c);
        }
        e.accountId = c.accountId;
        e.asset = c.asset;
        e.amount = c.amount;
        e.transferId = c.transferId;
        sink.onEvent(e);
    }

    private ResultCode transferCheck(Command c, boolean deposit) {
        if (c.transferId == null || c.transferId.isEmpty() || c.transferId.length() > MAX_TRANSFER_ID_LENGTH) {
            return ResultCode.INVALID_TRANSFER_ID;
        }
        Transfer prior = transfers.get(c.transferId);
        if (prior != null) {
            boolean same = prior.kind() == c.type && prior.accountId() == c.accountId
                    && Objects.equals(prior.asset(), c.asset) && prior.amount() == c.amount;
            return same ? ResultCode.DUPLICATE : ResultCode.CONFLICT;
        }
        RefAccount a = account(c.accountId);
        if (a == null) {
            return ResultCode.ACCOUNT_NOT_FOUND;
        }
        int asset = c.asset == null ? -1 : assets.indexOf(c.asset);
        if (asset < 0) {
            return ResultCode.UNKNOWN_ASSET;
        }
        if (c.amount <= 0) {
            return ResultCode.INVALID_AMOUNT;
        }
        if (deposit) {
            BigInteger newTotal = big(a.total[asset]).add(big(c.amount));
            BigInteger newDeposited = big(deposited[asset]).add(big(c.amount));
            if (!fitsLong(newTotal) || !fitsLong(newDeposited)) {
                return ResultCode.OVERFLOW;
            }
        } else if (a.total[asset] - a.reserved[asset] < c.amount) {
            return ResultCode.INSUFFICIENT_FUNDS;
        }
        return ResultCode.OK;
    }

    // ---- place ---------------------------------------------------------------------------------

    private void placeOrder(Command c, EventSink sink) {
        RefAccount a = account(c.accountId);
        if (a == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        if (!validClientOrderId(c.clientOrderId)) {
            c.result = ResultCode.INVALID_CLIENT_ORDER_ID;
            return;
        }
        if (c.side == null || c.timeInForce == null || c.selfTradePrevention == null) {
            // (doc silent on a null self-trade-prevention; treated like a missing side)
            c.result = ResultCode.INVALID_COMMAND;
            return;
        }
        RefOrder prior = a.byClientOrderId.get(c.clientOrderId);
        if (prior != null) {
            int diff = differingFields(prior.v, c);
            c.result = diff == 0 ? ResultCode.DUPLICATE : ResultCode.CONFLICT;
            c.conflictFields = diff;
            c.order.copyFrom(prior.v);
            return;
        }

        RefOrder o = new RefOrder();
        OrderView v = o.v;
        v.orderId = ++lastOrderId;
        o.createdCloseCount = closeCount;
        v.clientOrderId = c.clientOrderId;
        v.accountId = a.id;
        v.symbol = c.symbol;
        v.side = c.side;
        v.qty = c.qty;
        v.priceTicks = c.priceTicks;
        v.timeInForce = c.timeInForce;
        v.postOnly = c.postOnly;
        v.selfTradePrevention = c.selfTradePrevention;
        v.createdAtNanos = c.timestampNanos;
        v.updatedAtNanos = c.timestampNanos;
        // (doc silent) while closed, an order (rejected MARKET_CLOSED) carries the last session's date
        v.sessionDate = sessionDate;
        // (doc silent) a DAY order carries its session's close from entry on, rejected or not
        v.expiresAtNanos = v.timeInForce == TimeInForce.DAY && sessionOpen ? sessionClosesAtNanos : 0;
        // (doc silent) expiryReason stays null until the order expires
        v.seq = c.seq;
        held.put(v.orderId, o);
        a.orders.add(o);
        a.byClientOrderId.put(c.clientOrderId, o);

        ResultCode reject = entryCheck(a, c);
        if (reject != ResultCode.OK) {
            v.status = OrderStatus.REJECTED;
            o.endedCloseCount = closeCount;
            v.rejectReason = reject;
            c.result = reject;
            EngineEvent e = orderEvent(EventType.ORDER_REJECTED, c, v);
            e.clientOrderId = v.clientOrderId;
            e.priceTicks = v.priceTicks;
            e.timeInForce = v.timeInForce;
            e.postOnly = v.postOnly;
            e.selfTradePrevention = v.selfTradePrevention;
            e.qty = v.qty;
            e.code = reject;
            sink.onEvent(e);
            c.order.copyFrom(v);
            return;
        }

        int asset = v.side == Side.BUY ? 0 : assets.indexOf(v.symbol);
        long hold = v.side == Side.BUY ? buyHold(v.qty, v.priceTicks, a.maxFeeBps()).longValueExact() : v.qty;
        a.reserved[asset] += hold;
        v.status = OrderStatus.NEW;
        v.leavesQty = v.qty;
        v.holdAmount = hold;
        EngineEvent accepted = orderEvent(EventType.ORDER_ACCEPTED, c, v);
        accepted.clientOrderId = v.clientOrderId;
        accepted.priceTicks = v.priceTicks;
        accepted.timeInForce = v.timeInForce;
        accepted.postOnly = v.postOnly;
        accepted.selfTradePrevention = v.selfTradePrevention;
        accepted.qty = v.qty;
        accepted.amount = hold;
        sink.onEvent(accepted);

        if (v.timeInForce == TimeInForce.FOK && reachableQty(a, v) < v.qty) {
            expire(o, ExpiryReason.UNFILLED_FOK, c, sink);
        } else {
            match(a, o, c, sink);
            if (v.status.isTerminal()) {
                // filled, or expired by self-trade prevention
            } else if (v.timeInForce == TimeInForce.FOK) {
                throw new IllegalStateException("reference model bug: FOK passed its check but did not fill " + v);
            } else if (v.timeInForce == TimeInForce.IOC) {
                expire(o, ExpiryReason.UNFILLED_IOC, c, sink);
            } else {
                rest(o);
                if (!v.postOnly) {
                    fillNewlyRestingAgainstVenues(o, c, sink);
                }
            }
        }
        c.result = ResultCode.OK;
        c.order.copyFrom(v);
    }

    private boolean validClientOrderId(String id) {
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

    private static int differingFields(OrderView v, Command c) {
        int bits = 0;
        if (!Objects.equals(v.symbol, c.symbol)) {
            bits |= OrderView.FIELD_SYMBOL;
        }
        if (v.side != c.side) {
            bits |= OrderView.FIELD_SIDE;
        }
        if (v.qty != c.qty) {
            bits |= OrderView.FIELD_QTY;
        }
        if (v.priceTicks != c.priceTicks) {
            bits |= OrderView.FIELD_LIMIT_PRICE;
        }
        if (v.timeInForce != c.timeInForce) {
            bits |= OrderView.FIELD_TIME_IN_FORCE;
        }
        if (v.postOnly != c.postOnly) {
            bits |= OrderView.FIELD_POST_ONLY;
        }
        if (v.selfTradePrevention != c.selfTradePrevention) {
            bits |= OrderView.FIELD_SELF_TRADE_PREVENTION;
        }
        return bits;
    }

    /** Step 3 of the rules, in the documented order. */
    private ResultCode entryCheck(RefAccount a, Command c) {
        if (!sessionOpen) {
            return ResultCode.MARKET_CLOSED;
        }
        if (c.symbol == null || !referencePrice.containsKey(c.symbol)) {
            return ResultCode.UNKNOWN_SYMBOL;
        }
        if (c.qty < 1 || c.qty > config.maxOrderQty()) {
            return ResultCode.INVALID_QUANTITY;
        }
        if (c.priceTicks <= 0 || c.priceTicks > config.maxPriceTicks()) {
            return ResultCode.INVALID_PRICE;
        }
        if (c.priceTicks >= ONE_DOLLAR && c.priceTicks % CENT != 0) {
            return ResultCode.INVALID_TICK;
        }
        BigInteger notional = big(c.priceTicks).multiply(big(c.qty));
        if (!fitsLong(notional) || notional.compareTo(big(config.maxOrderNotional())) > 0) {
            return ResultCode.NOTIONAL_TOO_LARGE;
        }
        long reference = markPrice(c.symbol, c.timestampNanos);
        if (reference != 0 && config.priceCollarBps() != 0) {
            BigInteger band = big(reference).multiply(big(config.priceCollarBps())).divide(big(BPS));
            BigInteger price = big(c.priceTicks);
            if (price.compareTo(big(reference).subtract(band)) < 0 || price.compareTo(big(reference).add(band)) > 0) {
                return ResultCode.PRICE_OUTSIDE_COLLAR;
            }
        }
        long open = 0;
        for (RefOrder o : restingOrders()) {
            if (o.v.accountId == a.id) {
                open++;
            }
        }
        if (open >= config.maxOpenOrdersPerAccount()) {
            return ResultCode.TOO_MANY_OPEN_ORDERS;
        }
        if (c.postOnly) {
            long best = c.side == Side.BUY ? bestAskTicks(c.symbol) : bestBidTicks(c.symbol);
            if (best != 0 && (c.side == Side.BUY ? c.priceTicks >= best : c.priceTicks <= best)) {
                return ResultCode.POST_ONLY_WOULD_TAKE;
            }
        }
        if (c.side == Side.BUY) {
            BigInteger available = big(a.total[0] - a.reserved[0]);
            if (available.compareTo(buyHold(c.qty, c.priceTicks, a.maxFeeBps())) < 0) {
                return ResultCode.INSUFFICIENT_BUYING_POWER;
            }
        } else {
            int asset = assets.indexOf(c.symbol);
            if (a.total[asset] - a.reserved[asset] < c.qty) {
                return ResultCode.INSUFFICIENT_POSITION;
            }
        }
        return ResultCode.OK;
    }

    /** {@code R(L) = L x limit + ceil(L x limit x maxFeeBps / 10,000)}, exactly. */
    public static BigInteger buyHold(long leaves, long limitTicks, int maxFeeBps) {
        BigInteger notional = big(leaves).multiply(big(limitTicks));
        BigInteger[] qr = notional.multiply(big(maxFeeBps)).divideAndRemainder(big(BPS));
        BigInteger fee = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
        return notional.add(fee);
    }

    private long buyHoldOf(RefOrder o, long leaves) {
        return buyHold(leaves, o.v.priceTicks, account(o.v.accountId).maxFeeBps()).longValueExact();
    }

    private SelfTradePrevention stpMode(RefOrder taker) {
        SelfTradePrevention m = taker.v.selfTradePrevention;
        return m == SelfTradePrevention.DEFAULT ? config.defaultSelfTradePrevention() : m;
    }

    private static boolean crosses(OrderView taker, long restingPrice) {
        return taker.side == Side.BUY ? restingPrice <= taker.priceTicks : restingPrice >= taker.priceTicks;
    }

    private List<RefOrder> opposite(OrderView taker) {
        return taker.side == Side.BUY ? asks.get(taker.symbol) : bids.get(taker.symbol);
    }

    /** Step 5: resting quantity a FOK order could reach, stopping at an own order unless cancel-oldest. */
    private long reachableQty(RefAccount a, OrderView taker) {
        long sum = 0;
        boolean skipOwn = stpMode(orderById(taker.orderId)) == SelfTradePrevention.CANCEL_OLDEST;
        for (RefOrder r : opposite(taker)) {
            if (!crosses(taker, r.v.priceTicks)) {
                break;
            }
            if (r.v.accountId == a.id) {
                if (skipOwn) {
                    continue;
                }
                break;
            }
            sum += r.v.leavesQty;
        }
        return sum;
    }

    /** Step 6. */
    private void match(RefAccount takerAccount, RefOrder taker, Command c, EventSink sink) {
        OrderView t = taker.v;
        List<RefOrder> book = opposite(t);
        while (t.leavesQty > 0 && !book.isEmpty() && crosses(t, book.get(0).v.priceTicks)) {
            RefOrder maker = book.get(0);
            OrderView m = maker.v;
            long qty = Math.min(t.leavesQty, m.leavesQty);
            if (m.accountId == t.accountId) {
                SelfTradePrevention mode = stpMode(taker);
                EngineEvent e = event(EventType.SELF_TRADE_PREVENTED, c);
                e.accountId = t.accountId;
                e.orderId = t.orderId;
                e.counterOrderId = m.orderId;
                e.symbol = t.symbol;
                e.side = t.side;
                e.priceTicks = m.priceTicks;
                e.qty = qty;
                sink.onEvent(e);
                if (mode == SelfTradePrevention.CANCEL_NEWEST) {
                    expire(taker, ExpiryReason.SELF_TRADE_PREVENTION, c, sink);
                    return;
                }
                expire(maker, ExpiryReason.SELF_TRADE_PREVENTION, c, sink);
                if (mode == SelfTradePrevention.CANCEL_BOTH) {
                    expire(taker, ExpiryReason.SELF_TRADE_PREVENTION, c, sink);
                    return;
                }
                continue;
            }
            trade(takerAccount, taker, maker, qty, c, sink);
        }
    }

    private void trade(RefAccount takerAccount, RefOrder taker, RefOrder maker, long qty, Command c, EventSink sink) {
        OrderView t = taker.v;
        OrderView m = maker.v;
        RefAccount makerAccount = account(m.accountId);
        long price = m.priceTicks;
        long notional = big(price).multiply(big(qty)).longValueExact();
        long takerFee = floorFee(notional, takerAccount.takerFeeBps);
        long makerFee = floorFee(notional, makerAccount.makerFeeBps);
        RefOrder buy = t.side == Side.BUY ? taker : maker;
        RefOrder sell = t.side == Side.BUY ? maker : taker;
        RefAccount buyer = account(buy.v.accountId);
        RefAccount seller = account(sell.v.accountId);
        long buyerFee = buy == taker ? takerFee : makerFee;
        long sellerFee = sell == taker ? takerFee : makerFee;
        int shares = assets.indexOf(t.symbol);

        long holdBefore = buyHoldOf(buy, buy.v.leavesQty);
        long holdAfter = buyHoldOf(buy, buy.v.leavesQty - qty);
        buyer.reserved[0] -= holdBefore - holdAfter;
        buyer.total[0] -= notional + buyerFee;
        buyer.total[shares] += qty;
        seller.reserved[shares] -= qty;
        seller.total[shares] -= qty;
        seller.total[0] += notional - sellerFee;
        feesCollected += takerFee + makerFee;
        buyer.feesPaid += buyerFee;
        seller.feesPaid += sellerFee;
        buyer.fillCount++;
        seller.fillCount++;
        lastTradePrice.put(t.symbol, price);
        long tradeId = ++lastTradeId;

        for (RefOrder o : new RefOrder[] {taker, maker}) {
            OrderView v = o.v;
            v.filledQty += qty;
            v.leavesQty -= qty;
            v.filledNotional += notional;
            v.holdAmount = v.side == Side.BUY ? buyHoldOf(o, v.leavesQty) : v.leavesQty;
            v.status = v.leavesQty == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
            if (v.leavesQty == 0) {
                o.endedCloseCount = closeCount;
            }
            v.updatedAtNanos = c.timestampNanos;
            v.seq = c.seq;
        }
        if (m.leavesQty == 0) {
            opposite(t).remove(maker);
        }

        EngineEvent e = event(EventType.TRADE_EXECUTED, c);
        e.tradeId = tradeId;
        e.symbol = t.symbol;
        e.priceTicks = price;
        e.qty = qty;
        e.side = t.side;
        e.orderId = t.orderId;
        e.accountId = t.accountId;
        e.counterOrderId = m.orderId;
        e.counterAccountId = m.accountId;
        e.takerFee = takerFee;
        e.makerFee = makerFee;
        e.leavesQty = t.leavesQty;
        e.counterLeavesQty = m.leavesQty;
        sink.onEvent(e);
    }

    private static long floorFee(long notional, int bps) {
        return big(notional).multiply(big(bps)).divide(big(BPS)).longValueExact();
    }

    /** Step 7 for day/gtc: behind every order already at its price. */
    private void rest(RefOrder o) {
        List<RefOrder> book = o.v.side == Side.BUY ? bids.get(o.v.symbol) : asks.get(o.v.symbol);
        int i = 0;
        while (i < book.size() && !isBetter(o.v, book.get(i).v)) {
            i++;
        }
        book.add(i, o);
    }

    /** True if {@code a} has a strictly better price than {@code b} on their (shared) side. */
    private static boolean isBetter(OrderView a, OrderView b) {
        return a.side == Side.BUY ? a.priceTicks > b.priceTicks : a.priceTicks < b.priceTicks;
    }

    /** Ends a live order: releases its whole remaining hold and takes it off the book. */
    private long endOrder(RefOrder o, OrderStatus status, Command c) {
        OrderView v = o.v;
        RefAccount a = account(v.accountId);
        long released = v.holdAmount;
        a.reserved[v.side == Side.BUY ? 0 : assets.indexOf(v.symbol)] -= released;
        (v.side == Side.BUY ? bids : asks).get(v.symbol).remove(o);
        v.status = status;
        o.endedCloseCount = closeCount;
        v.leavesQty = 0;
        v.holdAmount = 0;
        v.updatedAtNanos = c.timestampNanos;
        v.seq = c.seq;
        return released;
    }

    private void expire(RefOrder o, ExpiryReason reason, Command c, EventSink sink) {
        long qty = o.v.leavesQty;
        long released = endOrder(o, OrderStatus.EXPIRED, c);
        o.v.expiryReason = reason;
        EngineEvent e = orderEvent(EventType.ORDER_EXPIRED, c, o.v);
        e.qty = qty;
        e.amount = released;
        e.expiryReason = reason;
        sink.onEvent(e);
    }

    // ---- reference quotes and fills against the outside market -------------------------------

    private void referenceQuote(Command c, EventSink sink) {
        if (c.symbol == null || !quotes.containsKey(c.symbol)) {
            c.result = ResultCode.UNKNOWN_SYMBOL;
            return;
        }
        boolean valid = c.venue != null && !c.venue.isEmpty() && c.venue.length() <= 32
                && c.bidPriceTicks > 0 && c.askPriceTicks > c.bidPriceTicks && c.askPriceTicks <= config.maxPriceTicks()
                && onTickLadder(c.bidPriceTicks) && onTickLadder(c.askPriceTicks)
                && c.bidQty > 0 && c.askQty > 0 && c.lastPriceTicks >= 0 && c.lastPriceTicks <= config.maxPriceTicks()
                && c.staleAfterNanos > 0;
        if (!valid) {
            c.result = ResultCode.INVALID_QUOTE;
            return;
        }
        List<RefQuote> list = quotes.get(c.symbol);
        RefQuote q = null;
        for (RefQuote r : list) {
            if (r.venue.equals(c.venue)) {
                q = r;
            }
        }
        if (q == null) {
            if (list.size() == 8) {
                c.result = ResultCode.TOO_MANY_VENUES;
                return;
            }
            q = new RefQuote();
            q.venue = c.venue;
            list.add(q);
        }
        q.bid = c.bidPriceTicks;
        q.bidQty = c.bidQty;
        q.ask = c.askPriceTicks;
        q.askQty = c.askQty;
        q.last = c.lastPriceTicks;
        q.staleAfterNanos = c.staleAfterNanos;
        q.timeNanos = c.timestampNanos;
        q.bidLeft = c.bidQty;
        q.askLeft = c.askQty;
        c.result = ResultCode.OK;
        EngineEvent e = event(EventType.REFERENCE_QUOTED, c);
        e.symbol = c.symbol;
        e.venue = c.venue;
        e.bidPriceTicks = c.bidPriceTicks;
        e.bidQty = c.bidQty;
        e.askPriceTicks = c.askPriceTicks;
        e.askQty = c.askQty;
        e.lastPriceTicks = c.lastPriceTicks;
        e.staleAfterNanos = c.staleAfterNanos;
        sink.onEvent(e);

        RefAccount provider = liquidityProvider(c.symbol);
        if (provider == null) {
            return;
        }
        // customer buys the quote crosses (limit >= its ask), best limit then time; then sells (limit <= its bid)
        for (List<RefOrder> book : List.of(bids.get(c.symbol), asks.get(c.symbol))) {
            for (RefOrder o : new ArrayList<>(book)) {
                boolean buy = o.v.side == Side.BUY;
                if (buy ? o.v.priceTicks < q.ask : o.v.priceTicks > q.bid) {
                    break;
                }
                if ((buy ? q.askLeft : q.bidLeft) == 0) {
                    break;
                }
                if (o.v.accountId != provider.id && fillAgainstVenue(o, q, provider, c, sink) == 0) {
                    break;
                }
            }
        }
    }

    /** The order just come to rest fills against the fresh venues that cross it, best venue price first. */
    private void fillNewlyRestingAgainstVenues(RefOrder o, Command c, EventSink sink) {
        RefAccount provider = liquidityProvider(o.v.symbol);
        if (provider == null || provider.id == o.v.accountId) {
            return;
        }
        boolean buy = o.v.side == Side.BUY;
        while (o.v.leavesQty > 0) {
            RefQuote best = null;
            for (RefQuote q : quotes.get(o.v.symbol)) {
                boolean usable = q.freshAt(c.timestampNanos) && (buy ? q.askLeft > 0 && q.ask <= o.v.priceTicks
                        : q.bidLeft > 0 && q.bid >= o.v.priceTicks);
                // strictly better only: on a tie the venue that quoted the symbol first
                if (usable && (best == null || (buy ? q.ask < best.ask : q.bid > best.bid))) {
                    best = q;
                }
            }
            if (best == null || fillAgainstVenue(o, best, provider, c, sink) == 0) {
                return;
            }
        }
    }

    /** The liquidity provider (lowest id of the configured name) if the symbol fills against the reference now. */
    private RefAccount liquidityProvider(String symbol) {
        if (!sessionOpen || !config.referenceFillSymbols().contains(symbol)) {
            return null;
        }
        for (RefAccount a : accounts) {
            if (a.name.equals(config.liquidityProviderName())) {
                return a;
            }
        }
        return null;
    }

    /** One fill of a resting customer order against a venue's quote; returns the quantity (0 = the provider cannot pay). */
    private long fillAgainstVenue(RefOrder o, RefQuote q, RefAccount provider, Command c, EventSink sink) {
        OrderView v = o.v;
        RefAccount customer = account(v.accountId);
        boolean buy = v.side == Side.BUY;
        long price = buy ? q.ask : q.bid;
        int shares = assets.indexOf(v.symbol);
        long qty = Math.min(v.leavesQty, buy ? q.askLeft : q.bidLeft);
        if (buy) {
            qty = Math.min(qty, provider.total[shares] - provider.reserved[shares]);
        } else {
            // the provider pays price x qty plus its taker fee out of its available cash
            BigInteger cash = big(provider.total[0] - provider.reserved[0]);
            qty = Math.min(qty, (provider.total[0] - provider.reserved[0]) / price);
            while (qty > 0 && big(price).multiply(big(qty)).add(big(floorFee(price, qty, provider.takerFeeBps)))
                    .compareTo(cash) > 0) {
                qty--;
            }
        }
        if (qty <= 0) {
            return 0;
        }
        long notional = big(price).multiply(big(qty)).longValueExact();
        long providerFee = floorFee(notional, provider.takerFeeBps);
        long customerFee = floorFee(notional, customer.makerFeeBps);
        RefAccount buyer = buy ? customer : provider;
        RefAccount seller = buy ? provider : customer;
        if (buy) {
            customer.reserved[0] -= buyHoldOf(o, v.leavesQty) - buyHoldOf(o, v.leavesQty - qty);
        } else {
            customer.reserved[shares] -= qty;
        }
        buyer.total[0] -= notional + (buy ? customerFee : providerFee);
        buyer.total[shares] += qty;
        seller.total[shares] -= qty;
        seller.total[0] += notional - (buy ? providerFee : customerFee);
        customer.feesPaid += customerFee;
        provider.feesPaid += providerFee;
        customer.fillCount++;
        provider.fillCount++;
        feesCollected += customerFee + providerFee;
        lastTradePrice.put(v.symbol, price);
        if (buy) {
            q.askLeft -= qty;
        } else {
            q.bidLeft -= qty;
        }

        v.filledQty += qty;
        v.leavesQty -= qty;
        v.filledNotional += notional;
        v.holdAmount = buy ? buyHoldOf(o, v.leavesQty) : v.leavesQty;
        v.status = v.leavesQty == 0 ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED;
        if (v.leavesQty == 0) {
            o.endedCloseCount = closeCount;
            (buy ? bids : asks).get(v.symbol).remove(o);
        }
        v.updatedAtNanos = c.timestampNanos;
        v.seq = c.seq;

        EngineEvent e = event(EventType.TRADE_EXECUTED, c);
        e.tradeId = ++lastTradeId;
        e.symbol = v.symbol;
        e.venue = q.venue;
        e.priceTicks = price;
        e.qty = qty;
        e.side = buy ? Side.SELL : Side.BUY;
        e.accountId = provider.id;
        e.counterOrderId = v.orderId;
        e.counterAccountId = v.accountId;
        e.takerFee = providerFee;
        e.makerFee = customerFee;
        e.counterLeavesQty = v.leavesQty;
        sink.onEvent(e);
        return qty;
    }

    private static long floorFee(long price, long qty, int bps) {
        return big(price).multiply(big(qty)).multiply(big(bps)).divide(big(BPS)).longValueExact();
    }

    private static boolean onTickLadder(long price) {
        return price < ONE_DOLLAR || price % CENT == 0;
    }

    /** floor((best fresh bid + best fresh ask) / 2) at {@code nowNanos}; 0 if no venue is fresh. */
    private long referenceMid(String symbol, long nowNanos) {
        Long bestBid = null;
        Long bestAsk = null;
        for (RefQuote q : quotes.get(symbol)) {
            if (q.freshAt(nowNanos)) {
                bestBid = bestBid == null ? q.bid : Math.max(bestBid, q.bid);
                bestAsk = bestAsk == null ? q.ask : Math.min(bestAsk, q.ask);
            }
        }
        return bestBid == null ? 0 : big(bestBid).add(big(bestAsk)).divide(big(2)).longValueExact();
    }

    /** Reference mid, else last trade, else the configured reference; 0 = none. */
    private long markPrice(String symbol, long nowNanos) {
        long mid = referenceMid(symbol, nowNanos);
        if (mid != 0) {
            return mid;
        }
        return lastTradePrice.get(symbol) != 0 ? lastTradePrice.get(symbol) : referencePrice.get(symbol);
    }

    private MarkSource markSource(String symbol, long nowNanos) {
        if (referenceMid(symbol, nowNanos) != 0) {
            return MarkSource.REFERENCE;
        }
        if (lastTradePrice.get(symbol) != 0) {
            return MarkSource.LAST_TRADE;
        }
        return referencePrice.get(symbol) != 0 ? MarkSource.CONFIGURED : MarkSource.NONE;
    }

    // ---- cancel --------------------------------------------------------------------------------

    private void cancelOrder(Command c, EventSink sink) {
        RefOrder o = orderById(c.orderId);
        ResultCode reject = null;
        if (o == null || o.v.accountId != c.accountId) {
            reject = ResultCode.ORDER_NOT_FOUND;
        } else if (o.v.status == OrderStatus.CANCELED) {
            c.result = ResultCode.DUPLICATE;
            c.order.copyFrom(o.v);
            return;
        } else if (o.v.status.isTerminal()) {
            reject = ResultCode.TOO_LATE_TO_CANCEL;
            c.order.copyFrom(o.v);
        }
        if (reject != null) {
            c.result = reject;
            EngineEvent e = event(EventType.CANCEL_REJECTED, c);
            e.accountId = c.accountId;
            e.orderId = c.orderId;
            e.code = reject;
            sink.onEvent(e);
            return;
        }
        long qty = o.v.leavesQty;
        long released = endOrder(o, OrderStatus.CANCELED, c);
        EngineEvent e = orderEvent(EventType.ORDER_CANCELED, c, o.v);
        e.qty = qty;
        e.amount = released;
        sink.onEvent(e);
        c.result = ResultCode.OK;
        c.order.copyFrom(o.v);
    }

    // ---- sessions ------------------------------------------------------------------------------

    private void sessionOpen(Command c, EventSink sink) {
        ResultCode reject = null;
        if (sessionOpen) {
            reject = ResultCode.SESSION_ALREADY_OPEN;
        } else if (c.sessionDate <= sessionDate) {
            reject = ResultCode.INVALID_SESSION_DATE;
        }
        if (reject != null) {
            sessionRejected(c, reject, sink);
            return;
        }
        sessionOpen = true;
        sessionDate = c.sessionDate;
        sessionClosesAtNanos = c.sessionClosesAtNanos;
        c.result = ResultCode.OK;
        EngineEvent e = event(EventType.SESSION_OPENED, c);
        e.sessionDate = sessionDate;
        e.amount = sessionClosesAtNanos;
        sink.onEvent(e);
    }

    private void sessionClose(Command c, EventSink sink) {
        if (!sessionOpen) {
            sessionRejected(c, ResultCode.SESSION_ALREADY_CLOSED, sink);
            return;
        }
        long expired = 0;
        for (RefOrder o : restingOrders()) {
            if (o.v.timeInForce == TimeInForce.DAY) {
                expire(o, ExpiryReason.END_OF_DAY, c, sink);
                expired++;
            } else if (o.v.timeInForce == TimeInForce.GTC && sessionDate - o.v.sessionDate >= config.gtcMaxAgeDays()) {
                expire(o, ExpiryReason.GTC_MAX_AGE, c, sink);
                expired++;
            }
        }
        sessionOpen = false;
        c.result = ResultCode.OK;
        EngineEvent e = event(EventType.SESSION_CLOSED, c);
        e.sessionDate = sessionDate;
        e.qty = expired;
        sink.onEvent(e);
        // the idempotency window moves on: ended orders before its start leave
        closeCount++;
        long windowStart = windowStartCloseCount();
        List<RefOrder> leaving = new ArrayList<>();
        for (RefOrder o : held.values()) {
            if (o.v.status.isTerminal() && Math.max(o.createdCloseCount, o.endedCloseCount) < windowStart) {
                leaving.add(o);
            }
        }
        for (RefOrder o : leaving) {
            held.remove(o.v.orderId);
            RefAccount a = account(o.v.accountId);
            a.orders.remove(o);
            a.byClientOrderId.remove(o.v.clientOrderId);
        }
        if (!leaving.isEmpty()) {
            lastEvictionSeq = c.seq;
        }
    }

    private void sessionRejected(Command c, ResultCode code, EventSink sink) {
        c.result = code;
        EngineEvent e = event(EventType.SESSION_REJECTED, c);
        e.code = code;
        e.sessionDate = c.sessionDate;
        sink.onEvent(e);
    }

    // ---- queries -------------------------------------------------------------------------------

    private void queryOrder(Command c) {
        RefOrder o = orderById(c.orderId);
        if (o == null || o.v.accountId != c.accountId) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        c.result = ResultCode.OK;
        c.order.copyFrom(o.v);
    }

    private void queryOrderByClientId(Command c) {
        RefAccount a = account(c.accountId);
        if (a == null) {
            // (doc silent on queries) an unknown account is ACCOUNT_NOT_FOUND
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        RefOrder o = a.byClientOrderId.get(c.clientOrderId);
        if (o == null) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        c.result = ResultCode.OK;
        c.order.copyFrom(o.v);
    }

    private int limit(Command c) {
        if (c.limit <= 0) {
            return ExchangeConfig.DEFAULT_QUERY_LIMIT;
        }
        return Math.min(c.limit, ExchangeConfig.MAX_QUERY_LIMIT);
    }

    private void queryOrders(Command c) {
        RefAccount a = account(c.accountId);
        if (a == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        List<OrderView> out = new ArrayList<>();
        int limit = limit(c);
        for (int i = a.orders.size() - 1; i >= 0 && out.size() < limit; i--) {
            OrderView v = a.orders.get(i).v;
            boolean open = !v.status.isTerminal();
            boolean status = c.orderFilter == Command.OrderFilter.ALL || (c.orderFilter == Command.OrderFilter.OPEN) == open;
            boolean symbol = c.symbol == null || c.symbol.equals(v.symbol);
            boolean after = c.afterNanos == 0 || v.createdAtNanos > c.afterNanos;
            boolean until = c.untilNanos == 0 || v.createdAtNanos <= c.untilNanos;
            boolean before = c.beforeOrderId == 0 || v.orderId < c.beforeOrderId;
            if (status && symbol && after && until && before) {
                out.add(v.copy());
            }
        }
        c.result = ResultCode.OK;
        c.queryResult = new OrderPage(out, windowStartCloseCount(), closeCount, lastEvictionSeq);
    }

    private void queryAccount(Command c) {
        RefAccount a = account(c.accountId);
        if (a == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        List<AccountSnapshot.Position> positions = new ArrayList<>();
        BigInteger equity = big(a.total[0]);
        boolean valued = true;
        for (int i = 1; i < assets.size(); i++) {
            // (doc silent on queries) symbols the account holds no shares of are left out
            if (a.total[i] != 0) {
                String symbol = assets.get(i);
                long mark = markPrice(symbol, c.timestampNanos);
                BigInteger value = big(a.total[i]).multiply(big(mark));
                boolean hasValue = mark != 0 && fitsLong(value);
                positions.add(new AccountSnapshot.Position(symbol, a.total[i], a.reserved[i], mark,
                        markSource(symbol, c.timestampNanos), hasValue ? value.longValueExact() : AccountSnapshot.NO_VALUE));
                valued &= hasValue;
                equity = equity.add(value);
            }
        }
        c.result = ResultCode.OK;
        c.queryResult = new AccountSnapshot(a.id, a.name, a.total[0], a.reserved[0], List.copyOf(positions), lastSeq,
                valued && fitsLong(equity) ? equity.longValueExact() : AccountSnapshot.NO_VALUE);
    }

    /** System totals; {@code stateHash} is the caller's (the model has no hash of its own). */
    public StateSummary summary(long stateHash) {
        long cash = 0;
        long cashReserved = 0;
        for (RefAccount a : accounts) {
            cash += a.total[0];
            cashReserved += a.reserved[0];
        }
        List<StateSummary.AssetTotal> positions = new ArrayList<>();
        for (int i = 1; i < assets.size(); i++) {
            long t = 0;
            long r = 0;
            for (RefAccount a : accounts) {
                t += a.total[i];
                r += a.reserved[i];
            }
            positions.add(new StateSummary.AssetTotal(assets.get(i), t, r));
        }
        return new StateSummary(lastSeq, stateHash, accounts.size(), openOrderCount(), sessionOpen, sessionDate,
                sessionClosesAtNanos, cash, cashReserved, feesCollected, List.copyOf(positions), held.size(), closeCount);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private RefAccount account(long id) {
        for (RefAccount a : accounts) {
            if (a.id == id) {
                return a;
            }
        }
        return null;
    }

    private RefOrder orderById(long id) {
        return held.get(id);
    }

    private EngineEvent event(EventType type, Command c) {
        return event.reset(type, c.seq, c.timestampNanos);
    }

    private EngineEvent orderEvent(EventType type, Command c, OrderView v) {
        EngineEvent e = event(type, c);
        e.accountId = v.accountId;
        e.orderId = v.orderId;
        e.symbol = v.symbol;
        e.side = v.side;
        return e;
    }

    private static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }

    private static boolean fitsLong(BigInteger v) {
        return v.bitLength() < 64;
    }
}
