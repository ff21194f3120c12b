package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A small JSON client over {@link HttpClient} for the HTTP tests. */
final class ApiClient {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One response: status, headers, raw body and the body parsed as JSON (null if it is not JSON). */
    record Response(int status, java.net.http.HttpHeaders headers, String raw, JsonNode json) {
        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        String contentType() {
            return header("Content-Type");
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    Response get(String path, String key) {
        return send(request(path, key).GET().build());
    }

    /** A GET with extra request headers. */
    Response get(String path, String key, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = request(path, key);
        headers.forEach(b::header);
        return send(b.GET().build());
    }

    /** An OPTIONS request (a CORS preflight, for example) without credentials. */
    Response options(String path, java.util.Map<String, String> headers) {
        HttpRequest.Builder b = request(path, null);
        headers.forEach(b::header);
        return send(b.method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build());
    }

    Response delete(String path, String key) {
        return send(request(path, key).DELETE().build());
    }

    Response post(String path, String key, String body) {
        return send(request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build());
    }

    /** A POST whose body goes chunked (no Content-Length), as a streaming client sends it. */
    Response postChunked(String path, String key, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(request(path, key).version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(bytes))).build());
    }

    /**
     * Any request: {@code method} (also ones the API does not serve), raw {@code body} bytes (null for
     * none) with {@code contentType} (null for none), and extra headers.
     */
    Response send(String method, String path, String key, String contentType, byte[] body,
                  java.util.Map<String, String> headers) {
        HttpRequest.Builder b = request(path, key);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        return send(b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    CompletableFuture<Response> postAsync(String path, String key, String body) {
        HttpRequest req = request(path, key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString()).thenApply(ApiClient::toResponse);
    }

    private HttpRequest.Builder request(String path, String key) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return b;
    }

    private Response send(HttpRequest req) {
        try {
            return toResponse(http.send(req, HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Response toResponse(HttpResponse<String> r) {
        JsonNode json = null;
        try {
            json = r.body().isEmpty() ? null : JSON.readTree(r.body());
        } catch (IOException e) {
            // not JSON (metrics text, for example)
        }
        return new Response(r.statusCode(), r.headers(), r.body(), json);
    }

    /** JSON text with single quotes for readability in tests: {@code json("{'a':'b'}")}. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
