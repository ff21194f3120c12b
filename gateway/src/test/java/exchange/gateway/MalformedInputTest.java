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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input against the real server, beyond the hand-written cases of {@link HttpApiTest}: every
 * field of an order or a transfer given values of every JSON type and shape, broken bodies, and
 * seeded random mixtures of them. Whatever arrives, the answer is never a 5xx, every error is
 * {@code application/problem+json} with a stable code, and what the gateway refuses changes no
 * state (same sequence and state hash before and after).
 */
@Timeout(60)
class MalformedInputTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;

    /**
     * Values no order or transfer field accepts, refused by the gateway itself (except that any
     * string is a symbol to look up, and an unknown symbol is the engine's 422).
     */
    private static final String[] NEVER_VALID = {
        "[]", "{}", "[1]", "{'a':1}", "1e400", "-1e400", "18446744073709551616", "' '", "'\\u0000'", "'\\t'",
        "'" + "x".repeat(5_000) + "'",
    };
    /** Values of every type, valid somewhere and invalid elsewhere: the random mixtures draw on these. */
    private static final String[] ANY = {
        "null", "true", "false", "0", "-1", "1", "1.5", "9223372036854775807", "-9223372036854775808", "''",
        "'abc'", "'1e5'", "'0x10'", "'NaN'", "'-0'", "'00.1'", "'1.'", "'.5'", "'1,000'", "'\\uff11\\uff10\\uff10'",
        "'100.001'", "'99999999999999999999.99'", "'buy'", "'sell'", "'day'", "'ioc'", "'AAPL'", "'MSFT'",
        "'USD'", "'10.00'", "'cancel_both'", "'\\u00e9'", "'a b'",
    };
    private static final String[] ORDER_FIELDS = {
        "client_order_id", "symbol", "side", "qty", "limit_price", "time_in_force", "post_only", "self_trade_prevention",
    };
    private static final String[] TRANSFER_FIELDS = {"asset", "amount", "transfer_id"};
    private static final String[] BROKEN_BODIES = {
        "", "{", "}", "[]", "null", "\"x\"", "123", "{\"a\":}", "{'single':'quotes'}", "{\"qty\":1,}",
        "{\"client_order_id\":\"x\",\"client_order_id\":\"y\"}", "{".repeat(2_000), "\u00ff\u00fe\u0000",
        "{\"client_order_id\":\"x\"} {}", "[{\"client_order_id\":\"x\"}]",
    };

    @TempDir
    static Path dataDir;
    private static TestExchange exchange;
    private static ApiClient api;
    private static Account trader;

    @BeforeAll
    static void start() {
        exchange = TestExchange.start(TestExchange.config(dataDir).build());
        api = exchange.api;
        exchange.openSession();
        trader = exchange.fundedAccount("fuzz", Map.of("USD", "100000.00", "AAPL", "100"));
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void shouldRefuseEveryMalformedFieldWithoutChangingState() {
        JsonNode before = state();
        int n = 0;
        for (String field : ORDER_FIELDS) {
            for (String value : NEVER_VALID) {
                if (field.equals("symbol") && value.startsWith("'")) {
                    continue; // any string is a symbol to look up: an unknown one is a 422 business reject
                }
                assertRefused(api.post("/v1/orders", trader.key(), render(validOrder("n-" + n++), field, value)));
            }
        }
        for (String required : List.of("client_order_id", "symbol", "side", "qty", "limit_price")) {
            Map<String, String> order = validOrder("m-" + n++);
            order.remove(required);
            Response r = api.post("/v1/orders", trader.key(), render(order, null, null));
            assertRefused(r);
            assertEquals(required, r.json().get("field").asText(), r.raw());
        }
        String deposits = "/v1/admin/accounts/" + trader.id() + "/deposits";
        String withdrawals = "/v1/admin/accounts/" + trader.id() + "/withdrawals";
        for (String field : TRANSFER_FIELDS) {
            for (String value : NEVER_VALID) {
                assertRefused(api.post(deposits, ADMIN, render(validTransfer("d-" + n++), field, value)));
                assertRefused(api.post(withdrawals, ADMIN, render(validTransfer("w-" + n++), field, value)));
            }
        }
        for (String body : BROKEN_BODIES) {
            assertRefused(api.post("/v1/orders", trader.key(), body));
            assertRefused(api.post(deposits, ADMIN, body));
            assertRefused(api.post("/v1/admin/accounts", ADMIN, body));
        }
        JsonNode after = state();
        assertEquals(before.get("seq"), after.get("seq"), "a refused request reached the engine");
        assertEquals(before.get("state_hash"), after.get("state_hash"));
    }

    @Test
    void shouldNeverAnswerA5xxToRandomMixturesOfBadFields() {
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 600; i++) {
            boolean order = random.nextInt(4) != 0;
            Map<String, String> body = order ? validOrder("r-" + i) : validTransfer("rt-" + i);
            String[] fields = order ? ORDER_FIELDS : TRANSFER_FIELDS;
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                String field = random.nextInt(10) == 0 ? "extra_" + random.nextInt(3) : fields[random.nextInt(fields.length)];
                body.put(field, random.nextInt(5) == 0 ? NEVER_VALID[random.nextInt(NEVER_VALID.length)]
                        : ANY[random.nextInt(ANY.length)]);
            }
            String json = render(body, null, null);
            Response r = order ? api.post("/v1/orders", trader.key(), json)
                    : api.post("/v1/admin/accounts/" + trader.id() + (random.nextBoolean() ? "/deposits" : "/withdrawals"),
                    ADMIN, json);
            assertTrue(r.status() < 500, r.status() + " for " + json + ": " + r.raw());
            if (r.status() >= 400) {
                assertWellFormedProblem(r);
            } else {
                accepted++;
                assertNotNull(r.json(), r.raw());
            }
        }
        assertTrue(accepted > 0, "the mixtures also produced valid requests, so the accepting path was exercised");
        JsonNode account = api.get("/v1/account", trader.key()).json();
        assertFalse(account.get("cash").get("available").asText().startsWith("-"), account.toString());
    }

    /** A valid order as field -> JSON text, in order (single quotes stand for double). */
    private static Map<String, String> validOrder(String clientOrderId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("client_order_id", "'" + clientOrderId + "'");
        m.put("symbol", "'AAPL'");
        m.put("side", "'buy'");
        m.put("qty", "1");
        m.put("limit_price", "'190.00'");
        m.put("time_in_force", "'day'");
        return m;
    }

    private static Map<String, String> validTransfer(String transferId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("asset", "'USD'");
        m.put("amount", "'1.00'");
        m.put("transfer_id", "'" + transferId + "'");
        return m;
    }

    /**
     * The body as JSON text, with {@code field} (if not null) set to the JSON text {@code value}.
     * Built as text, not through a JSON library, so that values such as {@code 1e400} arrive as
     * written.
     */
    private static String render(Map<String, String> fields, String field, String value) {
        Map<String, String> m = new LinkedHashMap<>(fields);
        if (field != null) {
            m.put(field, value);
        }
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? "," : "").append('"').append(k).append("\":").append(v));
        return ApiClient.json(sb.append('}').toString());
    }

    private static JsonNode state() {
        Response r = api.get("/v1/admin/state", ADMIN);
        assertEquals(200, r.status(), r.raw());
        return r.json();
    }

    /** A 4xx from the gateway (400 or 413): refused before the ring. */
    private static void assertRefused(Response r) {
        assertTrue(r.status() == 400 || r.status() == 413, r.status() + ": " + r.raw());
        assertWellFormedProblem(r);
    }

    private static void assertWellFormedProblem(Response r) {
        assertTrue(r.contentType() != null && r.contentType().startsWith("application/problem+json"),
                r.contentType() + ": " + r.raw());
        JsonNode p = r.json();
        assertNotNull(p, r.raw());
        assertEquals(r.status(), p.get("status").asInt(), r.raw());
        assertTrue(p.get("code").asText().matches("[A-Z][A-Z_]*"), r.raw());
        assertTrue(p.get("type").asText().startsWith("urn:exchange:problem:"), r.raw());
        assertFalse(p.get("detail").asText().isEmpty(), r.raw());
        assertFalse(r.raw().contains("Exception") || r.raw().contains("\tat "), r.raw());
    }
}
