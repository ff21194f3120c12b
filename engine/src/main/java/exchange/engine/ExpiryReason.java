package exchange.engine;

/** Why the system (not the user) ended an order. Every {@code EXPIRED} order carries one. */
public enum ExpiryReason {
    NONE,
    END_OF_DAY,
    GTC_MAX_AGE,
    UNFILLED_IOC,
    UNFILLED_FOK,
    SELF_TRADE_PREVENTION;

    private static final ExpiryReason[] VALUES = values();

    public static ExpiryReason ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
