package exchange.gateway.http;

import exchange.risk.Money;
import io.javalin.http.Context;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;

import static exchange.gateway.http.ExchangeHttpServer.DEFAULT_PAGE_LIMIT;
import static exchange.gateway.http.ExchangeHttpServer.MAX_PAGE_LIMIT;
import static exchange.gateway.http.ExchangeHttpServer.MAX_SYMBOL_LENGTH;

/**
 * The checks every route group makes of path, query and body fields, each failure a 400
 * {@link ApiProblem} naming the field: required fields, positive ids, page limits, decimal money
 * strings, whole shares, printable ASCII, dates and instants within the engine's epoch-nanosecond
 * clock. Stateless; called by Jetty request threads.
 */
public final class RequestParams {
    private RequestParams() {
    }

    public static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiProblem.field("MISSING_FIELD", field, "field '" + field + "' is required");
        }
        return value;
    }

    public static long pathId(Context ctx, String name) {
        long id = positiveInteger(ctx.pathParam(name));
        if (id < 1) {
            throw ApiProblem.invalidField(name, name + " must be a positive integer");
        }
        return id;
    }

    /**
     * The {@code limit} of a paged list: {@value ExchangeHttpServer#DEFAULT_PAGE_LIMIT} when absent, at most
     * {@value ExchangeHttpServer#MAX_PAGE_LIMIT}.
     */
    public static int pageLimit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return DEFAULT_PAGE_LIMIT;
        }
        long v = positiveInteger(text);
        if (v < 1 || v > MAX_PAGE_LIMIT) {
            throw ApiProblem.invalidField("limit", "limit must be an integer in [1, " + MAX_PAGE_LIMIT + "]");
        }
        return (int) v;
    }

    /** An optional {@code symbol} query parameter; null when absent. */
    public static String symbolParam(Context ctx) {
        String symbol = ctx.queryParam("symbol");
        if (symbol != null && !isPrintableAscii(symbol, MAX_SYMBOL_LENGTH)) {
            throw ApiProblem.invalidField("symbol", "symbol must be 1.." + MAX_SYMBOL_LENGTH
                    + " printable ASCII characters");
        }
        return symbol;
    }

    /** An optional ISO-8601 instant query parameter as epoch nanos; 0 when absent. */
    public static long timeParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null ? 0 : nanosOf(parseInstant(text, name));
    }

    /** The {@code after} and {@code until} of a list, when both are given, must leave a range. */
    public static void checkTimeRange(long afterNanos, long untilNanos) {
        if (afterNanos != 0 && untilNanos != 0 && untilNanos <= afterNanos) {
            throw ApiProblem.invalidField("until", "until must be later than after");
        }
    }

    /** An optional {@code YYYY-MM-DD} query parameter; {@code fallback} when absent. */
    public static LocalDate dateParam(Context ctx, String name, LocalDate fallback) {
        String text = ctx.queryParam(name);
        return text == null ? fallback : parseDate(text, name);
    }

    /** A decimal JSON string with at most 4 decimals, scaled by {@link Money#SCALE}. */
    public static long decimal(String text, String field) {
        long v = Money.parse(text, Money.SCALE_DIGITS);
        if (v == Money.OVERFLOW) {
            throw ApiProblem.invalidField(field, field + " must be a non-negative decimal string with at most "
                    + Money.SCALE_DIGITS + " decimals, such as \"187.25\"");
        }
        return v;
    }

    /** A whole number of shares given as a string ("100"). */
    public static long wholeShares(String text, String field) {
        long v = positiveInteger(text);
        if (v < 0) {
            throw ApiProblem.invalidField(field, field + " must be a whole number of shares as a string, such as \"100\"");
        }
        return v;
    }

    /** Plain decimal digits (at most 18, so no overflow) as a long, or -1 if {@code text} is anything else. */
    public static long positiveInteger(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    public static boolean isPrintableAscii(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public static LocalDate parseDate(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw ApiProblem.invalidField(field, field + " must be a date YYYY-MM-DD");
        }
    }

    /** An ISO-8601 instant that fits the engine's epoch-nanosecond clock (years 1970..2262). */
    public static Instant parseInstant(String text, String field) {
        try {
            Instant t = Instant.parse(text);
            if (t.isBefore(Instant.EPOCH)) {
                throw new DateTimeException("before the epoch");
            }
            nanosOf(t);
            return t;
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiProblem.invalidField(field, field + " must be an ISO-8601 UTC instant between 1970 and 2262,"
                    + " such as 2026-11-23T21:00:00Z");
        }
    }

    public static Instant instantOf(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    public static long nanosOf(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
