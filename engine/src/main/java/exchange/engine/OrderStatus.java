package exchange.engine;

/** Order lifecycle. {@code FILLED, CANCELED, EXPIRED, REJECTED} are terminal. */
public enum OrderStatus {
    NEW,
    PARTIALLY_FILLED,
    FILLED,
    CANCELED,
    EXPIRED,
    REJECTED;

    private static final OrderStatus[] VALUES = values();

    public boolean isTerminal() {
        return this == FILLED || this == CANCELED || this == EXPIRED || this == REJECTED;
    }

    /** The lowercase name, made once. */
    private final String wireName = name().toLowerCase(java.util.Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    public static OrderStatus ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
