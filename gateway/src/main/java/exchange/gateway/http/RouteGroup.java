package exchange.gateway.http;

/**
 * The routes of one resource, registered once while the server is built. A new resource is one
 * class implementing this and one line giving it to {@link HttpServerBuilder#routes}; its
 * handlers take the shared checks and writers from {@link RouteSupport} and {@link RequestParams}.
 */
@FunctionalInterface
public interface RouteGroup {
    void register(Routes routes);
}
