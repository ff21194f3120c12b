package exchange.engine.testing;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;

import java.util.ArrayList;
import java.util.List;

/**
 * A small test DSL over a {@link Venue}: builds commands, stamps strictly increasing times, applies
 * them and returns an {@link Outcome}. Prices are written as dollar strings ("10.05") and parsed
 * with {@link Money#parse}, so a test reads like an order ticket.
 */
public final class ExchangeDriver {
    /** 2024-10-01 as epoch day: the first session of every test. */
    public static final long DAY_ONE = 20_000L;
    /** Nanoseconds in a day. */
    public static final long DAY_NANOS = 86_400_000_000_000L;

    private final Venue venue;
    private long clockNanos = DAY_ONE * DAY_NANOS;
    private int transferCounter;
    private int clientOrderCounter;

    public ExchangeDriver(Venue venue) {
        this.venue = venue;
    }

    public Venue venue() {
        return venue;
    }

    /** The time the next command will carry. */
    public long nextTimestamp() {
        return clockNanos + 1_000;
    }

    /** Stamps the command (unless it already has a time), applies it and collects its events. */
    public Outcome apply(Command c) {
        if (c.timestampNanos == 0) {
            clockNanos += 1_000;
            c.timestampNanos = clockNanos;
        } else {
            clockNanos = Math.max(clockNanos, c.timestampNanos);
        }
        List<EngineEvent> events = new ArrayList<>();
        venue.apply(c, e -> events.add(e.copy()));
        return new Outcome(c, events);
    }

    /** Dollars as scaled ticks: {@code px("10.05") == 100_500}. */
    public static long px(String dollars) {
        long v = Money.parse(dollars, Money.SCALE_DIGITS);
        if (v == Money.OVERFLOW) {
            throw new IllegalArgumentException("not a price: " + dollars);
        }
        return v;
    }

    // ---- accounts and transfers ----------------------------------------------------------------

    public static Command createAccountCommand(String name, int makerFeeBps, int takerFeeBps) {
        Command c = new Command();
        c.type = CommandType.CREATE_ACCOUNT;
        c.name = name;
        c.apiKeyHash = "hash-" + name;
        c.makerFeeBps = makerFeeBps;
        c.takerFeeBps = takerFeeBps;
        return c;
    }

    public Outcome createAccount(String name, int makerFeeBps, int takerFeeBps) {
        return apply(createAccountCommand(name, makerFeeBps, takerFeeBps));
    }

    /** Creates an account and returns its id; fails unless the engine accepts it. */
    public long newAccount(String name, int makerFeeBps, int takerFeeBps) {
        Outcome o = createAccount(name, makerFeeBps, takerFeeBps);
        require(o, ResultCode.OK);
        return o.command().resultAccountId;
    }

    public static Command transferCommand(CommandType type, long accountId, String asset, long amount, String transferId) {
        Command c = new Command();
        c.type = type;
        c.accountId = accountId;
        c.asset = asset;
        c.amount = amount;
        c.transferId = transferId;
        return c;
    }

    public Outcome deposit(long accountId, String asset, long amount, String transferId) {
        return apply(transferCommand(CommandType.DEPOSIT, accountId, asset, amount, transferId));
    }

    /** Deposits under a fresh transfer id; fails unless applied. */
    public void fund(long accountId, String asset, long amount) {
        require(deposit(accountId, asset, amount, "fund-" + (++transferCounter)), ResultCode.OK);
    }

    public Outcome withdraw(long accountId, String asset, long amount, String transferId) {
        return apply(transferCommand(CommandType.WITHDRAW, accountId, asset, amount, transferId));
    }

    // ---- sessions ------------------------------------------------------------------------------

    public static Command sessionOpenCommand(long sessionDate) {
        Command c = new Command();
        c.type = CommandType.SESSION_OPEN;
        c.sessionDate = sessionDate;
        c.sessionClosesAtNanos = sessionDate * DAY_NANOS + 20L * 3_600_000_000_000L;
        return c;
    }

    public Outcome openSession(long sessionDate) {
        Command c = sessionOpenCommand(sessionDate);
        long opensAt = sessionDate * DAY_NANOS + 13L * 3_600_000_000_000L;
        if (clockNanos < opensAt) {
            c.timestampNanos = opensAt;
        }
        return apply(c);
    }

    public Outcome closeSession() {
        Command c = new Command();
        c.type = CommandType.SESSION_CLOSE;
        return apply(c);
    }

    // ---- orders --------------------------------------------------------------------------------

    /** Starts an order ticket for the account; symbol AAPL, DAY, default STP unless changed. */
    public Ticket order(long accountId) {
        return new Ticket(accountId);
    }

    public Outcome buy(long accountId, long qty, String price) {
        return order(accountId).buy(qty, price).place();
    }

    public Outcome sell(long accountId, long qty, String price) {
        return order(accountId).sell(qty, price).place();
    }

    public static Command cancelCommand(long accountId, long orderId) {
        Command c = new Command();
        c.type = CommandType.CANCEL_ORDER;
        c.accountId = accountId;
        c.orderId = orderId;
        return c;
    }

    public Outcome cancel(long accountId, long orderId) {
        return apply(cancelCommand(accountId, orderId));
    }

    // ---- reference quotes ----------------------------------------------------------------------

    /** A venue's quote of {@code symbol}: {@code bidQty @ bid / askQty @ ask}, fresh for {@code staleAfterNanos}. */
    public static Command quoteCommand(String symbol, String venue, long bidQty, String bid, long askQty, String ask,
                                       long staleAfterNanos) {
        Command c = new Command();
        c.type = CommandType.REFERENCE_QUOTE;
        c.symbol = symbol;
        c.venue = venue;
        c.bidQty = bidQty;
        c.bidPriceTicks = px(bid);
        c.askQty = askQty;
        c.askPriceTicks = px(ask);
        c.staleAfterNanos = staleAfterNanos;
        return c;
    }

    /** Applies an AAPL quote that stays fresh for a second. */
    public Outcome quote(String venue, long bidQty, String bid, long askQty, String ask) {
        return apply(quoteCommand("AAPL", venue, bidQty, bid, askQty, ask, 1_000_000_000L));
    }

    /** Applies {@code c} stamped at {@code timestampNanos} (which must not be before the last command's time). */
    public Outcome applyAt(Command c, long timestampNanos) {
        c.timestampNanos = timestampNanos;
        return apply(c);
    }

    // ---- queries -------------------------------------------------------------------------------

    public Outcome query(CommandType type, long accountId) {
        Command c = new Command();
        c.type = type;
        c.accountId = accountId;
        return apply(c);
    }

    public Outcome queryOrder(long accountId, long orderId) {
        Command c = new Command();
        c.type = CommandType.QUERY_ORDER;
        c.accountId = accountId;
        c.orderId = orderId;
        return apply(c);
    }

    public Outcome queryOrders(long accountId, Command.OrderFilter filter, int limit) {
        Command c = new Command();
        c.type = CommandType.QUERY_ORDERS;
        c.accountId = accountId;
        c.orderFilter = filter;
        c.limit = limit;
        return apply(c);
    }

    private static void require(Outcome o, ResultCode expected) {
        if (o.code() != expected) {
            throw new AssertionError("setup command " + o.command() + " gave " + o.code() + ", expected " + expected);
        }
    }

    /** A fluent order ticket; {@link #place()} applies it. */
    public final class Ticket {
        private final Command c = new Command();

        private Ticket(long accountId) {
            c.type = CommandType.PLACE_ORDER;
            c.accountId = accountId;
            c.symbol = "AAPL";
            c.timeInForce = TimeInForce.DAY;
        }

        public Ticket buy(long qty, String price) {
            return side(Side.BUY, qty, px(price));
        }

        public Ticket sell(long qty, String price) {
            return side(Side.SELL, qty, px(price));
        }

        /** Raw side, quantity and price ticks, for values a dollar string cannot express. */
        public Ticket side(Side side, long qty, long priceTicks) {
            c.side = side;
            c.qty = qty;
            c.priceTicks = priceTicks;
            return this;
        }

        public Ticket symbol(String symbol) {
            c.symbol = symbol;
            return this;
        }

        public Ticket clientOrderId(String id) {
            c.clientOrderId = id;
            return this;
        }

        public Ticket tif(TimeInForce tif) {
            c.timeInForce = tif;
            return this;
        }

        public Ticket gtc() {
            return tif(TimeInForce.GTC);
        }

        public Ticket ioc() {
            return tif(TimeInForce.IOC);
        }

        public Ticket fok() {
            return tif(TimeInForce.FOK);
        }

        public Ticket postOnly() {
            c.postOnly = true;
            return this;
        }

        public Ticket stp(SelfTradePrevention mode) {
            c.selfTradePrevention = mode;
            return this;
        }

        /** The command as it would be applied (a fresh copy each call). */
        public Command command() {
            Command copy = new Command();
            copy.copyInputFrom(c);
            if (copy.clientOrderId == null) {
                copy.clientOrderId = "c" + (++clientOrderCounter);
            }
            return copy;
        }

        public Outcome place() {
            return apply(command());
        }

        /** Places the order stamped at {@code timestampNanos}. */
        public Outcome placeAt(long timestampNanos) {
            return applyAt(command(), timestampNanos);
        }
    }
}
