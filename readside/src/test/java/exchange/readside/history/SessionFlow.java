package exchange.readside.history;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.ExchangeConfig;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded order flow shaped in whole sessions, for the multi-session simulation: {@link #setup()}
 * (accounts and funding), then per session {@link #open()}, {@link #next()} until
 * {@link #placedThisSession()} reaches the session's size, {@link #close()}, and a few
 * {@link #betweenSessions()} commands while the market is closed. The mix: resting and crossing
 * limit orders (DAY, GTC, IOC, FOK, some post-only), cancels of own recent orders (live, ended or
 * already evicted), invalid orders (bad tick, zero quantity, unknown symbol, outside the collar),
 * retries of a recent order (answered DUPLICATE, no event), client order ids reused once their order
 * has left the idempotency window, deposits and withdrawals. Prices follow each symbol's last trade.
 *
 * <p>It learns order ids and trade prices only from the results and events fed back through
 * {@link #observe} and {@link #onEvent}, so the same seed gives the same stream. One thread.
 */
final class SessionFlow {
    static final String[] SYMBOLS = {"AAA", "BBB", "CCC", "DDD"};
    /** $50, $0.80 (sub-penny ticks), $120, $15. */
    static final long[] REFERENCES = {500_000, 8_000, 1_200_000, 150_000};
    /** The first session's date, as epoch day (2024-10-01). */
    static final long DAY_ONE = 20_000L;
    static final long DAY_NANOS = 86_400_000_000_000L;
    private static final long HOUR_NANOS = 3_600_000_000_000L;
    /** GTC orders older than this many days expire at a close: short, so the resting set reaches a steady state. */
    static final int GTC_MAX_AGE_DAYS = 3;
    private static final long START_CASH = 50_000_000L * 10_000;
    private static final long START_SHARES = 2_000_000;
    /** Sessions after which a client order id is reused: past the default window of 5, so its order has left. */
    private static final int REUSE_AFTER_SESSIONS = ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS + 2;

    private final Random rnd;
    private final int accounts;
    private long clockNanos;
    private long sessionDate = DAY_ONE - 1;
    private int sessionIndex = -1;
    private int placedThisSession;
    private long clientCounter;
    private long transferCounter;
    private final long[] lastPrice = REFERENCES.clone();
    /** Each account's last 64 order ids, for cancels. */
    private final long[][] recentOrders;
    private final int[] recentCount;
    /** Recent places (inputs only), for retries inside the window. */
    private final List<Command> recentPlaces = new ArrayList<>();
    /** Per session, a few places kept to reuse their client order id {@link #REUSE_AFTER_SESSIONS} sessions later. */
    private final List<List<Command>> placesBySession = new ArrayList<>();
    private long reusedClientOrderIds;
    private boolean lastWasReuse;

    SessionFlow(long seed, int accounts) {
        this.rnd = new Random(seed);
        this.accounts = accounts;
        this.recentOrders = new long[accounts + 1][64];
        this.recentCount = new int[accounts + 1];
        this.clockNanos = DAY_ONE * DAY_NANOS;
    }

    /** The engine's settings for this flow: every default (idempotency window 5 included) but the symbols and GTC age. */
    static ExchangeConfig config(int accounts) {
        ExchangeConfig.Builder b = ExchangeConfig.builder();
        for (int i = 0; i < SYMBOLS.length; i++) {
            b.symbol(SYMBOLS[i], REFERENCES[i]);
        }
        return b.gtcMaxAgeDays(GTC_MAX_AGE_DAYS).maxAccounts(accounts + 1).build();
    }

    int accounts() {
        return accounts;
    }

    int placedThisSession() {
        return placedThisSession;
    }

    long reusedClientOrderIds() {
        return reusedClientOrderIds;
    }

    /** True if the last command {@link #next()} gave reuses the client order id of an order that has left the window. */
    boolean lastWasReuse() {
        return lastWasReuse;
    }

    /** Accounts with assorted fee rates, and their cash and shares. */
    List<Command> setup() {
        List<Command> out = new ArrayList<>();
        for (int i = 1; i <= accounts; i++) {
            Command c = new Command();
            c.type = CommandType.CREATE_ACCOUNT;
            c.name = "acct-" + i;
            c.apiKeyHash = "hash-" + i;
            c.makerFeeBps = i % 5 == 0 ? 0 : rnd.nextInt(20);
            c.takerFeeBps = rnd.nextInt(40);
            out.add(stamp(c, 1_000));
        }
        for (int i = 1; i <= accounts; i++) {
            out.add(transfer(CommandType.DEPOSIT, i, "USD", START_CASH));
            for (String s : SYMBOLS) {
                out.add(transfer(CommandType.DEPOSIT, i, s, START_SHARES));
            }
        }
        return out;
    }

    /** The next session's open: the next calendar day, 09:30 to 16:00 in New York (13:30 to 20:00 UTC). */
    Command open() {
        sessionDate++;
        sessionIndex++;
        placedThisSession = 0;
        placesBySession.add(new ArrayList<>());
        clockNanos = Math.max(clockNanos, sessionDate * DAY_NANOS + 13 * HOUR_NANOS + HOUR_NANOS / 2);
        Command c = new Command();
        c.type = CommandType.SESSION_OPEN;
        c.sessionDate = sessionDate;
        c.sessionClosesAtNanos = sessionDate * DAY_NANOS + 20 * HOUR_NANOS;
        return stamp(c, 1_000);
    }

    Command close() {
        Command c = new Command();
        c.type = CommandType.SESSION_CLOSE;
        return stamp(c, 1_000);
    }

    /**
     * While closed: a cancel (accepted while closed), an order (rejected MARKET_CLOSED), or a transfer
     * (in no session's report: each covers its SESSION_OPEN through its SESSION_CLOSE).
     */
    Command betweenSessions() {
        int r = rnd.nextInt(10);
        return r < 4 ? cancelOwn() : r < 8 ? place() : r < 9 ? deposit() : withdraw();
    }

    /** The next command of an open session. */
    Command next() {
        lastWasReuse = false;
        int r = rnd.nextInt(1_000);
        if (r < 700) {
            return place();
        }
        if (r < 900) {
            return cancelOwn();
        }
        if (r < 915) {
            return invalidPlace();
        }
        if (r < 925) {
            return retry();
        }
        if (r < 928) {
            return reuseEvictedClientOrderId();
        }
        if (r < 975) {
            return deposit();
        }
        return withdraw();
    }

    /** Feeds back the outcome of an applied command. */
    void observe(Command c) {
        if (c.type == CommandType.PLACE_ORDER && c.order.orderId != 0 && c.order.seq == c.seq) {
            int a = (int) c.accountId;
            if (a >= 1 && a <= accounts) {
                recentOrders[a][recentCount[a]++ % recentOrders[a].length] = c.order.orderId;
            }
        }
    }

    /** Feeds back an event (as the engine emits it): trades move the symbol's price. */
    void onEvent(EngineEvent e) {
        if (e.type == EventType.TRADE_EXECUTED) {
            lastPrice[symbolIndex(e.symbol)] = e.priceTicks;
        }
    }

    // ---- orders --------------------------------------------------------------------------------

    private Command place() {
        int s = rnd.nextInt(SYMBOLS.length);
        Command c = order(account(), s);
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.qty = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(1_000) : 1 + rnd.nextInt(100);
        c.priceTicks = price(s, c.side, rnd.nextInt(5) == 0 ? 12 : 4);
        int tif = rnd.nextInt(100);
        c.timeInForce = tif < 45 ? TimeInForce.DAY : tif < 65 ? TimeInForce.GTC : tif < 85 ? TimeInForce.IOC : TimeInForce.FOK;
        c.postOnly = (c.timeInForce == TimeInForce.DAY || c.timeInForce == TimeInForce.GTC) && rnd.nextInt(20) == 0;
        if (rnd.nextInt(20) == 0) {
            c.selfTradePrevention = SelfTradePrevention.ofOrdinal(1 + rnd.nextInt(3));
        }
        remember(c);
        placedThisSession++;
        return stamp(c, 50_000);
    }

    private Command order(long account, int symbol) {
        Command c = new Command();
        c.type = CommandType.PLACE_ORDER;
        c.accountId = account;
        c.clientOrderId = "c" + (++clientCounter);
        c.symbol = SYMBOLS[symbol];
        c.selfTradePrevention = SelfTradePrevention.DEFAULT;
        return c;
    }

    /** On the tick ladder, within {@code spread} ticks of the last trade, crossing it about half the time. */
    private long price(int s, Side side, int spread) {
        long mid = lastPrice[s];
        long step = mid >= 10_000 ? 100 : 10;
        long offset = rnd.nextInt(2 * spread + 1) - spread;
        long p = mid + (side == Side.BUY ? offset : -offset) * step;
        if (p >= 10_000) {
            p -= p % 100;
        }
        return Math.max(p, step);
    }

    /** An order the engine numbers and rejects: bad tick, zero quantity, unknown symbol or outside the collar. */
    private Command invalidPlace() {
        int s = rnd.nextInt(SYMBOLS.length);
        Command c = order(account(), s);
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.qty = 1 + rnd.nextInt(100);
        c.priceTicks = price(s, c.side, 4);
        c.timeInForce = rnd.nextBoolean() ? TimeInForce.DAY : TimeInForce.GTC;
        switch (rnd.nextInt(4)) {
            case 0 -> c.priceTicks = Math.max(10_000, c.priceTicks) + 1 + rnd.nextInt(99);
            case 1 -> c.qty = 0;
            case 2 -> c.symbol = "ZZZ";
            default -> c.priceTicks = lastPrice[s] * 2 - lastPrice[s] * 2 % 100;
        }
        placedThisSession++;
        return stamp(c, 50_000);
    }

    private void remember(Command c) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        if (recentPlaces.size() == 64) {
            recentPlaces.set(rnd.nextInt(64), copy);
        } else {
            recentPlaces.add(copy);
        }
        List<Command> keep = placesBySession.get(sessionIndex);
        if (keep.size() < 8 && rnd.nextInt(64) == 0) {
            keep.add(copy);
        }
    }

    /** A client's retry of a recent order, same body: the engine answers DUPLICATE with no event. */
    private Command retry() {
        if (recentPlaces.isEmpty()) {
            return place();
        }
        Command c = new Command();
        c.copyInputFrom(recentPlaces.get(rnd.nextInt(recentPlaces.size())));
        c.seq = 0;
        c.timestampNanos = 0;
        return stamp(c, 50_000);
    }

    /** The client order id of an order placed {@link #REUSE_AFTER_SESSIONS} sessions ago: a new order once that one left. */
    private Command reuseEvictedClientOrderId() {
        int from = sessionIndex - REUSE_AFTER_SESSIONS;
        if (from < 0 || placesBySession.get(from).isEmpty()) {
            return place();
        }
        List<Command> old = placesBySession.get(from);
        Command c = new Command();
        c.copyInputFrom(old.remove(old.size() - 1));
        c.seq = 0;
        c.timestampNanos = 0;
        int s = symbolIndex(c.symbol);
        c.priceTicks = price(s, c.side, 4);
        c.timeInForce = TimeInForce.DAY;
        reusedClientOrderIds++;
        lastWasReuse = true;
        placedThisSession++;
        return stamp(c, 50_000);
    }

    // ---- cancels and transfers -----------------------------------------------------------------

    private Command cancelOwn() {
        long a = account();
        int n = Math.min(recentCount[(int) a], recentOrders[(int) a].length);
        Command c = new Command();
        c.type = CommandType.CANCEL_ORDER;
        c.accountId = a;
        c.orderId = n == 0 ? 1 : recentOrders[(int) a][rnd.nextInt(n)];
        return stamp(c, 50_000);
    }

    private Command deposit() {
        boolean cash = rnd.nextBoolean();
        return transfer(CommandType.DEPOSIT, account(), cash ? "USD" : SYMBOLS[rnd.nextInt(SYMBOLS.length)],
                cash ? (1 + rnd.nextInt(100_000)) * 10_000L : 1 + rnd.nextInt(5_000));
    }

    /** Mostly small; one in ten far beyond any balance (TRANSFER_REJECTED). */
    private Command withdraw() {
        boolean cash = rnd.nextBoolean();
        long amount = cash ? (1 + rnd.nextInt(50_000)) * 10_000L : 1 + rnd.nextInt(2_000);
        if (rnd.nextInt(10) == 0) {
            amount = cash ? START_CASH * 100 : START_SHARES * 100;
        }
        return transfer(CommandType.WITHDRAW, account(), cash ? "USD" : SYMBOLS[rnd.nextInt(SYMBOLS.length)], amount);
    }

    private Command transfer(CommandType type, long account, String asset, long amount) {
        Command c = new Command();
        c.type = type;
        c.accountId = account;
        c.asset = asset;
        c.amount = amount;
        c.transferId = "t" + (++transferCounter);
        return stamp(c, 50_000);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private long account() {
        return 1 + rnd.nextInt(accounts);
    }

    private Command stamp(Command c, int maxStepNanos) {
        clockNanos += 1 + rnd.nextInt(maxStepNanos);
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
