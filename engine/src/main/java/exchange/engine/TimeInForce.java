package exchange.engine;

/**
 * How long an order may rest. {@code DAY} expires at its session's close, {@code GTC} rests across
 * sessions up to a configured maximum age, {@code IOC} never rests (the remainder expires),
 * {@code FOK} fills completely at once or expires without trading.
 */
public enum TimeInForce {
    DAY,
    GTC,
    IOC,
    FOK;

    private static final TimeInForce[] VALUES = values();

    /** The lowercase name, made once. */
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static TimeInForce ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
