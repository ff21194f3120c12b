package exchange.engine;

/**
 * What happens when an incoming order would trade with a resting order of the same account.
 * {@code DEFAULT} means the exchange's configured mode. The prevented match is always recorded
 * as a {@link EventType#SELF_TRADE_PREVENTED} event.
 */
public enum SelfTradePrevention {
    DEFAULT,
    /** The incoming (newest) order's remainder expires; the resting order stays. */
    CANCEL_NEWEST,
    /** The resting (oldest) order expires; the incoming order keeps matching. */
    CANCEL_OLDEST,
    /** Both expire. */
    CANCEL_BOTH;

    private static final SelfTradePrevention[] VALUES = values();
    /** The lowercase name, made once. */
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    /** Wire form: the lowercase name ({@code cancel_newest}). */
    public String wireName() {
        return wireName;
    }

    public static SelfTradePrevention ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
