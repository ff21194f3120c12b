package exchange.gateway;

import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.PipelineConfig;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.http.ExchangeHttpServer;
import exchange.gateway.http.HttpJson;
import exchange.gateway.http.HttpServerBuilder;
import exchange.gateway.http.RouteSupport;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.gateway.readmodel.GatewayEventSink;
import exchange.gateway.readmodel.SessionStatus;
import exchange.gateway.session.AlwaysOpenCalendar;
import exchange.readside.history.HistoryOptions;
import exchange.readside.history.HistoryService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The server's own answers to time: a request whose result never comes is answered 503
 * {@code TIMEOUT} with {@code Retry-After} at {@code http.request_timeout_ms} (never Javalin's bare
 * 500), and a graceful stop answers the request still in flight before the server goes, while
 * refusing new connections. Uses routes added with {@code HttpServerBuilder.routes} whose pending
 * results the test controls.
 */
@Timeout(30)
class RequestTimeoutAndDrainTest {
    private static final long REQUEST_TIMEOUT_MS = 300;

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerA503TimeoutWhenAResultNeverComesAndDrainInFlightRequestsOnClose() throws Exception {
        CompletableFuture<String> slow = new CompletableFuture<>();
        CountDownLatch slowArrived = new CountDownLatch(1);
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        try (ExchangePipeline pipeline = pipeline(keys, session);
             HistoryService history = HistoryService.open(HistoryOptions.defaults(dataDir), () -> 0).start()) {
            ExchangeHttpServer http = server(pipeline, keys, session, history)
                    .routes(support -> routes -> {
                        routes.get("/test/never", ctx -> support.respondLater(ctx, new CompletableFuture<String>(),
                                (c, v) -> RouteSupport.json(c, 200, HttpJson.render(g -> g.writeString(v)))));
                        routes.get("/test/slow", ctx -> {
                            slowArrived.countDown();
                            support.respondLater(ctx, slow, (c, v) -> RouteSupport.json(c, 200,
                                    HttpJson.render(g -> g.writeString(v))));
                        });
                    })
                    .build().start();
            ApiClient api = new ApiClient(http.port());
            try {
                Response timedOut = api.get("/test/never", null);
                assertEquals(503, timedOut.status(), timedOut.raw());
                assertEquals("TIMEOUT", timedOut.json().get("code").asText(), timedOut.raw());
                assertEquals("1", timedOut.header("Retry-After"));
                assertTrue(timedOut.contentType().startsWith("application/problem+json"), timedOut.contentType());

                CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> api.get("/test/slow", null));
                assertTrue(slowArrived.await(10, TimeUnit.SECONDS), "the slow request reached its route");
                // read before the close starts: a closed connector reports no port (-2)
                int port = http.port();
                Thread closer = new Thread(http::close, "closer");
                closer.start();
                // the close waits for the request in flight: complete it only once the server stopped accepting
                awaitRefused(port);
                slow.complete("answered during the drain");
                Response drained = inFlight.get(10, TimeUnit.SECONDS);
                assertEquals(200, drained.status(), drained.raw());
                assertEquals("\"answered during the drain\"", drained.raw());
                closer.join(10_000);
                assertTrue(!closer.isAlive(), "close returned after the drain");
                assertThrows(java.io.UncheckedIOException.class, () -> new ApiClient(port).get("/health", null));
            } finally {
                http.close();
            }
        }
    }

    /**
     * A graceful stop gives the requests in flight longer than the request timeout, so a request
     * still waiting for its result when the stop begins is answered 503 {@code TIMEOUT}, not cut
     * off; and a request the stop has to give up on (here one whose result has no timeout at all)
     * loses its connection without an answer. Closing it through Jetty answered it 500
     * {@code INTERNAL_ERROR}, which would tell a client its order failed when it may yet be carried out.
     */
    @Test
    void shouldAnswerAPendingResultByItsTimeoutAndCutOffWhatTheStopGivesUpOnWithoutA500() throws Exception {
        CountDownLatch arrived = new CountDownLatch(2);
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        try (ExchangePipeline pipeline = pipeline(keys, session);
             HistoryService history = HistoryService.open(HistoryOptions.defaults(dataDir), () -> 0).start()) {
            ExchangeHttpServer http = server(pipeline, keys, session, history)
                    .routes(support -> routes -> {
                        routes.get("/test/never", ctx -> {
                            arrived.countDown();
                            support.respondLater(ctx, new CompletableFuture<String>(), (c, v) -> c.result(v));
                        });
                        // past the request timeout only Javalin's own backstop would answer, after the stop
                        routes.get("/test/stuck", ctx -> {
                            arrived.countDown();
                            ctx.future(CompletableFuture::new);
                        });
                    })
                    .build().start();
            try (RawHttpConnection pending = new RawHttpConnection(http.port(), 10_000);
                 RawHttpConnection stuck = new RawHttpConnection(http.port(), 10_000)) {
                pending.send("GET", "/test/never", null, null);
                stuck.send("GET", "/test/stuck", null, null);
                assertTrue(arrived.await(10, TimeUnit.SECONDS), "both requests reached their routes");
                http.close();
                RawHttpConnection.Answer timedOut = pending.read();
                assertEquals(503, timedOut.status(), timedOut.body());
                assertTrue(timedOut.body().contains("\"code\":\"TIMEOUT\""), timedOut.body());
                assertThrows(java.io.IOException.class, stuck::read,
                        "a request the stop gave up on must lose its connection, not be answered");
            } finally {
                http.close();
            }
        }
    }

    /** Waits (sleeping) until a new connection to {@code port} is refused. */
    private static void awaitRefused(int port) throws InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
                Thread.sleep(20);
            } catch (java.io.IOException refused) {
                return;
            }
        }
        throw new AssertionError("the server kept accepting connections after close began");
    }

    /** A demo engine behind an 8-slot ring, its committed events feeding the key index and session. */
    private static ExchangePipeline pipeline(ApiKeyIndex keys, SessionStatus session) {
        return new ExchangePipeline(new PipelineConfig().ringSize(8)
                .processor(new ExchangeProcessor(new Exchange(ExchangeConfig.demo()), null))
                .committedEvents(new GatewayEventSink(keys, session))).start();
    }

    /** The HTTP server on a free port with a {@value #REQUEST_TIMEOUT_MS} ms request timeout; the test adds its routes. */
    private static HttpServerBuilder server(ExchangePipeline pipeline, ApiKeyIndex keys, SessionStatus session,
                                            HistoryService history) {
        GatewayMetrics metrics = new GatewayMetrics();
        return ExchangeHttpServer.builder().port(0)
                .settings(HttpSettings.DEFAULTS.withTimeouts(10_000, 10_000, REQUEST_TIMEOUT_MS))
                .publisher(new MeteredPublisher(pipeline, metrics)).apiKeys(keys)
                .adminKey(new AdminKey(TestExchange.ADMIN_KEY))
                .rateLimiter(new TokenBucketRateLimiter(1_000, 2_000, System::nanoTime))
                .session(session).calendar(new AlwaysOpenCalendar()).metrics(metrics)
                .history(history, new AccountSeqs(1_000), () -> 0, Duration.ofMillis(100));
    }
}
