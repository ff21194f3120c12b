package exchange.engine;

import exchange.engine.state.SnapshotFormatException;
import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;
import exchange.risk.Account;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.Money;
import exchange.risk.TransferKind;
import exchange.risk.TransferResult;
import org.agrona.collections.LongArrayList;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exchange as one deterministic state machine: {@link #apply(Command, EventSink)} takes a
 * command and emits events. It owns the order books, the order store, the idempotency index, the session state and (through {@link Ledger}) every balance.
 *
 * <p>Exact rules: {@code docs/engine-rules.md}. Single writer: only the engine thread calls
 * anything here. No clock, I/O, threads or randomness; iteration is always in id or price
 * order, so replaying the same commands yields the same events and {@link #stateHash()}.
 * Validation completes before any mutation; an exception out of {@code apply} is a bug and the
 * pipeline stops (fail-stop).
 */
public final class Exchange {
    // ---- order store layout (one record of longs per order id) --------------------------------
    private static final int O_ACCOUNT = 0;
    private static final int O_PRICE = 1;
    private static final int O_QTY = 2;
    private static final int O_FILLED = 3;
    private static final int O_FILLED_NOTIONAL = 4;
    private static final int O_HOLD = 5;
    private static final int O_CREATED = 6;
    private static final int O_UPDATED = 7;
    private static final int O_SESSION_DATE = 8;
    private static final int O_EXPIRES = 9;
    private static final int O_SEQ = 10;
    private static final int O_PREV = 11;
    private static final int O_NEXT = 12;
    private static final int O_META = 13;
    /** The client order id's ref in {@link #clientIds}. */
    private static final int O_CLIENT_ID = 14;
    /** The same account's previous order (0 = none): each account's orders, newest first, as a chain. */
    private static final int O_ACCOUNT_PREV = 15;
    private static final int ORDER_STRIDE = 16;

    // meta bit fields
    private static final int M_SYMBOL_SHIFT = 0;    // 16 bits: symbol index + 1 (0 = unknown symbol)
    private static final int M_SIDE_SHIFT = 16;     // 1 bit
    private static final int M_TIF_SHIFT = 17;      // 2 bits
    private static final int M_STATUS_SHIFT = 19;   // 3 bits
    private static final int M_POST_ONLY_SHIFT = 22; // 1 bit
    private static final int M_STP_SHIFT = 23;      // 2 bits: as requested (DEFAULT kept)
    private static final int M_REJECT_SHIFT = 25;   // 6 bits: ResultCode ordinal + 1 (0 = none)
    private static final int M_EXPIRY_SHIFT = 31;   // 3 bits

    private static final int MAX_NAME_LENGTH = 64;
    private static final int SNAPSHOT_FORMAT = 3;

    /** Per-account engine data beside the ledger's balances. */
    private static final class AccountOrders {
        ClientOrderIdIndex byClientOrderId = new ClientOrderIdIndex();
        /** The newest order's id (0 = none); older ones follow {@code O_ACCOUNT_PREV}. */
        long newestOrder;
        int openOrders;
        long ordersExpired;
        /** Cumulative external transfers per asset. */
        final long[] deposited;
        final long[] withdrawn;
        /** Balances and counters when the current session opened (zero for accounts opened later). */
        final long[] openTotal;
        final long[] openPlaced;
        final long[] openConsumed;
        final long[] openReleased;
        long openFees;
        long openFills;
        long openExpired;
        final long[] openDeposited;
        final long[] openWithdrawn;

        AccountOrders(int assets) {
            deposited = new long[assets];
            withdrawn = new long[assets];
            openDeposited = new long[assets];
            openWithdrawn = new long[assets];
            openTotal = new long[assets];
            openPlaced = new long[assets];
            openConsumed = new long[assets];
            openReleased = new long[assets];
        }

        void captureBaseline(Account a) {
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

    private final ExchangeConfig config;
    private final Ledger ledger;
    private final OrderBook[] books;
    private final Map<String, OrderBook> bookBySymbol = new HashMap<>();
    private final List<AccountOrders> accountOrders = new ArrayList<>();
    private final PagedLongs orders = new PagedLongs(ORDER_STRIDE);
    private final ClientIdArena clientIds = new ClientIdArena();
    private final ClientOrderIdIndex.Keys clientIdKeys = new ClientOrderIdIndex.Keys() {
        @Override
        public boolean clientIdEquals(long orderId, String clientOrderId) {
            return clientIds.equalsId(orders.get(orderId, O_CLIENT_ID), clientOrderId);
        }

        @Override
        public int clientIdHashCode(long orderId) {
            return clientIds.hashCode(orders.get(orderId, O_CLIENT_ID));
        }
    };
    /**
     * The symbol an order named when no book has it (rejected {@code UNKNOWN_SYMBOL}): order ids,
     * ascending, and the symbols, by position. Listed orders' symbols come from their book.
     */
    private final LongArrayList unlistedSymbolOrders = new LongArrayList();
    private final List<String> unlistedSymbols = new ArrayList<>();
    private final EngineEvent event = new EngineEvent();
    private final LongArrayList sweepIds = new LongArrayList();

    private long lastSeq;
    private long lastOrderId;
    private long lastTradeId;
    private long restingOrders;
    private boolean sessionOpen;
    private long sessionFirstSeq;
    private long sessionDate;
    private long sessionClosesAtNanos;

    // the command being applied and where its events go
    private Command command;
    private EventSink sink = EventSink.NONE;
    /** What {@link #prefetch} read; kept only so that its reads are not optimised away. */
    private long prefetched;

    public Exchange(ExchangeConfig config) {
        this.config = Objects.requireNonNull(config);
        this.ledger = new Ledger(config.assetNames());
        this.books = new OrderBook[config.symbols().size()];
        for (int i = 0; i < books.length; i++) {
            SymbolConfig s = config.symbols().get(i);
            books[i] = new OrderBook(i, s.symbol(), s.referencePriceTicks());
            bookBySymbol.put(s.symbol(), books[i]);
        }
    }

    public ExchangeConfig config() {
        return config;
    }

    /** The balances; read-only use outside the engine thread's {@code apply}. */
    public Ledger ledger() {
        return ledger;
    }

    public long lastSeq() {
        return lastSeq;
    }

    public boolean isSessionOpen() {
        return sessionOpen;
    }

    /** Epoch day of the open (or last) session; 0 before the first session. */
    public long sessionDate() {
        return sessionDate;
    }

    public long sessionClosesAtNanos() {
        return sessionClosesAtNanos;
    }

    public long openOrderCount() {
        return restingOrders;
    }

    // =============================================================================================
    // apply
    // =============================================================================================

    /**
     * Applies one command: journaled types take the next sequence (a command that already carries
     * one, from the journal, must carry exactly that), emit their events to {@code sink} and
     * write the outcome into the command's result fields. Queries only read.
     */
    public void apply(Command c, EventSink sink) {
        c.clearResult();
        if (c.type == null) {
            c.result = ResultCode.INVALID_COMMAND;
            return;
        }
        if (c.type.isJournaled()) {
            long next = lastSeq + 1;
            if (c.seq != 0 && c.seq != next) {
                throw new IllegalStateException("sequence gap: expected " + next + " but command carries " + c.seq);
            }
            c.seq = next;
            lastSeq = next;
        }
        this.command = c;
        this.sink = sink;
        try {
            switch (c.type) {
                case CREATE_ACCOUNT -> createAccount(c);
                case DEPOSIT -> transfer(c, TransferKind.DEPOSIT);
                case WITHDRAW -> transfer(c, TransferKind.WITHDRAWAL);
                case PLACE_ORDER -> placeOrder(c);
                case CANCEL_ORDER -> cancelOrder(c);
                case SESSION_OPEN -> openSession(c);
                case SESSION_CLOSE -> closeSession(c);
                case QUERY_ORDER -> queryOrder(c);
                case QUERY_ORDER_BY_CLIENT_ID -> queryOrderByClientId(c);
                case QUERY_ORDERS -> queryOrders(c);
                case QUERY_ACCOUNT -> queryAccount(c);
                case QUERY_STATE -> {
                    c.queryResult = summary();
                    c.result = ResultCode.OK;
                }
                case SNAPSHOT -> c.result = ResultCode.OK;
                default -> throw new IllegalStateException("unhandled command type " + c.type);
            }
        } finally {
            this.command = null;
            this.sink = EventSink.NONE;
        }
    }

    private EngineEvent event(EventType type) {
        // events into NONE (a replay) are never read, so the flyweight's thirty fields are not
        // cleared first; what each event sets is then written for nothing, but cheaply
        return sink == EventSink.NONE ? event : event.reset(type, command.seq, command.timestampNanos);
    }

    private void emit() {
        sink.onEvent(event);
    }

    // ---- accounts and transfers ---------------------------------------------------------------

    private void createAccount(Command c) {
        if (c.name == null || c.name.isEmpty() || c.name.length() > MAX_NAME_LENGTH) {
            c.result = ResultCode.INVALID_NAME;
            return;
        }
        if (c.makerFeeBps < 0 || c.makerFeeBps > Fees.MAX_FEE_BPS || c.takerFeeBps < 0 || c.takerFeeBps > Fees.MAX_FEE_BPS) {
            c.result = ResultCode.INVALID_FEE;
            return;
        }
        if (ledger.accountCount() >= config.maxAccounts()) {
            c.result = ResultCode.TOO_MANY_ACCOUNTS;
            return;
        }
        Account a = ledger.openAccount(c.name, c.apiKeyHash, c.makerFeeBps, c.takerFeeBps);
        accountOrders.add(new AccountOrders(ledger.assetCount()));
        c.resultAccountId = a.id();
        c.result = ResultCode.OK;
        EngineEvent e = event(EventType.ACCOUNT_CREATED);
        e.accountId = a.id();
        e.name = a.name();
        e.apiKeyHash = a.apiKeyHash();
        e.makerFeeBps = a.makerFeeBps();
        e.takerFeeBps = a.takerFeeBps();
        emit();
    }

    private void transfer(Command c, TransferKind kind) {
        int asset = ledger.assetIndex(c.asset);
        TransferResult r = ledger.transfer(kind, c.accountId, asset, c.amount, c.transferId);
        c.result = switch (r) {
            case APPLIED -> ResultCode.OK;
            case DUPLICATE -> ResultCode.DUPLICATE;
            case CONFLICT -> ResultCode.CONFLICT;
            case UNKNOWN_ACCOUNT -> ResultCode.ACCOUNT_NOT_FOUND;
            case UNKNOWN_ASSET -> ResultCode.UNKNOWN_ASSET;
            case INVALID_AMOUNT -> ResultCode.INVALID_AMOUNT;
            case INVALID_TRANSFER_ID -> ResultCode.INVALID_TRANSFER_ID;
            case INSUFFICIENT_FUNDS -> ResultCode.INSUFFICIENT_FUNDS;
            case OVERFLOW -> ResultCode.OVERFLOW;
        };
        if (r == TransferResult.DUPLICATE) {
            return;
        }
        if (r == TransferResult.APPLIED) {
            AccountOrders ao = accountOrders(c.accountId);
            if (kind == TransferKind.DEPOSIT) {
                ao.deposited[asset] += c.amount;
            } else {
                ao.withdrawn[asset] += c.amount;
            }
        }
        EventType type = r != TransferResult.APPLIED ? EventType.TRANSFER_REJECTED
                : kind == TransferKind.DEPOSIT ? EventType.FUNDS_DEPOSITED : EventType.FUNDS_WITHDRAWN;
        EngineEvent e = event(type);
        e.accountId = c.accountId;
        e.asset = c.asset;
        e.amount = c.amount;
        e.transferId = c.transferId;
        if (r != TransferResult.APPLIED) {
            e.code = c.result;
        }
        emit();
    }

    // ---- orders -------------------------------------------------------------------------------

    private AccountOrders accountOrders(long accountId) {
        return accountOrders.get((int) (accountId - 1));
    }

    /**
     * Reads, and changes nothing, the memory that applying {@code commands[from, to)} will need
     * first: for a place, the idempotency slot of its client order id; for a cancel, the order's
     * record and those of its neighbours in the price level. A replay calls this for a batch of
     * decoded commands before it applies them, so that their cache misses overlap instead of
     * following one another: on a large history the engine's replay time is mostly such misses.
     * Calling it or not never changes a result.
     */
    public void prefetch(Command[] commands, int from, int to) {
        // first the client ids' hash codes (String caches them): the loop that touches memory
        // is then short enough for the CPU to have many of its misses in flight at once
        for (int i = from; i < to; i++) {
            Command c = commands[i];
            if (c.type == CommandType.PLACE_ORDER && c.clientOrderId != null) {
                c.clientOrderId.hashCode();
            }
        }
        long touched = 0;
        for (int i = from; i < to; i++) {
            Command c = commands[i];
            if (c.type == CommandType.PLACE_ORDER) {
                if (c.accountId >= 1 && c.accountId <= accountOrders.size() && c.clientOrderId != null) {
                    touched += accountOrders(c.accountId).byClientOrderId.touch(c.clientOrderId.hashCode());
                }
            } else if (c.type == CommandType.CANCEL_ORDER && c.orderId >= 1 && c.orderId <= lastOrderId) {
                touched += orders.get(c.orderId, O_ACCOUNT) + orders.get(c.orderId, O_NEXT);
            }
        }
        for (int i = from; i < to; i++) {
            Command c = commands[i];
            if (c.type == CommandType.CANCEL_ORDER && c.orderId >= 1 && c.orderId <= lastOrderId) {
                long prev = orders.get(c.orderId, O_PREV);
                long next = orders.get(c.orderId, O_NEXT);
                touched += (prev > 0 ? orders.get(prev, O_NEXT) : 0) + (next > 0 ? orders.get(next, O_PREV) : 0);
            }
        }
        prefetched += touched;
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

    private void placeOrder(Command c) {
        Account account = ledger.account(c.accountId);
        if (account == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        if (!isValidClientOrderId(c.clientOrderId)) {
            c.result = ResultCode.INVALID_CLIENT_ORDER_ID;
            return;
        }
        AccountOrders ao = accountOrders(c.accountId);
        long existing = ao.byClientOrderId.get(c.clientOrderId, clientIdKeys);
        if (existing != ClientOrderIdIndex.MISSING) {
            int diff = differingFields(existing, c);
            c.conflictFields = diff;
            c.result = diff == 0 ? ResultCode.DUPLICATE : ResultCode.CONFLICT;
            respond(c, existing, c.clientOrderId);
            return;
        }
        if (c.side == null || c.timeInForce == null || c.selfTradePrevention == null) {
            c.result = ResultCode.INVALID_COMMAND;
            return;
        }
        OrderBook book = c.symbol == null ? null : bookBySymbol.get(c.symbol);
        long id = newOrder(c, book);
        ao.byClientOrderId.put(c.clientOrderId.hashCode(), id);
        orders.set(id, O_ACCOUNT_PREV, ao.newestOrder);
        ao.newestOrder = id;

        ResultCode reject = validateNewOrder(c, account, ao, book);
        if (reject != null) {
            setStatus(id, OrderStatus.REJECTED);
            setMeta(id, M_REJECT_SHIFT, 0x3F, reject.ordinal() + 1);
            c.result = reject;
            EngineEvent e = orderEvent(EventType.ORDER_REJECTED, id);
            e.clientOrderId = c.clientOrderId;
            e.qty = c.qty;
            e.priceTicks = c.priceTicks;
            e.timeInForce = c.timeInForce;
            e.postOnly = c.postOnly;
            e.selfTradePrevention = c.selfTradePrevention;
            e.code = reject;
            emit();
            respond(c, id, c.clientOrderId);
            return;
        }

        long hold = c.side == Side.BUY ? Holds.buyHold(c.qty, c.priceTicks, account.maxFeeBps()) : c.qty;
        int asset = c.side == Side.BUY ? Ledger.CASH : book.symbolIndex + 1;
        ledger.reserve(account, asset, hold);
        orders.set(id, O_HOLD, hold);
        EngineEvent e = orderEvent(EventType.ORDER_ACCEPTED, id);
        e.clientOrderId = c.clientOrderId;
        e.qty = c.qty;
        e.priceTicks = c.priceTicks;
        e.timeInForce = c.timeInForce;
        e.postOnly = c.postOnly;
        e.selfTradePrevention = c.selfTradePrevention;
        e.amount = hold;
        emit();

        SelfTradePrevention stp = c.selfTradePrevention == SelfTradePrevention.DEFAULT
                ? config.defaultSelfTradePrevention() : c.selfTradePrevention;
        if (c.timeInForce == TimeInForce.FOK && !canFillCompletely(book, c.side, c.priceTicks, c.qty, c.accountId, stp)) {
            endOrder(id, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_FOK, false);
        } else if (match(id, book, c.side, c.priceTicks, account, stp)) {
            long leaves = leaves(id);
            if (leaves > 0) {
                if (c.timeInForce == TimeInForce.IOC) {
                    endOrder(id, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_IOC, false);
                } else if (c.timeInForce == TimeInForce.FOK) {
                    endOrder(id, OrderStatus.EXPIRED, ExpiryReason.UNFILLED_FOK, false);
                } else {
                    rest(id, book, c.side, c.priceTicks, leaves, ao);
                }
            }
        }
        c.result = ResultCode.OK;
        respond(c, id, c.clientOrderId);
    }

    /** Writes a new order record (status NEW, no hold yet) and returns its id. */
    private long newOrder(Command c, OrderBook book) {
        long id = ++lastOrderId;
        orders.ensure(id);
        orders.set(id, O_ACCOUNT, c.accountId);
        orders.set(id, O_PRICE, c.priceTicks);
        orders.set(id, O_QTY, c.qty);
        orders.set(id, O_FILLED, 0);
        orders.set(id, O_FILLED_NOTIONAL, 0);
        orders.set(id, O_HOLD, 0);
        orders.set(id, O_CREATED, c.timestampNanos);
        orders.set(id, O_UPDATED, c.timestampNanos);
        orders.set(id, O_SESSION_DATE, sessionDate);
        orders.set(id, O_EXPIRES, c.timeInForce == TimeInForce.DAY && sessionOpen ? sessionClosesAtNanos : 0);
        orders.set(id, O_SEQ, c.seq);
        orders.set(id, O_PREV, 0);
        orders.set(id, O_NEXT, 0);
        long meta = ((long) (book == null ? 0 : book.symbolIndex + 1) << M_SYMBOL_SHIFT)
                | ((long) c.side.ordinal() << M_SIDE_SHIFT)
                | ((long) c.timeInForce.ordinal() << M_TIF_SHIFT)
                | ((long) OrderStatus.NEW.ordinal() << M_STATUS_SHIFT)
                | ((c.postOnly ? 1L : 0L) << M_POST_ONLY_SHIFT)
                | ((long) c.selfTradePrevention.ordinal() << M_STP_SHIFT);
        orders.set(id, O_META, meta);
        orders.set(id, O_CLIENT_ID, clientIds.append(c.clientOrderId));
        if (book == null && c.symbol != null) {
            unlistedSymbolOrders.addLong(id);
            unlistedSymbols.add(c.symbol);
        }
        return id;
    }

    /** Every entry check after idempotency, in the documented order; null if the order may enter. */
    private ResultCode validateNewOrder(Command c, Account account, AccountOrders ao, OrderBook book) {
        if (!sessionOpen) {
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
        long reference = book.referencePriceTicks();
        if (reference > 0 && config.priceCollarBps() > 0) {
            long band = Money.multiplyOrOverflow(reference, config.priceCollarBps());
            band = band == Money.OVERFLOW ? Long.MAX_VALUE : band / Fees.BPS;
            if (price < reference - band || price - reference > band) {
                return ResultCode.PRICE_OUTSIDE_COLLAR;
            }
        }
        if (ao.openOrders >= config.maxOpenOrdersPerAccount()) {
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

    private int differingFields(long id, Command c) {
        int diff = 0;
        if (!Objects.equals(symbol(id), c.symbol)) {
            diff |= OrderView.FIELD_SYMBOL;
        }
        if (side(id) != c.side) {
            diff |= OrderView.FIELD_SIDE;
        }
        if (orders.get(id, O_QTY) != c.qty) {
            diff |= OrderView.FIELD_QTY;
        }
        if (orders.get(id, O_PRICE) != c.priceTicks) {
            diff |= OrderView.FIELD_LIMIT_PRICE;
        }
        if (timeInForce(id) != c.timeInForce) {
            diff |= OrderView.FIELD_TIME_IN_FORCE;
        }
        if (postOnly(id) != c.postOnly) {
            diff |= OrderView.FIELD_POST_ONLY;
        }
        if (stp(id) != c.selfTradePrevention) {
            diff |= OrderView.FIELD_SELF_TRADE_PREVENTION;
        }
        return diff;
    }

    /** True if resting liquidity the order could reach covers {@code qty} (the FOK pre-check). */
    private boolean canFillCompletely(OrderBook book, Side side, long limit, long qty, long accountId,
                                      SelfTradePrevention stp) {
        BookSide opposite = book.side(side.opposite());
        long available = 0;
        for (int i = 0; i < opposite.size(); i++) {
            PriceLevel level = opposite.fromBest(i);
            if (!crosses(side, limit, level.priceTicks)) {
                return false;
            }
            for (long m = level.headOrderId; m != 0; m = orders.get(m, O_NEXT)) {
                if (orders.get(m, O_ACCOUNT) == accountId) {
                    if (stp == SelfTradePrevention.CANCEL_OLDEST) {
                        continue;
                    }
                    return false;
                }
                available += leaves(m);
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
     * Matches the incoming order against the opposite side. Returns false if self-trade
     * prevention ended the incoming order (nothing is left to rest or expire).
     */
    private boolean match(long takerId, OrderBook book, Side side, long limit, Account taker, SelfTradePrevention stp) {
        BookSide opposite = book.side(side.opposite());
        while (leaves(takerId) > 0) {
            PriceLevel level = opposite.best();
            if (level == null || !crosses(side, limit, level.priceTicks)) {
                return true;
            }
            long makerId = level.headOrderId;
            while (makerId != 0 && leaves(takerId) > 0) {
                long nextId = orders.get(makerId, O_NEXT);
                long makerAccountId = orders.get(makerId, O_ACCOUNT);
                if (makerAccountId == taker.id()) {
                    EngineEvent e = event(EventType.SELF_TRADE_PREVENTED);
                    e.accountId = taker.id();
                    e.orderId = takerId;
                    e.counterOrderId = makerId;
                    e.symbol = book.symbol;
                    e.side = side;
                    e.priceTicks = level.priceTicks;
                    e.qty = Math.min(leaves(takerId), leaves(makerId));
                    emit();
                    if (stp == SelfTradePrevention.CANCEL_NEWEST) {
                        endOrder(takerId, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, false);
                        return false;
                    }
                    endOrder(makerId, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, true);
                    if (stp == SelfTradePrevention.CANCEL_BOTH) {
                        endOrder(takerId, OrderStatus.EXPIRED, ExpiryReason.SELF_TRADE_PREVENTION, false);
                        return false;
                    }
                } else {
                    trade(book, level, takerId, taker, makerId, ledger.account(makerAccountId), side);
                }
                makerId = nextId;
            }
        }
        return true;
    }

    private void trade(OrderBook book, PriceLevel level, long takerId, Account taker, long makerId, Account maker,
                       Side takerSide) {
        long price = level.priceTicks;
        long qty = Math.min(leaves(takerId), leaves(makerId));
        long notional = Math.multiplyExact(price, qty);
        long makerFee = Fees.charged(notional, maker.makerFeeBps());
        long takerFee = Fees.charged(notional, taker.takerFeeBps());
        long buyerId = takerSide == Side.BUY ? takerId : makerId;
        long sellerId = takerSide == Side.BUY ? makerId : takerId;
        Account buyer = takerSide == Side.BUY ? taker : maker;
        Account seller = takerSide == Side.BUY ? maker : taker;

        long buyerHoldBefore = orders.get(buyerId, O_HOLD);
        long buyerHoldAfter = Holds.buyHold(leaves(buyerId) - qty, orders.get(buyerId, O_PRICE), buyer.maxFeeBps());
        ledger.settleTrade(buyer, seller, book.symbolIndex + 1, qty, notional,
                takerSide == Side.BUY ? takerFee : makerFee, takerSide == Side.BUY ? makerFee : takerFee,
                buyerHoldBefore - buyerHoldAfter);
        orders.set(buyerId, O_HOLD, buyerHoldAfter);
        orders.add(sellerId, O_HOLD, -qty);
        fill(takerId, qty, notional);
        fill(makerId, qty, notional);
        level.totalQty -= qty;
        book.lastTradePriceTicks = price;

        long tradeId = ++lastTradeId;

        EngineEvent e = event(EventType.TRADE_EXECUTED);
        e.tradeId = tradeId;
        e.symbol = book.symbol;
        e.priceTicks = price;
        e.qty = qty;
        e.side = takerSide;
        e.orderId = takerId;
        e.accountId = taker.id();
        e.counterOrderId = makerId;
        e.counterAccountId = maker.id();
        e.takerFee = takerFee;
        e.makerFee = makerFee;
        e.leavesQty = leaves(takerId);
        e.counterLeavesQty = leaves(makerId);
        emit();

        if (leaves(makerId) == 0) {
            unlink(book, level, makerId);
        }
    }

    private void fill(long id, long qty, long notional) {
        orders.add(id, O_FILLED, qty);
        orders.add(id, O_FILLED_NOTIONAL, notional);
        orders.set(id, O_UPDATED, command.timestampNanos);
        orders.set(id, O_SEQ, command.seq);
        setStatus(id, orders.get(id, O_FILLED) == orders.get(id, O_QTY) ? OrderStatus.FILLED : OrderStatus.PARTIALLY_FILLED);
    }

    private void rest(long id, OrderBook book, Side side, long price, long leaves, AccountOrders ao) {
        PriceLevel level = book.side(side).findOrCreate(price);
        long tail = level.tailOrderId;
        orders.set(id, O_PREV, tail);
        orders.set(id, O_NEXT, 0);
        if (tail == 0) {
            level.headOrderId = id;
        } else {
            orders.set(tail, O_NEXT, id);
        }
        level.tailOrderId = id;
        level.count++;
        level.totalQty += leaves;
        ao.openOrders++;
        restingOrders++;
    }

    /** Takes a resting order out of its level (removing the level if it empties). */
    private void unlink(OrderBook book, PriceLevel level, long id) {
        long prev = orders.get(id, O_PREV);
        long next = orders.get(id, O_NEXT);
        if (prev == 0) {
            level.headOrderId = next;
        } else {
            orders.set(prev, O_NEXT, next);
        }
        if (next == 0) {
            level.tailOrderId = prev;
        } else {
            orders.set(next, O_PREV, prev);
        }
        orders.set(id, O_PREV, 0);
        orders.set(id, O_NEXT, 0);
        level.count--;
        if (level.count == 0) {
            book.side(side(id)).remove(level);
        }
        accountOrders(orders.get(id, O_ACCOUNT)).openOrders--;
        restingOrders--;
    }

    /**
     * Ends a live order as canceled or expired: out of the book (if resting), whole remaining hold
     * released, one event.
     */
    private void endOrder(long id, OrderStatus status, ExpiryReason reason, boolean resting) {
        long leaves = leaves(id);
        OrderBook book = books[symbolIndex(id)];
        if (resting) {
            PriceLevel level = book.side(side(id)).find(orders.get(id, O_PRICE));
            level.totalQty -= leaves;
            unlink(book, level, id);
        }
        long hold = orders.get(id, O_HOLD);
        Account account = ledger.account(orders.get(id, O_ACCOUNT));
        ledger.release(account, side(id) == Side.BUY ? Ledger.CASH : book.symbolIndex + 1, hold);
        orders.set(id, O_HOLD, 0);
        orders.set(id, O_UPDATED, command.timestampNanos);
        orders.set(id, O_SEQ, command.seq);
        setStatus(id, status);
        if (status == OrderStatus.EXPIRED) {
            setMeta(id, M_EXPIRY_SHIFT, 0x7, reason.ordinal());
            accountOrders(account.id()).ordersExpired++;
        }
        EngineEvent e = orderEvent(status == OrderStatus.EXPIRED ? EventType.ORDER_EXPIRED : EventType.ORDER_CANCELED, id);
        e.qty = leaves;
        e.amount = hold;
        if (status == OrderStatus.EXPIRED) {
            e.expiryReason = reason;
        }
        emit();
    }

    private EngineEvent orderEvent(EventType type, long id) {
        EngineEvent e = event(type);
        e.accountId = orders.get(id, O_ACCOUNT);
        e.orderId = id;
        e.symbol = symbol(id);
        e.side = side(id);
        return e;
    }

    private void cancelOrder(Command c) {
        long id = c.orderId;
        if (id < 1 || id > lastOrderId || orders.get(id, O_ACCOUNT) != c.accountId) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            cancelRejected(c);
            return;
        }
        OrderStatus status = status(id);
        if (status == OrderStatus.CANCELED) {
            c.result = ResultCode.DUPLICATE;
        } else if (status.isTerminal()) {
            c.result = ResultCode.TOO_LATE_TO_CANCEL;
            cancelRejected(c);
        } else {
            endOrder(id, OrderStatus.CANCELED, ExpiryReason.NONE, true);
            c.result = ResultCode.OK;
        }
        respond(c, id, null);
    }

    private void cancelRejected(Command c) {
        EngineEvent e = event(EventType.CANCEL_REJECTED);
        e.accountId = c.accountId;
        e.orderId = c.orderId;
        e.code = c.result;
        emit();
    }

    // ---- sessions -----------------------------------------------------------------------------

    private void openSession(Command c) {
        if (sessionOpen) {
            sessionRejected(c, ResultCode.SESSION_ALREADY_OPEN);
            return;
        }
        if (c.sessionDate <= sessionDate) {
            sessionRejected(c, ResultCode.INVALID_SESSION_DATE);
            return;
        }
        sessionOpen = true;
        sessionFirstSeq = c.seq;
        sessionDate = c.sessionDate;
        sessionClosesAtNanos = c.sessionClosesAtNanos;
        for (int id = 1; id <= ledger.accountCount(); id++) {
            accountOrders(id).captureBaseline(ledger.account(id));
        }
        c.result = ResultCode.OK;
        EngineEvent e = event(EventType.SESSION_OPENED);
        e.sessionDate = sessionDate;
        e.amount = sessionClosesAtNanos;
        emit();
    }

    /** The end-of-day sweep: expire DAY orders and over-age GTC orders in ascending id, then close. */
    private void closeSession(Command c) {
        if (!sessionOpen) {
            sessionRejected(c, ResultCode.SESSION_ALREADY_CLOSED);
            return;
        }
        sweepIds.clear();
        for (OrderBook book : books) {
            collectExpiring(book.bids);
            collectExpiring(book.asks);
        }
        long[] ids = sweepIds.toLongArray();
        Arrays.sort(ids);
        for (long id : ids) {
            endOrder(id, OrderStatus.EXPIRED,
                    timeInForce(id) == TimeInForce.DAY ? ExpiryReason.END_OF_DAY : ExpiryReason.GTC_MAX_AGE, true);
        }
        sessionOpen = false;
        c.result = ResultCode.OK;
        c.queryResult = reconciliationReport(c.seq);
        EngineEvent e = event(EventType.SESSION_CLOSED);
        e.sessionDate = sessionDate;
        e.qty = ids.length;
        emit();
    }

    private void collectExpiring(BookSide side) {
        for (int i = 0; i < side.size(); i++) {
            for (long id = side.fromBest(i).headOrderId; id != 0; id = orders.get(id, O_NEXT)) {
                TimeInForce tif = timeInForce(id);
                if (tif == TimeInForce.DAY
                        || (tif == TimeInForce.GTC && sessionDate - orders.get(id, O_SESSION_DATE) >= config.gtcMaxAgeDays())) {
                    sweepIds.addLong(id);
                }
            }
        }
    }

    private void sessionRejected(Command c, ResultCode code) {
        c.result = code;
        EngineEvent e = event(EventType.SESSION_REJECTED);
        e.code = code;
        e.sessionDate = c.sessionDate;
        emit();
    }

    // ---- queries ------------------------------------------------------------------------------

    private boolean ownsOrder(long accountId, long id) {
        return id >= 1 && id <= lastOrderId && orders.get(id, O_ACCOUNT) == accountId;
    }

    private void queryOrder(Command c) {
        if (!ownsOrder(c.accountId, c.orderId)) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        respond(c, c.orderId, null);
        c.result = ResultCode.OK;
    }

    private void queryOrderByClientId(Command c) {
        if (ledger.account(c.accountId) == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        long id = c.clientOrderId == null ? ClientOrderIdIndex.MISSING
                : accountOrders(c.accountId).byClientOrderId.get(c.clientOrderId, clientIdKeys);
        if (id == ClientOrderIdIndex.MISSING) {
            c.result = ResultCode.ORDER_NOT_FOUND;
            return;
        }
        respond(c, id, c.clientOrderId);
        c.result = ResultCode.OK;
    }

    private int queryLimit(Command c) {
        return c.limit <= 0 ? ExchangeConfig.DEFAULT_QUERY_LIMIT : Math.min(c.limit, ExchangeConfig.MAX_QUERY_LIMIT);
    }

    private void queryOrders(Command c) {
        if (ledger.account(c.accountId) == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        AccountOrders ao = accountOrders(c.accountId);
        // every live order rests in a book (validateInternalState checks it), so a search for open
        // orders can stop once it has found them all instead of walking the account's whole history
        int limit = c.orderFilter == Command.OrderFilter.OPEN ? Math.min(queryLimit(c), ao.openOrders) : queryLimit(c);
        List<OrderView> out = new ArrayList<>();
        for (long id = ao.newestOrder; id != 0 && out.size() < limit; id = orders.get(id, O_ACCOUNT_PREV)) {
            boolean live = !status(id).isTerminal();
            if (c.orderFilter == Command.OrderFilter.ALL || (c.orderFilter == Command.OrderFilter.OPEN) == live) {
                OrderView v = new OrderView();
                view(id, v);
                out.add(v);
            }
        }
        c.queryResult = List.copyOf(out);
        c.result = ResultCode.OK;
    }

    private void queryAccount(Command c) {
        Account a = ledger.account(c.accountId);
        if (a == null) {
            c.result = ResultCode.ACCOUNT_NOT_FOUND;
            return;
        }
        c.queryResult = accountSnapshot(a);
        c.result = ResultCode.OK;
    }

    /** An account's balances now. */
    public AccountSnapshot accountSnapshot(Account a) {
        List<AccountSnapshot.Position> positions = new ArrayList<>();
        for (OrderBook book : books) {
            int asset = book.symbolIndex + 1;
            if (a.total(asset) != 0 || a.reserved(asset) != 0) {
                positions.add(new AccountSnapshot.Position(book.symbol, a.total(asset), a.reserved(asset)));
            }
        }
        return new AccountSnapshot(a.id(), a.name(), a.total(Ledger.CASH), a.reserved(Ledger.CASH),
                List.copyOf(positions), lastSeq);
    }

    /** System totals and the state hash now. */
    public StateSummary summary() {
        List<StateSummary.AssetTotal> positions = new ArrayList<>();
        for (OrderBook book : books) {
            int asset = book.symbolIndex + 1;
            positions.add(new StateSummary.AssetTotal(book.symbol, ledger.sumTotal(asset), ledger.sumReserved(asset)));
        }
        return new StateSummary(lastSeq, stateHash(), ledger.accountCount(), restingOrders, sessionOpen, sessionDate,
                sessionClosesAtNanos, ledger.sumTotal(Ledger.CASH), ledger.sumReserved(Ledger.CASH),
                ledger.feesCollected(Ledger.CASH), List.copyOf(positions));
    }

    // ---- end-of-day report --------------------------------------------------------------------

    /** The reconciliation of the session that is closing now (called after the sweep). */
    private ReconciliationReport reconciliationReport(long closeSeq) {
        int assets = ledger.assetCount();
        List<ReconciliationReport.AccountLine> lines = new ArrayList<>(ledger.accountCount());
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            AccountOrders ao = accountOrders(id);
            List<ReconciliationReport.PositionLine> positions = new ArrayList<>();
            for (int asset = 1; asset < assets; asset++) {
                if (ao.openTotal[asset] != 0 || a.total(asset) != 0 || a.holdsPlaced(asset) != ao.openPlaced[asset]
                        || ao.withdrawn[asset] != ao.openWithdrawn[asset]) {
                    positions.add(new ReconciliationReport.PositionLine(ledger.assetName(asset), ao.openTotal[asset],
                            a.total(asset), ao.deposited[asset] - ao.openDeposited[asset],
                            ao.withdrawn[asset] - ao.openWithdrawn[asset], a.holdsPlaced(asset) - ao.openPlaced[asset],
                            a.holdsConsumed(asset) - ao.openConsumed[asset],
                            a.holdsReleased(asset) - ao.openReleased[asset]));
                }
            }
            lines.add(new ReconciliationReport.AccountLine(id, a.name(), ao.openTotal[Ledger.CASH], a.total(Ledger.CASH),
                    ao.deposited[Ledger.CASH] - ao.openDeposited[Ledger.CASH],
                    ao.withdrawn[Ledger.CASH] - ao.openWithdrawn[Ledger.CASH], a.fillCount() - ao.openFills, a.feesPaid() - ao.openFees,
                    a.holdsPlaced(Ledger.CASH) - ao.openPlaced[Ledger.CASH],
                    a.holdsConsumed(Ledger.CASH) - ao.openConsumed[Ledger.CASH],
                    a.holdsReleased(Ledger.CASH) - ao.openReleased[Ledger.CASH],
                    ao.ordersExpired - ao.openExpired, List.copyOf(positions)));
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
                holds == null ? "reserved balances equal the holds of " + restingOrders + " open orders recomputed from the books"
                        : holds));
        String negative = ledger.findNegativeBalance();
        checks.add(new ReconciliationReport.Check("no_negative_balance", negative == null,
                negative == null ? "no total, reserved or available balance below zero" : negative));
        String crossed = crossedBook();
        checks.add(new ReconciliationReport.Check("books_uncrossed", crossed == null,
                crossed == null ? "best bid below best ask in every book" : crossed));
        checks.add(new ReconciliationReport.Check("journal_sequence_covered", closeSeq >= sessionFirstSeq && sessionFirstSeq > 0,
                "sequences " + sessionFirstSeq + ".." + closeSeq + " applied without gaps"));
        return new ReconciliationReport(sessionDate, sessionFirstSeq, closeSeq, List.copyOf(lines), List.copyOf(checks));
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
                    for (long id = level.headOrderId; id != 0; id = orders.get(id, O_NEXT)) {
                        long accountId = orders.get(id, O_ACCOUNT);
                        long leaves = leaves(id);
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

    // ---- read access for tests, reports and the replay tool -----------------------------------

    /** Copies order {@code orderId} into {@code into}; false if there is no such order. */
    public boolean order(long orderId, OrderView into) {
        if (orderId < 1 || orderId > lastOrderId) {
            into.clear();
            return false;
        }
        view(orderId, into);
        return true;
    }

    /** Copies of every resting order, ascending order id. */
    public List<OrderView> openOrders() {
        LongArrayList ids = new LongArrayList();
        for (OrderBook book : books) {
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                for (int i = 0; i < side.size(); i++) {
                    for (long id = side.fromBest(i).headOrderId; id != 0; id = orders.get(id, O_NEXT)) {
                        ids.addLong(id);
                    }
                }
            }
        }
        long[] sorted = ids.toLongArray();
        Arrays.sort(sorted);
        List<OrderView> out = new ArrayList<>(sorted.length);
        for (long id : sorted) {
            OrderView v = new OrderView();
            view(id, v);
            out.add(v);
        }
        return out;
    }

    public long bestBidTicks(String symbol) {
        OrderBook b = bookBySymbol.get(symbol);
        return b == null ? 0 : b.bids.bestPrice();
    }

    public long bestAskTicks(String symbol) {
        OrderBook b = bookBySymbol.get(symbol);
        return b == null ? 0 : b.asks.bestPrice();
    }

    public long lastTradePriceTicks(String symbol) {
        OrderBook b = bookBySymbol.get(symbol);
        return b == null ? 0 : b.lastTradePriceTicks;
    }

    // ---- order record accessors ---------------------------------------------------------------

    private long meta(long id, int shift, int mask) {
        return (orders.get(id, O_META) >>> shift) & mask;
    }

    private void setMeta(long id, int shift, int mask, long value) {
        long m = orders.get(id, O_META);
        m = (m & ~((long) mask << shift)) | ((value & mask) << shift);
        orders.set(id, O_META, m);
    }

    private int symbolIndex(long id) {
        return (int) meta(id, M_SYMBOL_SHIFT, 0xFFFF) - 1;
    }

    /** The symbol the order named: its book's, or the unlisted one it was rejected for (null if none). */
    private String symbol(long id) {
        int index = symbolIndex(id);
        if (index >= 0) {
            return books[index].symbol;
        }
        int lo = 0;
        int hi = unlistedSymbolOrders.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long at = unlistedSymbolOrders.getLong(mid);
            if (at == id) {
                return unlistedSymbols.get(mid);
            }
            if (at < id) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return null;
    }

    private Side side(long id) {
        return Side.ofOrdinal((int) meta(id, M_SIDE_SHIFT, 1));
    }

    private TimeInForce timeInForce(long id) {
        return TimeInForce.ofOrdinal((int) meta(id, M_TIF_SHIFT, 3));
    }

    private OrderStatus status(long id) {
        return OrderStatus.ofOrdinal((int) meta(id, M_STATUS_SHIFT, 7));
    }

    private void setStatus(long id, OrderStatus s) {
        setMeta(id, M_STATUS_SHIFT, 7, s.ordinal());
    }

    private boolean postOnly(long id) {
        return meta(id, M_POST_ONLY_SHIFT, 1) == 1;
    }

    private SelfTradePrevention stp(long id) {
        return SelfTradePrevention.ofOrdinal((int) meta(id, M_STP_SHIFT, 3));
    }

    private long leaves(long id) {
        return status(id).isTerminal() ? 0 : orders.get(id, O_QTY) - orders.get(id, O_FILLED);
    }

    /** Fills the command's order view with order {@code id}, unless its caller will not read it. */
    private void respond(Command c, long id, String clientOrderId) {
        if (!c.orderViewUnused) {
            view(id, c.order, clientOrderId);
        }
    }

    private void view(long id, OrderView v) {
        view(id, v, null);
    }

    /**
     * Fills {@code v} with order {@code id}; {@code clientOrderId}, if not null, is the order's
     * client id already at hand as a string (the command named it), which spares decoding it.
     */
    private void view(long id, OrderView v, String clientOrderId) {
        v.orderId = id;
        v.clientOrderId = clientOrderId != null ? clientOrderId : clientIds.get(orders.get(id, O_CLIENT_ID));
        v.accountId = orders.get(id, O_ACCOUNT);
        v.symbol = symbol(id);
        v.side = side(id);
        v.qty = orders.get(id, O_QTY);
        v.priceTicks = orders.get(id, O_PRICE);
        v.timeInForce = timeInForce(id);
        v.postOnly = postOnly(id);
        v.selfTradePrevention = stp(id);
        v.status = status(id);
        v.filledQty = orders.get(id, O_FILLED);
        v.leavesQty = leaves(id);
        v.filledNotional = orders.get(id, O_FILLED_NOTIONAL);
        v.holdAmount = orders.get(id, O_HOLD);
        v.createdAtNanos = orders.get(id, O_CREATED);
        v.updatedAtNanos = orders.get(id, O_UPDATED);
        v.sessionDate = orders.get(id, O_SESSION_DATE);
        v.expiresAtNanos = orders.get(id, O_EXPIRES);
        int reject = (int) meta(id, M_REJECT_SHIFT, 0x3F);
        v.rejectReason = reject == 0 ? null : ResultCode.ofOrdinal(reject - 1);
        ExpiryReason expiry = ExpiryReason.ofOrdinal((int) meta(id, M_EXPIRY_SHIFT, 7));
        v.expiryReason = expiry == ExpiryReason.NONE ? null : expiry;
        v.seq = orders.get(id, O_SEQ);
    }

    // =============================================================================================
    // invariants and hashing
    // =============================================================================================

    /**
     * Checks every invariant of the books, the orders and the ledger; throws
     * {@link IllegalStateException} naming the first broken one. Cost: O(accounts x assets +
     * orders ever placed): {@link #validateOpenState} plus one status read per order, which checks
     * that each account's live orders are exactly its resting ones.
     */
    public void validateInternalState() {
        int[] restingPerAccount = validateOpenState();
        int[] livePerAccount = new int[ledger.accountCount() + 1];
        for (long id = 1; id <= lastOrderId; id++) {
            if (!status(id).isTerminal()) {
                livePerAccount[(int) orders.get(id, O_ACCOUNT)]++;
            }
        }
        for (int id = 1; id <= ledger.accountCount(); id++) {
            check(livePerAccount[id] == restingPerAccount[id], "account " + id + " has " + livePerAccount[id]
                    + " live orders but " + restingPerAccount[id] + " in the books");
        }
    }

    /**
     * The invariants of what is open now: books (links, levels, totals, uncrossed), resting
     * orders' quantities and holds, and the ledger against them; throws
     * {@link IllegalStateException} naming the first broken one. Cost: O(accounts x assets +
     * resting orders), cheap enough to run every few commands in a long simulation.
     *
     * @return the number of resting orders per account id
     */
    public int[] validateOpenState() {
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
                    long qty = 0;
                    int count = 0;
                    long prev = 0;
                    for (long id = level.headOrderId; id != 0; id = orders.get(id, O_NEXT)) {
                        check(orders.get(id, O_PREV) == prev, "broken prev link at order " + id);
                        check(!status(id).isTerminal(), "terminal order " + id + " in book");
                        check(orders.get(id, O_PRICE) == level.priceTicks, "order " + id + " at wrong level");
                        check(symbolIndex(id) == book.symbolIndex && (side(id) == Side.BUY) == side.isBid(),
                                "order " + id + " in wrong book or side");
                        long leaves = leaves(id);
                        check(leaves > 0 && orders.get(id, O_QTY) == orders.get(id, O_FILLED) + leaves,
                                "qty != filled + leaves for order " + id);
                        long accountId = orders.get(id, O_ACCOUNT);
                        Account a = ledger.account(accountId);
                        long expectedHold = side.isBid() ? Holds.buyHold(leaves, level.priceTicks, a.maxFeeBps()) : leaves;
                        check(orders.get(id, O_HOLD) == expectedHold, "hold of order " + id + " is "
                                + orders.get(id, O_HOLD) + ", reservation recomputed is " + expectedHold);
                        holds[(int) accountId][side.isBid() ? Ledger.CASH : book.symbolIndex + 1] += expectedHold;
                        openPerAccount[(int) accountId]++;
                        qty += leaves;
                        count++;
                        prev = id;
                    }
                    check(prev == level.tailOrderId, "tail mismatch at " + book.symbol + " " + level.priceTicks);
                    check(count == level.count && qty == level.totalQty, "level totals wrong at " + book.symbol + " "
                            + level.priceTicks);
                    resting += count;
                }
            }
            long bid = book.bids.bestPrice();
            long ask = book.asks.bestPrice();
            check(bid == 0 || ask == 0 || bid < ask, "book crossed: " + book.symbol + " bid " + bid + " ask " + ask);
        }
        check(resting == restingOrders, "resting order count " + restingOrders + " but books hold " + resting);
        for (int id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            check(openPerAccount[id] == accountOrders(id).openOrders, "open order count wrong for account " + id);
            for (int asset = 0; asset < assets; asset++) {
                check(a.reserved(asset) == holds[id][asset], "account " + id + " " + ledger.assetName(asset)
                        + " reserved " + a.reserved(asset) + " but open orders hold " + holds[id][asset]);
            }
        }
        return openPerAccount;
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    /**
     * A 64-bit hash of the whole state: sequence counters, session, every account, transfer, order
     * and book level. Equal states hash equal across runs and JVMs (no identity hashes, no
     * hash-ordered iteration). Cost: O(state).
     */
    public long stateHash() {
        StateHasher h = new StateHasher();
        h.add(lastSeq).add(lastOrderId).add(lastTradeId).add(restingOrders).add(sessionOpen ? 1 : 0)
                .add(sessionFirstSeq).add(sessionDate).add(sessionClosesAtNanos);
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
            AccountOrders ao = accountOrders(id);
            h.add(ao.newestOrder).add(ao.openOrders).add(ao.ordersExpired).add(ao.openFees)
                    .add(ao.openFills).add(ao.openExpired);
            for (int asset = 0; asset < assets; asset++) {
                h.add(ao.openTotal[asset]).add(ao.openPlaced[asset]).add(ao.openConsumed[asset]).add(ao.openReleased[asset])
                        .add(ao.deposited[asset]).add(ao.withdrawn[asset]).add(ao.openDeposited[asset])
                        .add(ao.openWithdrawn[asset]);
            }
        }
        for (Ledger.Transfer t : ledger.transfers()) {
            h.add(t.transferId()).add(t.kind().ordinal()).add(t.accountId()).add(t.asset()).add(t.amount());
        }
        orders.hashInto(h, lastOrderId);
        clientIds.hashInto(h);
        h.add(unlistedSymbols.size());
        for (int i = 0; i < unlistedSymbols.size(); i++) {
            h.add(unlistedSymbolOrders.getLong(i)).add(unlistedSymbols.get(i));
        }
        for (OrderBook book : books) {
            h.add(book.symbol).add(book.lastTradePriceTicks);
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                h.add(side.size());
                for (int i = 0; i < side.size(); i++) {
                    PriceLevel l = side.fromBest(i);
                    h.add(l.priceTicks).add(l.headOrderId).add(l.tailOrderId).add(l.totalQty).add(l.count);
                }
            }
        }
        return h.value();
    }

    // =============================================================================================
    // snapshots
    // =============================================================================================

    /**
     * Writes the whole state as primitives; the order and client id pages as bulk copies
     * (they are nearly all of it). The idempotency index and the open-order counts are derivable
     * from the records, so they are rebuilt on read instead of written.
     */
    public void writeSnapshot(SnapshotOutput out) {
        out.putInt(SNAPSHOT_FORMAT);
        int assets = ledger.assetCount();
        out.putInt(assets);
        for (int asset = 0; asset < assets; asset++) {
            out.putString(ledger.assetName(asset));
        }
        out.putLong(lastSeq);
        out.putLong(lastOrderId);
        out.putLong(lastTradeId);
        out.putByte((byte) (sessionOpen ? 1 : 0));
        out.putLong(sessionFirstSeq);
        out.putLong(sessionDate);
        out.putLong(sessionClosesAtNanos);
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
            AccountOrders ao = accountOrders(id);
            out.putLong(ao.newestOrder);
            out.putLong(ao.ordersExpired);
            out.putLong(ao.openFees);
            out.putLong(ao.openFills);
            out.putLong(ao.openExpired);
            for (int asset = 0; asset < assets; asset++) {
                out.putLong(ao.openTotal[asset]);
                out.putLong(ao.openPlaced[asset]);
                out.putLong(ao.openConsumed[asset]);
                out.putLong(ao.openReleased[asset]);
                out.putLong(ao.deposited[asset]);
                out.putLong(ao.withdrawn[asset]);
                out.putLong(ao.openDeposited[asset]);
                out.putLong(ao.openWithdrawn[asset]);
            }
        }
        List<Ledger.Transfer> transfers = ledger.transfers();
        out.putInt(transfers.size());
        for (Ledger.Transfer t : transfers) {
            out.putString(t.transferId());
            out.putByte((byte) t.kind().ordinal());
            out.putLong(t.accountId());
            out.putInt(t.asset());
            out.putLong(t.amount());
        }
        out.putInt(ORDER_STRIDE);
        orders.write(out, lastOrderId);
        clientIds.write(out);
        out.putInt(unlistedSymbols.size());
        for (int i = 0; i < unlistedSymbols.size(); i++) {
            out.putLong(unlistedSymbolOrders.getLong(i));
            out.putString(unlistedSymbols.get(i));
        }
        for (OrderBook book : books) {
            out.putLong(book.lastTradePriceTicks);
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                out.putInt(side.size());
                for (int i = side.size() - 1; i >= 0; i--) {
                    PriceLevel l = side.fromBest(i);
                    out.putLong(l.priceTicks);
                    out.putLong(l.headOrderId);
                    out.putLong(l.tailOrderId);
                    out.putLong(l.totalQty);
                    out.putInt(l.count);
                }
            }
        }
    }

    private static void expectStride(int written, int expected, String record) {
        if (written != expected) {
            throw new SnapshotFormatException("snapshot " + record + " records have " + written
                    + " fields, this engine " + expected);
        }
    }

    /**
     * Rebuilds each account's idempotency index, which a snapshot leaves out because the order
     * records imply it, each index sized for its final count first.
     */
    private void rebuildClientIdIndexes(int accounts) {
        int[] orderCounts = new int[accounts + 1];
        for (long id = 1; id <= lastOrderId; id++) {
            orderCounts[(int) orders.get(id, O_ACCOUNT)]++;
        }
        for (int account = 1; account <= accounts; account++) {
            accountOrders(account).byClientOrderId = new ClientOrderIdIndex(orderCounts[account]);
        }
        for (long id = 1; id <= lastOrderId; id++) {
            accountOrders(orders.get(id, O_ACCOUNT)).byClientOrderId.put(clientIdKeys.clientIdHashCode(id), id);
        }
    }

    /** Rebuilds an exchange from {@link #writeSnapshot}; the config must list the same assets. */
    public static Exchange readSnapshot(ExchangeConfig config, SnapshotInput in) {
        int format = in.getInt();
        if (format != SNAPSHOT_FORMAT) {
            throw new SnapshotFormatException("snapshot format " + format + ", this engine reads format "
                    + SNAPSHOT_FORMAT);
        }
        Exchange x = new Exchange(config);
        Ledger ledger = x.ledger;
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
        x.lastOrderId = in.getLong();
        x.lastTradeId = in.getLong();
        x.sessionOpen = in.getByte() == 1;
        x.sessionFirstSeq = in.getLong();
        x.sessionDate = in.getLong();
        x.sessionClosesAtNanos = in.getLong();
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
            Account a = ledger.openAccount(in.getString(), in.getString(), in.getInt(), in.getInt());
            x.accountOrders.add(new AccountOrders(ledger.assetCount()));
            long feesPaid = in.getLong();
            long fillCount = in.getLong();
            for (int asset = 0; asset < assets; asset++) {
                for (int k = 0; k < 5; k++) {
                    v[k][asset] = in.getLong();
                }
            }
            ledger.restoreAccount(a, v[0], v[1], v[2], v[3], v[4], feesPaid, fillCount);
            AccountOrders ao = x.accountOrders(id);
            ao.newestOrder = in.getLong();
            ao.ordersExpired = in.getLong();
            ao.openFees = in.getLong();
            ao.openFills = in.getLong();
            ao.openExpired = in.getLong();
            for (int asset = 0; asset < assets; asset++) {
                ao.openTotal[asset] = in.getLong();
                ao.openPlaced[asset] = in.getLong();
                ao.openConsumed[asset] = in.getLong();
                ao.openReleased[asset] = in.getLong();
                ao.deposited[asset] = in.getLong();
                ao.withdrawn[asset] = in.getLong();
                ao.openDeposited[asset] = in.getLong();
                ao.openWithdrawn[asset] = in.getLong();
            }
        }
        int transfers = in.getInt();
        for (int i = 0; i < transfers; i++) {
            ledger.restoreTransfer(new Ledger.Transfer(in.getString(), TransferKind.values()[in.getByte()],
                    in.getLong(), in.getInt(), in.getLong()));
        }
        expectStride(in.getInt(), ORDER_STRIDE, "order");
        x.orders.read(in, x.lastOrderId);
        x.clientIds.read(in);
        int unlisted = in.getInt();
        for (int i = 0; i < unlisted; i++) {
            x.unlistedSymbolOrders.addLong(in.getLong());
            x.unlistedSymbols.add(in.getString());
        }
        x.rebuildClientIdIndexes(accounts);
        for (OrderBook book : x.books) {
            book.lastTradePriceTicks = in.getLong();
            for (BookSide side : new BookSide[] {book.bids, book.asks}) {
                int levels = in.getInt();
                for (int i = 0; i < levels; i++) {
                    PriceLevel l = side.findOrCreate(in.getLong());
                    l.headOrderId = in.getLong();
                    l.tailOrderId = in.getLong();
                    l.totalQty = in.getLong();
                    l.count = in.getInt();
                    for (long id = l.headOrderId; id != 0; id = x.orders.get(id, O_NEXT)) {
                        x.accountOrders(x.orders.get(id, O_ACCOUNT)).openOrders++;
                        x.restingOrders++;
                    }
                }
            }
        }
        x.validateInternalState();
        return x;
    }
}
