package exchange.gateway;

import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.PipelineConfig;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.http.ExchangeHttpServer;
import exchange.gateway.http.HttpJson;
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
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A route group added with {@code HttpServerBuilder.routes} is served beside the built-in ones,
 * authenticates and answers through the shared {@link RouteSupport}, and is counted under its
 * route template in the request metrics.
 */
@Timeout(30)
class RouteGroupTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldServeAnAddedRouteGroupWithTheSharedAuthenticationAndMetrics() throws Exception {
        ApiKeyIndex keys = new ApiKeyIndex();
        SessionStatus session = new SessionStatus();
        GatewayMetrics metrics = new GatewayMetrics();
        try (ExchangePipeline pipeline = new ExchangePipeline(new PipelineConfig().ringSize(8)
                     .processor(new ExchangeProcessor(new Exchange(ExchangeConfig.demo()), null))
                     .committedEvents(new GatewayEventSink(keys, session))).start();
             HistoryService history = HistoryService.open(HistoryOptions.defaults(dataDir), () -> 0).start()) {
            String key = ApiKeys.generate();
            CommandResult created = pipeline.tryPublish(GatewayCommands.CREATE_ACCOUNT,
                    new GatewayCommands.CreateAccount(EpochNanoClock.SYSTEM, "echo", ApiKeys.sha256Hex(key), 0, 0))
                    .get(10, TimeUnit.SECONDS);
            assertEquals(ResultCode.OK, created.result());
            ExchangeHttpServer http = ExchangeHttpServer.builder().port(0)
                    .publisher(new MeteredPublisher(pipeline, metrics)).apiKeys(keys)
                    .adminKey(new AdminKey(TestExchange.ADMIN_KEY))
                    .rateLimiter(new TokenBucketRateLimiter(1_000, 2_000, System::nanoTime))
                    .session(session).calendar(new AlwaysOpenCalendar()).metrics(metrics)
                    .history(history, new AccountSeqs(1_000), () -> 0, Duration.ofMillis(100))
                    .routes(support -> routes -> routes.get("/v1/echo/{word}", ctx -> {
                        long accountId = support.requireAccount(ctx);
                        RouteSupport.json(ctx, 200, HttpJson.render(g -> {
                            g.writeStartObject();
                            g.writeNumberField("account_id", accountId);
                            g.writeStringField("word", ctx.pathParam("word"));
                            g.writeEndObject();
                        }));
                    }))
                    .build().start();
            try {
                ApiClient api = new ApiClient(http.port());
                Response echoed = api.get("/v1/echo/hello", key);
                assertEquals(200, echoed.status(), echoed.raw());
                assertEquals("hello", echoed.json().get("word").asText());
                assertEquals(created.resultAccountId(), echoed.json().get("account_id").asLong());

                Response refused = api.get("/v1/echo/hello", "not-a-key");
                assertEquals(401, refused.status(), refused.raw());
                assertEquals("UNAUTHORIZED", refused.json().get("code").asText());

                assertEquals(200, api.get("/health", null).status(), "the built-in groups are still served");
                String scraped = metrics.scrape();
                assertTrue(scraped.contains("route=\"GET /v1/echo/{word}\""), scraped);
            } finally {
                http.close();
            }
        }
    }
}
