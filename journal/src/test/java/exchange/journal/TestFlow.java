package exchange.journal;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ExchangeConfig;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A seeded, open-loop stream of journaled commands for recovery tests: accounts and funding,
 * then crossing limit orders of every time in force around $100 on the demo symbols, reused client
 * order ids, cancels of existing and unknown orders, transfers (some too large), and session
 * close/open. It does not look at outcomes; the same seed always gives the same stream.
 */
final class TestFlow {
    static final int ACCOUNTS = 8;
    private static final String[] SYMBOLS = {"AAPL", "MSFT", "GOOGL", "AMZN", "TSLA"};
    private static final long MID = 100 * Money.SCALE;

    private final Random rnd;
    private long clock = 1_763_700_000_000_000_000L;
    private long sessionDate = 20_000;
    private int clientIds;
    private int transfers;
    private int placed;

    TestFlow(long seed) {
        rnd = new Random(seed);
    }

    static ExchangeConfig config() {
        return ExchangeConfig.demo();
    }

    /** {@code count} commands, starting with the setup. */
    List<Command> commands(int count) {
        List<Command> out = new ArrayList<>(count);
        out.add(sessionOpen());
        for (int a = 1; a <= ACCOUNTS && out.size() < count; a++) {
            Command c = stamp(CommandType.CREATE_ACCOUNT);
            c.name = "acct-" + a;
            c.apiKeyHash = "hash-" + a;
            c.makerFeeBps = rnd.nextInt(20);
            c.takerFeeBps = rnd.nextInt(40);
            out.add(c);
        }
        for (int a = 1; a <= ACCOUNTS; a++) {
            out.add(transfer(CommandType.DEPOSIT, a, "USD", 1_000_000 * Money.SCALE));
            for (String s : SYMBOLS) {
                out.add(transfer(CommandType.DEPOSIT, a, s, 50_000));
            }
        }
        while (out.size() < count) {
            int r = rnd.nextInt(100);
            if (r < 70) {
                out.add(place());
            } else if (r < 88) {
                Command c = stamp(CommandType.CANCEL_ORDER);
                c.accountId = 1 + rnd.nextInt(ACCOUNTS);
                c.orderId = 1 + rnd.nextInt(placed + 3);
                out.add(c);
            } else if (r < 96) {
                long amount = rnd.nextInt(10) == 0 ? Long.MAX_VALUE / 2 : (1 + rnd.nextInt(1_000)) * Money.SCALE;
                out.add(transfer(rnd.nextBoolean() ? CommandType.DEPOSIT : CommandType.WITHDRAW, 1 + rnd.nextInt(ACCOUNTS),
                        "USD", amount));
            } else {
                out.add(stamp(CommandType.SESSION_CLOSE));
                sessionDate += 1 + rnd.nextInt(3);
                out.add(sessionOpen());
            }
        }
        return out.subList(0, count);
    }

    private Command place() {
        Command c = stamp(CommandType.PLACE_ORDER);
        c.accountId = 1 + rnd.nextInt(ACCOUNTS);
        boolean reuse = clientIds > 0 && rnd.nextInt(20) == 0;
        c.clientOrderId = "c-" + (reuse ? rnd.nextInt(clientIds) : clientIds++);
        c.symbol = SYMBOLS[rnd.nextInt(SYMBOLS.length)];
        c.side = rnd.nextBoolean() ? Side.BUY : Side.SELL;
        c.qty = 1 + rnd.nextInt(300);
        c.priceTicks = MID + (rnd.nextInt(401) - 200) * Money.CENT;
        int t = rnd.nextInt(10);
        c.timeInForce = t < 5 ? TimeInForce.DAY : t < 7 ? TimeInForce.GTC : t < 9 ? TimeInForce.IOC : TimeInForce.FOK;
        c.postOnly = rnd.nextInt(10) == 0;
        c.selfTradePrevention = SelfTradePrevention.values()[rnd.nextInt(SelfTradePrevention.values().length)];
        placed++;
        return c;
    }

    private Command transfer(CommandType type, long account, String asset, long amount) {
        Command c = stamp(type);
        c.accountId = account;
        c.asset = asset;
        c.amount = amount;
        c.transferId = "tr-" + transfers++;
        return c;
    }

    private Command sessionOpen() {
        Command c = stamp(CommandType.SESSION_OPEN);
        c.sessionDate = sessionDate;
        c.sessionClosesAtNanos = sessionDate * 86_400_000_000_000L + 21L * 3_600_000_000_000L;
        return c;
    }

    private Command stamp(CommandType type) {
        Command c = new Command();
        c.type = type;
        clock += 1 + rnd.nextInt(1_000_000);
        c.timestampNanos = clock;
        return c;
    }

    /** A fresh copy of the command's input, as a producer would publish it (no seq). */
    static Command copy(Command c) {
        Command out = new Command();
        out.copyInputFrom(c);
        out.seq = 0;
        return out;
    }
}
