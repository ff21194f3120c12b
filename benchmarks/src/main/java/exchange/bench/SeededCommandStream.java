package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;

import java.util.SplittableRandom;

/**
 * The skeleton of a seeded benchmark command stream: a set-up phase (accounts, then one cash and
 * one deposit per listed symbol for each account, then the session open) followed by the order
 * flow a subclass draws in {@link #flow}. Stamps strictly increasing times (1-21 us apart) and
 * draws everything from one {@link SplittableRandom}, so the same seed always yields the same
 * stream. Not thread-safe.
 */
abstract class SeededCommandStream {
    protected final SplittableRandom random;
    private final int accounts;
    private final String accountPrefix;
    private final int makerFeeBps;
    private final int takerFeeBps;
    private final String[] symbols;
    private final long cashPerAccount;
    private final long sharesPerAccount;
    private final int setupCommands;
    private long produced;
    private long nowNanos = OrderFlowGenerator.START_NANOS;

    /**
     * @param accounts accounts created in the set-up phase, ids 1..accounts
     * @param accountPrefix their names: prefix + id
     * @param symbols the symbols each account is funded with ({@code sharesPerAccount} each)
     */
    SeededCommandStream(long seed, int accounts, String accountPrefix, int makerFeeBps, int takerFeeBps,
                        String[] symbols, long cashPerAccount, long sharesPerAccount) {
        this.random = new SplittableRandom(seed);
        this.accounts = accounts;
        this.accountPrefix = accountPrefix;
        this.makerFeeBps = makerFeeBps;
        this.takerFeeBps = takerFeeBps;
        this.symbols = symbols.clone();
        this.cashPerAccount = cashPerAccount;
        this.sharesPerAccount = sharesPerAccount;
        this.setupCommands = accounts * (2 + symbols.length) + 1;
    }

    /** Draws the next command of the order flow into {@code c} (cleared and stamped). */
    protected abstract void flow(Command c);

    /** How many commands (accounts, deposits, session open) come before the order flow. */
    public final int setupCommandCount() {
        return setupCommands;
    }

    /** Commands produced so far. */
    public final long produced() {
        return produced;
    }

    /** A new command holding the next command of the stream. */
    public final Command next() {
        Command c = new Command();
        next(c);
        return c;
    }

    /** The next {@code n} commands of the stream, as new objects. */
    public final Command[] next(int n) {
        Command[] out = new Command[n];
        for (int i = 0; i < n; i++) {
            out[i] = next();
        }
        return out;
    }

    /** Clears {@code into} and fills it with the next command of the stream. */
    public final void next(Command into) {
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
        if (i < accounts) {
            c.type = CommandType.CREATE_ACCOUNT;
            c.name = accountPrefix + (i + 1);
            c.makerFeeBps = makerFeeBps;
            c.takerFeeBps = takerFeeBps;
            return;
        }
        int deposit = i - accounts;
        int perAccount = 1 + symbols.length;
        if (deposit < accounts * perAccount) {
            long accountId = deposit / perAccount + 1;
            int asset = deposit % perAccount;
            c.type = CommandType.DEPOSIT;
            c.accountId = accountId;
            c.asset = asset == 0 ? "USD" : symbols[asset - 1];
            c.amount = asset == 0 ? cashPerAccount : sharesPerAccount;
            c.transferId = "fund-" + accountId + "-" + c.asset;
            return;
        }
        c.type = CommandType.SESSION_OPEN;
        c.sessionDate = OrderFlowGenerator.SESSION_DATE;
        c.sessionClosesAtNanos = OrderFlowGenerator.CLOSES_AT_NANOS;
    }
}
