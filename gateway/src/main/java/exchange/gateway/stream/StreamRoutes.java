package exchange.gateway.stream;

import exchange.gateway.http.RouteGroup;
import exchange.gateway.http.Routes;

import java.util.function.ToLongFunction;

/**
 * The WebSocket stream routes: ours at {@code /v1/stream}, Binance's at {@code /ws},
 * {@code /ws/<stream>} and {@code /stream}, served by one {@link StreamServlet} over the hub.
 */
public final class StreamRoutes implements RouteGroup {
    private final StreamHub hub;
    private final ToLongFunction<String> authenticate;

    /** {@code authenticate} maps an API key to its account id (0 if unknown), for our face's AUTH. */
    public StreamRoutes(StreamHub hub, ToLongFunction<String> authenticate) {
        this.hub = hub;
        this.authenticate = authenticate;
    }

    @Override
    public void register(Routes routes) {
        routes.servlet("stream", new StreamServlet(hub, authenticate), StreamServlet.V1_PATH, BinanceStreamFace.WS_PATH,
                BinanceStreamFace.WS_PATH + "/*", BinanceStreamFace.STREAM_PATH);
    }
}
