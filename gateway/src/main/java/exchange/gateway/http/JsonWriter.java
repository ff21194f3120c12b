package exchange.gateway.http;

import exchange.risk.Money;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * Writes JSON as UTF-8 straight into a reusable byte array: the writer for the documents every
 * order request answers with (the order object, order lists, problems). A general-purpose
 * generator and the strings it was handed cost a few microseconds of server CPU per order, about a
 * tenth of it, with their garbage (measured on {@code POST /v1/orders}, BENCHMARKS.md, sixth
 * session). Writing an order allocates nothing once the buffer has grown to fit.
 *
 * <p>The text is the same as Jackson's {@code JsonGenerator} writes for the same calls: members
 * separated by commas without spaces, strings escaped as Jackson escapes them: {@code "} and
 * {@code \}, control characters as {@code \n}-style or <code>&#92;u00XX</code> escapes, surrogates
 * (the halves of characters beyond the Basic Multilingual Plane) as <code>&#92;uD83D</code>-style
 * escapes, other characters as UTF-8. A lone surrogate is escaped the same way, as Jackson does.
 *
 * <p>Member names are pre-encoded with {@link #name}. Each value method writes the comma that
 * separates it from the previous value of its object or array. Not thread safe: one writer per
 * thread ({@link HttpJson} keeps one per Jetty thread).
 */
final class JsonWriter {
    /** The buffer a fresh writer starts with: an order object fits. */
    static final int INITIAL_CAPACITY = 1024;
    /** A buffer grown past this (a long order list) is dropped at the next {@link #reset}. */
    static final int RETAINED_CAPACITY = 64 * 1024;

    private static final byte[] NULL = {'n', 'u', 'l', 'l'};
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'};
    private static final byte[] FALSE = {'f', 'a', 'l', 's', 'e'};
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** The longest text {@link #writeInstantText} writes: 9999-12-31T23:59:59.999999999Z. */
    private static final int MAX_INSTANT_LENGTH = 30;
    /** 9999-12-31, the last day written here; later and earlier days go through java.time. */
    private static final long LAST_FOUR_DIGIT_YEAR_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private byte[] buf = new byte[INITIAL_CAPACITY];
    private int length;
    /** True when the next value opens its object or array (or the document): no comma before it. */
    private boolean first = true;
    private final StringBuilder money = new StringBuilder(24);

    /** {@code "name":}, pre-encoded; names are ASCII and need no escaping. */
    static byte[] name(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
                throw new IllegalArgumentException("member name needs escaping: " + name);
            }
        }
        return ('"' + name + "\":").getBytes(StandardCharsets.US_ASCII);
    }

    /** Empties the writer for a new document. */
    JsonWriter reset() {
        if (buf.length > RETAINED_CAPACITY) {
            buf = new byte[INITIAL_CAPACITY];
        }
        length = 0;
        first = true;
        return this;
    }

    /** The written bytes are {@code array()[0, length())}; valid until the next write or reset. */
    byte[] array() {
        return buf;
    }

    int length() {
        return length;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buf, length);
    }

    JsonWriter beginObject() {
        return open('{');
    }

    JsonWriter endObject() {
        return close('}');
    }

    JsonWriter beginArray() {
        return open('[');
    }

    JsonWriter endArray() {
        return close(']');
    }

    private JsonWriter open(char bracket) {
        separate();
        put((byte) bracket);
        first = true;
        return this;
    }

    private JsonWriter close(char bracket) {
        put((byte) bracket);
        first = false;
        return this;
    }

    /** Starts a member; its value comes next. {@code name} is from {@link #name}. */
    JsonWriter member(byte[] name) {
        separate();
        put(name, name.length);
        first = true;
        return this;
    }

    JsonWriter value(long v) {
        separate();
        writeLong(v);
        return this;
    }

    /** A whole number as a JSON string ({@code "42"}). */
    JsonWriter quoted(long v) {
        separate();
        put((byte) '"');
        writeLong(v);
        put((byte) '"');
        return this;
    }

    JsonWriter value(boolean v) {
        separate();
        put(v ? TRUE : FALSE, v ? 4 : 5);
        return this;
    }

    JsonWriter nullValue() {
        separate();
        put(NULL, 4);
        return this;
    }

    /** A string, or null. */
    JsonWriter value(String s) {
        if (s == null) {
            return nullValue();
        }
        separate();
        ensure(s.length() + 2);
        buf[length++] = '"';
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
                if (length == buf.length) {
                    ensure(1);
                }
                buf[length++] = (byte) c;
            } else if (c < 0x80) {
                escapeAscii(c);
            } else if (Character.isSurrogate(c)) {
                unicodeEscape(c);
            } else {
                utf8(c);
            }
        }
        put((byte) '"');
        return this;
    }

    /** Scaled money units as a decimal string ({@link Money#format}). */
    JsonWriter money(long units) {
        separate();
        money.setLength(0);
        Money.appendTo(money, units);
        ensure(money.length() + 2);
        buf[length++] = '"';
        for (int i = 0; i < money.length(); i++) {
            buf[length++] = (byte) money.charAt(i);
        }
        buf[length++] = '"';
        return this;
    }

    /** Epoch nanos as an ISO-8601 UTC instant string ({@link HttpJson#instant}), or null for 0. */
    JsonWriter instant(long epochNanos) {
        if (epochNanos == 0) {
            return nullValue();
        }
        separate();
        ensure(MAX_INSTANT_LENGTH + 2);
        buf[length++] = '"';
        int end = writeInstantText(epochNanos, buf, length);
        if (end < 0) {
            put(isoInstant(epochNanos));
        } else {
            length = end;
        }
        put((byte) '"');
        return this;
    }

    /** An epoch day as a {@code YYYY-MM-DD} string ({@code LocalDate.toString}), or null for 0. */
    JsonWriter date(long epochDay) {
        if (epochDay == 0) {
            return nullValue();
        }
        if (epochDay < 0 || epochDay > LAST_FOUR_DIGIT_YEAR_DAY) {
            return value(LocalDate.ofEpochDay(epochDay).toString());
        }
        separate();
        ensure(12);
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        buf[length++] = '"';
        length = digits(buf, length, date.getYear(), 4);
        buf[length++] = '-';
        length = digits(buf, length, date.getMonthValue(), 2);
        buf[length++] = '-';
        length = digits(buf, length, date.getDayOfMonth(), 2);
        buf[length++] = '"';
        return this;
    }

    /**
     * Writes epoch nanos as ISO-8601 UTC text, exactly as {@code DateTimeFormatter.ISO_INSTANT}
     * does ({@code yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]Z}), into {@code out} from {@code at}, which
     * must have room for {@value #MAX_INSTANT_LENGTH} bytes; returns the index after it, or -1 for a
     * year outside 0000-9999 (then nothing is written: use {@link #isoInstant}).
     */
    static int writeInstantText(long epochNanos, byte[] out, int at) {
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        long day = Math.floorDiv(seconds, 86_400L);
        if (day < 0 || day > LAST_FOUR_DIGIT_YEAR_DAY) {
            return -1;
        }
        LocalDate date = LocalDate.ofEpochDay(day);
        int secondOfDay = (int) (seconds - day * 86_400L);
        int n = digits(out, at, date.getYear(), 4);
        out[n++] = '-';
        n = digits(out, n, date.getMonthValue(), 2);
        out[n++] = '-';
        n = digits(out, n, date.getDayOfMonth(), 2);
        out[n++] = 'T';
        n = digits(out, n, secondOfDay / 3600, 2);
        out[n++] = ':';
        n = digits(out, n, secondOfDay / 60 % 60, 2);
        out[n++] = ':';
        n = digits(out, n, secondOfDay % 60, 2);
        if (nanos != 0) {
            out[n++] = '.';
            if (nanos % 1_000_000 == 0) {
                n = digits(out, n, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                n = digits(out, n, nanos / 1_000, 6);
            } else {
                n = digits(out, n, nanos, 9);
            }
        }
        out[n++] = 'Z';
        return n;
    }

    /** {@code DateTimeFormatter.ISO_INSTANT} of epoch nanos: any year. */
    static String isoInstant(long epochNanos) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(
                Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded; returns the next index. */
    private static int digits(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    private void writeLong(long v) {
        ensure(20);
        if (v == Long.MIN_VALUE) {
            put("-9223372036854775808");
            return;
        }
        if (v < 0) {
            buf[length++] = '-';
            v = -v;
        }
        int digits = 1;
        for (long rest = v / 10; rest != 0; rest /= 10) {
            digits++;
        }
        for (int i = length + digits - 1; i >= length; i--) {
            buf[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        length += digits;
    }

    private void separate() {
        if (first) {
            first = false;
        } else {
            put((byte) ',');
        }
    }

    /** Jackson's escapes for ASCII: the short forms where JSON has them, else <code>&#92;u00XX</code>. */
    private void escapeAscii(char c) {
        char shortForm = switch (c) {
            case '"' -> '"';
            case '\\' -> '\\';
            case '\b' -> 'b';
            case '\t' -> 't';
            case '\n' -> 'n';
            case '\f' -> 'f';
            case '\r' -> 'r';
            default -> 0;
        };
        if (shortForm != 0) {
            ensure(2);
            buf[length++] = '\\';
            buf[length++] = (byte) shortForm;
        } else {
            unicodeEscape(c);
        }
    }

    private void unicodeEscape(char c) {
        ensure(6);
        buf[length++] = '\\';
        buf[length++] = 'u';
        buf[length++] = HEX[c >> 12 & 0xF];
        buf[length++] = HEX[c >> 8 & 0xF];
        buf[length++] = HEX[c >> 4 & 0xF];
        buf[length++] = HEX[c & 0xF];
    }

    /** A character of the Basic Multilingual Plane outside ASCII and the surrogates, as UTF-8. */
    private void utf8(char c) {
        ensure(3);
        if (c < 0x800) {
            buf[length++] = (byte) (0xC0 | c >> 6);
        } else {
            buf[length++] = (byte) (0xE0 | c >> 12);
            buf[length++] = (byte) (0x80 | c >> 6 & 0x3F);
        }
        buf[length++] = (byte) (0x80 | c & 0x3F);
    }

    private void put(byte b) {
        ensure(1);
        buf[length++] = b;
    }

    private void put(byte[] bytes, int n) {
        ensure(n);
        System.arraycopy(bytes, 0, buf, length, n);
        length += n;
    }

    /** ASCII text (numbers, formatted dates): one byte a char. */
    private void put(String ascii) {
        ensure(ascii.length());
        for (int i = 0; i < ascii.length(); i++) {
            buf[length++] = (byte) ascii.charAt(i);
        }
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }
}
