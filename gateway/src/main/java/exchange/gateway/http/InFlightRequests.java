package exchange.gateway.http;

import io.javalin.http.Context;

/**
 * Counts the requests a route has begun and whose response has not completed yet, so that a
 * graceful stop can wait for them: an order whose command is in the ring still gets its answer
 * before the pipeline stops. A request is counted by the route wrapper ({@link Routes}) and
 * uncounted by the request logger, which Javalin calls once the response is complete, also for
 * an asynchronous one. Thread safe: Jetty request threads count, the stopping thread waits.
 */
final class InFlightRequests {
    private static final String COUNTED = "exchange.in-flight";

    private int count;
    private boolean draining;

    /**
     * Counts a request about to be served or refused; false once {@link #drain} was called, and
     * then the request must be refused without touching the engine. Checking and counting under one lock
     * means no request can slip in after the drain found none left.
     */
    synchronized boolean tryBegin(Context ctx) {
        // a refused request is counted too: the drain must wait until its 503 has been written,
        // or stopping the server under it would turn that answer into a 500
        ctx.attribute(COUNTED, Boolean.TRUE);
        count++;
        return !draining;
    }

    /** From now on {@link #tryBegin} refuses. */
    synchronized void drain() {
        draining = true;
    }

    /** Called for every completed request; only those {@link #begin} counted are uncounted. */
    synchronized void end(Context ctx) {
        if (ctx.attribute(COUNTED) != null) {
            ctx.attribute(COUNTED, null);
            if (--count == 0) {
                notifyAll();
            }
        }
    }

    synchronized int count() {
        return count;
    }

    /** Waits until no request is in flight or {@code timeoutMillis} passes; returns how many are left. */
    synchronized int awaitNone(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (count > 0) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMillis <= 0) {
                break;
            }
            wait(leftMillis);
        }
        return count;
    }
}
