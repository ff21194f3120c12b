package exchange.gateway.http;

import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.metrics.PathTrace;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static exchange.gateway.http.RouteSupport.problem;

/**
 * The v1 HTTP API (DESIGN section 4) on Javalin. This class owns the server: its creation and
 * settings, start and stop, error answers and request metrics; the routes live in one
 * {@link RouteGroup} per resource: {@link AccountAdminRoutes}, {@link SessionRoutes},
 * {@link OrderRoutes}, {@link AccountRoutes}, {@link AdminRoutes}, {@link HealthRoutes}, {@link ApiDocsRoutes}, and any
 * added with {@link HttpServerBuilder#routes}. They share {@link RouteSupport} (authentication,
 * rate limit, publishing a command and answering from its result, JSON and problem writing) and
 * {@link RequestParams} (field checks).
 *
 * <p>Every command goes through {@link MeteredPublisher#tryPublish} with a constant translator;
 * private reads go through the ring too, so a client always reads its own writes. A request thread
 * never waits for the engine (see {@link RouteSupport#submit}).
 *
 * <p>Authentication: {@code Authorization: Bearer <key>}. The account comes from the key (via
 * {@link ApiKeyIndex}), never from the body; another account's order is indistinguishable from an
 * unknown one (404). Admin routes need the admin key. Errors are {@code application/problem+json}
 * ({@link ApiProblem}); unexpected exceptions become a bare 500 problem and are logged, never
 * echoed.
 *
 * <p>Owns the Javalin instance and its Jetty thread pool; the publisher, read models, limiter and
 * metrics are shared with the rest of the process.
 */
public final class ExchangeHttpServer implements AutoCloseable {
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String JSON = "application/json";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Seconds a client is asked to wait after a 503 (ring full). */
    public static final int OVERLOADED_RETRY_AFTER_SECONDS = 1;
    /** Retry-After of a 503 HISTORY_UNAVAILABLE: fills are served by the history database. */
    public static final int HISTORY_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;
    /** Retry-After of a 503 JOURNAL_DISK_LOW: freeing disk space takes an operator. */
    public static final int DISK_LOW_RETRY_AFTER_SECONDS = 30;
    /** Longest symbol passed on to the engine; longer is a malformed field, shorter unknown ones are 422. */
    public static final int MAX_SYMBOL_LENGTH = 32;
    /** Longest account name. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Rows on a page of a list when the request gives no {@code limit}. */
    public static final int DEFAULT_PAGE_LIMIT = 100;
    /** Most rows a page of a list may ask for. */
    public static final int MAX_PAGE_LIMIT = 500;

    /** How much later than http.request_timeout_ms Javalin's own async timeout fires. */
    private static final long ASYNC_TIMEOUT_BACKSTOP_MILLIS = 5_000;
    /**
     * How much longer than http.request_timeout_ms a graceful stop waits for the requests in
     * flight: a request whose result is still pending when the stop begins is then answered by its
     * own timeout (503 TIMEOUT) before the stop gives up on it.
     */
    private static final long DRAIN_GRACE_MILLIS = 1_000;

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHttpServer.class);

    private final String host;
    private final int port;
    private final GatewayMetrics metrics;
    private final QueuedThreadPool threadPool;
    private final Listeners listeners;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final long drainTimeoutMillis;
    private final Javalin app;
    private final Routes routes;
    private volatile boolean started;

    ExchangeHttpServer(HttpServerBuilder b) {
        this.host = b.host;
        this.port = b.port;
        this.metrics = b.metrics;
        this.threadPool = new QueuedThreadPool(b.httpThreads, Math.min(8, b.httpThreads), 60_000);
        threadPool.setName("http");
        // No reserved threads: with them Jetty lets the selector thread run a newly read request
        // itself while requests read earlier wait in the pool's queue, so under saturation a
        // request could wait behind any number of later ones. Without, every request goes through
        // the queue in arrival order, and http.queue_timeout_ms bounds what it waits there.
        threadPool.setReservedThreads(0);
        this.listeners = new Listeners(b.settings);
        this.drainTimeoutMillis = b.settings.requestTimeoutMillis() + DRAIN_GRACE_MILLIS;
        List<RouteGroup> groups = routeGroups(b, new RouteSupport(b.publisher, b.diskSpace, threadPool, b.apiKeys,
                b.adminKey, b.rateLimiter, b.maxBodyBytes, b.settings.requestTimeoutMillis(),
                b.settings.answerWaitMicros(), inFlight::count));
        Routes[] registry = new Routes[1];
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.http.maxRequestSize = b.maxBodyBytes;
            // Responses are a few hundred bytes of JSON: compressing them costs more CPU than it saves.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // RouteSupport answers a command without a result at http.request_timeout_ms (503
            // TIMEOUT); Javalin's own async timeout, which would answer a bare 500, is a backstop
            config.http.asyncTimeout = b.settings.requestTimeoutMillis() + ASYNC_TIMEOUT_BACKSTOP_MILLIS;
            config.jetty.timeoutStatus = 503;
            config.jetty.threadPool = threadPool;
            config.jetty.addConnector((server, http) -> listeners.main(server, http, host, port));
            if (b.settings.adminLoopbackOnly()) {
                config.jetty.addConnector(listeners::admin);
            }
            // what Jetty refuses before Javalin sees a request is answered as problem+json too
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ProblemErrorHandler()));
            config.requestLogger.http(this::recordRequest);
            registry[0] = new Routes(config.routes, config.jetty, listeners, inFlight, b.settings.queueTimeoutMillis());
            groups.forEach(g -> g.register(registry[0]));
            registerErrorHandling(config.routes);
        });
        this.routes = registry[0];
    }

    /** The built-in groups, one per resource, then those added with {@link HttpServerBuilder#routes}. */
    private static List<RouteGroup> routeGroups(HttpServerBuilder b, RouteSupport support) {
        HistoryReads history = new HistoryReads(b.historyService, b.accountSeqs, b.session, b.startSeq, b.readWait);
        List<RouteGroup> groups = new ArrayList<>(List.of(
                new AccountAdminRoutes(support, b.clock, b.apiKeys, b.defaultMakerFeeBps, b.defaultTakerFeeBps,
                        b.assets),
                new SessionRoutes(support, b.clock, b.session, b.calendar),
                new OrderRoutes(support, b.clock, history, b.maxClientOrderIdLength, b.loadProbes),
                new AccountRoutes(support, b.clock, history),
                new AdminRoutes(support, b.clock, b.operations),
                new HealthRoutes(b.healthy, b.metrics),
                new ApiDocsRoutes()));
        for (Function<RouteSupport, RouteGroup> extra : b.extraRoutes) {
            groups.add(extra.apply(support));
        }
        return groups;
    }

    public static HttpServerBuilder builder() {
        return new HttpServerBuilder();
    }

    /** Binds the configured host and port and starts serving. */
    public ExchangeHttpServer start() {
        app.start();
        started = true;
        LOG.info("HTTP API listening on {}:{}{}", host, listeners.mainPort(), listeners.adminSeparate()
                ? ", admin endpoints only on " + Listeners.LOOPBACK + ":" + listeners.adminPort() : "");
        return this;
    }

    /** The registered HTTP routes' labels ({@code "GET /v1/orders/{order_id}"}), as metrics and the OpenAPI document name them. */
    public List<String> httpRoutes() {
        return routes.httpRoutes();
    }

    /** The WebSocket and servlet path specs ({@code "SERVLET /v1/stream"}). */
    public List<String> servletRoutes() {
        return routes.servletRoutes();
    }

    /** The bound port (useful when configured with 0). */
    public int port() {
        return listeners.mainPort();
    }

    /** The bound port of the loopback admin listener ({@code http.admin_loopback_only}); -1 without one. */
    public int adminPort() {
        return listeners.adminPort();
    }

    /** Connections closed so far because no whole request head arrived within {@code http.header_timeout_ms}. */
    public long connectionsCutBeforeRequestHead() {
        return listeners.cutBeforeRequestHead();
    }

    /** Connections closed so far on arrival because {@code http.max_connections} were open. */
    public long connectionsRefusedOverLimit() {
        return listeners.refusedOverLimit();
    }

    /** Connections open now on the server's listeners. */
    public int openConnections() {
        return listeners.openConnections();
    }

    /**
     * Stops gracefully: no new connections, new requests on open ones 503 {@code UNAVAILABLE}
     * with {@code Connection: close}, then waits (at most {@code http.request_timeout_ms}, the
     * longest a request can wait for its command anyway, plus {@link #DRAIN_GRACE_MILLIS}) until
     * every request in flight has its answer. Called before the pipeline stops, so a command already
     * in the ring is journaled and its client told so. Then every connection is closed, idle
     * keep-alive ones too, before Jetty stops its handlers; a request still in progress on one (a
     * stuck one the wait gave up on, or one that came in just after it ended) is cut off without an
     * answer ({@link Listeners#closeConnections}).
     */
    @Override
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        inFlight.drain();
        listeners.stopAccepting();
        long t0 = System.nanoTime();
        try {
            int left = inFlight.awaitNone(drainTimeoutMillis);
            if (left > 0) {
                LOG.warn("stopping HTTP with {} requests still in flight after {} ms", left, drainTimeoutMillis);
            } else {
                LOG.info("HTTP drained in {} ms", (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            listeners.closeConnections();
        } catch (Exception e) {
            LOG.warn("error closing the HTTP connections", e);
        }
        app.stop();
    }

    private static void registerErrorHandling(RoutesConfig r) {
        r.exception(ApiProblem.class, (p, ctx) -> problem(ctx, p));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, ApiProblem.forStatus(e.getStatus())));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, ApiProblem.of(500, "INTERNAL_ERROR", "an internal error occurred"));
        });
    }

    /**
     * Javalin calls this once a response is complete. A request that reached a route is timed from
     * its arrival, so that the time it waited for a thread counts; others from Javalin taking it up.
     */
    private void recordRequest(Context ctx, Float millis) {
        if (PathTrace.ON && RouteSupport.traceKey(ctx) != null) {
            PathTrace.stamp(PathTrace.RESPONDED, RouteSupport.traceKey(ctx));
        }
        inFlight.end(ctx);
        RequestArrival.responseComplete(ctx);
        long nanos = RequestArrival.sinceArrival(ctx, System.nanoTime());
        if (nanos < 0) {
            nanos = millis == null ? 0 : (long) (millis * 1_000_000.0);
        }
        metrics.httpResponse(Routes.label(ctx), ctx.statusCode(), nanos);
    }
}
