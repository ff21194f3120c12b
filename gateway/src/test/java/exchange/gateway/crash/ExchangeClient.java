package exchange.gateway.crash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A blocking JSON client for one child exchange on 127.0.0.1 over {@link HttpClient} (HTTP/1.1).
 * All instances share one {@link HttpClient}, so creating a client per incarnation costs nothing.
 * A connection failure (the child is dead or dying) is an {@link Unreachable}, never a response:
 * the load generator treats it as "outcome unknown". Thread safe.
 *
 * <p>A {@link #verifying} client resends a request that got no answer (up to
 * {@value #VERIFY_ATTEMPTS} attempts) and counts it: only for the checks after a restart, whose
 * requests are all reads or idempotent retries by client order id. The reason is the keep-alive
 * race every HTTP/1.1 client has: Jetty closes a connection idle for 30 s at the moment the pool
 * hands it out again, and {@link HttpClient} never resends a POST by itself ("header parser
 * received no bytes").
 */
final class ExchangeClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .build();

    /** One answer: HTTP status and the body parsed as JSON (null if empty or not JSON). */
    record Response(int status, JsonNode json, String raw) {
        /** The order of an order answer (201/200) or of a problem carrying one (422/409), else null. */
        JsonNode order() {
            if (json == null) {
                return null;
            }
            if (json.has("order_id")) {
                return json;
            }
            JsonNode o = json.get("order");
            return o != null && o.isObject() ? o : null;
        }

        String code() {
            return json != null && json.hasNonNull("code") ? json.get("code").asText() : null;
        }

        @Override
        public String toString() {
            return status + " " + raw;
        }
    }

    /** The request never got an answer: connection refused or reset, or the timeout passed. */
    static final class Unreachable extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Unreachable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static final int VERIFY_ATTEMPTS = 3;
    private static final AtomicLong RESENT = new AtomicLong();

    private final String base;
    private final Duration timeout;
    private final int attempts;

    private ExchangeClient(int port, Duration timeout, int attempts) {
        this.base = "http://127.0.0.1:" + port;
        this.timeout = timeout;
        this.attempts = attempts;
    }

    ExchangeClient(int port, Duration timeout) {
        this(port, timeout, 1);
    }

    /** A client that sends each request once: no answer is an {@link Unreachable}. */
    ExchangeClient(int port) {
        this(port, Duration.ofSeconds(15), 1);
    }

    /** A client for reads and idempotent retries only, which resends a request that got no answer. */
    static ExchangeClient verifying(int port) {
        return new ExchangeClient(port, Duration.ofSeconds(15), VERIFY_ATTEMPTS);
    }

    /** Requests resent by verifying clients since the JVM started. */
    static long resent() {
        return RESENT.get();
    }

    Response get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    Response delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    Response post(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /** True if {@code GET /health} answers 200 now; false if it answers otherwise or not at all. */
    boolean isHealthy() {
        try {
            return get("/health", null).status() == 200;
        } catch (Unreachable e) {
            return false;
        }
    }

    /** {@code GET /v1/admin/state}, which must answer 200. */
    JsonNode state() {
        Response r = get("/v1/admin/state", ChildExchange.ADMIN_KEY);
        if (r.status() != 200) {
            throw new AssertionError("GET /v1/admin/state answered " + r);
        }
        return r.json();
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private Response send(HttpRequest req) {
        for (int attempt = 1; ; attempt++) {
            try {
                return sendOnce(req);
            } catch (Unreachable e) {
                if (attempt >= attempts || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                RESENT.incrementAndGet();
                ChildExchange.sleep(Duration.ofMillis(50));
            }
        }
    }

    private static Response sendOnce(HttpRequest req) {
        HttpResponse<String> r;
        try {
            r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Unreachable(req.method() + " " + req.uri() + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unreachable(req.method() + " " + req.uri() + ": interrupted", e);
        }
        JsonNode json = null;
        String body = r.body();
        if (body != null && !body.isEmpty()) {
            try {
                json = JSON.readTree(body);
            } catch (JsonProcessingException e) {
                json = null;
            }
        }
        return new Response(r.statusCode(), json, body);
    }
}
