package exchange.gateway.http;

import exchange.risk.Money;

import java.math.BigDecimal;
import java.util.regex.Pattern;

/**
 * The lenient, exact reading of an order's {@code qty} and {@code limit_price} (DESIGN section 4).
 *
 * <p>Both accept a JSON number or a string holding one, under one grammar: the JSON number
 * grammar ({@code -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?}, at most
 * {@value #MAX_TEXT_LENGTH} characters), read exactly as a {@link BigDecimal}, never through a
 * {@code double}. So {@code 10}, {@code "10"}, {@code 10.0}, {@code "1e1"} are all ten shares,
 * and a retry that sends {@code "10"} where the first request sent {@code 10} is the same order.
 * Whitespace ({@code " 10"}), leading zeros ({@code "01"}), signs other than a leading minus,
 * hexadecimal and thousands separators are not numbers (400 {@code INVALID_FIELD}): a client that
 * sends them has a bug we would rather show than guess around.
 *
 * <p>{@code qty}: a whole number of shares by value, {@code 1 <= qty <= Long.MAX_VALUE} (the
 * engine's {@code max_order_qty} then applies). {@code 1.0} and {@code 1e2} are whole (1, 100);
 * {@code 10.5} or {@code "0.5"} is 400 {@code FRACTIONAL_QTY_UNSUPPORTED}; zero, negative and
 * out-of-range values are 400 {@code INVALID_FIELD}. {@code limit_price}: non-negative, at most
 * {@value Money#SCALE_DIGITS} decimals once trailing zeros are dropped ({@code 187.2500} is
 * 187.25), within a long of scaled units. Stateless; called by Jetty request threads.
 */
final class OrderNumbers {
    /** The longest number text read: longer is refused before any arithmetic. */
    static final int MAX_TEXT_LENGTH = 40;
    private static final Pattern JSON_NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");
    private static final BigDecimal MAX_LONG = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MAX_PRICE = BigDecimal.valueOf(Long.MAX_VALUE).movePointLeft(Money.SCALE_DIGITS);

    private OrderNumbers() {
    }

    /** {@code qty} as a whole number of shares >= 1. */
    static long qty(NumberText n) {
        BigDecimal v = exact(n);
        if (v == null || v.signum() <= 0 || v.compareTo(MAX_LONG) > 0) {
            // the range check comes before any scale arithmetic, so 1e999999999 costs nothing
            throw ApiProblem.invalidField("qty", "qty must be a whole number of shares >= 1, as a JSON number or a"
                    + " string holding one, such as 10 or \"10\"");
        }
        if (v.stripTrailingZeros().scale() > 0) {
            throw ApiProblem.field("FRACTIONAL_QTY_UNSUPPORTED", "qty", "fractional shares are not supported: qty must"
                    + " be a whole number, such as 10");
        }
        return v.longValueExact();
    }

    /** {@code limit_price} in {@link Money#SCALE} units. */
    static long limitPrice(NumberText n) {
        BigDecimal v = exact(n);
        if (v == null || v.signum() < 0 || v.compareTo(MAX_PRICE) > 0) {
            throw invalidPrice();
        }
        BigDecimal scaled = v.stripTrailingZeros();
        if (scaled.scale() > Money.SCALE_DIGITS) {
            throw invalidPrice();
        }
        return scaled.movePointRight(Money.SCALE_DIGITS).longValueExact();
    }

    private static ApiProblem invalidPrice() {
        return ApiProblem.invalidField("limit_price", "limit_price must be a non-negative decimal with at most "
                + Money.SCALE_DIGITS + " decimals, as a string or a JSON number, such as \"187.25\"");
    }

    /** The exact value of a number text in the JSON number grammar; null for anything else. */
    private static BigDecimal exact(NumberText n) {
        String text = n.text();
        if (text.isEmpty() || text.length() > MAX_TEXT_LENGTH || !JSON_NUMBER.matcher(text).matches()) {
            return null;
        }
        try {
            return new BigDecimal(text);
        } catch (NumberFormatException e) {
            return null; // an exponent beyond an int
        }
    }
}
