package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lenient, exact {@code qty} and {@code limit_price} of {@code POST /v1/orders} over a real
 * server (DESIGN section 4, gateway/CONFIG.md): a JSON number or a string holding one, read
 * exactly; fractions of a share are 400 {@code FRACTIONAL_QTY_UNSUPPORTED}; anything that is not
 * a JSON number is 400 {@code INVALID_FIELD}; a retry compares the parsed values. Values are
 * written into the body as raw JSON text, so {@code 1e2} or {@code 190.000000000000001} arrive
 * exactly as written.
 */
@Timeout(60)
class LenientNumbersTest {
    @TempDir
    static Path dataDir;
    private static TestExchange exchange;
    private static ApiClient api;
    private static Account buyer;
    private static final AtomicInteger IDS = new AtomicInteger();

    @BeforeAll
    static void start() {
        exchange = TestExchange.start(TestExchange.config(dataDir).build());
        api = exchange.api;
        exchange.openSession();
        buyer = exchange.fundedAccount("lenient", Map.of("USD", "9000000.00"));
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    /** A buy of AAPL with {@code qty} and {@code limitPrice} given as raw JSON text. */
    private static Response place(String clientOrderId, String qty, String limitPrice) {
        return api.post("/v1/orders", buyer.key(), "{\"client_order_id\":\"" + clientOrderId
                + "\",\"symbol\":\"AAPL\",\"side\":\"buy\",\"qty\":" + qty + ",\"limit_price\":" + limitPrice
                + ",\"time_in_force\":\"gtc\"}");
    }

    private static String fresh() {
        return "ln-" + IDS.incrementAndGet();
    }

    @Test
    void shouldAcceptQtyAsAJsonIntegerOrAStringHoldingOneWithTheSameValue() {
        Map<String, Long> accepted = Map.ofEntries(
                Map.entry("10", 10L), Map.entry("\"10\"", 10L), Map.entry("1", 1L),
                // a whole value written with a fraction or an exponent is that whole number
                Map.entry("10.0", 10L), Map.entry("\"10.000\"", 10L), Map.entry("1e2", 100L),
                Map.entry("1E+2", 100L), Map.entry("\"1e2\"", 100L), Map.entry("2500e-2", 25L));
        accepted.forEach((qty, expected) -> {
            Response r = place(fresh(), qty, "\"187.25\"");
            assertEquals(201, r.status(), () -> "qty " + qty + ": " + r.raw());
            assertEquals(expected, r.json().get("qty").asLong(), () -> "qty " + qty + ": " + r.raw());
        });
    }

    @Test
    void shouldRefuseAFractionalQtyWithItsOwnCode() {
        for (String qty : List.of("10.5", "\"10.5\"", "0.5", "\"0.0001\"", "1e-1", "\"25e-1\"", "1.000000001")) {
            assertFieldProblem(place(fresh(), qty, "\"187.25\""), "FRACTIONAL_QTY_UNSUPPORTED", "qty");
        }
    }

    @Test
    void shouldRefuseQtyTextThatIsNotAJsonNumberOrNotAPositiveLong() {
        List<String> invalid = List.of(
                "\"01\"", "\" 10\"", "\"10 \"", "\"+10\"", "\"0x10\"", "\"1,000\"", "\"\"", "\"ten\"", "\"10.\"",
                "\".5\"", "\"NaN\"", "\"Infinity\"", "\"\\uff11\\uff10\"",
                "0", "\"0\"", "-5", "\"-5\"", "-0.5", "0.0", "-0",
                "9223372036854775808", "\"99999999999999999999999\"", "1e400", "\"1e999999999\"", "\"1e9999999999\"",
                "\"" + "1".repeat(41) + "\"", "true", "[10]", "{\"v\":10}");
        for (String qty : invalid) {
            assertFieldProblem(place(fresh(), qty, "\"187.25\""), "INVALID_FIELD", "qty");
        }
    }

    @Test
    void shouldPassAHugeButRepresentableQtyToTheEngineLimits() {
        Response r = place(fresh(), "\"9223372036854775807\"", "\"187.25\"");
        assertEquals(422, r.status(), r.raw());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.raw());
    }

    @Test
    void shouldReadLimitPriceExactlyFromAStringOrAJsonNumber() {
        Map<String, String> accepted = Map.of(
                "\"187.25\"", "187.25", "187.25", "187.25", "187.2500", "187.25", "\"187.25000\"", "187.25",
                "1.8725e2", "187.25", "\"18725E-2\"", "187.25",
                // 187.29 is 187.28999999999999 as a double: read exactly it stays on its tick
                "187.29", "187.29", "190", "190.00");
        accepted.forEach((price, expected) -> {
            Response r = place(fresh(), "1", price);
            assertEquals(201, r.status(), () -> "limit_price " + price + ": " + r.raw());
            assertEquals(expected, r.json().get("limit_price").asText(), () -> "limit_price " + price + ": " + r.raw());
        });
    }

    @Test
    void shouldRefuseALimitPriceThatOnlyADoubleWouldRoundOntoATick() {
        // as a double this is exactly 190.0; read exactly it has more than 4 decimals
        assertFieldProblem(place(fresh(), "1", "190.000000000000001"), "INVALID_FIELD", "limit_price");
        assertFieldProblem(place(fresh(), "1", "187.12345"), "INVALID_FIELD", "limit_price");
        for (String price : List.of("-1", "\"-1.00\"", "1e400", "\"0187.25\"", "\" 187.25\"", "\"187.25 \"",
                "\"1.8e999999999\"", "\"abc\"", "\"\"", "true", "[187.25]", "92233720368547758.08")) {
            assertFieldProblem(place(fresh(), "1", price), "INVALID_FIELD", "limit_price");
        }
        Response nan = place(fresh(), "1", "NaN");
        assertEquals(400, nan.status(), nan.raw());
        assertEquals("MALFORMED_JSON", nan.json().get("code").asText(), nan.raw());
    }

    @Test
    void shouldTreatARetryWithTheSameValuesWrittenDifferentlyAsTheSameOrder() {
        String id = fresh();
        Response first = place(id, "10", "\"187.25\"");
        assertEquals(201, first.status(), first.raw());
        for (String[] same : new String[][] {{"\"10\"", "187.25"}, {"10.0", "\"187.2500\""}, {"1e1", "1.8725e2"}}) {
            Response retry = place(id, same[0], same[1]);
            assertEquals(200, retry.status(), () -> "retry with qty " + same[0] + ", limit_price " + same[1] + ": "
                    + retry.raw());
            assertEquals(first.json().get("order_id"), retry.json().get("order_id"));
        }
        Response conflict = place(id, "\"11\"", "187.26");
        assertEquals(409, conflict.status(), conflict.raw());
        assertEquals("CLIENT_ORDER_ID_CONFLICT", conflict.json().get("code").asText());
        assertEquals("[\"qty\",\"limit_price\"]", conflict.json().get("fields").toString(), conflict.raw());
    }

    private static void assertFieldProblem(Response r, String code, String field) {
        assertEquals(400, r.status(), r.raw());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.raw());
        JsonNode p = r.json();
        assertEquals(code, p.get("code").asText(), r.raw());
        assertEquals(field, p.get("field").asText(), r.raw());
    }
}
