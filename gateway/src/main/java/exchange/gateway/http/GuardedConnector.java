package exchange.gateway.http;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A listener socket that knows when each connection's bytes arrived, and that holds at most a
 * shared number of connections.
 *
 * <p><b>Arrival.</b> Jetty reads a connection only once one of its pool's threads is free: under
 * saturation a request's bytes wait in the pool's queue before anything parses them, so Jetty's
 * own request begin time comes after that wait. Each connection's endpoint therefore notes when
 * the selector found it readable ({@link #arrivalNanos}), which is before the wait. The note is
 * cleared when a response completes ({@link #clearArrival}), so a request read without a new
 * selection (its bytes came while the previous one was served) falls back to Jetty's begin time:
 * any error makes the wait look shorter, never longer.
 *
 * <p><b>Limit.</b> Every connector of a server shares one count of open sockets. A connection
 * accepted past the limit is closed at once (the client sees its connection closed, and may
 * retry) rather than left waiting in the kernel's accept queue with its request unanswered.
 * Counted per socket, not per {@link Connection}: a WebSocket upgrade replaces the connection on
 * the same socket. The accept queue is as long as the limit (the kernel caps it at
 * {@code net.core.somaxconn}), so that a burst of connections is accepted and answered rather than
 * having its handshakes dropped and retried after one, two, four seconds...
 *
 * <p>Built once per listener while the server is built; the selector thread stamps arrivals,
 * request threads read them.
 */
final class GuardedConnector extends ServerConnector {
    /** No arrival noted since the last response: use Jetty's begin time. */
    static final long NO_ARRIVAL = Long.MIN_VALUE;

    private final int maxConnections;
    private final AtomicInteger openConnections;
    private final LongAdder refusedOverLimit;

    GuardedConnector(Server server, HttpConfiguration http, int maxConnections, AtomicInteger openConnections,
                     LongAdder refusedOverLimit) {
        super(server, new HttpConnectionFactory(http));
        this.maxConnections = maxConnections;
        this.openConnections = openConnections;
        this.refusedOverLimit = refusedOverLimit;
        setAcceptQueueSize(maxConnections);
        // closes a refused connection once it is fully opened: closing it earlier, while Jetty is
        // still opening it, would run its close callbacks before its open ones
        addEventListener(new Connection.Listener() {
            @Override
            public void onOpened(Connection c) {
                if (c.getEndPoint() instanceof StampedEndPoint e && e.overLimit) {
                    refusedOverLimit.increment();
                    e.close();
                }
            }
        });
    }

    @Override
    protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
        StampedEndPoint endPoint = new StampedEndPoint(channel, selector, key, this);
        endPoint.setIdleTimeout(getIdleTimeout());
        return endPoint;
    }

    @Override
    protected void onEndPointOpened(EndPoint endPoint) {
        super.onEndPointOpened(endPoint);
        if (openConnections.incrementAndGet() > maxConnections && endPoint instanceof StampedEndPoint e) {
            e.overLimit = true;
        }
    }

    @Override
    protected void onEndPointClosed(EndPoint endPoint) {
        openConnections.decrementAndGet();
        super.onEndPointClosed(endPoint);
    }

    /**
     * When the selector last found {@code endPoint} readable since its previous response
     * completed, or {@link #NO_ARRIVAL}.
     */
    static long arrivalNanos(EndPoint endPoint) {
        return endPoint instanceof StampedEndPoint e ? e.readableNanos : NO_ARRIVAL;
    }

    /** Forgets the arrival of the request just answered on {@code endPoint}. */
    static void clearArrival(EndPoint endPoint) {
        if (endPoint instanceof StampedEndPoint e) {
            e.readableNanos = NO_ARRIVAL;
        }
    }

    /** A socket endpoint that notes when the selector found it ready. */
    private static final class StampedEndPoint extends SocketChannelEndPoint {
        volatile long readableNanos = NO_ARRIVAL;
        /** Opened past {@code max_connections}: closed as soon as its connection is open. */
        volatile boolean overLimit;

        StampedEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, ServerConnector connector) {
            super(channel, selector, key, connector.getScheduler());
        }

        /**
         * Called on the selector thread when the socket is ready. Also for write readiness (a
         * response larger than the socket buffer), which comes after the request was read and is
         * therefore later than its arrival: {@link RequestArrival} then keeps Jetty's begin time.
         */
        @Override
        public Runnable onSelected() {
            readableNanos = System.nanoTime();
            return super.onSelected();
        }
    }
}
