package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ExchangeConfig;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;

import java.util.SplittableRandom;

/**
 * A seeded command stream shaped like the neutral flow both this engine and the open Java peer
 * (exchange-core) were fed in issue 21, so our figures on it compare with the peer's: one symbol
 * around $100, {@link #ACCOUNTS} accounts of which the odd ones only buy and the even ones only
 * sell (so no self-trades), and then, of the flow's commands, 50% resting limit orders within
 * {@value #RESTING_BAND_BPS} bp of a drifting mid, 15% crossing DAY limit orders, 5% IOC orders,
 * 30% cancels of orders the generator last saw resting, sizes 1-100 shares.
 *
 * <p>The same set-up phase as {@link OrderFlowGenerator} (accounts, then a cash and a share deposit
 * each, then the session open), the same guarantees (unique client ids, increasing timestamps, every
 * place takes the next engine order id, cancels name the canceller's own orders; a cancel may find its
 * order already filled), and the same seed always yields the same stream. Not thread-safe.
 */
public final class PeerFlowGenerator {
    public static final int ACCOUNTS = 2_000;
    static final String SYMBOL = "PEER";
    static final long REFERENCE_PRICE = 100 * Money.SCALE;
    /** Resting orders sit 0..this many basis points on their side of the mid. */
    static final int RESTING_BAND_BPS = 250;
    /** Crossing orders reach 1..this many ticks through the mid. */
    static final int CROSSING_REACH_TICKS = 10;
    /** The mid wanders at most this far from the reference, so every order stays inside the collar. */
    static final int MID_BAND_BPS = 400;
    static final int RESTING_PCT = 50;
    static final int CROSSING_PCT = 15;
    static final int IOC_PCT = 5;
    static final int CANCEL_CANDIDATES = 1 << 18;
    static final long CASH_PER_ACCOUNT = 10_000_000_000L * Money.SCALE;
    static final long SHARES_PER_ACCOUNT = 1_000_000_000L;

    private final SplittableRandom random;
    private final int setupCommands = ACCOUNTS * 3 + 1;
    private final long[] candidateOrderIds = new long[CANCEL_CANDIDATES];
    private final long[] candidateAccountIds = new long[CANCEL_CANDIDATES];
    private int candidates;
    private long produced;
    private long lastOrderId;
    private long mid = REFERENCE_PRICE;
    private long nowNanos = OrderFlowGenerator.START_NANOS;

    public PeerFlowGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One symbol; no per-account open-order limit that a day of this flow could reach. */
    public static ExchangeConfig config() {
        return ExchangeConfig.builder().symbol(SYMBOL, REFERENCE_PRICE).maxOpenOrdersPerAccount(1_000_000).build();
    }

    public int setupCommandCount() {
        return setupCommands;
    }

    /** The next {@code n} commands of the stream, as new objects. */
    public Command[] next(int n) {
        Command[] out = new Command[n];
        for (int i = 0; i < n; i++) {
            out[i] = new Command();
            next(out[i]);
        }
        return out;
    }

    /** Clears {@code into} and fills it with the next command of the stream. */
    public void next(Command into) {
        into.clear();
        nowNanos += 1_000 + random.nextInt(20_000);
        into.timestampNanos = nowNanos;
        long i = produced++;
        if (i < setupCommands) {
            setup(into, (int) i);
        } else {
            flow(into);
        }
    }

    private void setup(Command c, int i) {
        if (i < ACCOUNTS) {
            c.type = CommandType.CREATE_ACCOUNT;
            c.name = "peer-" + (i + 1);
            return;
        }
        int deposit = i - ACCOUNTS;
        if (deposit < ACCOUNTS * 2) {
            long accountId = deposit / 2 + 1;
            boolean cash = deposit % 2 == 0;
            c.type = CommandType.DEPOSIT;
            c.accountId = accountId;
            c.asset = cash ? "USD" : SYMBOL;
            c.amount = cash ? CASH_PER_ACCOUNT : SHARES_PER_ACCOUNT;
            c.transferId = "fund-" + accountId + "-" + c.asset;
            return;
        }
        c.type = CommandType.SESSION_OPEN;
        c.sessionDate = OrderFlowGenerator.SESSION_DATE;
        c.sessionClosesAtNanos = OrderFlowGenerator.CLOSES_AT_NANOS;
    }

    private void flow(Command c) {
        walk();
        int roll = random.nextInt(100);
        if (roll < RESTING_PCT || (roll >= RESTING_PCT + CROSSING_PCT + IOC_PCT && candidates == 0)) {
            long accountId = 1 + random.nextInt(ACCOUNTS);
            Side side = sideOf(accountId);
            long offset = mid * random.nextInt(RESTING_BAND_BPS + 1) / 10_000 / Money.CENT * Money.CENT;
            place(c, accountId, side == Side.BUY ? mid - offset : mid + offset, TimeInForce.DAY);
            remember(lastOrderId, accountId);
        } else if (roll < RESTING_PCT + CROSSING_PCT + IOC_PCT) {
            long accountId = 1 + random.nextInt(ACCOUNTS);
            Side side = sideOf(accountId);
            long reach = Money.CENT * (1 + random.nextInt(CROSSING_REACH_TICKS));
            boolean ioc = roll >= RESTING_PCT + CROSSING_PCT;
            place(c, accountId, side == Side.BUY ? mid + reach : mid - reach, ioc ? TimeInForce.IOC : TimeInForce.DAY);
            if (!ioc) {
                remember(lastOrderId, accountId);
            }
        } else {
            int k = random.nextInt(candidates);
            c.type = CommandType.CANCEL_ORDER;
            c.orderId = candidateOrderIds[k];
            c.accountId = candidateAccountIds[k];
            candidates--;
            candidateOrderIds[k] = candidateOrderIds[candidates];
            candidateAccountIds[k] = candidateAccountIds[candidates];
        }
    }

    /** Odd accounts buy, even ones sell: no account ever meets itself. */
    private static Side sideOf(long accountId) {
        return (accountId & 1) == 1 ? Side.BUY : Side.SELL;
    }

    private void place(Command c, long accountId, long priceTicks, TimeInForce tif) {
        c.type = CommandType.PLACE_ORDER;
        c.accountId = accountId;
        c.clientOrderId = "p" + (lastOrderId + 1);
        c.symbol = SYMBOL;
        c.side = sideOf(accountId);
        c.qty = 1 + random.nextInt(100);
        c.priceTicks = priceTicks;
        c.timeInForce = tif;
        lastOrderId++;
    }

    private void remember(long orderId, long accountId) {
        int k = candidates < CANCEL_CANDIDATES ? candidates++ : random.nextInt(CANCEL_CANDIDATES);
        candidateOrderIds[k] = orderId;
        candidateAccountIds[k] = accountId;
    }

    /** Moves the mid by at most one cent, staying within the band around the reference. */
    private void walk() {
        int step = random.nextInt(10);
        long band = REFERENCE_PRICE * MID_BAND_BPS / 10_000;
        if (step == 0 && mid - Money.CENT >= REFERENCE_PRICE - band) {
            mid -= Money.CENT;
        } else if (step == 1 && mid + Money.CENT <= REFERENCE_PRICE + band) {
            mid += Money.CENT;
        }
    }
}
