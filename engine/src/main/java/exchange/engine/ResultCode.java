package exchange.engine;

/**
 * Every expected outcome of a command. Business rejections are values here, never exceptions;
 * an exception out of the engine means a bug (fail-stop). The names are the stable error
 * {@code code}s of the HTTP API.
 */
public enum ResultCode {
    OK,
    /** Idempotent retry: same id, same body; the original outcome is returned and nothing changes. */
    DUPLICATE,
    /** Id reused with a different body; see {@link Command#conflictFields}. */
    CONFLICT,
    // order entry
    MARKET_CLOSED,
    UNKNOWN_SYMBOL,
    INVALID_CLIENT_ORDER_ID,
    INVALID_QUANTITY,
    INVALID_PRICE,
    INVALID_TICK,
    NOTIONAL_TOO_LARGE,
    PRICE_OUTSIDE_COLLAR,
    POST_ONLY_WOULD_TAKE,
    INSUFFICIENT_BUYING_POWER,
    INSUFFICIENT_POSITION,
    TOO_MANY_OPEN_ORDERS,
    // cancel / query
    ORDER_NOT_FOUND,
    TOO_LATE_TO_CANCEL,
    // accounts and transfers
    ACCOUNT_NOT_FOUND,
    UNKNOWN_ASSET,
    INVALID_AMOUNT,
    INVALID_TRANSFER_ID,
    INSUFFICIENT_FUNDS,
    INVALID_FEE,
    INVALID_NAME,
    TOO_MANY_ACCOUNTS,
    // session
    SESSION_ALREADY_OPEN,
    SESSION_ALREADY_CLOSED,
    INVALID_SESSION_DATE,
    // reference quotes from outside venues
    /** Zero, negative or crossed prices or sizes, a price above the maximum, a bad venue name or staleness limit. */
    INVALID_QUOTE,
    /** The symbol is quoted by as many venues as the engine keeps. */
    TOO_MANY_VENUES,
    // generic
    OVERFLOW,
    INVALID_COMMAND;

    private static final ResultCode[] VALUES = values();

    public static ResultCode ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
