package exchange.gateway.http;

import io.javalin.config.JettyConfig;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;
import jakarta.servlet.Servlet;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a {@link RouteGroup} adds its routes. Each HTTP route is labelled with its method and
 * path template, so that the request metrics count {@code GET /v1/orders/{order_id}} once rather
 * than once per order id. With {@code http.admin_loopback_only}, a route under {@value #ADMIN_PREFIX}
 * answers only on the loopback admin listener and every other route only on the main one
 * ({@link Listeners}). Every route first counts its request in flight ({@link InFlightRequests}:
 * a stopping server refuses it 503 {@code UNAVAILABLE}), then refuses it 503
 * {@code QUEUED_TOO_LONG} if it waited longer than {@code http.queue_timeout_ms} since it
 * arrived ({@link RequestArrival}). Used only while the server is built, on the building thread.
 */
public final class Routes {
    private static final String ROUTE_ATTRIBUTE = "exchange.route";

    /** Every admin endpoint's path starts with this; with a separate admin listener only it serves them. */
    static final String ADMIN_PREFIX = "/v1/admin/";

    private final RoutesConfig config;
    private final JettyConfig jetty;
    private final Listeners listeners;
    private final InFlightRequests inFlight;
    private final long queueTimeoutNanos;
    /** Every HTTP route's label, in registration order: the registry the OpenAPI conformance test reads. */
    private final List<String> httpLabels = new ArrayList<>();
    /** Every servlet path spec ({@code WS /v1/stream}, ...): routes OpenAPI cannot describe as operations. */
    private final List<String> servletLabels = new ArrayList<>();

    Routes(RoutesConfig config, JettyConfig jetty, Listeners listeners, InFlightRequests inFlight,
           long queueTimeoutMillis) {
        this.config = config;
        this.jetty = jetty;
        this.listeners = listeners;
        this.inFlight = inFlight;
        this.queueTimeoutNanos = queueTimeoutMillis * 1_000_000L;
    }

    public void get(String path, Handler handler) {
        http(HandlerType.GET, path, handler);
    }

    public void post(String path, Handler handler) {
        http(HandlerType.POST, path, handler);
    }

    public void delete(String path, Handler handler) {
        http(HandlerType.DELETE, path, handler);
    }

    /** A WebSocket endpoint at {@code path}, configured by {@code ws}. */
    public void ws(String path, Consumer<WsConfig> ws) {
        servletLabels.add("WS " + path);
        config.addWsHandler(WsHandlerType.WEBSOCKET, path, ws);
    }

    /**
     * A servlet of its own at {@code pathSpecs} on the server's Jetty context, for what Javalin's
     * routes cannot express (e.g. a WebSocket endpoint that sees pong frames). Servlet path specs:
     * an exact path or {@code /prefix/*}; they win over Javalin's catch-all mapping.
     */
    public void servlet(String name, Servlet servlet, String... pathSpecs) {
        for (String spec : pathSpecs) {
            servletLabels.add("SERVLET " + spec);
        }
        jetty.modifyServletContextHandler(context -> {
            ServletHolder holder = new ServletHolder(name, servlet);
            context.getServletHandler().addServlet(holder);
            ServletMapping mapping = new ServletMapping();
            mapping.setServletName(name);
            mapping.setPathSpecs(pathSpecs.clone());
            context.getServletHandler().addServletMapping(mapping);
        });
    }

    private void http(HandlerType method, String path, Handler handler) {
        String label = method + " " + path;
        boolean admin = path.startsWith(ADMIN_PREFIX);
        httpLabels.add(label);
        config.addHttpHandler(method, path, ctx -> {
            if (listeners.adminSeparate() && admin != listeners.onAdminListener(ctx.req().getLocalPort())) {
                // admin paths exist only on the loopback listener, and it serves nothing else: the
                // same answer as an unknown path, so the main listener does not reveal them
                throw ApiProblem.forStatus(404);
            }
            ctx.attribute(ROUTE_ATTRIBUTE, label);
            if (!inFlight.tryBegin(ctx)) {
                throw ApiProblem.withHeaders(503, "UNAVAILABLE", "the exchange is shutting down",
                        Map.of("Retry-After", "1", "Connection", "close"));
            }
            long waitedNanos = RequestArrival.waitedNanos(ctx, System.nanoTime());
            if (waitedNanos > queueTimeoutNanos) {
                // every request thread was busy for longer than a client should wait: its client
                // has likely given up, and serving it would only delay the requests behind it
                throw queuedTooLong(waitedNanos);
            }
            handler.handle(ctx);
        });
    }

    /** 503 with Retry-After: the request waited longer than {@code http.queue_timeout_ms} for a thread and was not carried out. */
    static ApiProblem queuedTooLong(long waitedNanos) {
        return ApiProblem.withHeaders(503, "QUEUED_TOO_LONG", "the request waited " + waitedNanos / 1_000_000
                + " ms for the server to take it up and was not carried out; retry shortly",
                Map.of("Retry-After", Integer.toString(ExchangeHttpServer.OVERLOADED_RETRY_AFTER_SECONDS)));
    }

    /** The labels of the HTTP routes registered so far ({@code "GET /v1/orders/{order_id}"}). */
    public List<String> httpRoutes() {
        return List.copyOf(httpLabels);
    }

    /** The WebSocket and servlet paths registered so far ({@code "SERVLET /ws/*"}). */
    public List<String> servletRoutes() {
        return List.copyOf(servletLabels);
    }

    /** The label of the route that served {@code ctx}, or {@code unmatched}. */
    static String label(Context ctx) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        return route == null ? "unmatched" : route;
    }
}
