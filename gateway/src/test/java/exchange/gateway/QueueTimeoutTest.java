package exchange.gateway;

import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.PipelineConfig;
import exchange.gateway.RawHttpConnection.Answer;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request that waited longer than {@code http.queue_timeout_ms} for a request thread is answered
 * 503 {@code QUEUED_TOO_LONG} with {@code Retry-After} as soon as a thread takes it up, and its
 * command is never submitted (issue 20, "nothing hangs"). The server has 8 request threads and a
 * test route that holds its thread until released; more such requests than threads fill the
 * pool, and the rest, and an order sent behind them, wait in Jetty's queue, where Jetty has not
 * even parsed them (so its own begin time would say they never waited).
 */
@Timeout(60)
class QueueTimeoutTest {
    private static final long QUEUE_TIMEOUT_MS = 300;
    /** More than the 8 threads of the pool can take up at once. */
    private static final int BLOCKING_REQUESTS = 16;

    @TempDir
    Path dataDir;

    @Test
    void shouldRefuseWithQueuedTooLongAndNotSubmitWhatWaitedLongerThanTheQueueTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger entered = new AtomicInteger();
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        GatewayMetrics metrics = new GatewayMetrics();
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(64)
                     .processor(new ExchangeProcessor(new Exchange(ExchangeConfig.demo()), null))
                     .committedEvents(new GatewayEventSink(keys, session))).start();
             HistoryService history = HistoryService.open(HistoryOptions.defaults(dataDir), () -> 0).start()) {
            ExchangeHttpServer http = ExchangeHttpServer.builder().port(0).httpThreads(8)
                    .settings(HttpSettings.DEFAULTS.withQueueTimeout(QUEUE_TIMEOUT_MS))
                    .publisher(new MeteredPublisher(pipeline, metrics)).apiKeys(keys)
                    .adminKey(new AdminKey(TestExchange.ADMIN_KEY))
                    .rateLimiter(new TokenBucketRateLimiter(1_000, 2_000, System::nanoTime))
                    .session(session).calendar(new AlwaysOpenCalendar()).metrics(metrics)
                    .history(history, new AccountSeqs(1_000), () -> 0, Duration.ofMillis(100))
                    .routes(support -> routes -> routes.get("/test/hold", ctx -> {
                        entered.incrementAndGet();
                        assertTrue(release.await(30, TimeUnit.SECONDS));
                        ctx.result("held");
                    }))
                    .build().start();
            try {
                ApiClient api = new ApiClient(http.port());
                String key = fundedTrader(api);
                long seqBefore = seq(api);

                // connections set up before the pool fills: a new one would wait for a thread to
                // set it up before the server could note that anything had arrived on it
                RawHttpConnection order = connected(http.port(), key);
                List<RawHttpConnection> holders = new ArrayList<>();
                for (int i = 0; i < BLOCKING_REQUESTS; i++) {
                    holders.add(connected(http.port(), key));
                }
                for (RawHttpConnection c : holders) {
                    c.send("GET", "/test/hold", null, null);
                }
                int running = awaitSteady(entered);
                assertTrue(running > 0 && running < BLOCKING_REQUESTS,
                        "the pool must be full with requests still queued: " + running + " running");
                order.send("POST", "/v1/orders", key, TestExchange.aaplOrder("queued-1", "buy", 1, "180.00", "gtc"));
                Thread.sleep(QUEUE_TIMEOUT_MS + 200);
                release.countDown();

                Answer refused = order.read();
                assertEquals(503, refused.status(), refused.body());
                assertTrue(refused.body().contains("\"code\":\"QUEUED_TOO_LONG\""), refused.body());
                assertEquals("1", refused.header("Retry-After"));
                assertEquals(List.of(), OpenApiContract.load().violations("POST /v1/orders", refused.status(),
                        refused.header("Content-Type"), refused.body()), "the refusal is documented");
                int held = 0;
                int queued = 0;
                for (RawHttpConnection c : holders) {
                    Answer a = c.read();
                    if (a.status() == 200) {
                        held++;
                    } else {
                        assertEquals(503, a.status(), a.body());
                        assertTrue(a.body().contains("\"code\":\"QUEUED_TOO_LONG\""), a.body());
                        queued++;
                    }
                    c.close();
                }
                // a thread can free up after the count looked steady (a loaded machine), so the
                // route's own count, read after every answer, is what the answers must match
                int ran = entered.get();
                assertTrue(ran >= running && ran < BLOCKING_REQUESTS, "the queue still refused some: " + ran + " ran");
                assertEquals(ran, held, "only the requests that had a thread ran their route");
                assertEquals(BLOCKING_REQUESTS - ran, queued, "a request refused for its wait never reaches its route");
                assertEquals(seqBefore, seq(api), "the queued order's command was never submitted");

                ApiClient.Response placed = api.post("/v1/orders", key,
                        TestExchange.aaplOrder("queued-1", "buy", 1, "180.00", "gtc"));
                assertEquals(201, placed.status(), "the same order, sent again on a free server: " + placed.raw());
                order.close();
            } finally {
                http.close();
            }
        }
    }

    /** A new connection that has carried one request. */
    private static RawHttpConnection connected(int port, String key) throws java.io.IOException {
        RawHttpConnection c = new RawHttpConnection(port, 20_000);
        c.send("GET", "/v1/account", key, null);
        assertEquals(200, c.read().status());
        return c;
    }

    /** Waits (sleeping) until {@code entered} has not moved for 500 ms; returns it. */
    private static int awaitSteady(AtomicInteger entered) throws InterruptedException {
        int last = -1;
        long steadySince = System.nanoTime();
        while (true) {
            int now = entered.get();
            if (now != last) {
                last = now;
                steadySince = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - steadySince > 500_000_000L) {
                return now;
            }
            Thread.sleep(20);
        }
    }

    private static String fundedTrader(ApiClient api) {
        ApiClient.Response account = api.post("/v1/admin/accounts", TestExchange.ADMIN_KEY, "{\"name\":\"queued\"}");
        assertEquals(201, account.status(), account.raw());
        long id = account.json().get("account_id").asLong();
        ApiClient.Response deposit = api.post("/v1/admin/accounts/" + id + "/deposits", TestExchange.ADMIN_KEY,
                "{\"asset\":\"USD\",\"amount\":\"100000.00\",\"transfer_id\":\"t-1\"}");
        assertEquals(201, deposit.status(), deposit.raw());
        ApiClient.Response open = api.post("/v1/admin/session/open", TestExchange.ADMIN_KEY, "");
        assertEquals(200, open.status(), open.raw());
        return account.json().get("api_key").asText();
    }

    private static long seq(ApiClient api) {
        ApiClient.Response state = api.get("/v1/admin/state", TestExchange.ADMIN_KEY);
        assertEquals(200, state.status(), state.raw());
        return state.json().get("seq").asLong();
    }
}
