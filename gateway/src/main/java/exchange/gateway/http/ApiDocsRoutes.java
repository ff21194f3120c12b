package exchange.gateway.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's contract, served from the jar: {@code GET /openapi.json} (the OpenAPI 3.1 document,
 * the resource {@value #DOCUMENT}, written by hand and kept true by {@code OpenApiConformanceTest})
 * and {@code GET /docs} (a page of our own that renders it; it loads nothing but
 * {@code /openapi.json}, so it works with no internet). Both are read once at start-up; public,
 * stateless, used by Jetty request threads.
 */
final class ApiDocsRoutes implements RouteGroup {
    static final String DOCUMENT = "/exchange/gateway/http/openapi.json";
    static final String PAGE = "/exchange/gateway/http/docs.html";

    private final byte[] document = resource(DOCUMENT);
    private final byte[] page = resource(PAGE);

    @Override
    public void register(Routes r) {
        r.get("/openapi.json", this::document);
        r.get("/docs", this::page);
    }

    private void document(Context ctx) {
        RouteSupport.json(ctx, 200, document);
    }

    private void page(Context ctx) {
        ctx.status(200).contentType("text/html; charset=utf-8").result(page);
    }

    static byte[] resource(String name) {
        try (InputStream in = ApiDocsRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + name, e);
        }
    }
}
