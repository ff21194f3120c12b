package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded fuzzing of the whole HTTP API over a real server: requests generated from the OpenAPI
 * document (every operation, its path, query and body fields given valid, hostile and wrong-typed
 * values, fields dropped and added, every key or none) and by hand (malformed JSON, non-UTF-8,
 * wrong content types, oversized bodies and headers, unknown paths and methods, hostile query
 * strings on every GET of ours and of /api/v3).
 *
 * <p>Every answer must be: never a 5xx; never a stack trace; conform to the document
 * ({@link OpenApiContract}: a documented status whose problem {@code code} is one documented for
 * it, Binance's {@code {"code","msg"}} on /api/v3). A request the gateway refuses (400, 401, 405,
 * 413, 414, 431, 404 {@code NOT_FOUND}) changes no state: the state hash ({@code GET /v1/admin/state})
 * after it equals the one before. (The engine's own refusals, 409, 422 and 404 of an unknown
 * order or account, are journaled commands: they advance the sequence the hash covers, by design.)
 *
 * <p>{@code -Dfuzz.seed=N} replays a run; {@code -Dfuzz.requests=N} sets its size (5,000 by
 * default, 12,000 with {@code -Psoak}). A failure names the seed and the request.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class HttpFuzzTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;
    /**
     * What the gateway refuses before the engine sees the request. (An answer of the engine, even a
     * refusal such as 409 SESSION_ALREADY_OPEN, 404 ACCOUNT_NOT_FOUND or a 422, was journaled as a
     * command and so advanced the sequence counters, which the state hash covers.)
     */
    private static final Set<Integer> REFUSED_WITHOUT_EFFECT = Set.of(400, 401, 405, 413, 414, 431);
    private static final String[] METHODS = {"GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS", "TRACE", "FOO"};
    private static final String[] CONTENT_TYPES = {
        "application/json", "application/json; charset=utf-8", "text/plain", "application/xml",
        "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1",
        "*/*", "",
    };
    /** Hostile JSON values of every type. */
    private static final String[] JSON_VALUES = {
        "null", "true", "false", "0", "-0", "-1", "1", "1.5", "1e2", "1E400", "-1e400", "NaN", "Infinity",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "18446744073709551616",
        "123456789012345678901234567890", "0.1e1", "[]", "{}", "[1,2]", "{\"a\":null}", "\"\"", "\" \"", "\"10\"",
        "\" 10\"", "\"01\"", "\"1e2\"", "\"NaN\"", "\"-1\"", "\"0\"", "\"0.00\"", "\"190.001\"", "\"0.00001\"",
        "\"92233720368547.75\"", "\"922337203685477.5807\"", "\"99999999999999999999.99\"", "\"1,000\"",
        "\"\\u0000\"", "\"\\u0007\\b\\f\"", "\"\\ud800\"", "\"\\u00e9t\\u00e9\"", "\"AAPL\"", "\"aapl\"", "\"MSFT\"",
        "\"USD\"", "\"buy\"", "\"sell\"", "\"BUY\"", "\"gtc\"", "\"ioc\"", "\"fok\"", "\"cancel_both\"",
        "\"2026-12-06\"", "\"2026-02-30\"", "\"2262-04-12T00:00:00Z\"", "\"1969-12-31T23:59:59Z\"",
        "\"" + "x".repeat(5_000) + "\"", "\"../../etc/passwd\"", "\"%00\"", "\"<script>\"",
    };
    /** Hostile query and path values, already percent-encoded where they need it. */
    private static final String[] URL_VALUES = {
        "", "0", "-1", "1", "01", "1e2", "1.5", "NaN", "9223372036854775807", "9223372036854775808",
        "99999999999999999999", "%00", "%FF", "%C3%28", "%E2%82", "%20", "+", "%2F", "..", "AAPL", "aapl",
        "GOLD", "MSFT", "1m", "1s", "5m", "1h", "open", "closed", "all", "csv", "json", "%5B%22AAPL%22%5D",
        "%5B%5D", "%5B%22AAPL%22", "%5BAAPL%5D", "2026-12-06", "2026-13-01", "2026-12-06T00:00:00Z",
        "2262-04-12T00:00:00Z", "1969-12-31T00:00:00Z", "djE6bzox", "djE6Zjox", "zzz", "x".repeat(3_000),
        "%E9t%E9", "%0A%0D", "%07",
    };
    private static final String[] PATHS = {
        "/", "/v1", "/v1/", "/v1/orders/", "/v1/orders//1", "/v1/nope", "/api/v3/nope", "/api/v3", "/api/v3/ticker",
        "/v1/orders/1/extra", "/V1/ORDERS", "/v1/orders%2F1", "/v1/orders/%00", "/v1/orders/%FF", "/%2e%2e/etc/passwd",
        "/v1/markets/AAPL", "/v1/markets//book", "/v1/admin", "/v1/admin/reports/eod", "/metrics/x", "/openapi.yaml",
        "/docs/", "/v1/account/", "/v1/account/fills/1", "/" + "a".repeat(10_000),
    };
    private static final String[] BODIES = {
        "", "{", "}", "[]", "null", "1", "\"x\"", "{\"a\":}", "{'a':'b'}", "{\"qty\":1,}", "{\"x\":1} {}",
        "[{\"client_order_id\":\"x\"}]", "{\"client_order_id\":\"x\",\"client_order_id\":\"y\"}", "{".repeat(3_000),
        "{\"symbol\":\"AAPL\"" + ",\"a\":1".repeat(2_000) + "}", "\u0000\u0000", "{\"name\":\"\\u0000\"}",
        "{\"name\":" + "[".repeat(1_500) + "]".repeat(1_500) + "}",
    };

    @TempDir
    static Path dataDir;
    private static TestExchange exchange;
    private static ApiClient api;
    private static Account trader;
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    @BeforeAll
    static void start() {
        GatewayConfig.MarketData md = GatewayConfig.MarketData.defaults();
        exchange = TestExchange.start(TestExchange.config(dataDir).loadProbes(true).rateLimit(1_000_000, 1_000_000)
                .marketData(new GatewayConfig.MarketData(new GatewayConfig.RateLimit(1_000_000, 1_000_000),
                        md.recentTrades(), md.candlesPerInterval(), md.candleCloseGraceMillis()))
                .build());
        api = exchange.api;
        exchange.openSession();
        trader = exchange.fundedAccount("fuzz", Map.of("USD", "1000000.00", "AAPL", "1000"));
        // a resting order and a trade, so that reads of books, trades and candles have rows
        Account other = exchange.fundedAccount("other", Map.of("USD", "1000000.00", "AAPL", "1000"));
        api.post("/v1/orders", other.key(), TestExchange.aaplOrder("rest", "sell", 10, "190.00", "gtc"));
        api.post("/v1/orders", trader.key(), TestExchange.aaplOrder("take", "buy", 5, "190.00", "day"));
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void shouldAnswerEveryFuzzedRequestWithADocumentedClientErrorOrSuccessAndChangeNothingWhenRefused() {
        String seedText = System.getProperty("fuzz.seed", "");
        long seed = seedText.isBlank() ? System.nanoTime() : Long.parseLong(seedText.trim());
        String countText = System.getProperty("fuzz.requests", "");
        int requests = countText.isBlank() ? 5_000 : Integer.parseInt(countText.trim());
        Random random = new Random(seed);
        String hash = stateHash();
        int refused = 0;
        int reconnects = 0;
        for (int i = 0; i < requests; i++) {
            FuzzRequest req = random.nextInt(3) == 0 ? byHand(random) : fromDocument(random);
            Response r;
            try {
                r = api.send(req.method, req.path, req.key, req.contentType, req.body, req.headers);
            } catch (RuntimeException first) {
                // the pooled connection was closed by the server after the previous answer (Jetty closes
                // after a body it did not read, as CONFIG.md says): the client may not notice before it
                // writes. Once again on a fresh connection, which must answer.
                reconnects++;
                try {
                    r = api.send(req.method, req.path, req.key, req.contentType, req.body, req.headers);
                } catch (RuntimeException e) {
                    fail("seed " + seed + ", request " + i + " " + req + ": no answer: " + e);
                    return;
                }
            }
            List<String> wrong = judge(req, r);
            if (!wrong.isEmpty()) {
                fail("seed " + seed + " (replay with -Dfuzz.seed=" + seed + "), request " + i + " " + req + ":\n"
                        + String.join("\n", wrong));
            }
            if (!req.method.equals("GET")) {
                String after = stateHash();
                boolean gatewayRefusal = REFUSED_WITHOUT_EFFECT.contains(r.status())
                        || r.json() != null && "NOT_FOUND".equals(r.json().path("code").asText());
                if (gatewayRefusal && !after.equals(hash)) {
                    fail("seed " + seed + ", request " + i + " " + req + " was refused " + r.status()
                            + " but changed the state hash: " + r.raw());
                }
                hash = after;
            }
            if (r.status() >= 400) {
                refused++;
            }
        }
        System.out.printf("HttpFuzzTest: %d requests (%d refused, %d sent again on a fresh connection), seed %d%n",
                requests, refused, reconnects, seed);
        assertTrue(refused > requests / 4, "the fuzzer should mostly send bad requests: " + refused);
    }

    /** What is wrong with answer {@code r}; empty when it is acceptable. */
    private static List<String> judge(FuzzRequest req, Response r) {
        List<String> wrong = new ArrayList<>();
        if (r.status() >= 500) {
            wrong.add("answered " + r.status() + ": " + OpenApiContract.abbreviate(r.raw()));
        }
        String raw = r.raw();
        if (raw.contains("Exception") || raw.contains("\tat ") || raw.contains("at java.") || raw.contains("at exchange.")
                || raw.contains("at io.javalin") || raw.contains("at org.eclipse")) {
            wrong.add("a stack trace or exception name in the body: " + OpenApiContract.abbreviate(raw));
        }
        String path = req.path.split("\\?")[0];
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1); // Javalin serves /v1/orders/ as /v1/orders
        }
        // an escaped character stands for one ordinary one in a path segment (Jetty refuses the ones it cannot decode)
        String template = CONTRACT.template(path.replaceAll("%[0-9A-Fa-f]{2}", "x"));
        String op = template == null ? null : req.method + " " + template;
        if (op != null && CONTRACT.operation(op) != null) {
            wrong.addAll(CONTRACT.violations(op, r.status(), r.contentType(), raw));
        } else if (r.status() >= 400) {
            // an unknown path or method: a problem with a code any route may answer
            JsonNode json = r.json();
            String code = json == null ? null : json.path("code").asText(null);
            if (!CONTRACT.anyRouteCodes(r.status()).contains(code)) {
                wrong.add("answered " + r.status() + " with code " + code + " (" + r.contentType() + "): "
                        + OpenApiContract.abbreviate(raw));
            }
        }
        return wrong;
    }

    private static String stateHash() {
        Response r = api.get("/v1/admin/state", ADMIN);
        if (r.status() != 200) {
            throw new AssertionError("GET /v1/admin/state answered " + r.status() + ": " + r.raw());
        }
        return r.json().get("state_hash").asText();
    }

    private record FuzzRequest(String method, String path, String key, String contentType, byte[] body,
                               Map<String, String> headers) {
        @Override
        public String toString() {
            String b = body == null ? "" : new String(body, StandardCharsets.ISO_8859_1);
            return method + " " + OpenApiContract.abbreviate(path) + " key=" + (key == null ? "none" : key.equals(ADMIN)
                    ? "admin" : key.length() > 12 ? "trader" : key) + " type=" + contentType + " headers="
                    + headers.keySet() + " body=" + OpenApiContract.abbreviate(b);
        }
    }

    /** A request built from an operation of the document, some of its parts made hostile. */
    private static FuzzRequest fromDocument(Random random) {
        List<String> ops = new ArrayList<>(CONTRACT.operations());
        String op = ops.get(random.nextInt(ops.size()));
        JsonNode o = CONTRACT.operation(op);
        String method = op.substring(0, op.indexOf(' '));
        String path = op.substring(op.indexOf(' ') + 1);
        StringBuilder query = new StringBuilder();
        for (JsonNode p : o.path("parameters")) {
            String name = p.get("name").asText();
            // min_seq beyond the exchange's sequence waits 2 s and answers 503 MARKET_DATA_BEHIND (documented):
            // it gets only values the exchange has reached, or the fuzzer would spend its time waiting
            String value = random.nextInt(3) == 0 && !name.equals("min_seq") ? URL_VALUES[random.nextInt(URL_VALUES.length)]
                    : plausible(name, random);
            if (p.get("in").asText().equals("path")) {
                path = path.replace("{" + name + "}", value.isEmpty() ? "1" : value);
            } else if (p.path("required").asBoolean() || random.nextBoolean()) {
                query.append(query.length() == 0 ? '?' : '&').append(name).append('=').append(value);
            }
        }
        if (random.nextInt(5) == 0) {
            query.append(query.length() == 0 ? '?' : '&').append(URL_VALUES[random.nextInt(URL_VALUES.length)])
                    .append('=').append(URL_VALUES[random.nextInt(URL_VALUES.length)]);
        }
        byte[] body = null;
        String contentType = null;
        JsonNode schema = o.path("requestBody").path("content").path("application/json").path("schema");
        if (!schema.isMissingNode()) {
            body = jsonBody(CONTRACT.document().at("/components/schemas/" + schema.get("$ref").asText()
                    .substring("#/components/schemas/".length())), random).getBytes(StandardCharsets.UTF_8);
            contentType = random.nextInt(8) == 0 ? CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)] : "application/json";
        }
        return new FuzzRequest(method, path + query, key(random, o), contentType, body, Map.of());
    }

    /** A body for a request schema: each field valid, hostile or missing, sometimes an extra one. */
    private static String jsonBody(JsonNode schema, Random random) {
        StringBuilder b = new StringBuilder("{");
        schema.get("properties").fields().forEachRemaining(f -> {
            if (random.nextInt(6) == 0) {
                return; // missing
            }
            String value = random.nextInt(3) == 0 ? JSON_VALUES[random.nextInt(JSON_VALUES.length)]
                    : plausibleJson(f.getKey(), random);
            b.append(b.length() > 1 ? "," : "").append('"').append(f.getKey()).append("\":").append(value);
        });
        if (random.nextInt(8) == 0) {
            b.append(b.length() > 1 ? "," : "").append("\"extra\":").append(JSON_VALUES[random.nextInt(JSON_VALUES.length)]);
        }
        return b.append('}').toString();
    }

    private static String plausibleJson(String field, Random random) {
        return switch (field) {
            case "client_order_id", "transfer_id" -> "\"f-" + random.nextInt(1_000) + "\"";
            case "symbol" -> random.nextBoolean() ? "\"AAPL\"" : "\"MSFT\"";
            case "side" -> random.nextBoolean() ? "\"buy\"" : "\"sell\"";
            case "qty" -> Integer.toString(random.nextInt(3) == 0 ? -random.nextInt(5) : random.nextInt(20));
            case "limit_price" -> "\"" + (150 + random.nextInt(80)) + "." + String.format("%02d", random.nextInt(100))
                    + (random.nextInt(4) == 0 ? "5" : "") + "\"";
            case "time_in_force" -> "\"" + new String[] {"day", "gtc", "ioc", "fok"}[random.nextInt(4)] + "\"";
            case "post_only" -> Boolean.toString(random.nextBoolean());
            case "self_trade_prevention" -> "\"cancel_newest\"";
            case "asset" -> random.nextBoolean() ? "\"USD\"" : "\"AAPL\"";
            case "amount" -> "\"" + random.nextInt(100) + "\"";
            case "name" -> "\"n" + random.nextInt(100) + "\"";
            case "maker_fee_bps", "taker_fee_bps" -> Integer.toString(random.nextInt(1_200) - 100);
            case "session_date" -> "\"2030-01-0" + (1 + random.nextInt(9)) + "\"";
            case "closes_at" -> "\"2099-01-01T00:00:00Z\"";
            default -> "\"x\"";
        };
    }

    private static String plausible(String param, Random random) {
        return switch (param) {
            case "symbol" -> random.nextBoolean() ? "AAPL" : "MSFT";
            case "order_id", "account_id" -> Integer.toString(1 + random.nextInt(20));
            case "client_order_id" -> "f-" + random.nextInt(1_000);
            case "status" -> "open";
            case "limit", "depth" -> Integer.toString(1 + random.nextInt(10));
            case "interval" -> "1m";
            case "session_date", "start", "end" -> "2026-12-0" + (1 + random.nextInt(9));
            case "after", "until", "start_time", "end_time" -> "2026-12-06T00:00:0" + random.nextInt(10) + "Z";
            case "startTime", "endTime", "fromId" -> Integer.toString(random.nextInt(1_000));
            case "min_seq" -> Integer.toString(random.nextInt(4));
            case "symbols" -> "%5B%22AAPL%22%2C%22MSFT%22%5D";
            case "format" -> "csv";
            default -> "1";
        };
    }

    private static String key(Random random, JsonNode operation) {
        int k = random.nextInt(10);
        if (k == 0) {
            return null;
        }
        if (k == 1) {
            return "wrong-key";
        }
        boolean admin = operation.path("security").toString().contains("adminKey");
        return admin == (k != 2) ? ADMIN : trader.key();
    }

    /** A request written by hand: broken bodies, bad types and encodings, unknown paths and methods, huge parts. */
    private static FuzzRequest byHand(Random random) {
        List<String> ops = new ArrayList<>(CONTRACT.operations());
        String op = ops.get(random.nextInt(ops.size()));
        String path = op.substring(op.indexOf(' ') + 1).replaceAll("\\{[^}]+}", "1");
        String method = op.substring(0, op.indexOf(' '));
        String key = random.nextBoolean() ? trader.key() : ADMIN;
        switch (random.nextInt(7)) {
            case 0 -> { // broken or hostile bodies on a POST
                String body = BODIES[random.nextInt(BODIES.length)];
                return new FuzzRequest("POST", random.nextBoolean() ? "/v1/orders" : path, key,
                        CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)], body.getBytes(StandardCharsets.UTF_8), Map.of());
            }
            case 1 -> { // not UTF-8
                byte[] body = {'{', '"', 's', 'y', 'm', 'b', 'o', 'l', '"', ':', '"', (byte) 0xff, (byte) 0xc3, (byte) 0x28, '"', '}'};
                return new FuzzRequest("POST", "/v1/orders", trader.key(), "application/json", body, Map.of());
            }
            case 2 -> { // oversized body
                byte[] body = ("{\"name\":\"" + "x".repeat(16_000 + random.nextInt(200_000)) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                return new FuzzRequest("POST", random.nextBoolean() ? "/v1/admin/accounts" : "/v1/orders", key,
                        "application/json", body, Map.of());
            }
            case 3 -> { // oversized or odd headers
                Map<String, String> headers = random.nextBoolean() ? Map.of("X-Fuzz", "h".repeat(9_000 + random.nextInt(20_000)))
                        : Map.of("Accept", "application/xml", "X-Forwarded-For", "not-an-address");
                return new FuzzRequest(method, path, key, null, null, headers);
            }
            case 4 -> { // unknown paths and methods
                String p = PATHS[random.nextInt(PATHS.length)];
                return new FuzzRequest(METHODS[random.nextInt(METHODS.length)], random.nextBoolean() ? p : path, key, null,
                        null, Map.of());
            }
            case 5 -> { // bad query parameters on a GET
                String get = randomGet(random, ops);
                StringBuilder q = new StringBuilder("?");
                for (String name : new String[] {"symbol", "limit", "depth", "interval", "startTime", "endTime", "fromId",
                    "symbols", "status", "after", "until", "page_token", "start", "end", "start_time", "format"}) {
                    if (random.nextInt(3) == 0) {
                        q.append(name).append('=').append(URL_VALUES[random.nextInt(URL_VALUES.length)]).append('&');
                    }
                }
                return new FuzzRequest("GET", get + q, key, null, null, Map.of());
            }
            default -> { // a bad Authorization header
                String[] auth = {"Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "bearer " + ADMIN, "Bearer " + "k".repeat(5_000),
                    "Bearer \u00e9", "Bearer a b"};
                return new FuzzRequest(method, path, null, null, null,
                        Map.of("Authorization", URLEncoder.encode(auth[random.nextInt(auth.length)], StandardCharsets.UTF_8)
                                .replace('+', ' ')));
            }
        }
    }

    private static String randomGet(Random random, List<String> ops) {
        while (true) {
            String op = ops.get(random.nextInt(ops.size()));
            if (op.startsWith("GET ")) {
                return op.substring(4).replace("{symbol}", random.nextBoolean() ? "AAPL" : "GOLD").replaceAll("\\{[^}]+}", "1");
            }
        }
    }
}
