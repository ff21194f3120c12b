package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.engine.pipeline.CommandResult;
import exchange.gateway.command.GatewayCommands.ReferenceQuote;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.risk.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A fill against the outside market and the valuation of positions, through the real pipeline
 * and over HTTP: AAPL fills against the reference with the account {@code lp} as counterparty; a
 * reference quote (published into the ring as the quote adapters do) fills a resting buy at the
 * venue's ask, and {@code GET /v1/account} then values the position at the reference mid, with
 * the answer checked against the OpenAPI document.
 */
@Timeout(60)
class OutsideMarketHttpTest {
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    @TempDir
    Path dataDir;

    @Test
    void shouldFillARestingBuyAgainstAVenueAndValueThePositionAtTheReferenceMid() {
        GatewayConfig.Builder config = TestExchange.config(dataDir);
        config.engine().fillAgainstReference(List.of("AAPL"), "lp");
        try (TestExchange x = TestExchange.start(config.build())) {
            ApiClient api = x.api;
            Account lp = x.fundedAccount("lp", Map.of("USD", "1000000.00", "AAPL", "1000"));
            Account alice = x.fundedAccount("alice", Map.of("USD", "100000.00"));
            x.openSession();
            Response buy = api.post("/v1/orders", alice.key(), aaplOrder("b-1", "buy", 10, "190.00", "gtc"));
            assertEquals(201, buy.status(), buy.raw());
            assertEquals("new", buy.json().get("status").asText(), "no venue has quoted yet");

            CommandResult quoted = TestQuotes.submit(x, new ReferenceQuote(EpochNanoClock.SYSTEM, "AAPL", "venue1",
                    price("189.00"), 100, price("189.50"), 100, 0, Duration.ofMinutes(5).toNanos()));
            assertEquals(exchange.engine.ResultCode.OK, quoted.result());

            JsonNode order = api.get("/v1/orders/" + buy.json().get("order_id").asLong(), alice.key()).json();
            assertEquals("filled", order.get("status").asText(), order.toString());
            Response account = api.get("/v1/account", alice.key());
            assertEquals(200, account.status(), account.raw());
            assertEquals(List.of(), CONTRACT.violations("GET /v1/account", 200, account.contentType(), account.raw()));
            JsonNode a = account.json();
            assertEquals("98105.00", a.get("cash").get("total").asText(), "10 bought at the venue's 189.50, not 190.00");
            assertEquals("0.00", a.get("cash").get("reserved").asText(), "the price improvement was released");
            JsonNode aapl = a.get("positions").get(0);
            assertEquals(10, aapl.get("qty").asLong());
            assertEquals("reference", aapl.get("mark_source").asText());
            assertEquals("189.25", aapl.get("mark_price").asText(), "the mid of 189.00 and 189.50");
            assertEquals("1892.50", aapl.get("market_value").asText());
            assertEquals("99997.50", a.get("equity").asText());

            JsonNode provider = api.get("/v1/account", lp.key()).json();
            assertEquals(990, provider.get("positions").get(0).get("qty").asLong());
            assertEquals("1001895.00", provider.get("cash").get("total").asText(), "sold 10 at 189.50 without fees");
        }
    }

    private static long price(String dollars) {
        return Money.parse(dollars, Money.SCALE_DIGITS);
    }
}
