package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import exchange.engine.AccountSnapshot;
import exchange.engine.MarkSource;
import exchange.engine.ExpiryReason;
import exchange.engine.Fill;
import exchange.engine.OrderView;
import exchange.engine.Side;
import exchange.engine.StateSummary;
import exchange.risk.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.List;

/**
 * Writes the API's response bodies in a fixed field order: the order documents and problems with
 * {@link JsonWriter} (every order request answers with one), the rest with Jackson's streaming
 * generator, both giving the same text for the same values:
 * snake_case names, lowercase enum values, decimals (prices, cash) as strings formatted by
 * {@link Money#format}, share quantities as JSON integers, times as ISO-8601 UTC instants and
 * trading dates as {@code YYYY-MM-DD}. Absent values are JSON {@code null}. Thread safe: an order
 * document is written into a writer of the calling thread's own.
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
        byte[] text = new byte[32];
        int end = JsonWriter.writeInstantText(epochNanos, text, 0);
        return end < 0 ? JsonWriter.isoInstant(epochNanos) : new String(text, 0, end, StandardCharsets.US_ASCII);
    }

    /** An epoch day as {@code YYYY-MM-DD}, or null for 0 (no session yet). */
    public static String date(long epochDay) {
        return epochDay == 0 ? null : LocalDate.ofEpochDay(epochDay).toString();
    }

    /** A decimal string, or null for {@link AccountSnapshot#NO_VALUE}. */
    private static String moneyOrNull(long value) {
        return value == AccountSnapshot.NO_VALUE ? null : Money.format(value);
    }

    private static void stringOrNull(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static final byte[] ORDER_ID = JsonWriter.name("order_id");
    private static final byte[] CLIENT_ORDER_ID = JsonWriter.name("client_order_id");
    private static final byte[] ACCOUNT_ID = JsonWriter.name("account_id");
    private static final byte[] SYMBOL = JsonWriter.name("symbol");
    private static final byte[] SIDE = JsonWriter.name("side");
    private static final byte[] QTY = JsonWriter.name("qty");
    private static final byte[] LIMIT_PRICE = JsonWriter.name("limit_price");
    private static final byte[] TIME_IN_FORCE = JsonWriter.name("time_in_force");
    private static final byte[] STATUS = JsonWriter.name("status");
    private static final byte[] FILLED_QTY = JsonWriter.name("filled_qty");
    private static final byte[] LEAVES_QTY = JsonWriter.name("leaves_qty");
    private static final byte[] AVG_FILL_PRICE = JsonWriter.name("avg_fill_price");
    private static final byte[] HOLD_AMOUNT = JsonWriter.name("hold_amount");
    private static final byte[] CREATED_AT = JsonWriter.name("created_at");
    private static final byte[] UPDATED_AT = JsonWriter.name("updated_at");
    private static final byte[] SESSION_DATE = JsonWriter.name("session_date");
    private static final byte[] EXPIRES_AT = JsonWriter.name("expires_at");
    private static final byte[] REJECT_REASON = JsonWriter.name("reject_reason");
    private static final byte[] EXPIRY_REASON = JsonWriter.name("expiry_reason");
    private static final byte[] SEQ = JsonWriter.name("seq");
    private static final byte[] POST_ONLY = JsonWriter.name("post_only");
    private static final byte[] SELF_TRADE_PREVENTION = JsonWriter.name("self_trade_prevention");
    private static final byte[] ORDERS = JsonWriter.name("orders");
    private static final byte[] NEXT_PAGE_TOKEN = JsonWriter.name("next_page_token");

    /** One writer per thread for the order documents; a writer is reset by each document. */
    private static final ThreadLocal<JsonWriter> WRITERS = ThreadLocal.withInitial(JsonWriter::new);

    /** The order object of the API (DESIGN section 4). */
    static void writeOrder(JsonWriter w, OrderView o) {
        w.beginObject();
        w.member(ORDER_ID).value(o.orderId);
        w.member(CLIENT_ORDER_ID).value(o.clientOrderId);
        w.member(ACCOUNT_ID).value(o.accountId);
        w.member(SYMBOL).value(o.symbol);
        w.member(SIDE).value(o.side == null ? null : o.side.wireName());
        w.member(QTY).value(o.qty);
        w.member(LIMIT_PRICE).money(o.priceTicks);
        w.member(TIME_IN_FORCE).value(o.timeInForce == null ? null : o.timeInForce.wireName());
        w.member(STATUS).value(o.status == null ? null : o.status.wireName());
        w.member(FILLED_QTY).value(o.filledQty);
        w.member(LEAVES_QTY).value(o.leavesQty);
        if (o.filledQty == 0) {
            w.member(AVG_FILL_PRICE).nullValue();
        } else {
            w.member(AVG_FILL_PRICE).money(o.avgFillPriceTicks());
        }
        // A buy holds cash (a decimal); a sell holds shares (a whole number, still written as a string).
        if (o.side == Side.SELL) {
            w.member(HOLD_AMOUNT).quoted(o.holdAmount);
        } else {
            w.member(HOLD_AMOUNT).money(o.holdAmount);
        }
        w.member(CREATED_AT).instant(o.createdAtNanos);
        w.member(UPDATED_AT).instant(o.updatedAtNanos);
        w.member(SESSION_DATE).date(o.sessionDate);
        w.member(EXPIRES_AT).instant(o.expiresAtNanos);
        w.member(REJECT_REASON).value(o.rejectReason == null ? null : o.rejectReason.name());
        w.member(EXPIRY_REASON).value(
                o.expiryReason == null || o.expiryReason == ExpiryReason.NONE ? null : o.expiryReason.name());
        w.member(SEQ).value(o.seq);
        w.member(POST_ONLY).value(o.postOnly);
        w.member(SELF_TRADE_PREVENTION).value(o.selfTradePrevention == null ? null : o.selfTradePrevention.wireName());
        w.endObject();
    }

    /** The order object, in this thread's writer: valid until the thread renders its next order document. */
    static JsonWriter order(OrderView o) {
        JsonWriter w = WRITERS.get().reset();
        writeOrder(w, o);
        return w;
    }

    /**
     * {@code {"orders":[...],"next_page_token"}}, in this thread's writer (as {@link #order});
     * the token is null on the last page.
     */
    static JsonWriter orders(List<OrderView> orders, String nextPageToken) {
        JsonWriter w = WRITERS.get().reset();
        w.beginObject().member(ORDERS).beginArray();
        for (OrderView o : orders) {
            writeOrder(w, o);
        }
        w.endArray();
        w.member(NEXT_PAGE_TOKEN).value(nextPageToken);
        return w.endObject();
    }

    /**
     * {@code {"account_id","name","cash":{...},"positions":[...],"equity","seq"}}: each position
     * valued at its mark price ({@code mark_price}, {@code mark_source}, {@code market_value}, null
     * without a mark), {@code equity} = cash total + market values (null if a position has none).
     */
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
                stringOrNull(g, "mark_price", p.markSource() == MarkSource.NONE ? null : Money.format(p.markPriceTicks()));
                g.writeStringField("mark_source", p.markSource().wireName());
                stringOrNull(g, "market_value", moneyOrNull(p.marketValue()));
                g.writeEndObject();
            }
            g.writeEndArray();
            stringOrNull(g, "equity", moneyOrNull(a.equity()));
            g.writeNumberField("seq", a.seq());
            g.writeEndObject();
        });
    }

    /** {@code {"fills":[...],"next_page_token"}}, newest first; the token is null on the last page. */
    public static byte[] fills(List<Fill> fills, String nextPageToken) {
        return render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("fills");
            for (Fill f : fills) {
                g.writeStartObject();
                g.writeNumberField("trade_id", f.tradeId());
                // the liquidity provider's side of a fill against the outside market has no order
                if (f.orderId() == 0) {
                    g.writeNullField("order_id");
                } else {
                    g.writeNumberField("order_id", f.orderId());
                }
                stringOrNull(g, "client_order_id", f.clientOrderId());
                g.writeStringField("symbol", f.symbol());
                g.writeStringField("side", f.side().wireName());
                g.writeStringField("price", Money.format(f.priceTicks()));
                g.writeNumberField("qty", f.qty());
                g.writeStringField("fee", Money.format(f.fee()));
                g.writeStringField("liquidity", f.maker() ? "maker" : "taker");
                stringOrNull(g, "executed_at", instant(f.timestampNanos()));
                g.writeNumberField("seq", f.seq());
                stringOrNull(g, "venue", f.venue());
                g.writeEndObject();
            }
            g.writeEndArray();
            stringOrNull(g, "next_page_token", nextPageToken);
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
            g.writeNumberField("held_orders", s.heldOrders());
            g.writeNumberField("close_count", s.closeCount());
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

    private static final byte[] TYPE = JsonWriter.name("type");
    private static final byte[] TITLE = JsonWriter.name("title");
    private static final byte[] DETAIL = JsonWriter.name("detail");
    private static final byte[] CODE = JsonWriter.name("code");
    private static final byte[] FIELD = JsonWriter.name("field");
    private static final byte[] FIELDS = JsonWriter.name("fields");
    private static final byte[] ORDER = JsonWriter.name("order");

    /** A problem document ({@link ApiProblem}). */
    public static byte[] problem(ApiProblem p) {
        JsonWriter w = new JsonWriter();
        w.beginObject();
        w.member(TYPE).value(p.type());
        w.member(TITLE).value(p.title());
        w.member(STATUS).value(p.status());
        w.member(DETAIL).value(p.detail());
        w.member(CODE).value(p.code());
        if (p.field() != null) {
            w.member(FIELD).value(p.field());
        }
        if (p.fields() != null) {
            w.member(FIELDS).beginArray();
            for (String f : p.fields()) {
                w.value(f);
            }
            w.endArray();
        }
        if (p.order() != null) {
            w.member(ORDER);
            writeOrder(w, p.order());
        }
        return w.endObject().toByteArray();
    }
}
