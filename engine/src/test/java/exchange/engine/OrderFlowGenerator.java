package exchange.engine;

import exchange.engine.testing.ExchangeDriver;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded stream of commands for the randomized simulation: many accounts trading several
 * symbols around a moving mid price, with every time in force, post-only and self-trade
 * modes, optionally reference quotes from a few outside venues (some invalid, some from too many
 * venues, with staleness limits short enough to lapse) that the liquidity provider
 * {@value #LIQUIDITY_PROVIDER} fills resting orders against on three of the four symbols, cancels (own, others', unknown, already terminal), invalid orders (bad tick, zero
 * quantity, unknown symbol, overflowing price x qty), reused client order ids (same and different
 * body), deposits and withdrawals (too large, reused transfer ids), queries (order lists with
 * every filter and cursor), and session close/open. Time stamps strictly increase.
 *
 * <p>It learns what happened (order ids, trade prices, session state) only from the results and
 * events fed back through {@link #observe}, so the same seed gives the same stream for any
 * engine that behaves the same.
 */
final class OrderFlowGenerator {
    static final String[] SYMBOLS = {"AAA", "BBB", "CCC", "DDD"};
    /** Reference prices: $50, $0.80 (sub-penny ticks), $1.00 (on the tick boundary), none. */
    static final long[] REFERENCES = {500_000, 8_000, 10_000, 0};
    /** Start price for a symbol without reference. */
    private static final long UNREFERENCED_START = 123_400;
    static final int ACCOUNTS = 20;
    static final long START_CASH = 5_000_000L * 10_000;
    static final long START_SHARES = 20_000;
    /** The liquidity provider: one of the trading accounts, so its own resting orders are in the books too. */
    static final String LIQUIDITY_PROVIDER = "acct-2";
    /** Symbols that fill against the outside market: all but the one without a reference price. */
    static final List<String> FILL_AGAINST_REFERENCE = List.of("AAA", "BBB", "CCC");
    private static final String[] VENUES = {"venue-a", "venue-b", "venue-c"};

    private final Random rnd;
    private long clockNanos = ExchangeDriver.DAY_ONE * ExchangeDriver.DAY_NANOS;
    private long sessionDate = ExchangeDriver.DAY_ONE;
    private boolean sessionOpen;
    private long accountsCreated;
    private long clientCounter;
    private long transferCounter;
    private long maxOrderId;
    private final long[] lastPrice = new long[SYMBOLS.length];
    private final long[][] recentOrders = new long[ACCOUNTS + 1][32];
    private final int[] recentCount = new int[ACCOUNTS + 1];
    private final List<Command> recentPlaces = new ArrayList<>();
    private final List<Command> recentTransfers = new ArrayList<>();

    /** Whether the stream has reference quotes; without them it is the same stream as before they existed. */
    private final boolean referenceQuotes;

    /** A stream without reference quotes (the read side's tests replay it as it always was). */
    OrderFlowGenerator(long seed) {
        this(seed, false);
    }

    OrderFlowGenerator(long seed, boolean referenceQuotes) {
        rnd = new Random(seed);
        this.referenceQuotes = referenceQuotes;
    }

    /**
     * The configuration a simulation runs under: small limits so each rejection path is hit.
     * With {@code unbounded} the quantity and price limits are lifted to {@code Long.MAX_VALUE},
     * so an invalid order's price x qty really overflows and only the notional limit stops it.
     */
    static ExchangeConfig config(boolean unbounded) {
        return config(unbounded, SelfTradePrevention.CANCEL_NEWEST);
    }

    /** As {@link #config(boolean)}, with the mode an order asking for {@code DEFAULT} self-trade prevention gets. */
    static ExchangeConfig config(boolean unbounded, SelfTradePrevention defaultSelfTradePrevention) {
        return config(unbounded, defaultSelfTradePrevention, ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS);
    }

    /** As {@link #config(boolean, SelfTradePrevention)}, with an idempotency window of {@code idempotencySessions}. */
    static ExchangeConfig config(boolean unbounded, SelfTradePrevention defaultSelfTradePrevention,
                                 int idempotencySessions) {
        return config(unbounded, defaultSelfTradePrevention, idempotencySessions, false);
    }

    /**
     * As {@link #config(boolean, SelfTradePrevention, int)}; with {@code outsideMarket} the symbols
     * of {@link #FILL_AGAINST_REFERENCE} fill against the outside market with
     * {@value #LIQUIDITY_PROVIDER} as liquidity provider (for a stream with reference quotes).
     */
    static ExchangeConfig config(boolean unbounded, SelfTradePrevention defaultSelfTradePrevention,
                                 int idempotencySessions, boolean outsideMarket) {
        ExchangeConfig.Builder b = ExchangeConfig.builder();
        for (int i = 0; i < SYMBOLS.length; i++) {
            b.symbol(SYMBOLS[i], REFERENCES[i]);
        }
        return b.maxOrderQty(unbounded ? Long.MAX_VALUE : 5_000)
                .maxOrderNotional(200_000L * 10_000)
                .maxPriceTicks(unbounded ? Long.MAX_VALUE : 10_000_000L * 10_000)
                .priceCollarBps(1_000)
                .maxOpenOrdersPerAccount(12)
                .gtcMaxAgeDays(3)
                .maxAccounts(ACCOUNTS)
                .defaultSelfTradePrevention(defaultSelfTradePrevention)
                .idempotencySessions(idempotencySessions)
                .fillAgainstReference(outsideMarket ? FILL_AGAINST_REFERENCE : List.of(), LIQUIDITY_PROVIDER)
                .build();
    }

    /** Accounts (with assorted fee rates), their funding, and the first session. */
    List<Command> setup() {
        List<Command> out = new ArrayList<>();
        for (int i = 1; i <= ACCOUNTS; i++) {
            int maker = i % 5 == 0 ? 0 : rnd.nextInt(30);
            int taker = i % 7 == 0 ? 1_000 : rnd.nextInt(60);
            out.add(stamp(ExchangeDriver.createAccountCommand("acct-" + i, maker, taker)));
            accountsCreated++;
        }
        for (int i = 1; i <= ACCOUNTS; i++) {
            out.add(stamp(ExchangeDriver.transferCommand(CommandType.DEPOSIT, i, "USD", START_CASH, "seed-usd-" + i)));
            for (String s : SYMBOLS) {
                out.add(stamp(ExchangeDriver.transferCommand(CommandType.DEPOSIT, i, s, START_SHARES, "seed-" + s + "-" + i)));
            }
        }
        out.add(sessionOpen(sessionDate));
        return out;
    }

    /** Feeds back the outcome of an applied command. */
    void observe(Command c, List<EngineEvent> events) {
        if (c.type == CommandType.PLACE_ORDER && c.order.orderId > maxOrderId) {
            maxOrderId = c.order.orderId;
            int a = (int) c.accountId;
            recentOrders[a][recentCount[a]++ % recentOrders[a].length] = c.order.orderId;
        }
        for (EngineEvent e : events) {
            switch (e.type) {
                case TRADE_EXECUTED -> lastPrice[symbolIndex(e.symbol)] = e.priceTicks;
                case SESSION_OPENED -> {
                    sessionOpen = true;
                    sessionDate = e.sessionDate;
                }
                case SESSION_CLOSED -> sessionOpen = false;
                default -> {
                }
            }
        }
    }

    Command next() {
        if (!sessionOpen && rnd.nextInt(4) == 0) {
            int r = rnd.nextInt(20);
            return sessionOpen(r == 0 ? sessionDate : sessionDate + 1 + (r == 1 ? 2 : 0));
        }
        if (referenceQuotes && rnd.nextInt(100) < 8) {
            return quote();
        }
        int r = rnd.nextInt(10_000);
        if (r < 5_600) {
            return place();
        }
        if (r < 6_800) {
            return cancelOwn();
        }
        if (r < 7_000) {
            return cancel(account(), rnd.nextInt(4) == 0 ? maxOrderId + 1 + rnd.nextInt(5) : randomOrderId());
        }
        if (r < 7_500) {
            return invalidPlace();
        }
        if (r < 7_800) {
            return reusedClientOrderId(true);
        }
        if (r < 8_000) {
            return reusedClientOrderId(false);
        }
        if (r < 8_500) {
            return deposit();
        }
        if (r < 8_900) {
            return withdraw();
        }
        if (r < 9_000) {
            return reusedTransfer();
        }
        if (r < 9_050) {
            Command c = new Command();
            c.type = CommandType.SESSION_CLOSE;
            return stamp(c);
        }
        if (r < 9_070) {
            return sessionOpen(rnd.nextBoolean() ? sessionDate + 1 : sessionDate);
        }
        if (r < 9_080) {
            return stamp(ExchangeDriver.createAccountCommand(rnd.nextBoolean() ? "late-" + (++accountsCreated) : "",
                    rnd.nextInt(1_200), 10));
        }
        return query();
    }

    // ---- orders --------------------------------------------------------------------------------

    private Command place() {
        int s = rnd.nextInt(SYMBOLS.length);
        Command c = order(account(), s);
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.qty = quantity();
        c.priceTicks = price(s, c.side);
        int tif = rnd.nextInt(100);
        c.timeInForce = tif < 40 ? TimeInForce.DAY : tif < 70 ? TimeInForce.GTC : tif < 85 ? TimeInForce.IOC : TimeInForce.FOK;
        c.postOnly = rnd.nextInt(10) == 0;
        int stp = rnd.nextInt(10);
        c.selfTradePrevention = stp < 7 ? SelfTradePrevention.DEFAULT : SelfTradePrevention.ofOrdinal(stp - 6);
        remember(c);
        return stamp(c);
    }

    private Command order(long account, int symbol) {
        Command c = new Command();
        c.type = CommandType.PLACE_ORDER;
        c.accountId = account;
        c.clientOrderId = "o" + (++clientCounter);
        c.symbol = SYMBOLS[symbol];
        c.timeInForce = TimeInForce.DAY;
        c.selfTradePrevention = SelfTradePrevention.DEFAULT;
        return c;
    }

    private long quantity() {
        int r = rnd.nextInt(100);
        if (r < 60) {
            return 1 + rnd.nextInt(50);
        }
        if (r < 95) {
            return 1 + rnd.nextInt(400);
        }
        return 1 + rnd.nextInt(4_000);
    }

    /** A price on the tick ladder near the symbol's last trade, crossing the spread about half the time. */
    private long price(int s, Side side) {
        long mid = lastPrice[s] != 0 ? lastPrice[s] : REFERENCES[s] != 0 ? REFERENCES[s] : UNREFERENCED_START;
        long step = mid >= 20_000 ? 100 : mid >= 10_000 ? 100 : 10;
        int r = rnd.nextInt(100);
        long offsetSteps;
        if (r < 80) {
            offsetSteps = rnd.nextInt(9) - 4;
        } else if (r < 97) {
            offsetSteps = rnd.nextInt(41) - 20;
        } else {
            // far away: often outside the 10% collar
            offsetSteps = (rnd.nextBoolean() ? 1 : -1) * (mid / step / 9 + rnd.nextInt(20));
        }
        long p = mid + (side == Side.BUY ? offsetSteps : -offsetSteps) * step;
        if (p >= 10_000) {
            p -= p % 100;
        }
        return Math.max(p, 1);
    }

    private Command invalidPlace() {
        int s = rnd.nextInt(SYMBOLS.length);
        Command c = order(account(), s);
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.qty = quantity();
        c.priceTicks = price(s, c.side);
        switch (rnd.nextInt(10)) {
            case 0 -> c.priceTicks = Math.max(10_000, c.priceTicks) + 1 + rnd.nextInt(99);  // off the cent ladder
            case 1 -> c.qty = rnd.nextBoolean() ? 0 : -rnd.nextInt(100);
            case 2 -> c.symbol = rnd.nextBoolean() ? "ZZZ" : null;
            case 3 -> c.qty = Long.MAX_VALUE / 2;                                      // qty bound
            case 4 -> {                                                                  // price bound
                c.priceTicks = rnd.nextBoolean() ? 0 : Long.MAX_VALUE - Long.MAX_VALUE % 100;
            }
            case 5 -> c.qty = 4_999;                                                    // large notional
            case 6 -> c.clientOrderId = rnd.nextBoolean() ? "has space" : "";
            case 7 -> c.side = null;
            case 8 -> c.accountId = ACCOUNTS + 5;
            default -> c.timeInForce = null;
        }
        return stamp(c);
    }

    private void remember(Command c) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        if (recentPlaces.size() == 64) {
            recentPlaces.set(rnd.nextInt(64), copy);
        } else {
            recentPlaces.add(copy);
        }
    }

    private Command reusedClientOrderId(boolean sameBody) {
        if (recentPlaces.isEmpty()) {
            return place();
        }
        Command c = new Command();
        c.copyInputFrom(recentPlaces.get(rnd.nextInt(recentPlaces.size())));
        c.seq = 0;
        c.timestampNanos = 0;
        if (!sameBody) {
            int changes = 1 + rnd.nextInt(2);
            for (int i = 0; i < changes; i++) {
                switch (rnd.nextInt(7)) {
                    case 0 -> c.symbol = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
                    case 1 -> c.side = c.side.opposite();
                    case 2 -> c.qty = c.qty + 1;
                    case 3 -> c.priceTicks = c.priceTicks + 100;
                    case 4 -> c.timeInForce = TimeInForce.ofOrdinal((c.timeInForce.ordinal() + 1) % 4);
                    case 5 -> c.postOnly = !c.postOnly;
                    default -> c.selfTradePrevention = SelfTradePrevention.ofOrdinal((c.selfTradePrevention.ordinal() + 1) % 4);
                }
            }
        }
        return stamp(c);
    }

    // ---- reference quotes ----------------------------------------------------------------------

    /**
     * A venue's quote near the symbol's last trade, so that it often crosses resting orders; now
     * and then from one of twelve more venues (more than a symbol keeps) or invalid.
     */
    private Command quote() {
        int s = rnd.nextInt(SYMBOLS.length);
        Command c = new Command();
        c.type = CommandType.REFERENCE_QUOTE;
        c.symbol = SYMBOLS[s];
        c.venue = rnd.nextInt(40) == 0 ? "extra-" + rnd.nextInt(12) : VENUES[rnd.nextInt(VENUES.length)];
        long mid = lastPrice[s] != 0 ? lastPrice[s] : REFERENCES[s] != 0 ? REFERENCES[s] : UNREFERENCED_START;
        long step = mid >= 10_000 ? 100 : 10;
        long bid = Math.max(step, mid + (rnd.nextInt(9) - 4) * step);
        bid -= bid >= 10_000 ? bid % 100 : 0;
        long ask = bid + step * (1 + rnd.nextInt(3));
        ask += ask >= 10_000 && ask % 100 != 0 ? 100 - ask % 100 : 0;
        c.bidPriceTicks = bid;
        c.askPriceTicks = ask;
        c.bidQty = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 2_000 : 200);
        c.askQty = 1 + rnd.nextInt(rnd.nextInt(4) == 0 ? 2_000 : 200);
        c.lastPriceTicks = rnd.nextBoolean() ? 0 : bid;
        // the clock moves about 1 ms a command: many quotes lapse before the next one
        c.staleAfterNanos = (1 + rnd.nextInt(rnd.nextInt(5) == 0 ? 2_000 : 50)) * 1_000_000L;
        if (rnd.nextInt(30) == 0) {
            switch (rnd.nextInt(8)) {
                case 0 -> c.askPriceTicks = c.bidPriceTicks;                       // locked
                case 1 -> c.bidPriceTicks = 0;
                case 2 -> c.askQty = 0;
                case 3 -> c.askPriceTicks = Math.max(10_000, c.askPriceTicks) + 1;  // off the cent ladder
                case 4 -> c.venue = rnd.nextBoolean() ? "" : "a-venue-name-longer-than-32-chars";
                case 5 -> c.staleAfterNanos = 0;
                case 6 -> c.symbol = rnd.nextBoolean() ? "ZZZ" : null;
                default -> c.lastPriceTicks = -1;
            }
        }
        return stamp(c);
    }

    // ---- cancels -------------------------------------------------------------------------------

    private Command cancelOwn() {
        long a = account();
        int n = Math.min(recentCount[(int) a], recentOrders[(int) a].length);
        long id = n == 0 ? randomOrderId() : recentOrders[(int) a][rnd.nextInt(n)];
        return cancel(a, id);
    }

    private long randomOrderId() {
        return maxOrderId == 0 ? 1 : 1 + (long) (rnd.nextDouble() * maxOrderId);
    }

    private Command cancel(long account, long orderId) {
        return stamp(ExchangeDriver.cancelCommand(account, orderId));
    }

    // ---- transfers -----------------------------------------------------------------------------

    private Command deposit() {
        long a = rnd.nextInt(50) == 0 ? ACCOUNTS + 3 : account();
        boolean cash = rnd.nextBoolean();
        String asset = rnd.nextInt(40) == 0 ? "XYZ" : cash ? "USD" : SYMBOLS[rnd.nextInt(SYMBOLS.length)];
        long amount = cash ? (1 + rnd.nextInt(200_000)) * 10_000L : 1 + rnd.nextInt(2_000);
        if (rnd.nextInt(40) == 0) {
            amount = rnd.nextBoolean() ? 0 : Long.MAX_VALUE - rnd.nextInt(10);
        }
        return transfer(CommandType.DEPOSIT, a, asset, amount);
    }

    private Command withdraw() {
        long a = account();
        boolean cash = rnd.nextBoolean();
        String asset = cash ? "USD" : SYMBOLS[rnd.nextInt(SYMBOLS.length)];
        long amount = cash ? (1 + rnd.nextInt(300_000)) * 10_000L : 1 + rnd.nextInt(3_000);
        if (rnd.nextInt(10) == 0) {
            amount = cash ? START_CASH * 3 : START_SHARES * 3;   // beyond any balance here
        }
        return transfer(CommandType.WITHDRAW, a, asset, amount);
    }

    private Command transfer(CommandType type, long account, String asset, long amount) {
        String id = rnd.nextInt(100) == 0 ? "" : "t" + (++transferCounter);
        Command c = ExchangeDriver.transferCommand(type, account, asset, amount, id);
        Command copy = new Command();
        copy.copyInputFrom(c);
        if (recentTransfers.size() == 32) {
            recentTransfers.set(rnd.nextInt(32), copy);
        } else {
            recentTransfers.add(copy);
        }
        return stamp(c);
    }

    private Command reusedTransfer() {
        if (recentTransfers.isEmpty()) {
            return deposit();
        }
        Command c = new Command();
        c.copyInputFrom(recentTransfers.get(rnd.nextInt(recentTransfers.size())));
        c.seq = 0;
        c.timestampNanos = 0;
        if (rnd.nextBoolean()) {
            c.amount += 1;
        }
        return stamp(c);
    }

    // ---- sessions and queries ------------------------------------------------------------------

    private Command sessionOpen(long date) {
        Command c = ExchangeDriver.sessionOpenCommand(date);
        stamp(c);
        c.sessionClosesAtNanos = c.timestampNanos + 6L * 3_600_000_000_000L;
        return c;
    }

    private Command query() {
        Command c = new Command();
        c.accountId = rnd.nextInt(30) == 0 ? ACCOUNTS + 2 : account();
        switch (rnd.nextInt(6)) {
            case 0 -> {
                c.type = CommandType.QUERY_ORDER;
                c.orderId = randomOrderId();
            }
            case 1 -> {
                c.type = CommandType.QUERY_ORDER_BY_CLIENT_ID;
                c.clientOrderId = "o" + (1 + (long) (rnd.nextDouble() * Math.max(1, clientCounter)));
            }
            case 2 -> {
                c.type = CommandType.QUERY_ORDERS;
                c.orderFilter = Command.OrderFilter.values()[rnd.nextInt(3)];
                c.limit = rnd.nextInt(4) == 0 ? 0 : 1 + rnd.nextInt(20);
                if (rnd.nextInt(3) == 0) {
                    c.symbol = rnd.nextInt(8) == 0 ? "ZZZ" : SYMBOLS[rnd.nextInt(SYMBOLS.length)];
                }
                if (rnd.nextInt(4) == 0) {
                    c.afterNanos = clockNanos - rnd.nextInt(400_000_000);
                }
                if (rnd.nextInt(4) == 0) {
                    c.untilNanos = clockNanos - rnd.nextInt(200_000_000);
                }
                if (rnd.nextInt(3) == 0) {
                    c.beforeOrderId = rnd.nextInt(10) == 0 ? maxOrderId + 1 : randomOrderId();
                }
            }
            case 3 -> c.type = CommandType.QUERY_ACCOUNT;
            case 4 -> {
                c.type = CommandType.QUERY_ORDERS;
                c.orderFilter = Command.OrderFilter.OPEN;
                c.limit = 1 + rnd.nextInt(5);
            }
            default -> {
                // rare: the engine hashes its whole state (every order ever placed) for the summary
                c.type = rnd.nextInt(40) == 0 ? CommandType.QUERY_STATE : CommandType.QUERY_ACCOUNT;
            }
        }
        return stamp(c);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long account() {
        return 1 + rnd.nextInt(ACCOUNTS);
    }

    private Command stamp(Command c) {
        clockNanos += 1 + rnd.nextInt(2_000_000);
        c.timestampNanos = clockNanos;
        return c;
    }

    static int symbolIndex(String symbol) {
        for (int i = 0; i < SYMBOLS.length; i++) {
            if (SYMBOLS[i].equals(symbol)) {
                return i;
            }
        }
        throw new IllegalArgumentException(symbol);
    }
}
