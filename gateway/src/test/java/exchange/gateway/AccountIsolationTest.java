package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Isolation between accounts (issue 20): mallory, holding only her own API key, cannot read,
 * cancel or learn the existence of alice's orders, fills or balances, whether alice's orders are
 * live in the engine or have left it for the history database: by order id, by client order id,
 * by list filters and page tokens. Every such answer is the one for an id that does not exist
 * (404 with the same body) or an empty list, and alice's orders are untouched afterwards.
 */
@Timeout(90)
class AccountIsolationTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;
    private static final long NO_SUCH_ORDER_ID = 987_654_321L;

    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerAnotherAccountsOrdersFillsAndBalancesAsIfTheyDidNotExist() {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.engine().idempotencySessions(0); // ended orders leave the engine at the close: history serves them
        try (TestExchange x = TestExchange.start(cfg.build())) {
            ApiClient api = x.api;
            Account alice = x.fundedAccount("alice", Map.of("USD", "100000.00", "AAPL", "100"));
            Account bob = x.fundedAccount("bob", Map.of("USD", "100000.00"));
            Account mallory = x.fundedAccount("mallory", Map.of("USD", "5000.00"));

            x.openSession();
            long filled = place(api, alice, aaplOrder("alice-filled", "sell", 2, "190.00", "day"));
            place(api, bob, aaplOrder("bob-buy", "buy", 2, "190.00", "day"));
            long canceled = place(api, alice, aaplOrder("alice-canceled", "buy", 1, "180.00", "day"));
            assertEquals(200, api.delete("/v1/orders/" + canceled, alice.key()).status());
            assertEquals(200, api.post("/v1/admin/session/close", ADMIN, "").status());
            x.openSession();
            long open = place(api, alice, aaplOrder("alice-open", "buy", 3, "181.00", "gtc"));
            long mine = place(api, mallory, aaplOrder("mallory-own", "buy", 1, "175.00", "gtc"));
            assertEquals("filled", api.get("/v1/orders/" + filled, alice.key()).json().get("status").asText(),
                    "alice reads her own order from history");

            Response missingId = api.get("/v1/orders/" + NO_SUCH_ORDER_ID, mallory.key());
            Response missingCid = api.get("/v1/orders/by-client-id/no-such-order", mallory.key());
            Response missingCancel = api.delete("/v1/orders/" + NO_SUCH_ORDER_ID, mallory.key());
            assertEquals(404, missingId.status(), missingId.raw());
            assertEquals(404, missingCid.status(), missingCid.raw());
            assertEquals(404, missingCancel.status(), missingCancel.raw());
            for (long id : new long[] {filled, canceled, open}) {
                assertSameAnswer(missingId, api.get("/v1/orders/" + id, mallory.key()), "GET order " + id);
                assertSameAnswer(missingCancel, api.delete("/v1/orders/" + id, mallory.key()), "DELETE order " + id);
            }
            for (String cid : new String[] {"alice-filled", "alice-canceled", "alice-open"}) {
                assertSameAnswer(missingCid, api.get("/v1/orders/by-client-id/" + cid, mallory.key()), "by client id " + cid);
            }

            for (String query : new String[] {"", "?status=all", "?status=open", "?status=closed", "?symbol=AAPL",
                "?status=all&symbol=AAPL&after=2000-01-01T00:00:00Z", "?limit=500"}) {
                List<Long> ids = ids(api.get("/v1/orders" + query, mallory.key()), "orders");
                assertTrue(ids.isEmpty() || ids.equals(List.of(mine)), () -> "GET /v1/orders" + query + ": " + ids);
                assertTrue(ids(api.get("/v1/account/fills" + query.replace("status=open", "symbol=AAPL")
                        .replace("status=closed", "symbol=MSFT").replace("status=all", "limit=100"), mallory.key()),
                        "fills").isEmpty(), "mallory has no fills: " + query);
            }
            // a page token from alice's list says nothing to mallory
            Response alicePage = api.get("/v1/orders?status=all&limit=1", alice.key());
            String token = alicePage.json().get("next_page_token").asText();
            Response replayed = api.get("/v1/orders?status=all&limit=1&page_token=" + token, mallory.key());
            assertTrue(replayed.status() == 200 || replayed.status() == 400, replayed.raw());
            if (replayed.status() == 200) {
                List<Long> ids = ids(replayed, "orders");
                assertTrue(ids.isEmpty() || ids.equals(List.of(mine)), "alice's page token showed " + ids);
            }

            JsonNode account = api.get("/v1/account", mallory.key()).json();
            assertEquals(mallory.id(), account.get("account_id").asLong());
            assertEquals("5000.00", account.get("cash").get("total").asText(), account.toString());
            for (JsonNode p : account.get("positions")) {
                assertEquals(0, p.get("qty").asLong(), "mallory holds no shares: " + account);
            }
            assertEquals(401, api.get("/v1/admin/state", mallory.key()).status(), "an API key is not the admin key");
            assertEquals(401, api.get("/v1/admin/reports/eod/2026-01-01", mallory.key()).status());
            assertEquals(401, api.post("/v1/admin/accounts/" + alice.id() + "/withdrawals", mallory.key(),
                    "{\"asset\":\"USD\",\"amount\":\"1.00\",\"transfer_id\":\"steal\"}").status());

            // alice's client order id is free in mallory's namespace: reusing it is a new order, not a 409
            Response reuse = api.post("/v1/orders", mallory.key(), aaplOrder("alice-open", "buy", 1, "175.00", "gtc"));
            assertEquals(201, reuse.status(), "reusing another account's client_order_id must not reveal it: " + reuse.raw());
            assertEquals(mallory.id(), reuse.json().get("account_id").asLong());

            JsonNode aliceOpen = api.get("/v1/orders/" + open, alice.key()).json();
            assertEquals("new", aliceOpen.get("status").asText(), "mallory's cancel must not have touched it");
            assertEquals(3, aliceOpen.get("leaves_qty").asLong());
            JsonNode aliceAccount = api.get("/v1/account", alice.key()).json();
            assertEquals(alice.id(), aliceAccount.get("account_id").asLong());
            assertFalse(ids(api.get("/v1/account/fills", alice.key()), "fills").isEmpty(), "alice's own fill is there");
        }
    }

    private static long place(ApiClient api, Account a, String body) {
        Response r = api.post("/v1/orders", a.key(), body);
        assertEquals(201, r.status(), r.raw());
        return r.json().get("order_id").asLong();
    }

    private static void assertSameAnswer(Response nonexistent, Response r, String what) {
        assertEquals(nonexistent.status(), r.status(), what + ": " + r.raw());
        assertEquals(nonexistent.raw(), r.raw(), what + " must answer exactly as a nonexistent one");
    }

    private static List<Long> ids(Response r, String listField) {
        assertEquals(200, r.status(), r.raw());
        List<Long> ids = new ArrayList<>();
        for (JsonNode row : r.json().get(listField)) {
            ids.add(row.has("order_id") && listField.equals("orders") ? row.get("order_id").asLong()
                    : row.get("trade_id").asLong());
        }
        return ids;
    }
}
