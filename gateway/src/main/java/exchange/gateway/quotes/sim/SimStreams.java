package exchange.gateway.quotes.sim;

import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import org.eclipse.jetty.websocket.api.Callback;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The simulator's WebSocket connections, in Binance's two shapes: raw ({@code /ws/a/b}: each
 * message the payload) and combined ({@code /stream?streams=a/b}: each wrapped as
 * {@code {"stream":"a","data":{...}}}). Stream names are matched ignoring case, as Binance does.
 * Writes are asynchronous; a connection more than {@link #MAX_PENDING_WRITES} writes behind is
 * disconnected, so a stalled client cannot grow the simulator's memory. Thread safe.
 */
final class SimStreams {
    static final int MAX_PENDING_WRITES = 10_000;

    private final ConcurrentHashMap<WsContext, Connection> connections = new ConcurrentHashMap<>();
    private final LongAdder connects = new LongAdder();
    private final LongAdder sent = new LongAdder();

    private static final class Connection {
        final Set<String> streams;
        final boolean combined;
        final AtomicInteger pending = new AtomicInteger();

        Connection(Set<String> streams, boolean combined) {
            this.streams = streams;
            this.combined = combined;
        }
    }

    /** The handlers of {@code /ws/<streams>} ({@code combined} false) or {@code /stream} (true). */
    void configure(WsConfig ws, boolean combined) {
        ws.onConnect(ctx -> {
            String joined = combined ? ctx.queryParam("streams") : ctx.pathParam("streams");
            Set<String> names = new LinkedHashSet<>();
            for (String part : (joined == null ? "" : joined).split("/")) {
                if (!part.isEmpty()) {
                    names.add(part.toLowerCase(Locale.ROOT));
                }
            }
            ctx.session.setIdleTimeout(java.time.Duration.ofMinutes(10));
            connections.put(ctx, new Connection(names, combined));
            connects.increment();
        });
        ws.onClose(ctx -> connections.remove(ctx));
        ws.onError(ctx -> connections.remove(ctx));
    }

    /** Sends {@code payload} (a JSON object) of stream {@code name} to every connection subscribed to it. */
    void publish(String name, String payload) {
        String key = name.toLowerCase(Locale.ROOT);
        String wrapped = null;
        for (var e : connections.entrySet()) {
            Connection c = e.getValue();
            if (c.streams.contains(key)) {
                if (c.combined && wrapped == null) {
                    wrapped = "{\"stream\":\"" + name + "\",\"data\":" + payload + "}";
                }
                send(e.getKey(), c, c.combined ? wrapped : payload);
            }
        }
    }

    /** Sends {@code text} as it is (no envelope) to every connection subscribed to stream {@code name}. */
    int sendRaw(String name, String text) {
        String key = name.toLowerCase(Locale.ROOT);
        int n = 0;
        for (var e : connections.entrySet()) {
            if (e.getValue().streams.contains(key)) {
                send(e.getKey(), e.getValue(), text);
                n++;
            }
        }
        return n;
    }

    private void send(WsContext ctx, Connection c, String text) {
        if (c.pending.incrementAndGet() > MAX_PENDING_WRITES) {
            connections.remove(ctx);
            ctx.session.disconnect();
            return;
        }
        ctx.session.sendText(text, new Callback() {
            @Override
            public void succeed() {
                c.pending.decrementAndGet();
                sent.increment();
            }

            @Override
            public void fail(Throwable x) {
                c.pending.decrementAndGet();
            }
        });
    }

    /** Cuts every connection without a close handshake, as a venue's crash or a network fault would. */
    int dropAll() {
        List<WsContext> all = new ArrayList<>(connections.keySet());
        connections.clear();
        for (WsContext ctx : all) {
            ctx.session.disconnect();
        }
        return all.size();
    }

    int open() {
        return connections.size();
    }

    long connects() {
        return connects.sum();
    }

    long messagesSent() {
        return sent.sum();
    }
}
