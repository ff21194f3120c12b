package exchange.risk;

/**
 * Fixed-point money and price arithmetic. Prices and cash are {@code long} counts of
 * 1/10,000 of a dollar (scale 4), so both the 0.01 tick above $1 and the 0.0001 tick below $1
 * are whole numbers. Quantities are whole shares. Nothing here uses {@code double}.
 *
 * <p>Every product or sum that could overflow is checked; callers get {@link #OVERFLOW}
 * (a negative sentinel) instead of a wrapped value.
 */
public final class Money {
    /** Units per dollar: prices and cash are counted in 1/10,000 dollar. */
    public static final long SCALE = 10_000L;
    /** Number of decimal digits represented by {@link #SCALE}. */
    public static final int SCALE_DIGITS = 4;
    /** Returned by the checked helpers when a result does not fit in a long. */
    public static final long OVERFLOW = Long.MIN_VALUE;
    /** One cent in units. */
    public static final long CENT = 100L;

    private Money() {
    }

    /** {@code a * b}, or {@link #OVERFLOW} when either is negative or the product overflows. */
    public static long multiplyOrOverflow(long a, long b) {
        if (a < 0 || b < 0) {
            return OVERFLOW;
        }
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        if (hi != 0 || lo < 0) {
            return OVERFLOW;
        }
        return lo;
    }

    /** {@code a + b} for non-negative operands, or {@link #OVERFLOW}. */
    public static long addOrOverflow(long a, long b) {
        if (a < 0 || b < 0) {
            return OVERFLOW;
        }
        long r = a + b;
        return r < 0 ? OVERFLOW : r;
    }

    /**
     * Parses a plain decimal string ("187.25", "0.0001", "100") into scaled units.
     *
     * @return the scaled value, or {@link #OVERFLOW} if the text is not a non-negative decimal
     *     with at most {@code maxDecimals} fraction digits that fits in a long
     */
    public static long parse(CharSequence text, int maxDecimals) {
        if (text == null) {
            return OVERFLOW;
        }
        int n = text.length();
        if (n == 0 || n > 40) {
            return OVERFLOW;
        }
        long whole = 0;
        long frac = 0;
        int fracDigits = 0;
        boolean seenDot = false;
        boolean seenDigit = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (seenDot || !seenDigit) {
                    return OVERFLOW;
                }
                seenDot = true;
                continue;
            }
            if (c < '0' || c > '9') {
                return OVERFLOW;
            }
            seenDigit = true;
            int d = c - '0';
            if (seenDot) {
                if (++fracDigits > maxDecimals) {
                    return OVERFLOW;
                }
                frac = frac * 10 + d;
            } else {
                whole = multiplyOrOverflow(whole, 10);
                whole = whole == OVERFLOW ? OVERFLOW : addOrOverflow(whole, d);
                if (whole == OVERFLOW) {
                    return OVERFLOW;
                }
            }
        }
        if (seenDot && fracDigits == 0) {
            return OVERFLOW;
        }
        for (int i = fracDigits; i < SCALE_DIGITS; i++) {
            frac *= 10;
        }
        long scaled = multiplyOrOverflow(whole, SCALE);
        return scaled == OVERFLOW ? OVERFLOW : addOrOverflow(scaled, frac);
    }

    /** Formats scaled units as a decimal string with at least two fraction digits ("187.25", "0.0001"). */
    public static String format(long units) {
        StringBuilder sb = new StringBuilder(24);
        appendTo(sb, units);
        return sb.toString();
    }

    /** Appends {@link #format(long)} of {@code units} to {@code sb}. */
    public static void appendTo(StringBuilder sb, long units) {
        if (units < 0) {
            sb.append('-');
            if (units == Long.MIN_VALUE) {
                sb.append("922337203685477.5808");
                return;
            }
            units = -units;
        }
        long whole = units / SCALE;
        long frac = units % SCALE;
        sb.append(whole).append('.');
        sb.append((char) ('0' + frac / 1000)).append((char) ('0' + frac / 100 % 10));
        if (frac % 100 != 0) {
            sb.append((char) ('0' + frac / 10 % 10));
            if (frac % 10 != 0) {
                sb.append((char) ('0' + frac % 10));
            }
        }
    }
}
