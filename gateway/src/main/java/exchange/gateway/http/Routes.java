package exchange.gateway.http;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsHandlerType;

import java.util.function.Consumer;

/**
 * Where a {@link RouteGroup} adds its routes. Each HTTP route is labelled with its method and
 * path template, so that the request metrics count {@code GET /v1/orders/{order_id}} once rather
 * than once per order id. Used only while the server is built, on the building thread.
 */
public final class Routes {
    private static final String ROUTE_ATTRIBUTE = "exchange.route";

    private final RoutesConfig config;

    Routes(RoutesConfig config) {
        this.config = config;
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
        config.addHttpHandler(method, path, ctx -> {
            ctx.attribute(ROUTE_ATTRIBUTE, label);
            handler.handle(ctx);
        });
    }

    /** The label of the route that served {@code ctx}, or {@code unmatched}. */
    static String label(Context ctx) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        return route == null ? "unmatched" : route;
    }
}
