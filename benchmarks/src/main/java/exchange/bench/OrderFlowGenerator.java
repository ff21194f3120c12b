package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ExchangeConfig;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;

import java.time.LocalDate;
import java.time.ZoneOffset;

/**
 * A deterministic, seeded source of realistic command streams for benchmarks and load runs.
 * The same seed (and account count) always yields the same stream, field for field.
 *
 * <p>The stream starts with a setup phase of {@link #setupCommandCount()} commands: one
 * {@code CREATE_ACCOUNT} per account, then a cash deposit and a share deposit of every symbol
 * per account, then one {@code SESSION_OPEN}. After that it is an endless order flow over
 * {@link #config()}'s symbols: passive limit orders around a per-symbol random-walk mid price on
 * the tick ladder (mostly DAY, some GTC and post-only), crossing orders (DAY, IOC, FOK), cancels
 * of earlier orders that may still rest, and a few invalid orders (off-tick price, zero quantity,
 * unknown symbol, price outside the collar) that the engine rejects.
 *
 * <p>Invariants the stream keeps, so it can be replayed on a fresh {@code Exchange} built from
 * {@link #config()}: every account id and client order id is valid and unique, so every
 * {@code PLACE_ORDER} takes the next engine order id (1, 2, ...) and a cancel always names an
 * order of the cancelling account; timestamps strictly increase. A cancel may still find its
 * order already filled or expired ({@code TOO_LATE_TO_CANCEL}), as a real client's would.
 *
 * <p>Not thread-safe: one generator per producing thread.
 */
public final class OrderFlowGenerator extends SeededCommandStream {
    public static final int DEFAULT_ACCOUNTS = 1_000;
    /** Session date of the stream: Monday 2026-01-05, as epoch day. */
    public static final long SESSION_DATE = LocalDate.of(2026, 1, 5).toEpochDay();
    /** First timestamp: 09:30 New York (14:30 UTC) on the session date, epoch nanos. */
    public static final long START_NANOS =
            LocalDate.of(2026, 1, 5).atTime(14, 30).toEpochSecond(ZoneOffset.UTC) * 1_000_000_000L;
    /** Scheduled close: 16:00 New York (21:00 UTC). */
    public static final long CLOSES_AT_NANOS = START_NANOS + 390L * 60 * 1_000_000_000L;
    /** Symbols and their reference (opening) prices in {@link Money#SCALE} units; the last one trades below $1. */
    static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOGL", "AMZN", "TSLA", "SNDL"};
    static final long[] REFERENCE_PRICES = {
        190 * Money.SCALE, 420 * Money.SCALE, 170 * Money.SCALE, 185 * Money.SCALE, 250 * Money.SCALE, 7_500};
    /** A symbol the exchange does not list (the source of UNKNOWN_SYMBOL rejections). */
    static final String UNLISTED_SYMBOL = "ZZZZ";

    /** Cash deposited per account: $50,000,000. */
    public static final long CASH_PER_ACCOUNT = 50_000_000L * Money.SCALE;
    /** Shares deposited per account and symbol. */
    public static final long SHARES_PER_ACCOUNT = 2_000_000L;
    static final int MAKER_FEE_BPS = 1;
    static final int TAKER_FEE_BPS = 2;

    // Flow mix in percent of flow commands; the rest up to 100 are cancels.
    static final int PASSIVE_PCT = 42;
    static final int CROSSING_DAY_PCT = 14;
    static final int IOC_PCT = 6;
    static final int FOK_PCT = 3;
    static final int INVALID_PCT = 3;
    /** Passive orders rest 1..this many ticks behind the mid. */
    static final int PASSIVE_DEPTH_TICKS = 20;
    /** Crossing orders reach 1..this many ticks through the mid. */
    static final int CROSSING_REACH_TICKS = 5;
    /** The mid wanders at most this many basis points from the reference, inside the engine's collar. */
    static final int MID_BAND_BPS = 400;
    /** Orders remembered as cancel candidates; when full, a random one is forgotten. */
    static final int CANCEL_CANDIDATES = 1 << 16;

    private final int accounts;
    private final long[] midPrices = REFERENCE_PRICES.clone();
    private final CancelCandidates candidates = new CancelCandidates(CANCEL_CANDIDATES);
    private long lastOrderId;

    /** A generator over {@link #DEFAULT_ACCOUNTS} accounts. */
    public OrderFlowGenerator(long seed) {
        this(seed, DEFAULT_ACCOUNTS);
    }

    public OrderFlowGenerator(long seed, int accounts) {
        super(seed, checkedAccounts(accounts), "bench-", MAKER_FEE_BPS, TAKER_FEE_BPS, SYMBOLS, CASH_PER_ACCOUNT,
                SHARES_PER_ACCOUNT);
        this.accounts = accounts;
    }

    private static int checkedAccounts(int accounts) {
        if (accounts < 2) {
            throw new IllegalArgumentException("at least 2 accounts are needed to trade: " + accounts);
        }
        return accounts;
    }

    /** The exchange configuration the stream is valid for (symbols and reference prices; other limits default). */
    public static ExchangeConfig config() {
        ExchangeConfig.Builder b = ExchangeConfig.builder();
        for (int i = 0; i < SYMBOLS.length; i++) {
            b.symbol(SYMBOLS[i], REFERENCE_PRICES[i]);
        }
        return b.build();
    }

    public int accounts() {
        return accounts;
    }

    @Override
    protected void flow(Command c) {
        int roll = random.nextInt(100);
        if (roll < PASSIVE_PCT) {
            passive(c);
        } else if ((roll -= PASSIVE_PCT) < CROSSING_DAY_PCT) {
            crossing(c, TimeInForce.DAY);
        } else if ((roll -= CROSSING_DAY_PCT) < IOC_PCT) {
            crossing(c, TimeInForce.IOC);
        } else if ((roll -= IOC_PCT) < FOK_PCT) {
            crossing(c, TimeInForce.FOK);
        } else if ((roll -= FOK_PCT) < INVALID_PCT) {
            invalid(c);
        } else if (!candidates.isEmpty()) {
            candidates.cancelOne(c, random);
        } else {
            passive(c);
        }
    }

    private void passive(Command c) {
        int s = walk();
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        long offset = tick(s) * (1 + random.nextInt(PASSIVE_DEPTH_TICKS));
        int tif = random.nextInt(100);
        place(c, s, side, side == Side.BUY ? midPrices[s] - offset : midPrices[s] + offset,
                tif < 5 ? TimeInForce.GTC : TimeInForce.DAY);
        c.postOnly = tif >= 5 && tif < 10;
        candidates.remember(lastOrderId, c.accountId, random);
    }

    private void crossing(Command c, TimeInForce tif) {
        int s = walk();
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        long reach = tick(s) * (1 + random.nextInt(CROSSING_REACH_TICKS));
        place(c, s, side, side == Side.BUY ? midPrices[s] + reach : midPrices[s] - reach, tif);
        if (tif == TimeInForce.DAY) {
            candidates.remember(lastOrderId, c.accountId, random);
        }
    }

    private void invalid(Command c) {
        int s = random.nextInt(SYMBOLS.length - 1); // a symbol at or above $1, where 0.01 is the tick
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        place(c, s, side, midPrices[s], TimeInForce.DAY);
        switch (random.nextInt(4)) {
            case 0 -> c.priceTicks += 37;                      // INVALID_TICK
            case 1 -> c.qty = 0;                               // INVALID_QUANTITY
            case 2 -> c.symbol = UNLISTED_SYMBOL;              // UNKNOWN_SYMBOL
            default -> c.priceTicks = midPrices[s] / 2 / tick(s) * tick(s); // PRICE_OUTSIDE_COLLAR
        }
    }

    private void place(Command c, int s, Side side, long priceTicks, TimeInForce tif) {
        c.type = CommandType.PLACE_ORDER;
        c.accountId = 1 + random.nextInt(accounts);
        c.clientOrderId = "b" + (lastOrderId + 1);
        c.symbol = SYMBOLS[s];
        c.side = side;
        c.qty = random.nextInt(10) < 7 ? 100L * (1 + random.nextInt(5)) : 1 + random.nextInt(99);
        c.priceTicks = priceTicks;
        c.timeInForce = tif;
        lastOrderId++;
    }

    /** Picks a symbol and moves its mid by at most one tick, staying within the band around the reference. */
    private int walk() {
        int s = random.nextInt(SYMBOLS.length);
        int step = random.nextInt(10);
        long tick = tick(s);
        long band = REFERENCE_PRICES[s] * MID_BAND_BPS / 10_000;
        if (step == 0 && midPrices[s] - tick >= REFERENCE_PRICES[s] - band) {
            midPrices[s] -= tick;
        } else if (step == 1 && midPrices[s] + tick <= REFERENCE_PRICES[s] + band) {
            midPrices[s] += tick;
        }
        return s;
    }

    /** The tick size of symbol {@code s} at its reference price (the mid band never crosses $1). */
    private static long tick(int s) {
        return REFERENCE_PRICES[s] >= Money.SCALE ? Money.CENT : 1;
    }
}
