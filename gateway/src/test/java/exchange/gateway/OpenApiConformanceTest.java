package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The OpenAPI document ({@code /openapi.json}) is true to the running server.
 *
 * <p><b>Routes.</b> Every HTTP route registered through {@code Routes} (the registry the request
 * metrics use) is documented, and every documented operation is registered; the server runs with
 * {@code load_probes} on so that the probe routes are registered too. The WebSocket servlet's paths
 * are checked against the document's {@code x-websockets} instead, since OpenAPI has no WebSocket
 * operations. Rule for static page assets: a GET route whose last path segment has a file
 * extension other than {@code .json} (a script, a stylesheet, an image) is an asset, not an API
 * operation, and is left out of both sides.
 *
 * <p><b>Answers.</b> A scripted session calls every operation, for its successes and its problem
 * answers, and checks each real answer against the operation's documented status, media type
 * and schema (problem {@code code}s included) with a JSON-schema validator; every operation must
 * have been answered with a documented success at least once. The document's own examples are
 * validated against their schemas too.
 */
@Timeout(120)
class OpenApiConformanceTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;
    /** The static-asset rule of the class comment. */
    static final Predicate<String> STATIC_ASSET = Pattern.compile("^GET .*/[^/{}]+\\.(?!json$)[A-Za-z0-9]+$").asPredicate();

    @TempDir
    static Path dataDir;
    private static TestExchange exchange;
    private static ApiClient api;
    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final Set<String> SUCCEEDED = new TreeSet<>();
    private static final List<String> VIOLATIONS = new ArrayList<>();

    @BeforeAll
    static void start() {
        exchange = TestExchange.start(TestExchange.config(dataDir).loadProbes(true).build());
        api = exchange.api;
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void shouldDocumentExactlyTheRegisteredRoutes() {
        Set<String> registered = new TreeSet<>();
        Set<String> servlets = new TreeSet<>();
        for (String label : exchange.server.httpRoutes()) {
            if (label.startsWith("SERVLET ") || label.startsWith("WS ")) {
                servlets.add(label.substring(label.indexOf(' ') + 1).replace("/*", "/{stream}"));
            } else if (!STATIC_ASSET.test(label)) {
                registered.add(label);
            }
        }
        Set<String> documented = new TreeSet<>(CONTRACT.operations());
        documented.removeIf(STATIC_ASSET);
        Set<String> missing = new TreeSet<>(registered);
        missing.removeAll(documented);
        Set<String> extra = new TreeSet<>(documented);
        extra.removeAll(registered);
        assertTrue(missing.isEmpty(), "registered but not in openapi.json: " + missing);
        assertTrue(extra.isEmpty(), "in openapi.json but not registered: " + extra);
        Set<String> websockets = new TreeSet<>();
        CONTRACT.document().get("x-websockets").fieldNames().forEachRemaining(websockets::add);
        assertEquals(websockets, servlets, "x-websockets must name exactly the stream servlet's paths");
        assertTrue(registered.size() >= 30, "the registry looks empty: " + registered);
    }

    @Test
    void shouldServeTheDocumentAndTheDocsPageFromTheJar() {
        Response doc = api.get("/openapi.json", null);
        assertEquals(200, doc.status());
        assertEquals(CONTRACT.document(), doc.json(), "/openapi.json serves the resource the tests read");
        assertEquals("3.1.0", doc.json().get("openapi").asText());
        Response page = api.get("/docs", null);
        assertEquals(200, page.status());
        assertTrue(page.contentType().startsWith("text/html"), page.contentType());
        assertTrue(page.raw().contains("fetch(\"/openapi.json\")"), "the page renders our document");
        assertTrue(!page.raw().matches("(?s).*(src|href)=\"https?://.*"), "the page loads nothing from elsewhere");
    }

    @Test
    void shouldHaveExamplesThatMatchTheirSchemas() {
        List<String> wrong = new ArrayList<>();
        CONTRACT.document().get("components").get("schemas").fields().forEachRemaining(s -> {
            JsonNode examples = s.getValue().get("examples");
            if (examples != null) {
                examples.forEach(e -> wrong.addAll(CONTRACT.validate(s.getValue(), e)));
            }
        });
        CONTRACT.operations().forEach(op -> {
            JsonNode o = CONTRACT.operation(op);
            o.get("responses").forEach(r -> r.path("content").forEach(m -> {
                if (m.has("example")) {
                    CONTRACT.validate(m.get("schema"), m.get("example")).forEach(v -> wrong.add(op + ": " + v));
                }
            }));
            JsonNode body = o.path("requestBody").path("content").path("application/json");
            if (body.has("example")) {
                CONTRACT.validate(body.get("schema"), body.get("example")).forEach(v -> wrong.add(op + " body: " + v));
            }
        });
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void shouldAnswerEveryOperationAsDocumented() {
        String noKey = null;
        String bad = "not-a-key";
        // accounts and transfers
        Response created = call("POST /v1/admin/accounts", 201, api.post("/v1/admin/accounts", ADMIN, "{\"name\":\"maker\"}"));
        Account maker = new Account(created.json().get("account_id").asLong(), created.json().get("api_key").asText());
        Account taker = exchange.createAccount("taker");
        call("POST /v1/admin/accounts", 400, api.post("/v1/admin/accounts", ADMIN, "{\"name\":\"x\",\"oops\":1}"));
        call("POST /v1/admin/accounts", 401, api.post("/v1/admin/accounts", bad, "{\"name\":\"x\"}"));
        call("POST /v1/admin/accounts", 413, api.post("/v1/admin/accounts", ADMIN, "{\"name\":\"" + "x".repeat(40_000) + "\"}"));
        String deposits = "POST /v1/admin/accounts/{account_id}/deposits";
        String withdrawals = "POST /v1/admin/accounts/{account_id}/withdrawals";
        call(deposits, 201, transfer(maker, "deposits", "AAPL", "1000", "d1"));
        call(deposits, 200, transfer(maker, "deposits", "AAPL", "1000", "d1"));
        call(deposits, 409, transfer(maker, "deposits", "AAPL", "999", "d1"));
        call(deposits, 201, transfer(taker, "deposits", "USD", "1000000.00", "d2"));
        call(deposits, 422, transfer(taker, "deposits", "GOLD", "1", "d3"));
        call(deposits, 404, api.post("/v1/admin/accounts/999999/deposits", ADMIN,
                "{\"asset\":\"USD\",\"amount\":\"1.00\",\"transfer_id\":\"d4\"}"));
        call(deposits, 400, transfer(taker, "deposits", "USD", "1.00001", "d5"));
        call(withdrawals, 201, transfer(taker, "withdrawals", "USD", "1.00", "w1"));
        call(withdrawals, 422, transfer(taker, "withdrawals", "USD", "99999999.00", "w2"));
        call(withdrawals, 401, api.post("/v1/admin/accounts/1/withdrawals", noKey, "{}"));
        // the session
        call("GET /v1/session", 200, api.get("/v1/session", noKey));
        call("GET /v1/calendar", 200, api.get("/v1/calendar", noKey));
        call("GET /v1/calendar", 400, api.get("/v1/calendar?start=yesterday", noKey));
        call("POST /v1/orders", 422, order(taker, "early", "buy", 1, "190.00"));
        call("POST /v1/admin/session/open", 200, api.post("/v1/admin/session/open", ADMIN, ""));
        call("POST /v1/admin/session/open", 409, api.post("/v1/admin/session/open", ADMIN, ""));
        call("POST /v1/admin/session/open", 400, api.post("/v1/admin/session/open", ADMIN, "{\"closes_at\":\"soon\"}"));
        // orders
        String place = "POST /v1/orders";
        Response sell = call(place, 201, order(maker, "s1", "sell", 100, "190.00"));
        call(place, 200, order(maker, "s1", "sell", 100, "190.00"));
        call(place, 409, order(maker, "s1", "sell", 99, "190.00"));
        Response buy = call(place, 201, order(taker, "b1", "buy", 40, "191.00"));
        call(place, 422, order(taker, "b2", "buy", 1, "190.001"));
        call(place, 400, order(taker, "b3", "up", 1, "190.00"));
        call(place, 401, api.post("/v1/orders", bad, "{}"));
        call("POST /probe/orders", 201, api.post("/probe/orders", taker.key(), TestExchange.aaplOrder("p1", "buy", 1, "1.00", "day")));
        call("POST /probe/orders-async", 201, api.post("/probe/orders-async", taker.key(),
                TestExchange.aaplOrder("p2", "buy", 1, "1.00", "day")));
        call("POST /probe/orders", 400, api.post("/probe/orders", taker.key(), "{"));
        long sellId = sell.json().get("order_id").asLong();
        long seq = buy.json().get("seq").asLong();
        call("GET /v1/orders/{order_id}", 200, api.get("/v1/orders/" + sellId, maker.key()));
        call("GET /v1/orders/{order_id}", 404, api.get("/v1/orders/" + sellId, taker.key()));
        call("GET /v1/orders/{order_id}", 400, api.get("/v1/orders/abc", taker.key()));
        call("GET /v1/orders/by-client-id/{client_order_id}", 200, api.get("/v1/orders/by-client-id/s1", maker.key()));
        call("GET /v1/orders/by-client-id/{client_order_id}", 404, api.get("/v1/orders/by-client-id/nope", maker.key()));
        call("GET /v1/orders", 200, api.get("/v1/orders?status=all&limit=1", maker.key()));
        call("GET /v1/orders", 200, api.get("/v1/orders?status=open&symbol=AAPL", maker.key()));
        call("GET /v1/orders", 400, api.get("/v1/orders?page_token=zzz", maker.key()));
        call("GET /v1/orders", 400, api.get("/v1/orders?limit=0", maker.key()));
        call("GET /v1/orders", 401, api.get("/v1/orders", noKey));
        call("GET /v1/account", 200, api.get("/v1/account", maker.key()));
        call("GET /v1/account", 401, api.get("/v1/account", bad));
        call("GET /v1/account/fills", 200, api.get("/v1/account/fills?limit=1", taker.key()));
        call("GET /v1/account/fills", 400, api.get("/v1/account/fills?after=2026-13-01", taker.key()));
        call("DELETE /v1/orders/{order_id}", 200, api.delete("/v1/orders/" + sellId, maker.key()));
        call("DELETE /v1/orders/{order_id}", 200, api.delete("/v1/orders/" + sellId, maker.key()));
        call("DELETE /v1/orders/{order_id}", 422, api.delete("/v1/orders/" + buy.json().get("order_id").asLong(), taker.key()));
        call("DELETE /v1/orders/{order_id}", 404, api.delete("/v1/orders/424242", taker.key()));
        // our market data: min_seq waits for the trade to be projected
        call("GET /v1/markets", 200, api.get("/v1/markets", noKey));
        call("GET /v1/markets/{symbol}/trades", 200, api.get("/v1/markets/AAPL/trades?min_seq=" + seq, noKey));
        call("GET /v1/markets/{symbol}/book", 200, api.get("/v1/markets/AAPL/book?depth=5", noKey));
        call("GET /v1/markets/{symbol}/book", 404, api.get("/v1/markets/GOLD/book", noKey));
        call("GET /v1/markets/{symbol}/book", 400, api.get("/v1/markets/AAPL/book?depth=0", noKey));
        call("GET /v1/markets/{symbol}/candles", 200, api.get("/v1/markets/AAPL/candles?interval=1m", noKey));
        call("GET /v1/markets/{symbol}/candles", 400, api.get("/v1/markets/AAPL/candles", noKey));
        call("GET /v1/markets/{symbol}/ticker", 200, api.get("/v1/markets/AAPL/ticker", noKey));
        call("GET /v1/markets/{symbol}/ticker", 200, api.get("/v1/markets/MSFT/ticker", noKey));
        // Binance's face
        call("GET /api/v3/ping", 200, api.get("/api/v3/ping", noKey));
        call("GET /api/v3/time", 200, api.get("/api/v3/time", noKey));
        call("GET /api/v3/exchangeInfo", 200, api.get("/api/v3/exchangeInfo", noKey));
        call("GET /api/v3/exchangeInfo", 200, api.get("/api/v3/exchangeInfo?symbols=%5B%22AAPL%22%5D", noKey));
        call("GET /api/v3/exchangeInfo", 400, api.get("/api/v3/exchangeInfo?symbol=GOLD", noKey));
        call("GET /api/v3/depth", 200, api.get("/api/v3/depth?symbol=AAPL&limit=5", noKey));
        call("GET /api/v3/depth", 400, api.get("/api/v3/depth", noKey));
        call("GET /api/v3/trades", 200, api.get("/api/v3/trades?symbol=AAPL", noKey));
        call("GET /api/v3/aggTrades", 200, api.get("/api/v3/aggTrades?symbol=AAPL&fromId=0", noKey));
        call("GET /api/v3/aggTrades", 400, api.get("/api/v3/aggTrades?symbol=AAPL&startTime=0&endTime=99999999", noKey));
        call("GET /api/v3/klines", 200, api.get("/api/v3/klines?symbol=AAPL&interval=1m", noKey));
        call("GET /api/v3/klines", 400, api.get("/api/v3/klines?symbol=AAPL&interval=1h", noKey));
        call("GET /api/v3/uiKlines", 200, api.get("/api/v3/uiKlines?symbol=AAPL&interval=1s&limit=2", noKey));
        call("GET /api/v3/ticker/24hr", 200, api.get("/api/v3/ticker/24hr", noKey));
        call("GET /api/v3/ticker/24hr", 200, api.get("/api/v3/ticker/24hr?symbol=AAPL", noKey));
        call("GET /api/v3/ticker/price", 200, api.get("/api/v3/ticker/price?symbol=AAPL", noKey));
        call("GET /api/v3/ticker/price", 400, api.get("/api/v3/ticker/price?symbol=AAPL&symbols=%5B%5D", noKey));
        call("GET /api/v3/ticker/bookTicker", 200, api.get("/api/v3/ticker/bookTicker", noKey));
        // operations
        call("GET /health", 200, api.get("/health", noKey));
        call("GET /metrics", 200, api.get("/metrics", noKey));
        call("GET /openapi.json", 200, api.get("/openapi.json", noKey));
        call("GET /docs", 200, api.get("/docs", noKey));
        call("GET /", 200, api.get("/", noKey));
        call("GET /v1/admin/state", 200, api.get("/v1/admin/state", ADMIN));
        call("GET /v1/admin/state", 401, api.get("/v1/admin/state", noKey));
        // without quote sources the list is empty; QuoteSourcesIntegrationTest checks a full answer
        call("GET /v1/admin/sources", 200, api.get("/v1/admin/sources", ADMIN));
        call("GET /v1/admin/sources", 401, api.get("/v1/admin/sources", bad));
        call("POST /v1/admin/snapshot", 201, api.post("/v1/admin/snapshot", ADMIN, ""));
        String date = api.get("/v1/session", noKey).json().get("session_date").asText();
        call("POST /v1/admin/session/close", 200, api.post("/v1/admin/session/close", ADMIN, ""));
        call("POST /v1/admin/session/close", 409, api.post("/v1/admin/session/close", ADMIN, ""));
        call("GET /v1/admin/reports/eod/{session_date}", 200, awaitReport(date));
        call("GET /v1/admin/reports/eod/{session_date}", 200, awaitReport(date + "?format=csv"));
        call("GET /v1/admin/reports/eod/{session_date}", 404, api.get("/v1/admin/reports/eod/2001-01-01", ADMIN));
        call("GET /v1/admin/reports/eod/{session_date}", 400, api.get("/v1/admin/reports/eod/today", ADMIN));
        // what any route may answer
        call("GET /v1/account", 404, api.send("PUT", "/v1/account", maker.key(), null, null, Map.of()));
        call("POST /v1/orders", 400, api.send("POST", "/v1/orders", maker.key(), "application/json",
                "{\"symbol\":\"\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1), Map.of()));

        assertTrue(VIOLATIONS.isEmpty(), "answers that break the document:\n" + String.join("\n", VIOLATIONS));
        Set<String> unexercised = new TreeSet<>(CONTRACT.operations());
        unexercised.removeAll(SUCCEEDED);
        assertTrue(unexercised.isEmpty(), "operations never answered with a documented success: " + unexercised);
    }

    /**
     * The report of a just-closed session ({@code date}, optionally with {@code ?format=csv}): the
     * snapshot writer writes the JSON and CSV files after the close is answered; meanwhile the
     * route answers 503 REPORT_PENDING, never 404.
     */
    private static Response awaitReport(String date) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            Response r = api.get("/v1/admin/reports/eod/" + date, ADMIN);
            if (r.status() != 503 || System.nanoTime() > deadline) {
                return r;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return r;
            }
        }
    }

    private static Response transfer(Account a, String kind, String asset, String amount, String id) {
        return api.post("/v1/admin/accounts/" + a.id() + "/" + kind, ADMIN,
                "{\"asset\":\"" + asset + "\",\"amount\":\"" + amount + "\",\"transfer_id\":\"" + id + "\"}");
    }

    private static Response order(Account a, String clientOrderId, String side, int qty, String price) {
        return api.post("/v1/orders", a.key(), TestExchange.aaplOrder(clientOrderId, side, qty, price, "day"));
    }

    /** Checks one answer of {@code op}: the status the script expects, and conformance to the document. */
    private static Response call(String op, int expectedStatus, Response r) {
        assertEquals(expectedStatus, r.status(), op + ": " + r.raw());
        VIOLATIONS.addAll(CONTRACT.violations(op, r.status(), r.contentType(), r.raw()));
        if (r.status() < 300) {
            SUCCEEDED.add(op);
        }
        return r;
    }
}
