package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import exchange.engine.AccountSnapshot;
import exchange.engine.ExpiryReason;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.Side;
import exchange.engine.StateSummary;
import exchange.risk.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/**
 * Writes the API's response bodies with Jackson's streaming generator, in a fixed field order:
 * snake_case names, lowercase enum values, decimals (prices, cash) as strings formatted by
 * {@link Money#format}, share quantities as JSON integers, times as ISO-8601 UTC instants and
 * trading dates as {@code YYYY-MM-DD}. Absent values are JSON {@code null}. Stateless and thread safe.
 */
public final class HttpJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private HttpJson() {
    }

    /** Writes one JSON document. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** Renders {@code body} to UTF-8 bytes. */
    public static byte[] render(Body body) {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
            try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
                body.write(g);
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Epoch nanos as an ISO-8601 UTC instant, or null for 0 (unset). */
    public static String instant(long epochNanos) {
        if (epochNanos == 0) {
            return null;
        }
        long seconds = Math.floorDiv(epochNanos, 1_000_000_000L);
        int nanos = (int) Math.floorMod(epochNanos, 1_000_000_000L);
        long day = Math.floorDiv(seconds, 86_400L);
        if (day < 0 || day > LAST_FOUR_DIGIT_YEAR_DAY) {
            return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(seconds, nanos));
        }
        // the same text as DateTimeFormatter.ISO_INSTANT, without its general-purpose machinery
        // (a tenth of an order response's rendering time): yyyy-MM-ddTHH:mm:ss[.fff[fff[fff]]]Z
        LocalDate date = LocalDate.ofEpochDay(day);
        int secondOfDay = (int) (seconds - day * 86_400L);
        char[] out = new char[30];
        int n = digits(out, 0, date.getYear(), 4);
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
        return new String(out, 0, n);
    }

    /** 9999-12-31, the last day {@link #instant} formats itself. */
    private static final long LAST_FOUR_DIGIT_YEAR_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    /** Writes {@code value} as exactly {@code width} decimal digits, zero-padded; returns the next index. */
    private static int digits(char[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (char) ('0' + value % 10);
            value /= 10;
        }
        return at + width;
    }

    /** An epoch day as {@code YYYY-MM-DD}, or null for 0 (no session yet). */
    public static String date(long epochDay) {
        return epochDay == 0 ? null : LocalDate.ofEpochDay(epochDay).toString();
    }

    /** Lowercase wire name of an enum constant, or null. */
    public static String wire(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    private static void stringOrNull(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    /** The order object of the API (DESIGN section 4). */
    public static void writeOrder(JsonGenerator g, OrderView o) throws IOException {
        g.writeStartObject();
        g.writeNumberField("order_id", o.orderId);
        stringOrNull(g, "client_order_id", o.clientOrderId);
        g.writeNumberField("account_id", o.accountId);
        stringOrNull(g, "symbol", o.symbol);
        stringOrNull(g, "side", o.side == null ? null : o.side.wireName());
        g.writeNumberField("qty", o.qty);
        g.writeStringField("limit_price", Money.format(o.priceTicks));
        stringOrNull(g, "time_in_force", o.timeInForce == null ? null : o.timeInForce.wireName());
        stringOrNull(g, "status", o.status == null ? null : o.status.wireName());
        g.writeNumberField("filled_qty", o.filledQty);
        g.writeNumberField("leaves_qty", o.leavesQty);
        stringOrNull(g, "avg_fill_price", o.filledQty == 0 ? null : Money.format(o.avgFillPriceTicks()));
        // A buy holds cash (a decimal); a sell holds shares (a whole number, still written as a string).
        g.writeStringField("hold_amount", o.side == Side.SELL ? Long.toString(o.holdAmount) : Money.format(o.holdAmount));
        stringOrNull(g, "created_at", instant(o.createdAtNanos));
        stringOrNull(g, "updated_at", instant(o.updatedAtNanos));
        stringOrNull(g, "session_date", date(o.sessionDate));
        stringOrNull(g, "expires_at", instant(o.expiresAtNanos));
        stringOrNull(g, "reject_reason", o.rejectReason == null ? null : o.rejectReason.name());
        stringOrNull(g, "expiry_reason",
                o.expiryReason == null || o.expiryReason == ExpiryReason.NONE ? null : o.expiryReason.name());
        g.writeNumberField("seq", o.seq);
        g.writeBooleanField("post_only", o.postOnly);
        stringOrNull(g, "self_trade_prevention", wire(o.selfTradePrevention));
        g.writeEndObject();
    }

    public static byte[] order(OrderView o) {
        return render(g -> writeOrder(g, o));
    }

    /** {@code {"orders":[...]}}. */
    public static byte[] orders(List<OrderView> orders) {
        return render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("orders");
            for (OrderView o : orders) {
                writeOrder(g, o);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code {"account_id","name","cash":{...},"positions":[...],"seq"}}. */
    public static byte[] account(AccountSnapshot a) {
        return render(g -> {
            g.writeStartObject();
            g.writeNumberField("account_id", a.accountId());
            stringOrNull(g, "name", a.name());
            g.writeObjectFieldStart("cash");
            g.writeStringField("total", Money.format(a.cashTotal()));
            g.writeStringField("reserved", Money.format(a.cashReserved()));
            g.writeStringField("available", Money.format(a.cashTotal() - a.cashReserved()));
            g.writeEndObject();
            g.writeArrayFieldStart("positions");
            for (AccountSnapshot.Position p : a.positions()) {
                g.writeStartObject();
                g.writeStringField("symbol", p.symbol());
                g.writeNumberField("qty", p.qty());
                g.writeNumberField("reserved", p.reserved());
                g.writeNumberField("available", p.qty() - p.reserved());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeNumberField("seq", a.seq());
            g.writeEndObject();
        });
    }

    /** {@code {"fills":[...]}}, newest first as the engine returns them. */
    public static byte[] fills(List<Fill> fills) {
        return render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("fills");
            for (Fill f : fills) {
                g.writeStartObject();
                g.writeNumberField("trade_id", f.tradeId());
                g.writeNumberField("order_id", f.orderId());
                stringOrNull(g, "client_order_id", f.clientOrderId());
                g.writeStringField("symbol", f.symbol());
                g.writeStringField("side", f.side().wireName());
                g.writeStringField("price", Money.format(f.priceTicks()));
                g.writeNumberField("qty", f.qty());
                g.writeStringField("fee", Money.format(f.fee()));
                g.writeStringField("liquidity", f.maker() ? "maker" : "taker");
                stringOrNull(g, "executed_at", instant(f.timestampNanos()));
                g.writeNumberField("seq", f.seq());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** {@code GET /v1/admin/state}: sequence, 16-hex-digit state hash, counts and system totals. */
    public static byte[] state(StateSummary s) {
        return render(g -> {
            g.writeStartObject();
            g.writeNumberField("seq", s.seq());
            g.writeStringField("state_hash", String.format("%016x", s.stateHash()));
            g.writeNumberField("accounts", s.accounts());
            g.writeNumberField("open_orders", s.openOrders());
            g.writeObjectFieldStart("cash");
            g.writeStringField("total", Money.format(s.cashTotal()));
            g.writeStringField("reserved", Money.format(s.cashReserved()));
            g.writeEndObject();
            g.writeStringField("fees_collected", Money.format(s.feesCollected()));
            g.writeObjectFieldStart("positions");
            for (StateSummary.AssetTotal p : s.positions()) {
                g.writeObjectFieldStart(p.symbol());
                g.writeNumberField("total", p.total());
                g.writeNumberField("reserved", p.reserved());
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("session");
            g.writeStringField("state", s.sessionOpen() ? "open" : "closed");
            stringOrNull(g, "session_date", date(s.sessionDate()));
            stringOrNull(g, "closes_at", s.sessionOpen() ? instant(s.sessionClosesAtNanos()) : null);
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** A problem document ({@link ApiProblem}). */
    public static byte[] problem(ApiProblem p) {
        return render(g -> {
            g.writeStartObject();
            g.writeStringField("type", p.type());
            g.writeStringField("title", p.title());
            g.writeNumberField("status", p.status());
            g.writeStringField("detail", p.detail());
            g.writeStringField("code", p.code());
            if (p.field() != null) {
                g.writeStringField("field", p.field());
            }
            if (p.fields() != null) {
                g.writeArrayFieldStart("fields");
                for (String f : p.fields()) {
                    g.writeString(f);
                }
                g.writeEndArray();
            }
            if (p.order() != null) {
                g.writeFieldName("order");
                writeOrder(g, p.order());
            }
            g.writeEndObject();
        });
    }
}
