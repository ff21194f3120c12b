package exchange.engine;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;
import exchange.risk.Account;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.TransferKind;
import exchange.risk.TransferResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The exchange as one deterministic state machine: {@link #apply(Command, EventSink)} takes a
 * command and emits events. It holds live state only: the order books, the orders that are open
 * or inside the idempotency window ({@link OrderStore}), the session ({@link SessionState}) and,
 * through {@link Ledger}, every balance; history (fills, trades, older orders) is the read side's.
 *
 * <p>This class owns the wiring of its parts, the sequence, accounts and transfers, the
 * invariants and the state hash; {@link OrderEntry} places and cancels, {@link Matcher} matches,
 * {@link ReferenceFills} takes reference quotes and fills against the outside market,
 * {@link SessionSweep} opens and closes sessions (and evicts), {@link ExchangeQueries} answers
 * queries, {@link ReconciliationReportBuilder} builds the end-of-day report and
 * {@link ExchangeSnapshot} writes and reads snapshots.
 *
 * <p>Exact rules: {@code docs/engine-rules.md}. Single writer: only the engine thread calls
 * anything here. No clock, I/O, threads or randomness; iteration is always in id or price order,
 * so replaying the same commands yields the same events and {@link #stateHash()}. Validation
 * completes before any mutation; an exception out of {@code apply} is a bug and the pipeline
 * stops (fail-stop).
 */
public final class Exchange {
    private final ExchangeConfig config;
    final Ledger ledger;
    final OrderBook[] books;
    private final Map<String, OrderBook> bookBySymbol = new HashMap<>();
    final SessionState session = new SessionState();
    final OrderStore store;
    private final EventOut out = new EventOut();
    final Matcher matcher;
    final ReconciliationReportBuilder reports;
    private final SessionSweep sweep;
    private final ExchangeQueries queries;
    private final OrderEntry entry;
    final ReferenceQuotes referenceQuotes;
    private final ReferenceFills referenceFills;

    long lastSeq;
    /** What {@link #prefetch} read; kept only so that its reads are not optimised away. */
    private long prefetched;

    public Exchange(ExchangeConfig config) {
        this.config = Objects.requireNonNull(config);
        this.ledger = new Ledger(config.assetNames());
        this.books = new OrderBook[config.symbols().size()];
        String[] symbols = new String[books.length];
        for (int i = 0; i < books.length; i++) {
            SymbolConfig s = config.symbols().get(i);
            books[i] = new OrderBook(i, s.symbol(), s.referencePriceTicks(), config.fillsAgainstReference(s.symbol()));
            bookBySymbol.put(s.symbol(), books[i]);
            symbols[i] = s.symbol();
        }
        this.store = new OrderStore(symbols, config.maxClientOrderIdLength());
        this.referenceQuotes = new ReferenceQuotes(bookBySymbol, books, config.maxPriceTicks());
        this.matcher = new Matcher(store, ledger, books, session, out);
        this.referenceFills = new ReferenceFills(config, ledger, store, matcher, referenceQuotes, session, out);
        this.reports = new ReconciliationReportBuilder(ledger, books, store, session, referenceQuotes);
        this.sweep = new SessionSweep(config, session, store, matcher, reports, out);
        this.queries = new ExchangeQueries(config, ledger, books, store, session, referenceQuotes);
        this.entry = new OrderEntry(config, ledger, bookBySymbol, store, matcher, queries, session, out,
                referenceQuotes, referenceFills);
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
        return session.open;
    }

    /** Epoch day of the open (or last) session; 0 before the first session. */
    public long sessionDate() {
        return session.date;
    }

    public long sessionClosesAtNanos() {
        return session.closesAtNanos;
    }

    public long openOrderCount() {
        return store.restingCount();
    }

    /** Successful session closes applied so far. */
    public long closeCount() {
        return session.closeCount;
    }

    /** {@code W = max(0, closeCount - idempotencySessions)}: ended orders with a close count below it have left. */
    public long windowStartCloseCount() {
        return session.windowStart(config.idempotencySessions());
    }

    /** Sequence of the last session close that evicted an order; 0 if none has. */
    public long lastEvictionSeq() {
        return session.lastEvictionSeq;
    }

    /** Orders the engine holds: the open ones and the ended ones inside the idempotency window. */
    public long heldOrderCount() {
        return store.heldCount();
    }

    /**
     * Allocates the order store for {@code orders} held orders now, instead of page by page as
     * orders arrive: called at start-up (before the pipeline runs), it lets the store's pages age
     * into the old generation before trading, so young collections do not copy them during it.
     * Memory layout only: no state, result, event or state hash depends on it.
     *
     * @throws IllegalArgumentException if {@code orders} is negative
     */
    public void reserveOrders(int orders) {
        if (orders < 0) {
            throw new IllegalArgumentException("orders must be >= 0: " + orders);
        }
        store.reserve(orders);
    }

    /** Slots the order store's pages provide (for memory tests). */
    int orderSlotCapacity() {
        return store.slotCapacity();
    }

    /** The most order slots in use at once so far (for memory tests). */
    int orderSlotHighWater() {
        return store.slotHighWater();
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
        out.begin(c, sink);
        try {
            switch (c.type) {
                case CREATE_ACCOUNT -> createAccount(c);
                case DEPOSIT -> transfer(c, TransferKind.DEPOSIT);
                case WITHDRAW -> transfer(c, TransferKind.WITHDRAWAL);
                case PLACE_ORDER -> entry.placeOrder(c);
                case CANCEL_ORDER -> entry.cancelOrder(c);
                case SESSION_OPEN -> sweep.open(c);
                case SESSION_CLOSE -> sweep.close(c);
                case REFERENCE_QUOTE -> referenceFills.quote(c, c.symbol == null ? null : bookBySymbol.get(c.symbol));
                case QUERY_ORDER -> queries.queryOrder(c);
                case QUERY_ORDER_BY_CLIENT_ID -> queries.queryOrderByClientId(c);
                case QUERY_ORDERS -> queries.queryOrders(c);
                case QUERY_ACCOUNT -> queries.queryAccount(c, lastSeq);
                case QUERY_STATE -> {
                    c.queryResult = summary();
                    c.result = ResultCode.OK;
                }
                case SNAPSHOT -> c.result = ResultCode.OK;
                case QUERY_SESSION -> {
                    c.queryResult = new SessionStatus(session.open, session.date);
                    c.result = ResultCode.OK;
                }
                default -> throw new IllegalStateException("unhandled command type " + c.type);
            }
        } finally {
            out.end();
        }
    }

    // ---- accounts and transfers ---------------------------------------------------------------

    private void createAccount(Command c) {
        if (c.name == null || c.name.isEmpty() || c.name.length() > ExchangeConfig.MAX_ACCOUNT_NAME_LENGTH) {
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
        Account a = openAccount(c.name, c.apiKeyHash, c.makerFeeBps, c.takerFeeBps);
        c.resultAccountId = a.id();
        c.result = ResultCode.OK;
        EngineEvent e = out.event(EventType.ACCOUNT_CREATED);
        e.accountId = a.id();
        e.name = a.name();
        e.apiKeyHash = a.apiKeyHash();
        e.makerFeeBps = a.makerFeeBps();
        e.takerFeeBps = a.takerFeeBps();
        out.emit();
    }

    /** Opens an account in the ledger and its engine-side parts. */
    Account openAccount(String name, String apiKeyHash, int makerFeeBps, int takerFeeBps) {
        Account a = ledger.openAccount(name, apiKeyHash, makerFeeBps, takerFeeBps);
        store.openAccount();
        reports.openAccount();
        referenceFills.onAccountOpened(a);
        return a;
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
            reports.onTransfer(c.accountId, kind, asset, c.amount);
        }
        EventType type = r != TransferResult.APPLIED ? EventType.TRANSFER_REJECTED
                : kind == TransferKind.DEPOSIT ? EventType.FUNDS_DEPOSITED : EventType.FUNDS_WITHDRAWN;
        EngineEvent e = out.event(type);
        e.accountId = c.accountId;
        e.asset = c.asset;
        e.amount = c.amount;
        e.transferId = c.transferId;
        if (r != TransferResult.APPLIED) {
            e.code = c.result;
        }
        out.emit();
    }

    /**
     * Reads, and changes nothing, the memory that applying {@code commands[from, to)} will need
     * first: for a place, the idempotency cell of its client order id; for a cancel, the order's
     * record, its client id's bytes and the records of its neighbours in the price level. A replay calls this for a batch of
     * decoded commands before it applies them, so that their cache misses overlap instead of
     * following one another. Calling it or not never changes a result.
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
                if (c.accountId >= 1 && c.accountId <= store.accountCount() && c.clientOrderId != null) {
                    touched += entry.touchClientId(c);
                }
            } else if (c.type == CommandType.CANCEL_ORDER) {
                int slot = store.slotOf(c.orderId);
                if (slot != 0) {
                    // the client id's bytes too: the cancel's answer decodes them into its view
                    touched += store.get(slot, OrderStore.ACCOUNT) + store.bookPrev(slot) + store.bookNext(slot)
                            + store.firstClientIdByte(slot);
                }
            }
        }
        for (int i = from; i < to; i++) {
            Command c = commands[i];
            int slot = c.type == CommandType.CANCEL_ORDER ? store.slotOf(c.orderId) : 0;
            if (slot != 0) {
                int prev = store.bookPrev(slot);
                int next = store.bookNext(slot);
                touched += (prev != 0 ? store.bookNext(prev) : 0) + (next != 0 ? store.bookPrev(next) : 0);
            }
        }
        prefetched += touched;
    }

    // ---- reads for tests, reports and the replay tool -----------------------------------------

    /** An account's balances now, its positions valued at the mark prices at {@code nowNanos}. */
    public AccountSnapshot accountSnapshot(Account a, long nowNanos) {
        return queries.accountSnapshot(a, lastSeq, nowNanos);
    }

    /** System totals and the state hash now. */
    public StateSummary summary() {
        List<StateSummary.AssetTotal> positions = new ArrayList<>();
        for (OrderBook book : books) {
            int asset = book.symbolIndex + 1;
            positions.add(new StateSummary.AssetTotal(book.symbol, ledger.sumTotal(asset), ledger.sumReserved(asset)));
        }
        return new StateSummary(lastSeq, stateHash(), ledger.accountCount(), store.restingCount(), session.open,
                session.date, session.closesAtNanos, ledger.sumTotal(Ledger.CASH), ledger.sumReserved(Ledger.CASH),
                ledger.feesCollected(Ledger.CASH), List.copyOf(positions), store.heldCount(), session.closeCount);
    }

    /** Copies held order {@code orderId} into {@code into}; false (and cleared) if the engine does not hold it. */
    public boolean order(long orderId, OrderView into) {
        int slot = store.slotOf(orderId);
        if (slot == 0) {
            into.clear();
            return false;
        }
        queries.view(slot, into);
        return true;
    }

    /** Copies of every resting order, ascending order id. */
    public List<OrderView> openOrders() {
        return queries.openOrders();
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

    // =============================================================================================
    // invariants, hash, snapshots
    // =============================================================================================

    /**
     * Checks every invariant of the books, the held orders, the ledger and the reference quotes;
     * throws {@link IllegalStateException} naming the first broken one: {@link #validateOpenState},
     * {@link OrderStore#validateInternalState} (which also checks that each account's live orders
     * are exactly its resting ones and that every ended order held is inside the window) and
     * {@link ReferenceQuotes#validateInternalState}. Cost: O(accounts x assets + held orders).
     */
    public void validateInternalState() {
        validateOpenState();
        store.validateInternalState(windowStartCloseCount(), session.closeCount);
        referenceQuotes.validateInternalState();
        ExchangeInvariants.check(session.lastEvictionSeq <= lastSeq && store.lastOrderId() >= 0
                && matcher.lastTradeId >= 0, "counters out of range");
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
        return ExchangeInvariants.validateOpenState(ledger, books, store);
    }

    /**
     * A 64-bit hash of the whole state: sequence counters, session and window, every account,
     * transfer and held order (in id order, by its fields), every book level (by its orders'
     * ids) and every venue's reference quote (with what fills have left of its sizes). Independent of which slots hold the orders, so a restored engine hashes as the one
     * that wrote the snapshot. Equal states hash equal across runs and JVMs (no identity hashes,
     * no hash-ordered iteration). Cost: O(state).
     */
    public long stateHash() {
        return ExchangeInvariants.stateHash(this);
    }

    /** Writes the live state (see {@link ExchangeSnapshot}). */
    public void writeSnapshot(SnapshotOutput output) {
        ExchangeSnapshot.write(this, output);
    }

    /** Rebuilds an exchange from {@link #writeSnapshot}; the config must list the same assets. */
    public static Exchange readSnapshot(ExchangeConfig config, SnapshotInput in) {
        return ExchangeSnapshot.read(config, in);
    }
}
