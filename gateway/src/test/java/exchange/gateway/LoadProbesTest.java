package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static exchange.gateway.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The load-test probes ({@code load_probes}): absent by default; when on, they validate an order
 * request exactly as {@code POST /v1/orders} does, answer with the order as it would be accepted,
 * and change nothing.
 */
@Timeout(60)
class LoadProbesTest {
    @TempDir
    Path dataDir;

    private static String order(String clientOrderId, String qty) {
        return json("{'client_order_id':'" + clientOrderId + "','symbol':'AAPL','side':'buy','qty':" + qty
                + ",'limit_price':'190.00','time_in_force':'day'}");
    }

    @Test
    void shouldNotServeProbesUnlessConfigured() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            exchange.openSession();
            Account a = exchange.fundedAccount("probe-off", Map.of("USD", "1000.00"));
            assertEquals(404, exchange.api.post("/probe/orders", a.key(), order("p-1", "1")).status());
            assertEquals(404, exchange.api.post("/probe/orders-async", a.key(), order("p-1", "1")).status());
        }
    }

    @Test
    void shouldValidateLikeOrderEntryAndChangeNothing() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).loadProbes(true).build())) {
            exchange.openSession();
            Account a = exchange.fundedAccount("probe-on", Map.of("USD", "1000.00"));
            String before = exchange.api.get("/v1/admin/state", TestExchange.ADMIN_KEY).json().get("state_hash").asText();
            for (String path : new String[] {"/probe/orders", "/probe/orders-async"}) {
                Response ok = exchange.api.post(path, a.key(), order("p-1", "3"));
                assertEquals(201, ok.status(), ok.raw());
                assertEquals("p-1", ok.json().get("client_order_id").asText());
                assertEquals("new", ok.json().get("status").asText());
                assertEquals(3, ok.json().get("leaves_qty").asLong());
                assertEquals(a.id(), ok.json().get("account_id").asLong());

                Response bad = exchange.api.post(path, a.key(), order("p-2", "0"));
                assertEquals(400, bad.status(), bad.raw());
                assertEquals("qty", bad.json().get("field").asText());
                assertEquals(401, exchange.api.post(path, "not-a-key", order("p-3", "1")).status());
            }
            assertEquals(before, exchange.api.get("/v1/admin/state", TestExchange.ADMIN_KEY).json().get("state_hash").asText(),
                    "probes change no state");
            assertEquals(404, exchange.api.get("/v1/orders/by-client-id/p-1", a.key()).status(), "no order was placed");
        }
    }
}
