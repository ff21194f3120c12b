package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import exchange.engine.ExpiryReason;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.risk.Money;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link JsonWriter} and the order documents written with it read exactly as Jackson's generator
 * writes them: a reference rendering with Jackson (the way orders were rendered before) checks
 * the fast one, value by value and on random orders.
 */
class JsonWriterTest {
    private static final JsonFactory JACKSON = new JsonFactory();
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long SEED = 20261122L;

    @FunctionalInterface
    private interface JacksonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static String jackson(JacksonBody body) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(512)) {
            try (JsonGenerator g = JACKSON.createGenerator(out, JsonEncoding.UTF8)) {
                body.write(g);
            }
            return new String(out.toByteArray(), StandardCharsets.UTF_8);
        }
    }

    private static String text(JsonWriter w) {
        return new String(w.array(), 0, w.length(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldWriteNumbersAndLiteralsAsJacksonDoes() throws IOException {
        long[] values = {0, 1, -1, 9, 10, 99, 100, 1_000_000_007L, -1_000_000_007L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MIN_VALUE + 1};
        for (long v : values) {
            assertEquals(jackson(g -> g.writeNumber(v)), text(new JsonWriter().value(v)), "long " + v);
        }
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < 10_000; i++) {
            long v = rnd.nextLong() >> rnd.nextInt(64);
            assertEquals(jackson(g -> g.writeNumber(v)), text(new JsonWriter().value(v)), "long " + v);
        }
        assertEquals("true", text(new JsonWriter().value(true)));
        assertEquals("false", text(new JsonWriter().value(false)));
        assertEquals("null", text(new JsonWriter().value((String) null)));
    }

    @Test
    void shouldEscapeStringsAsJacksonDoes() throws IOException {
        StringBuilder every = new StringBuilder();
        for (char c = 0; c < 0x800; c++) {
            every.append(c);
        }
        every.append("\uFFFF\uD83D\uDE00\u20AC end");
        String all = every.toString();
        assertEquals(jackson(g -> g.writeString(all)), text(new JsonWriter().value(all)));

        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++) {
            String s = randomString(rnd, rnd.nextInt(40));
            assertEquals(jackson(g -> g.writeString(s)), text(new JsonWriter().value(s)), "seed " + SEED + " string " + i);
        }
    }

    @Test
    void shouldEscapeLoneSurrogatesAsJacksonDoesSoTheTextParsesBack() throws IOException {
        for (String s : new String[] {"\uD800", "a\uDC00b", "\uDBFF\uDBFF", "x\uD83D"}) {
            JsonWriter w = new JsonWriter().value(s);
            assertEquals(jackson(g -> g.writeString(s)), text(w));
            JsonNode parsed = MAPPER.readTree(w.toByteArray());
            assertEquals(s, parsed.textValue(), "lone surrogates in " + text(w));
        }
    }

    @Test
    void shouldSeparateMembersAndElementsWithCommas() throws IOException {
        byte[] a = JsonWriter.name("a");
        byte[] b = JsonWriter.name("b");
        JsonWriter w = new JsonWriter();
        w.beginObject().member(a).beginArray().value(1).value("x").nullValue().beginObject().endObject().beginArray()
                .endArray().endArray().member(b).beginObject().member(a).value(true).endObject().endObject();
        String expected = jackson(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("a");
            g.writeNumber(1);
            g.writeString("x");
            g.writeNull();
            g.writeStartObject();
            g.writeEndObject();
            g.writeStartArray();
            g.writeEndArray();
            g.writeEndArray();
            g.writeObjectFieldStart("b");
            g.writeBooleanField("a", true);
            g.writeEndObject();
            g.writeEndObject();
        });
        assertEquals(expected, text(w));
    }

    @Test
    void shouldWriteDatesAsLocalDateDoes() throws IOException {
        long[] days = {1, -1, 59, 365, 10_957, 20_779, 2_932_896, 2_932_897, -719_528, -719_529, 365_241_780_471L,
            -365_243_219_162L};
        for (long d : days) {
            String iso = java.time.LocalDate.ofEpochDay(d).toString();
            assertEquals(jackson(g -> g.writeString(iso)), text(new JsonWriter().date(d)), "epoch day " + d);
        }
        assertEquals("null", text(new JsonWriter().date(0)));
        assertEquals("\"-42\"", text(new JsonWriter().quoted(-42)));
    }

    @Test
    void shouldRefuseMemberNamesThatNeedEscaping() {
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.name("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.name("tab\t"));
        assertThrows(IllegalArgumentException.class, () -> JsonWriter.name("caf\u00E9"));
    }

    @Test
    void shouldWriteOrdersAsTheJacksonRenderingDid() throws IOException {
        SplittableRandom rnd = new SplittableRandom(SEED);
        for (int i = 0; i < 20_000; i++) {
            OrderView o = randomOrder(rnd);
            assertEquals(jackson(g -> referenceOrder(g, o)), text(HttpJson.order(o)), "seed " + SEED + " order " + i);
        }
    }

    @Test
    void shouldWriteOrderListsAndProblemsWithTheirOrders() throws IOException {
        SplittableRandom rnd = new SplittableRandom(SEED + 1);
        List<OrderView> orders = new ArrayList<>();
        for (int n = 0; n < 5; n++) {
            String token = n % 2 == 0 ? null : "djE6bzo0Mg";
            String expected = jackson(g -> {
                g.writeStartObject();
                g.writeArrayFieldStart("orders");
                for (OrderView o : orders) {
                    referenceOrder(g, o);
                }
                g.writeEndArray();
                if (token == null) {
                    g.writeNullField("next_page_token");
                } else {
                    g.writeStringField("next_page_token", token);
                }
                g.writeEndObject();
            });
            assertEquals(expected, text(HttpJson.orders(orders, token)), orders.size() + " orders");
            orders.add(randomOrder(rnd));
        }
        OrderView order = randomOrder(rnd);
        ApiProblem p = ApiProblem.withOrder(409, "CLIENT_ORDER_ID_CONFLICT", "reused \"id\"", order, List.of("qty", "side"));
        String expected = jackson(g -> {
            g.writeStartObject();
            g.writeStringField("type", p.type());
            g.writeStringField("title", p.title());
            g.writeNumberField("status", p.status());
            g.writeStringField("detail", p.detail());
            g.writeStringField("code", p.code());
            g.writeArrayFieldStart("fields");
            g.writeString("qty");
            g.writeString("side");
            g.writeEndArray();
            g.writeFieldName("order");
            referenceOrder(g, order);
            g.writeEndObject();
        });
        assertEquals(expected, new String(HttpJson.problem(p), StandardCharsets.UTF_8));
    }

    @Test
    void shouldGiveBackAGrownBufferAtTheNextDocument() {
        JsonWriter w = new JsonWriter();
        String big = "x".repeat(JsonWriter.RETAINED_CAPACITY * 2);
        w.value(big);
        assertTrue(w.array().length > JsonWriter.RETAINED_CAPACITY);
        assertEquals(big.length() + 2, w.length());
        w.reset().value(7);
        assertEquals(JsonWriter.INITIAL_CAPACITY, w.array().length);
        assertEquals("7", text(w));
    }

    /** The order object as Jackson rendered it before {@link JsonWriter}: the reference. */
    private static void referenceOrder(JsonGenerator g, OrderView o) throws IOException {
        g.writeStartObject();
        g.writeNumberField("order_id", o.orderId);
        nullable(g, "client_order_id", o.clientOrderId);
        g.writeNumberField("account_id", o.accountId);
        nullable(g, "symbol", o.symbol);
        nullable(g, "side", o.side == null ? null : o.side.wireName());
        g.writeNumberField("qty", o.qty);
        g.writeStringField("limit_price", Money.format(o.priceTicks));
        nullable(g, "time_in_force", o.timeInForce == null ? null : o.timeInForce.wireName());
        nullable(g, "status", o.status == null ? null : o.status.wireName());
        g.writeNumberField("filled_qty", o.filledQty);
        g.writeNumberField("leaves_qty", o.leavesQty);
        nullable(g, "avg_fill_price", o.filledQty == 0 ? null : Money.format(o.avgFillPriceTicks()));
        g.writeStringField("hold_amount", o.side == Side.SELL ? Long.toString(o.holdAmount) : Money.format(o.holdAmount));
        nullable(g, "created_at", iso(o.createdAtNanos));
        nullable(g, "updated_at", iso(o.updatedAtNanos));
        nullable(g, "session_date", o.sessionDate == 0 ? null : java.time.LocalDate.ofEpochDay(o.sessionDate).toString());
        nullable(g, "expires_at", iso(o.expiresAtNanos));
        nullable(g, "reject_reason", o.rejectReason == null ? null : o.rejectReason.name());
        nullable(g, "expiry_reason",
                o.expiryReason == null || o.expiryReason == ExpiryReason.NONE ? null : o.expiryReason.name());
        g.writeNumberField("seq", o.seq);
        g.writeBooleanField("post_only", o.postOnly);
        nullable(g, "self_trade_prevention",
                o.selfTradePrevention == null ? null : o.selfTradePrevention.name().toLowerCase(java.util.Locale.ROOT));
        g.writeEndObject();
    }

    private static String iso(long epochNanos) {
        return epochNanos == 0 ? null : java.time.format.DateTimeFormatter.ISO_INSTANT.format(
                java.time.Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                        Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    private static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private static OrderView randomOrder(SplittableRandom rnd) {
        OrderView o = new OrderView();
        o.orderId = rnd.nextLong(1, Long.MAX_VALUE) >> rnd.nextInt(63);
        o.clientOrderId = rnd.nextInt(10) == 0 ? null : randomString(rnd, 1 + rnd.nextInt(36));
        o.accountId = rnd.nextLong(1, 1L << 40);
        o.symbol = rnd.nextInt(10) == 0 ? null : rnd.nextBoolean() ? "AAPL" : randomString(rnd, 1 + rnd.nextInt(32));
        o.side = pick(rnd, Side.values());
        o.qty = rnd.nextLong(0, 1L << 40);
        o.priceTicks = rnd.nextInt(20) == 0 ? rnd.nextLong() : rnd.nextLong(0, 100_000_000_000L);
        o.timeInForce = pick(rnd, TimeInForce.values());
        o.postOnly = rnd.nextBoolean();
        o.selfTradePrevention = pick(rnd, SelfTradePrevention.values());
        o.status = pick(rnd, OrderStatus.values());
        o.filledQty = rnd.nextBoolean() ? 0 : rnd.nextLong(1, 1_000_000);
        o.leavesQty = rnd.nextLong(0, 1_000_000);
        o.filledNotional = o.filledQty * rnd.nextLong(1, 1_000_000_000L);
        o.holdAmount = rnd.nextInt(20) == 0 ? rnd.nextLong() : rnd.nextLong(0, 10_000_000_000_000L);
        o.createdAtNanos = randomTime(rnd);
        o.updatedAtNanos = randomTime(rnd);
        o.sessionDate = rnd.nextInt(5) == 0 ? 0 : rnd.nextLong(1, 2_932_896);
        o.expiresAtNanos = randomTime(rnd);
        o.rejectReason = pick(rnd, ResultCode.values());
        o.expiryReason = pick(rnd, ExpiryReason.values());
        o.seq = rnd.nextLong(0, Long.MAX_VALUE);
        return o;
    }

    /** A value of {@code values}, or null one time in {@code values.length + 1}. */
    private static <T> T pick(SplittableRandom rnd, T[] values) {
        int i = rnd.nextInt(values.length + 1);
        return i == values.length ? null : values[i];
    }

    private static long randomTime(SplittableRandom rnd) {
        return switch (rnd.nextInt(6)) {
            case 0 -> 0;
            case 1 -> rnd.nextLong();
            case 2 -> rnd.nextLong(1, 4_000_000_000_000_000_000L) / 1_000_000_000L * 1_000_000_000L;
            case 3 -> rnd.nextLong(1, 4_000_000_000_000_000_000L) / 1_000_000L * 1_000_000L;
            case 4 -> rnd.nextLong(1, 4_000_000_000_000_000_000L) / 1_000L * 1_000L;
            default -> rnd.nextLong(1, 4_000_000_000_000_000_000L);
        };
    }

    /** Mostly printable ASCII, with quotes, backslashes, controls and wider characters mixed in. */
    private static String randomString(SplittableRandom rnd, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            switch (rnd.nextInt(12)) {
                case 0 -> sb.append((char) rnd.nextInt(0x20));
                case 1 -> sb.append(rnd.nextBoolean() ? '"' : '\\');
                case 2 -> sb.append((char) rnd.nextInt(0x80, 0xD800));
                case 3 -> sb.appendCodePoint(rnd.nextInt(0x10000, 0x110000));
                case 4 -> sb.append((char) rnd.nextInt(0xE000, 0x10000));
                default -> sb.append((char) rnd.nextInt(0x20, 0x7F));
            }
        }
        return sb.toString();
    }
}
