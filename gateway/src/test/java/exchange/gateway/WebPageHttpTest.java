package exchange.gateway;

import exchange.gateway.web.WebPageRoutes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page and its files over a real server: types, security headers, unknown files. */
@Timeout(60)
class WebPageHttpTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldServeThePageAndItsFilesWithSecurityHeaders() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            for (String path : List.of("/", "/app.css", "/js/main.js", "/js/chart.js", "/vendor/lightweight-charts.mjs")) {
                ApiClient.Response r = exchange.api.get(path, null);
                assertEquals(200, r.status(), path);
                String csp = r.header("Content-Security-Policy");
                assertEquals(WebPageRoutes.CONTENT_SECURITY_POLICY, csp, path);
                assertTrue(csp.contains("script-src 'self';") && csp.contains("default-src 'none'")
                        && csp.contains("connect-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
                assertEquals("nosniff", r.header("X-Content-Type-Options"), path);
                assertEquals("DENY", r.header("X-Frame-Options"), path);
                assertEquals("no-cache", r.header("Cache-Control"), path);
            }
            ApiClient.Response page = exchange.api.get("/", null);
            assertTrue(page.contentType().startsWith("text/html"), page.contentType());
            assertTrue(page.raw().contains("<title>Exchange</title>"));
            assertTrue(exchange.api.get("/js/main.js", null).contentType().startsWith("text/javascript"));
            ApiClient.Response lib = exchange.api.get("/vendor/lightweight-charts.mjs", null);
            assertTrue(lib.raw().length() > 100_000 && lib.raw().contains("createChart"), "the library, from the jar");
        }
    }

    @Test
    void shouldAnswerUnknownFilesAsProblems() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            for (String path : List.of("/js/nope.js", "/web/index.html", "/vendor/", "/js/")) {
                ApiClient.Response r = exchange.api.get(path, null);
                assertEquals(404, r.status(), path + ": " + r.raw());
                assertEquals("NOT_FOUND", r.json().get("code").asText(), path);
            }
            // no request path is ever turned into a resource name; Jetty refuses a climbing one first
            ApiClient.Response climb = exchange.api.get("/js/../../pom.xml", null);
            assertEquals(400, climb.status(), climb.raw());
            assertEquals("BAD_REQUEST", climb.json().get("code").asText());
        }
    }
}
