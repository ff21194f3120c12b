package exchange.gateway.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Request;

/**
 * When a request reached the server: the moment the selector found its connection readable
 * ({@link GuardedConnector}), else the moment Jetty began parsing it. The difference to the
 * moment its route starts is the time it waited for a request thread, which
 * {@code http.queue_timeout_ms} bounds ({@link Routes}), and the request metrics measure from it,
 * so that they include that wait. Stateless; called on request threads.
 */
final class RequestArrival {
    private static final String ATTRIBUTE = "exchange.arrival-nanos";

    private RequestArrival() {
    }

    /** Notes the arrival of {@code ctx}'s request and returns how long ago, in nanoseconds, it was. */
    static long waitedNanos(Context ctx, long nowNanos) {
        Request request = ServletContextRequest.getServletContextRequest(ctx.req());
        long arrival = nowNanos;
        if (request != null) {
            arrival = request.getBeginNanoTime();
            long readable = GuardedConnector.arrivalNanos(endPoint(request));
            // a readiness noted after Jetty began the request (a body or a write) is not its arrival
            if (readable != GuardedConnector.NO_ARRIVAL && readable - arrival < 0) {
                arrival = readable;
            }
        }
        ctx.attribute(ATTRIBUTE, arrival);
        return nowNanos - arrival;
    }

    /** Nanoseconds from the arrival {@link #waitedNanos} noted to {@code nowNanos}; -1 if none was noted. */
    static long sinceArrival(Context ctx, long nowNanos) {
        Long arrival = ctx.attribute(ATTRIBUTE);
        return arrival == null ? -1 : nowNanos - arrival;
    }

    /** The arrival {@link #waitedNanos} noted, in {@link System#nanoTime} terms; -1 if none was noted. */
    static long arrivalNanos(Context ctx) {
        Long arrival = ctx.attribute(ATTRIBUTE);
        return arrival == null ? -1 : arrival;
    }

    /** The response to {@code ctx} is complete: the connection's next request arrives afresh. */
    static void responseComplete(Context ctx) {
        Request request = ServletContextRequest.getServletContextRequest(ctx.req());
        if (request != null) {
            GuardedConnector.clearArrival(endPoint(request));
        }
    }

    private static EndPoint endPoint(Request request) {
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }
}
