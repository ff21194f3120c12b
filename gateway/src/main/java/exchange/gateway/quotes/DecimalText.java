package exchange.gateway.quotes;

import exchange.risk.Money;

/**
 * Exact conversion of a venue's decimal strings ({@code "187.25000000"}) to our units, never
 * through {@code double}: prices to ticks ({@link Money#SCALE} per dollar) rounded down or up to
 * the price grid of the engine's order rule (a whole cent from $1, 1/100 cent below), sizes to
 * whole shares rounded down. Accepted text: optional {@code -}, digits, optionally {@code .} and
 * digits (no exponent, no {@code +}), at most {@value #MAX_LENGTH} characters. Results are
 * non-negative, or one of the negative sentinels below. Stateless.
 */
final class DecimalText {
    /** Not a plain decimal. */
    static final long UNPARSEABLE = -1;
    /** A negative number (or {@code -0}). */
    static final long NEGATIVE = -2;
    /** Does not fit in a long at our scale. */
    static final long TOO_LARGE = -3;
    static final int MAX_LENGTH = 40;

    private DecimalText() {
    }

    /** {@code text} in ticks, rounded down to the price grid (a bid: never better than quoted). */
    static long priceFloor(CharSequence text) {
        long t = scaled(text, false);
        return t < Money.SCALE ? t : t - t % Money.CENT; // sentinels are negative: returned as they are
    }

    /** {@code text} in ticks, rounded up to the price grid (an ask: never better than quoted). */
    static long priceCeil(CharSequence text) {
        long t = scaled(text, true);
        if (t < Money.SCALE || t % Money.CENT == 0) {
            return t;
        }
        long up = t + (Money.CENT - t % Money.CENT);
        return up < 0 ? TOO_LARGE : up;
    }

    /** {@code text} in whole shares, the fraction dropped. */
    static long sharesFloor(CharSequence text) {
        int n = checkSyntax(text);
        if (n < 0) {
            return n;
        }
        if (text.charAt(0) == '-') {
            return NEGATIVE;
        }
        long whole = 0;
        for (int i = 0; i < n && text.charAt(i) != '.'; i++) {
            if (whole > (Long.MAX_VALUE - 9) / 10) {
                return TOO_LARGE;
            }
            whole = whole * 10 + (text.charAt(i) - '0');
        }
        return whole;
    }

    /**
     * Compares two decimals that {@link #checkSyntax} accepts and that are not negative, exactly:
     * negative, zero or positive as {@code a} is below, equal to or above {@code b}.
     */
    static int compare(CharSequence a, CharSequence b) {
        int ai = firstSignificant(a);
        int bi = firstSignificant(b);
        int aw = wholeEnd(a) - ai;
        int bw = wholeEnd(b) - bi;
        if (aw != bw) {
            return Integer.compare(aw, bw);
        }
        // same count of whole digits: compare digit by digit, the shorter fraction padded with zeros
        int ia = ai;
        int ib = bi;
        while (ia < a.length() || ib < b.length()) {
            ia = skipDot(a, ia);
            ib = skipDot(b, ib);
            char ca = ia < a.length() ? a.charAt(ia) : '0';
            char cb = ib < b.length() ? b.charAt(ib) : '0';
            if (ca != cb) {
                return Character.compare(ca, cb);
            }
            ia++;
            ib++;
        }
        return 0;
    }

    /** Ticks at {@link Money#SCALE}: the digits past the fourth decimal dropped, or added up as one tick. */
    private static long scaled(CharSequence text, boolean roundUp) {
        int n = checkSyntax(text);
        if (n < 0) {
            return n;
        }
        if (text.charAt(0) == '-') {
            return NEGATIVE;
        }
        long whole = 0;
        long frac = 0;
        int fracDigits = 0;
        boolean rest = false;
        boolean inFraction = false;
        for (int i = 0; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                inFraction = true;
            } else if (!inFraction) {
                // leaves room for the fraction and the rounding tick
                if (whole > (Long.MAX_VALUE / Money.SCALE - 10) / 10) {
                    return TOO_LARGE;
                }
                whole = whole * 10 + (c - '0');
            } else if (fracDigits < Money.SCALE_DIGITS) {
                frac = frac * 10 + (c - '0');
                fracDigits++;
            } else if (c != '0') {
                rest = true;
            }
        }
        for (int i = fracDigits; i < Money.SCALE_DIGITS; i++) {
            frac *= 10;
        }
        long ticks = whole * Money.SCALE + frac;
        return roundUp && rest ? ticks + 1 : ticks;
    }

    /** The text's length if it is a plain decimal, else {@link #UNPARSEABLE}. */
    static int checkSyntax(CharSequence text) {
        if (text == null || text.length() == 0 || text.length() > MAX_LENGTH) {
            return (int) UNPARSEABLE;
        }
        int n = text.length();
        int i = text.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        boolean dot = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                if (dot || digits == 0) {
                    return (int) UNPARSEABLE;
                }
                dot = true;
            } else if (c >= '0' && c <= '9') {
                digits++;
            } else {
                return (int) UNPARSEABLE;
            }
        }
        return digits == 0 || text.charAt(n - 1) == '.' ? (int) UNPARSEABLE : n;
    }

    private static int firstSignificant(CharSequence s) {
        int i = 0;
        while (i < s.length() - 1 && s.charAt(i) == '0' && s.charAt(i + 1) != '.') {
            i++;
        }
        return i;
    }

    private static int wholeEnd(CharSequence s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) != '.') {
            i++;
        }
        return i;
    }

    private static int skipDot(CharSequence s, int i) {
        return i < s.length() && s.charAt(i) == '.' ? i + 1 : i;
    }
}
