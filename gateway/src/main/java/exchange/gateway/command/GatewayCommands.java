package exchange.gateway.command;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.engine.pipeline.CommandTranslator;
import exchange.gateway.EpochNanoClock;

/**
 * The gateway's commands: one argument record per kind and one constant, non-capturing
 * {@link CommandTranslator} per kind that copies the record into a claimed ring slot. Each
 * translator stamps {@link Command#timestampNanos} from the argument's clock at the moment the
 * slot is filled, so the engine never reads a clock and time is journaled with the command.
 */
public final class GatewayCommands {
    private GatewayCommands() {
    }

    /** CREATE_ACCOUNT: the key's SHA-256 (hex), never the key. */
    public record CreateAccount(EpochNanoClock clock, String name, String apiKeyHash, int makerFeeBps,
                                int takerFeeBps) {
    }

    /** DEPOSIT or WITHDRAW of {@code amount} (cash in scaled units, shares whole). */
    public record Transfer(EpochNanoClock clock, CommandType type, long accountId, String asset, long amount,
                           String transferId) {
        public Transfer {
            if (type != CommandType.DEPOSIT && type != CommandType.WITHDRAW) {
                throw new IllegalArgumentException("not a transfer: " + type);
            }
        }
    }

    /** PLACE_ORDER for the account behind the API key. */
    public record PlaceOrder(EpochNanoClock clock, long accountId, String clientOrderId, String symbol, Side side,
                             long qty, long priceTicks, TimeInForce timeInForce, boolean postOnly,
                             SelfTradePrevention selfTradePrevention) {
    }

    /** CANCEL_ORDER or QUERY_ORDER of one order id on behalf of an account. */
    public record OrderRef(EpochNanoClock clock, CommandType type, long accountId, long orderId) {
        public OrderRef {
            if (type != CommandType.CANCEL_ORDER && type != CommandType.QUERY_ORDER) {
                throw new IllegalArgumentException("not an order command: " + type);
            }
        }
    }

    /** QUERY_ORDER_BY_CLIENT_ID. */
    public record ClientOrderRef(EpochNanoClock clock, long accountId, String clientOrderId) {
    }

    /** QUERY_ACCOUNT: one account's balances. */
    public record AccountQuery(EpochNanoClock clock, long accountId) {
    }

    /**
     * QUERY_ORDERS with its filters: {@code symbol} null = any; created after {@code afterNanos}
     * (exclusive) and until {@code untilNanos} (inclusive), 0 = unbounded; ids below
     * {@code beforeOrderId}, 0 = unbounded; at most {@code limit} rows, newest first.
     */
    public record OrderList(EpochNanoClock clock, long accountId, Command.OrderFilter filter, String symbol,
                            long afterNanos, long untilNanos, long beforeOrderId, int limit) {
        public OrderList {
            filter = filter == null ? Command.OrderFilter.ALL : filter;
        }
    }

    /** SESSION_OPEN for trading date {@code sessionDate} (epoch day) closing at {@code closesAtNanos}. */
    public record SessionOpen(EpochNanoClock clock, long sessionDate, long closesAtNanos) {
    }

    /**
     * REFERENCE_QUOTE: a venue's best bid and ask for one of our symbols, in our ticks and whole
     * shares ({@code lastPriceTicks} 0 = no trade seen), fresh for {@code staleAfterNanos} after
     * the time the translator stamps (its receipt by the ring).
     */
    public record ReferenceQuote(EpochNanoClock clock, String symbol, String venue, long bidPriceTicks, long bidQty,
                                 long askPriceTicks, long askQty, long lastPriceTicks, long staleAfterNanos) {
    }

    public static final CommandTranslator<CreateAccount> CREATE_ACCOUNT = (slot, a) -> {
        slot.type = CommandType.CREATE_ACCOUNT;
        slot.name = a.name();
        slot.apiKeyHash = a.apiKeyHash();
        slot.makerFeeBps = a.makerFeeBps();
        slot.takerFeeBps = a.takerFeeBps();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<Transfer> TRANSFER = (slot, a) -> {
        slot.type = a.type();
        slot.accountId = a.accountId();
        slot.asset = a.asset();
        slot.amount = a.amount();
        slot.transferId = a.transferId();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<PlaceOrder> PLACE_ORDER = (slot, a) -> {
        slot.type = CommandType.PLACE_ORDER;
        slot.accountId = a.accountId();
        slot.clientOrderId = a.clientOrderId();
        slot.symbol = a.symbol();
        slot.side = a.side();
        slot.qty = a.qty();
        slot.priceTicks = a.priceTicks();
        slot.timeInForce = a.timeInForce();
        slot.postOnly = a.postOnly();
        slot.selfTradePrevention = a.selfTradePrevention();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<OrderRef> ORDER_REF = (slot, a) -> {
        slot.type = a.type();
        slot.accountId = a.accountId();
        slot.orderId = a.orderId();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<ClientOrderRef> CLIENT_ORDER_REF = (slot, a) -> {
        slot.type = CommandType.QUERY_ORDER_BY_CLIENT_ID;
        slot.accountId = a.accountId();
        slot.clientOrderId = a.clientOrderId();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<AccountQuery> ACCOUNT_QUERY = (slot, a) -> {
        slot.type = CommandType.QUERY_ACCOUNT;
        slot.accountId = a.accountId();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<OrderList> ORDER_LIST = (slot, a) -> {
        slot.type = CommandType.QUERY_ORDERS;
        slot.accountId = a.accountId();
        slot.orderFilter = a.filter();
        slot.symbol = a.symbol();
        slot.afterNanos = a.afterNanos();
        slot.untilNanos = a.untilNanos();
        slot.beforeOrderId = a.beforeOrderId();
        slot.limit = a.limit();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<SessionOpen> SESSION_OPEN = (slot, a) -> {
        slot.type = CommandType.SESSION_OPEN;
        slot.sessionDate = a.sessionDate();
        slot.sessionClosesAtNanos = a.closesAtNanos();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<ReferenceQuote> REFERENCE_QUOTE = (slot, a) -> {
        slot.type = CommandType.REFERENCE_QUOTE;
        slot.symbol = a.symbol();
        slot.venue = a.venue();
        slot.bidPriceTicks = a.bidPriceTicks();
        slot.bidQty = a.bidQty();
        slot.askPriceTicks = a.askPriceTicks();
        slot.askQty = a.askQty();
        slot.lastPriceTicks = a.lastPriceTicks();
        slot.staleAfterNanos = a.staleAfterNanos();
        slot.timestampNanos = a.clock().epochNanos();
    };

    public static final CommandTranslator<EpochNanoClock> SESSION_CLOSE = (slot, clock) -> {
        slot.type = CommandType.SESSION_CLOSE;
        slot.timestampNanos = clock.epochNanos();
    };

    public static final CommandTranslator<EpochNanoClock> QUERY_STATE = (slot, clock) -> {
        slot.type = CommandType.QUERY_STATE;
        slot.timestampNanos = clock.epochNanos();
    };

    public static final CommandTranslator<EpochNanoClock> QUERY_SESSION = (slot, clock) -> {
        slot.type = CommandType.QUERY_SESSION;
        slot.timestampNanos = clock.epochNanos();
    };
}
