package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.quotes.QuoteSourceConfig;
import exchange.gateway.quotes.QuoteTuning;
import exchange.gateway.quotes.sim.QuoteSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Issue 19 end to end on real servers: the quote simulator, the exchange with a quote source
 * pointed at it and AAPL filling against the outside market with the account {@code lp} as
 * liquidity provider. A resting buy below the market fills when the simulated ask drops to it;
 * the fill shows in the order, the account (valued at the reference mid), the trade tape and the
 * account's fills (with the venue), and the end-of-day report, whose checks (the history
 * database's batch check included) pass with the provider in it.
 */
@Timeout(90)
class OutsideMarketEndToEndTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;

    @TempDir
    Path dataDir;

    private final HttpClient control = HttpClient.newHttpClient();

    @Test
    void shouldFillARestingBuyWhenTheSimulatedAskDropsToItAndShowItEverywhere() throws Exception {
        long seed = System.nanoTime();
        System.out.println("OutsideMarketEndToEndTest seed " + seed);
        try (QuoteSimulator sim = QuoteSimulator.start(new QuoteSimulator.Settings(0, seed,
                Map.of("AAPLUSD", 1_900_000L), 50))) {
            GatewayConfig.Builder config = TestExchange.config(dataDir)
                    .quoteSource(new QuoteSourceConfig("sim", URI.create("ws://127.0.0.1:" + sim.port()),
                            URI.create("http://127.0.0.1:" + sim.port()), Map.of("AAPLUSD", "AAPL"), 60_000, 5));
            config.engine().fillAgainstReference(List.of("AAPL"), "lp");
            try (TestExchange x = TestExchange.start(config.build(),
                    o -> o.quoteTuning(QuoteTuning.defaults().withPublishInterval(Duration.ofMillis(20))))) {
                ApiClient api = x.api;
                Account lp = x.fundedAccount("lp", Map.of("USD", "1000000.00", "AAPL", "1000"));
                Account alice = x.fundedAccount("alice", Map.of("USD", "100000.00"));
                x.openSession();
                String day = api.get("/v1/session", null).json().get("session_date").asText();
                pin(sim, "190.00", "190.05");
                await(() -> api.get("/v1/markets/AAPL/ticker", null).json(),
                        t -> "190.05".equals(t.path("reference_ask").asText()), "the venue's quote as reference");

                Response buy = api.post("/v1/orders", alice.key(), aaplOrder("below", "buy", 10, "185.00", "gtc"));
                assertEquals(201, buy.status(), buy.raw());
                assertEquals("new", buy.json().get("status").asText(), "185.00 is below the venue's 190.05 ask");
                long orderId = buy.json().get("order_id").asLong();

                pin(sim, "184.90", "184.95");
                JsonNode order = await(() -> api.get("/v1/orders/" + orderId, alice.key()).json(),
                        o -> "filled".equals(o.path("status").asText()), "the buy filled against the venue");
                assertEquals("184.95", order.get("avg_fill_price").asText(), order.toString());

                JsonNode account = api.get("/v1/account", alice.key()).json();
                assertEquals("98150.50", account.get("cash").get("total").asText(), "10 at 184.95, no fees");
                JsonNode position = account.get("positions").get(0);
                assertEquals(10, position.get("qty").asLong());
                assertEquals("reference", position.get("mark_source").asText(), account.toString());

                JsonNode tape = await(() -> api.get("/v1/markets/AAPL/trades?limit=5", null).json(),
                        t -> t.path("trades").size() > 0, "the trade on the tape");
                JsonNode trade = tape.get("trades").get(0);
                assertEquals("sim", trade.get("venue").asText(), tape.toString());
                assertEquals("184.95", trade.get("price").asText());
                assertEquals("sell", trade.get("taker_side").asText(), "the liquidity provider took the resting buy");

                JsonNode fills = await(() -> api.get("/v1/account/fills", alice.key()).json(),
                        f -> f.path("fills").size() > 0, "alice's fill in the history database");
                assertEquals("sim", fills.get("fills").get(0).get("venue").asText(), fills.toString());
                assertEquals("maker", fills.get("fills").get(0).get("liquidity").asText());
                JsonNode lpFills = await(() -> api.get("/v1/account/fills", lp.key()).json(),
                        f -> f.path("fills").size() > 0, "the provider's fill");
                assertTrue(lpFills.get("fills").get(0).get("order_id").isNull(), lpFills.toString());

                assertEquals(200, api.post("/v1/admin/session/close", ADMIN, "").status());
                JsonNode report = await(() -> api.get("/v1/admin/reports/eod/" + day, ADMIN),
                        r -> r.status() == 200 && r.json().path("checks").size() == 7
                                && r.json().get("checks").get(6).path("passed").asBoolean(),
                        "the report with the history batch check run").json();
                for (JsonNode check : report.get("checks")) {
                    assertTrue(check.get("passed").asBoolean(), check.toString());
                }
                JsonNode lpLine = report.get("accounts").get(0);
                assertEquals("lp", lpLine.get("name").asText());
                assertEquals(1, lpLine.get("fills").asLong());
                assertEquals("1001849.50", lpLine.get("closing_cash").asText());
                assertEquals(990, lpLine.get("positions").get(0).get("closing_qty").asLong());
                assertEquals("reference", lpLine.get("positions").get(0).get("mark_source").asText());
            }
        }
    }

    private void pin(QuoteSimulator sim, String bid, String ask) throws Exception {
        HttpResponse<String> r = control.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + "/sim/quote"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"symbol\":\"AAPLUSD\",\"bid\":\"" + bid + "\",\"ask\":\"" + ask
                        + "\",\"bid_qty\":50,\"ask_qty\":50}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private static <T> T await(Supplier<T> read, Predicate<T> done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T last = null;
        while (System.nanoTime() < deadline) {
            last = read.get();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(20);
        }
        return fail(what + " within 30 s; last seen: " + last);
    }
}
