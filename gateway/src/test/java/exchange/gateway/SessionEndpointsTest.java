package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static exchange.gateway.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** Operator session override over HTTP: open, close with the end-of-day sweep, refusals. */
@Timeout(30)
class SessionEndpointsTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;

    @TempDir
    Path dataDir;

    private static String dayOrder(String clientOrderId) {
        return json("{'client_order_id':'" + clientOrderId
                + "','symbol':'AAPL','side':'buy','qty':10,'limit_price':'185.00','time_in_force':'day'}");
    }

    @Test
    void shouldRejectOrdersWithMarketClosedUntilAnOperatorOpensTheSession() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            Response closed = api.get("/v1/session", null);
            assertEquals("closed", closed.json().get("state").asText(), closed.raw());
            assertNotNull(closed.json().get("opens_at").textValue(), "a closed market announces its next session");

            Account buyer = exchange.fundedAccount("early", Map.of("USD", "10000.00"));
            Response rejected = api.post("/v1/orders", buyer.key(), dayOrder("early-1"));
            assertEquals(422, rejected.status(), rejected.raw());
            assertEquals("MARKET_CLOSED", rejected.json().get("code").asText());
            assertEquals("rejected", rejected.json().get("order").get("status").asText());

            Response open = api.post("/v1/admin/session/open", ADMIN, "");
            assertEquals(200, open.status(), open.raw());
            assertEquals("open", open.json().get("state").asText());
            assertEquals(open.json().get("session_date"), api.get("/v1/session", null).json().get("session_date"));
            Response again = api.post("/v1/admin/session/open", ADMIN, "");
            assertEquals(409, again.status(), again.raw());
            assertEquals("SESSION_ALREADY_OPEN", again.json().get("code").asText());

            assertEquals(201, api.post("/v1/orders", buyer.key(), dayOrder("early-2")).status());
        }
    }

    @Test
    void shouldExpireDayOrdersAndReleaseHoldsWhenAnOperatorClosesTheSession() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            exchange.openSession();
            LocalDate firstDate = LocalDate.parse(api.get("/v1/session", null).json().get("session_date").asText());
            Account buyer = exchange.fundedAccount("sweep", Map.of("USD", "10000.00"));
            Response placed = api.post("/v1/orders", buyer.key(), dayOrder("sweep-1"));
            assertEquals(201, placed.status(), placed.raw());
            assertEquals("1850.00", api.get("/v1/account", buyer.key()).json().get("cash").get("reserved").asText());

            Response close = api.post("/v1/admin/session/close", ADMIN, "");
            assertEquals(200, close.status(), close.raw());
            assertEquals("closed", close.json().get("state").asText());
            JsonNode expired = api.get("/v1/orders/" + placed.json().get("order_id").asLong(), buyer.key()).json();
            assertEquals("expired", expired.get("status").asText());
            assertEquals("END_OF_DAY", expired.get("expiry_reason").asText());
            assertEquals(0, expired.get("leaves_qty").asLong());
            assertEquals("0.00", api.get("/v1/account", buyer.key()).json().get("cash").get("reserved").asText());

            Response closeAgain = api.post("/v1/admin/session/close", ADMIN, "");
            assertEquals(409, closeAgain.status(), closeAgain.raw());
            assertEquals("SESSION_ALREADY_CLOSED", closeAgain.json().get("code").asText());

            // Reopening moves to the next date after the engine's last session date.
            Response reopen = api.post("/v1/admin/session/open", ADMIN, "");
            assertEquals(200, reopen.status(), reopen.raw());
            assertEquals(firstDate.plusDays(1).toString(), reopen.json().get("session_date").asText());
        }
    }

    @Test
    void shouldRefuseAnExplicitSessionDateThatIsNotAfterTheLastOne() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            exchange.openSession();
            String date = api.get("/v1/session", null).json().get("session_date").asText();
            assertEquals(200, api.post("/v1/admin/session/close", ADMIN, "").status());

            Response same = api.post("/v1/admin/session/open", ADMIN,
                    json("{'session_date':'" + date + "','closes_at':'2100-01-01T00:00:00Z'}"));
            assertEquals(422, same.status(), same.raw());
            assertEquals("INVALID_SESSION_DATE", same.json().get("code").asText());

            Response badDate = api.post("/v1/admin/session/open", ADMIN, json("{'session_date':'tomorrow'}"));
            assertEquals(400, badDate.status(), badDate.raw());
            assertEquals("session_date", badDate.json().get("field").asText());

            Response past = api.post("/v1/admin/session/open", ADMIN, json("{'closes_at':'2000-01-01T00:00:00Z'}"));
            assertEquals(400, past.status(), past.raw());
            assertEquals("closes_at", past.json().get("field").asText());

            Response beyondTheClock = api.post("/v1/admin/session/open", ADMIN,
                    json("{'closes_at':'2999-01-01T00:00:00Z'}"));
            assertEquals(400, beyondTheClock.status(), beyondTheClock.raw());
            assertEquals("closes_at", beyondTheClock.json().get("field").asText());
        }
    }
}
