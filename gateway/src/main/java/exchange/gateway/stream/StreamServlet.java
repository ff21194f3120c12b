package exchange.gateway.stream;

import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeRequest;
import org.eclipse.jetty.ee10.websocket.server.JettyServerUpgradeResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

import java.io.IOException;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Upgrades {@code /v1/stream}, {@code /ws}, {@code /ws/<stream>} and {@code /stream} to stream
 * connections of the {@link StreamHub}, with Jetty's own WebSocket endpoint (Javalin's {@code ws()}
 * routes do not deliver pong frames, which the liveness check needs). Before upgrading it refuses,
 * with a plain HTTP answer: a client address over its connection limit (429) and a Binance URL
 * naming an unknown stream or too many streams (400). Runs on Jetty's request threads.
 */
final class StreamServlet extends JettyWebSocketServlet {
    static final String V1_PATH = "/v1/stream";

    private final transient StreamHub hub;
    private final transient V1StreamFace v1;
    private final transient BinanceStreamFace binance = new BinanceStreamFace();

    StreamServlet(StreamHub hub, ToLongFunction<String> authenticate) {
        this.hub = hub;
        this.v1 = new V1StreamFace(authenticate);
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        StreamConfig cfg = hub.config();
        factory.setIdleTimeout(cfg.idleTimeout());
        factory.setMaxTextMessageSize(cfg.maxInboundMessageBytes());
        factory.setMaxBinaryMessageSize(cfg.maxInboundMessageBytes());
        factory.setCreator(this::create);
    }

    private Object create(JettyServerUpgradeRequest req, JettyServerUpgradeResponse resp) throws IOException {
        String path = req.getHttpServletRequest().getRequestURI();
        StreamFace face;
        boolean combined = false;
        if (V1_PATH.equals(path)) {
            face = v1;
        } else {
            combined = path.equals(BinanceStreamFace.STREAM_PATH);
            List<String> names = BinanceStreamFace.namesInUrl(path, req.getHttpServletRequest().getParameter("streams"));
            String unknown = BinanceStreamFace.firstUnknown(hub.catalog(), names);
            if (unknown != null) {
                resp.sendError(400, "unknown stream " + unknown);
                return null;
            }
            if (names.size() > hub.config().maxSubscriptionsPerConnection()) {
                resp.sendError(400, "too many streams (at most " + hub.config().maxSubscriptionsPerConnection() + ")");
                return null;
            }
            face = binance;
        }
        String address = req.getHttpServletRequest().getRemoteAddr();
        if (!hub.tryReserve(address)) {
            resp.sendError(429, "too many stream connections from " + address + " (at most "
                    + hub.config().maxConnectionsPerAddress() + ")");
            return null;
        }
        return new StreamConnection(hub, face, address, combined);
    }
}
