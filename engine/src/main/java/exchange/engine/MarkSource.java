package exchange.engine;

import java.util.Locale;

/**
 * Where a symbol's mark price comes from: the price the collar is centred on, positions are
 * valued at, and the end-of-day report values closing positions at. In order of preference: the
 * fresh composite reference mid, the last trade in our book, the configured reference price.
 */
public enum MarkSource {
    /** The mid of the best fresh bid and the best fresh ask among the outside venues. */
    REFERENCE,
    /** The last trade in our book (no venue is fresh). */
    LAST_TRADE,
    /** The configured reference price (no fresh venue, no trade yet). */
    CONFIGURED,
    /** No price at all: no fresh venue, no trade and no configured reference price. */
    NONE;

    /** The lowercase name the HTTP API and the report files use. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
