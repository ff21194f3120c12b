package exchange.gateway;

import exchange.engine.CommandType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandProcessor;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.PipelineConfig;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.http.ExchangeHttpServer;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.gateway.readmodel.GatewayEventSink;
import exchange.gateway.readmodel.SessionStatus;
import exchange.gateway.session.AlwaysOpenCalendar;
import exchange.readside.history.HistoryOptions;
import exchange.readside.history.HistoryService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static exchange.gateway.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Back-pressure over HTTP: a full ring answers 503, an exhausted token bucket 429. */
@Timeout(30)
class OverloadAndRateLimitTest {
    @TempDir
    Path dataDir;
    private HistoryService history;

    private static String order(String clientOrderId) {
        return json("{'client_order_id':'" + clientOrderId
                + "','symbol':'AAPL','side':'buy','qty':1,'limit_price':'185.00'}");
    }

    /** An HTTP server over {@code pipeline} with its own read models (and an empty history database). */
    private ExchangeHttpServer httpOver(ExchangePipeline pipeline, ApiKeyIndex keys, SessionStatus session,
                                        GatewayMetrics metrics) {
        history = HistoryService.open(HistoryOptions.defaults(dataDir), () -> 0).start();
        return ExchangeHttpServer.builder().port(0).publisher(new MeteredPublisher(pipeline, metrics)).apiKeys(keys)
                .adminKey(new AdminKey(TestExchange.ADMIN_KEY))
                .rateLimiter(new TokenBucketRateLimiter(1_000, 2_000, System::nanoTime))
                .session(session).calendar(new AlwaysOpenCalendar()).metrics(metrics)
                .history(history, new AccountSeqs(1_000), () -> 0, Duration.ofMillis(100))
                .healthy(pipeline::isHealthy).build().start();
    }

    @AfterEach
    void closeHistory() {
        if (history != null) {
            history.close();
        }
    }

    private static String createAccount(ExchangePipeline pipeline) throws Exception {
        String key = ApiKeys.generate();
        CommandResult created = pipeline.tryPublish(GatewayCommands.CREATE_ACCOUNT,
                new GatewayCommands.CreateAccount(EpochNanoClock.SYSTEM, "busy", ApiKeys.sha256Hex(key), 0, 0))
                .get(10, TimeUnit.SECONDS);
        assertEquals(ResultCode.OK, created.result());
        return key;
    }

    @Test
    void shouldAnswer503UnavailableAndFailHealthWhenThePipelineStops() throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        ExchangeProcessor engine = new ExchangeProcessor(exchange, null);
        CommandProcessor failing = (c, events) -> {
            if (c.type == CommandType.PLACE_ORDER) {
                throw new IllegalStateException("simulated engine bug");
            }
            engine.process(c, events);
        };
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(8).processor(failing)
                .committedEvents(new GatewayEventSink(keys, session))).start();
        String key = createAccount(pipeline);
        ExchangeHttpServer http = httpOver(pipeline, keys, session, new GatewayMetrics());
        try {
            ApiClient api = new ApiClient(http.port());
            assertEquals(200, api.get("/health", null).status());
            Response failed = api.post("/v1/orders", key, order("boom"));
            assertEquals(503, failed.status(), failed.raw());
            assertEquals("UNAVAILABLE", failed.json().get("code").asText());
            assertFalse(failed.raw().contains("simulated"), "no internals in the body");
            assertEquals(503, api.get("/health", null).status());
            assertEquals(503, api.get("/v1/account", key).status(), "a stopped pipeline accepts nothing");
        } finally {
            http.close();
            pipeline.close();
        }
    }

    @Test
    void shouldAnswer503WithRetryAfterWhenTheRingIsFull() throws Exception {
        Exchange exchange = new Exchange(ExchangeConfig.demo());
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        ExchangeProcessor engine = new ExchangeProcessor(exchange, null);
        CountDownLatch release = new CountDownLatch(1);
        // The engine stage stalls on orders, so two orders in flight fill a ring of two slots.
        CommandProcessor stalling = (c, events) -> {
            if (c.type == CommandType.PLACE_ORDER) {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            engine.process(c, events);
        };
        ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(2).processor(stalling)
                .committedEvents(new GatewayEventSink(keys, session))).start();
        GatewayMetrics metrics = new GatewayMetrics();
        String key = createAccount(pipeline);
        ExchangeHttpServer http = httpOver(pipeline, keys, session, metrics);
        try {
            ApiClient api = new ApiClient(http.port());
            CompletableFuture<Response> first = api.postAsync("/v1/orders", key, order("o-1"));
            CompletableFuture<Response> second = api.postAsync("/v1/orders", key, order("o-2"));
            for (int i = 0; i < 1_000 && pipeline.remainingCapacity() > 0; i++) {
                Thread.sleep(10);
            }
            assertEquals(0, pipeline.remainingCapacity(), "two stalled orders fill the ring");

            Response overloaded = api.post("/v1/orders", key, order("o-3"));
            assertEquals(503, overloaded.status(), overloaded.raw());
            assertTrue(overloaded.contentType().startsWith("application/problem+json"));
            assertEquals("OVERLOADED", overloaded.json().get("code").asText());
            assertEquals("1", overloaded.header("Retry-After"));
            assertEquals(503, api.get("/v1/account", key).status(), "queries go through the ring too");
            assertEquals(1, metrics.ringFullCount(CommandType.PLACE_ORDER));
            assertFalse(first.isDone(), "the stalled request waits without a thread parked on it");

            release.countDown();
            // The session is closed, so the stalled orders complete as MARKET_CLOSED rejects.
            assertEquals(422, first.get(10, TimeUnit.SECONDS).status());
            assertEquals(422, second.get(10, TimeUnit.SECONDS).status());
            assertEquals(200, api.get("/v1/account", key).status(), "capacity is back");
        } finally {
            release.countDown();
            http.close();
            pipeline.close();
        }
    }

    @Test
    void shouldAnswer429WithRateLimitHeadersWhenAKeysBucketIsEmpty() {
        GatewayConfig config = TestExchange.config(dataDir).rateLimit(1, 2).build();
        try (TestExchange exchange = TestExchange.start(config)) {
            exchange.openSession();
            Account a = exchange.fundedAccount("eager", Map.of("USD", "1000.00"));
            Account b = exchange.fundedAccount("patient", Map.of("USD", "1000.00"));
            Response limited = null;
            int accepted = 0;
            // One token per second with a burst of two: quick requests run out within a few tries.
            for (int i = 0; i < 10 && limited == null; i++) {
                Response r = exchange.api.post("/v1/orders", a.key(), order("rl-" + i));
                if (r.status() == 429) {
                    limited = r;
                } else {
                    assertEquals(201, r.status(), r.raw());
                    accepted++;
                }
            }
            assertNotNull(limited, "a 429 within ten quick requests");
            assertTrue(accepted >= 2, "the burst is served first");
            assertEquals("RATE_LIMITED", limited.json().get("code").asText());
            assertTrue(limited.contentType().startsWith("application/problem+json"));
            assertTrue(Long.parseLong(limited.header("Retry-After")) >= 1);
            assertEquals("2", limited.header("RateLimit-Limit"));
            assertEquals("0", limited.header("RateLimit-Remaining"));
            assertEquals("2", limited.header("X-RateLimit-Limit"));
            assertEquals("0", limited.header("X-RateLimit-Remaining"));
            assertNotNull(limited.header("RateLimit-Reset"));
            assertNotNull(limited.header("X-RateLimit-Reset"));
            // Buckets are per key: another account is still served, and queries are never limited.
            assertEquals(201, exchange.api.post("/v1/orders", b.key(), order("other-1")).status());
            assertEquals(200, exchange.api.get("/v1/orders", a.key()).status());
        }
    }
}
