package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http.admin_loopback_only} (gateway/CONFIG.md): the admin endpoints move to a second
 * listener bound to 127.0.0.1, and the main listener answers them exactly as it answers a path
 * that does not exist; the admin listener serves nothing else. Off by default: then the admin
 * endpoints share the main listener. And no CORS headers by default, on any answer.
 */
@Timeout(60)
class AdminListenerTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldServeAdminEndpointsOnlyOnTheLoopbackListenerWhenSwitchedOn() {
        GatewayConfig config = TestExchange.config(dataDir)
                .http(HttpSettings.DEFAULTS.withAdminLoopbackOnly(true, 0)).build();
        try (TestExchange exchange = TestExchange.start(config)) {
            int adminPort = exchange.server.adminPort();
            assertTrue(adminPort > 0 && adminPort != exchange.server.port(), "a second listener: " + adminPort);
            assertTrue(exchange.bannerText().contains("admin endpoints only on http://127.0.0.1:" + adminPort),
                    exchange.bannerText());
            ApiClient main = exchange.api;
            ApiClient admin = new ApiClient(adminPort);

            Response unknown = main.post("/v1/admin/no-such-endpoint", TestExchange.ADMIN_KEY, "{}");
            assertEquals(404, unknown.status(), unknown.raw());
            for (String path : new String[] {"/v1/admin/accounts", "/v1/admin/session/open", "/v1/admin/snapshot"}) {
                Response r = main.post(path, TestExchange.ADMIN_KEY, "{\"name\":\"x\"}");
                assertEquals(404, r.status(), path + ": " + r.raw());
                assertEquals(unknown.raw(), r.raw(), "the main listener must not reveal " + path);
            }
            Response state = main.get("/v1/admin/state", TestExchange.ADMIN_KEY);
            assertEquals(404, state.status(), state.raw());

            Response created = admin.post("/v1/admin/accounts", TestExchange.ADMIN_KEY, "{\"name\":\"ops\"}");
            assertEquals(201, created.status(), created.raw());
            String key = created.json().get("api_key").asText();
            assertEquals(200, admin.get("/v1/admin/state", TestExchange.ADMIN_KEY).status());
            assertEquals(401, admin.get("/v1/admin/state", key).status(), "the admin listener still needs the admin key");

            assertEquals(200, main.get("/v1/account", key).status(), "trading stays on the main listener");
            assertEquals(404, admin.get("/v1/account", key).status(), "the admin listener serves only admin paths");
        }
    }

    @Test
    void shouldServeAdminEndpointsOnTheMainListenerByDefaultAndSendNoCorsHeaders() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            assertEquals(HttpSettings.DEFAULT_ADMIN_LOOPBACK_ONLY, false);
            assertEquals(-1, exchange.server.adminPort());
            TestExchange.Account a = exchange.createAccount("cors");
            Map<String, String> origin = Map.of("Origin", "https://evil.example");
            for (Response r : new Response[] {
                exchange.api.get("/v1/account", a.key(), origin),
                exchange.api.get("/v1/account", null, origin),
                exchange.api.get("/health", null, origin),
                exchange.api.get("/v1/admin/state", TestExchange.ADMIN_KEY, origin),
                exchange.api.options("/v1/orders", Map.of("Origin", "https://evil.example",
                        "Access-Control-Request-Method", "POST", "Access-Control-Request-Headers", "authorization")),
            }) {
                assertTrue(r.status() < 500, r.raw());
                r.headers().map().keySet().forEach(h -> assertTrue(!h.toLowerCase().startsWith("access-control-"),
                        () -> "a CORS header in " + r.headers().map()));
                assertNull(r.header("Access-Control-Allow-Origin"));
            }
        }
    }
}
