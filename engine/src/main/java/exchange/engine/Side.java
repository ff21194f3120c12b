package exchange.engine;

/** Order side. Wire form is the lowercase name. */
public enum Side {
    BUY,
    SELL;

    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }

    public String wireName() {
        return this == BUY ? "buy" : "sell";
    }

    private static final Side[] VALUES = values();

    public static Side ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
