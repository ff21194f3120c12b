package exchange.gateway.http;

import exchange.gateway.metrics.GatewayMetrics;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

import static exchange.gateway.http.ExchangeHttpServer.PROMETHEUS_TEXT;
import static exchange.gateway.http.RouteSupport.json;

/**
 * Liveness and metrics, public and unauthenticated: {@code GET /health} (200, or 503 once the
 * process is unhealthy) and {@code GET /metrics} (Prometheus text). Stateless; used by Jetty
 * request threads.
 */
final class HealthRoutes implements RouteGroup {
    private final BooleanSupplier healthy;
    private final GatewayMetrics metrics;

    HealthRoutes(BooleanSupplier healthy, GatewayMetrics metrics) {
        this.healthy = healthy;
        this.metrics = metrics;
    }

    @Override
    public void register(Routes r) {
        r.get("/health", this::health);
        r.get("/metrics", this::metrics);
    }

    private void health(Context ctx) {
        boolean up = healthy.getAsBoolean();
        json(ctx, up ? 200 : 503, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("status", up ? "ok" : "unavailable");
            g.writeEndObject();
        }));
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(metrics.scrape().getBytes(StandardCharsets.UTF_8));
    }
}
