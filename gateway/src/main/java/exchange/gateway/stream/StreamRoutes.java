package exchange.gateway.stream;

import io.javalin.config.JavalinConfig;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.ServletMapping;

import java.util.function.ToLongFunction;

/**
 * The WebSocket stream routes: ours at {@code /v1/stream}, Binance's at {@code /ws}, {@code /ws/<stream>}
 * and {@code /stream}. One call from the HTTP server's set-up registers them on its Jetty context.
 */
public final class StreamRoutes {
    private StreamRoutes() {
    }

    /**
     * Serves {@code hub}'s streams on the server being configured; {@code authenticate} maps an API key
     * to its account id (0 if unknown) for our face's AUTH.
     */
    public static void register(JavalinConfig config, StreamHub hub, ToLongFunction<String> authenticate) {
        config.jetty.modifyServletContextHandler(context -> {
            ServletHolder holder = new ServletHolder("stream", new StreamServlet(hub, authenticate));
            context.getServletHandler().addServlet(holder);
            ServletMapping mapping = new ServletMapping();
            mapping.setServletName(holder.getName());
            mapping.setPathSpecs(new String[] {StreamServlet.V1_PATH, BinanceStreamFace.WS_PATH,
                BinanceStreamFace.WS_PATH + "/*", BinanceStreamFace.STREAM_PATH});
            context.getServletHandler().addServletMapping(mapping);
        });
    }
}
