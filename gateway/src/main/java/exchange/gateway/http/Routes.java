package exchange.gateway.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a {@link RouteGroup} adds its routes. Each HTTP route is labelled with its method and
 * path template, so that the request metrics count {@code GET /v1/orders/{order_id}} once rather
 * than once per order id. With {@code http.admin_loopback_only}, a route under {@value #ADMIN_PREFIX}
 * answers only on the loopback admin listener and every other route only on the main one
 * ({@link Listeners}). Used only while the server is built, on the building thread.
 */
public final class Routes {
    private static final String ROUTE_ATTRIBUTE = "exchange.route";

    /** Every admin endpoint's path starts with this; with a separate admin listener only it serves them. */
    static final String ADMIN_PREFIX = "/v1/admin/";

    private final RoutesConfig config;
    private final Listeners listeners;
    private final InFlightRequests inFlight;

    Routes(RoutesConfig config, Listeners listeners, InFlightRequests inFlight) {
        this.config = config;
        this.listeners = listeners;
        this.inFlight = inFlight;
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
        config.addWsHandler(WsHandlerType.WEBSOCKET, path, ws);
    }

    private void http(HandlerType method, String path, Handler handler) {
        String label = method + " " + path;
        boolean admin = path.startsWith(ADMIN_PREFIX);
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
            handler.handle(ctx);
        });
    }

    /** The label of the route that served {@code ctx}, or {@code unmatched}. */
    static String label(Context ctx) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        return route == null ? "unmatched" : route;
    }
}
