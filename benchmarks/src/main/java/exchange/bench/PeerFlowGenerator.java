package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ExchangeConfig;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;


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
public final class PeerFlowGenerator extends SeededCommandStream {
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

    private final CancelCandidates candidates = new CancelCandidates(CANCEL_CANDIDATES);
    private long lastOrderId;
    private long mid = REFERENCE_PRICE;

    public PeerFlowGenerator(long seed) {
        super(seed, ACCOUNTS, "peer-", 0, 0, new String[] {SYMBOL}, CASH_PER_ACCOUNT, SHARES_PER_ACCOUNT);
    }

    /** One symbol; no per-account open-order limit that a day of this flow could reach. */
    public static ExchangeConfig config() {
        return ExchangeConfig.builder().symbol(SYMBOL, REFERENCE_PRICE).maxOpenOrdersPerAccount(1_000_000).build();
    }

    @Override
    protected void flow(Command c) {
        walk();
        int roll = random.nextInt(100);
        if (roll < RESTING_PCT || (roll >= RESTING_PCT + CROSSING_PCT + IOC_PCT && candidates.isEmpty())) {
            long accountId = 1 + random.nextInt(ACCOUNTS);
            Side side = sideOf(accountId);
            long offset = mid * random.nextInt(RESTING_BAND_BPS + 1) / 10_000 / Money.CENT * Money.CENT;
            place(c, accountId, side == Side.BUY ? mid - offset : mid + offset, TimeInForce.DAY);
            candidates.remember(lastOrderId, accountId, random);
        } else if (roll < RESTING_PCT + CROSSING_PCT + IOC_PCT) {
            long accountId = 1 + random.nextInt(ACCOUNTS);
            Side side = sideOf(accountId);
            long reach = Money.CENT * (1 + random.nextInt(CROSSING_REACH_TICKS));
            boolean ioc = roll >= RESTING_PCT + CROSSING_PCT;
            place(c, accountId, side == Side.BUY ? mid + reach : mid - reach, ioc ? TimeInForce.IOC : TimeInForce.DAY);
            if (!ioc) {
                candidates.remember(lastOrderId, accountId, random);
            }
        } else {
            candidates.cancelOne(c, random);
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
