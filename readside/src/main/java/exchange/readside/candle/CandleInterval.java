package exchange.readside.candle;

import java.util.Optional;

/**
 * The candle intervals the exchange keeps, with the names both API faces use ({@code 1s},
 * {@code 1m}, {@code 5m}, as Binance spells them). A bucket starts at an epoch-nanos instant
 * floored to a multiple of the interval (UTC), so buckets line up with wall-clock seconds and minutes.
 */
public enum CandleInterval {
    S1("1s", 1_000_000_000L),
    M1("1m", 60_000_000_000L),
    M5("5m", 300_000_000_000L);

    private static final CandleInterval[] VALUES = values();

    private final String code;
    private final long nanos;

    CandleInterval(String code, long nanos) {
        this.code = code;
        this.nanos = nanos;
    }

    /** The API name: {@code 1s}, {@code 1m}, {@code 5m}. */
    public String code() {
        return code;
    }

    public long nanos() {
        return nanos;
    }

    /** The start of the bucket holding {@code epochNanos} (floored; instants before 1970 floor too). */
    public long bucketStart(long epochNanos) {
        return Math.floorDiv(epochNanos, nanos) * nanos;
    }

    public static Optional<CandleInterval> ofCode(String code) {
        for (CandleInterval i : VALUES) {
            if (i.code.equals(code)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    public static CandleInterval ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
