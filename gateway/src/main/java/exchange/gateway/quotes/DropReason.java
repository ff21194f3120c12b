package exchange.gateway.quotes;

import java.util.Locale;

/**
 * Why the adapter dropped a message or a quote instead of publishing it; each is counted per
 * source ({@code /metrics}, {@code GET /v1/admin/sources}).
 */
public enum DropReason implements QuoteNormalizer.Outcome {
    /** Not JSON, not a message of the format, or a value that is not a plain decimal string. */
    UNPARSEABLE,
    /** A symbol the source's {@code symbols} map does not name. */
    UNKNOWN_SYMBOL,
    /** A zero or negative price or size (a size below one share counts as zero). */
    NON_POSITIVE,
    /** Above {@code engine.max_price}, or too large to represent. */
    OUT_OF_RANGE,
    /** Crossed or locked: bid at or above ask. */
    CROSSED,
    /** The mid moved further from the last accepted one than the jump limit, and the move is not yet confirmed. */
    JUMP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
