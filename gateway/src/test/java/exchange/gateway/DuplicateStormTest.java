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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Duplicate storms (issue 20): {@value #STORM} requests sent at once with one
 * {@code client_order_id} create exactly one order. With one body, one answer is 201 and every
 * other is 200 with the identical order; with bodies that differ, the others are 409
 * {@code CLIENT_ORDER_ID_CONFLICT} naming the differing fields. Then the server is stopped and
 * started again on the same data directory (the journal replayed) and the same storms hit the
 * recovered exchange: no new order, the same answers.
 */
@Timeout(120)
class DuplicateStormTest {
    static final int STORM = 32;

    @TempDir
    Path dataDir;

    @Test
    void shouldCreateExactlyOneOrderPerClientOrderIdUnderAStormAndAgainAfterARestart() throws Exception {
        GatewayConfig config = TestExchange.config(dataDir).build();
        Account trader;
        JsonNode sameOrder;
        JsonNode conflictOrder;
        JsonNode stateBefore;
        try (TestExchange exchange = TestExchange.start(config)) {
            exchange.openSession();
            trader = exchange.fundedAccount("storm", Map.of("USD", "1000000.00"));
            ApiClient api = exchange.api;

            List<Response> same = storm(i -> api.post("/v1/orders", trader.key(), body("same", 10, "180.00")));
            sameOrder = onlyCreated(same);
            for (Response r : same) {
                if (r.status() != 201) {
                    assertEquals(200, r.status(), r.raw());
                    assertEquals(sameOrder, r.json(), "a repeat must answer with the identical order");
                }
            }

            // every body differs from every other in qty; the first to reach the engine wins
            List<Response> mixed = storm(i -> api.post("/v1/orders", trader.key(), body("mixed", 1 + i, "180.00")));
            conflictOrder = onlyCreated(mixed);
            for (Response r : mixed) {
                if (r.status() != 201) {
                    assertConflict(r, "[\"qty\"]", conflictOrder);
                }
            }
            stateBefore = state(api);
            assertEquals(2, stateBefore.get("open_orders").asInt(), stateBefore.toString());
        }

        try (TestExchange restarted = TestExchange.start(config)) {
            ApiClient api = restarted.api;
            assertEquals(stateBefore.get("state_hash"), state(api).get("state_hash"), "recovered state");
            for (Response r : storm(i -> api.post("/v1/orders", trader.key(), body("same", 10, "180.00")))) {
                assertEquals(200, r.status(), r.raw());
                assertEquals(sameOrder.get("order_id"), r.json().get("order_id"));
                assertEquals(sameOrder.get("qty"), r.json().get("qty"));
                assertEquals(sameOrder.get("client_order_id"), r.json().get("client_order_id"));
            }
            long winnerQty = conflictOrder.get("qty").asLong();
            List<Response> mixed = storm(i -> api.post("/v1/orders", trader.key(),
                    body("mixed", 1 + i, i % 2 == 0 ? "180.00" : "180.01")));
            for (int i = 0; i < STORM; i++) {
                Response r = mixed.get(i);
                boolean sameQty = 1 + i == winnerQty;
                boolean samePrice = i % 2 == 0;
                if (sameQty && samePrice) {
                    assertEquals(200, r.status(), r.raw());
                    assertEquals(conflictOrder.get("order_id"), r.json().get("order_id"));
                } else {
                    String fields = !sameQty && !samePrice ? "[\"qty\",\"limit_price\"]"
                            : sameQty ? "[\"limit_price\"]" : "[\"qty\"]";
                    assertConflict(r, fields, null);
                    assertEquals(conflictOrder.get("order_id"), r.json().get("order").get("order_id"), r.raw());
                }
            }
            // the retries are journaled commands (seq and so state_hash move on); nothing else may change
            JsonNode after = state(api);
            assertEquals(withoutSeq(stateBefore), withoutSeq(after), "retries after the restart changed the state");
        }
    }

    private static String body(String clientOrderId, int qty, String price) {
        return TestExchange.aaplOrder(clientOrderId, "buy", qty, price, "gtc");
    }

    /** Sends {@value #STORM} requests released together from as many threads; answers in request order. */
    private static List<Response> storm(IntFunction<Response> request) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(STORM);
        try {
            CountDownLatch ready = new CountDownLatch(STORM);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Response>> futures = new ArrayList<>();
            for (int i = 0; i < STORM; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return request.apply(n);
                }));
            }
            assertTrue(ready.await(30, TimeUnit.SECONDS), "the storm's threads did not start");
            go.countDown();
            List<Response> out = new ArrayList<>();
            for (Future<Response> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** The one 201 of a storm, asserting there is exactly one. */
    private static JsonNode onlyCreated(List<Response> answers) {
        List<Response> created = answers.stream().filter(r -> r.status() == 201).toList();
        assertEquals(1, created.size(), () -> "exactly one request creates the order; answers: "
                + answers.stream().map(Response::status).toList());
        return created.get(0).json();
    }

    private static void assertConflict(Response r, String fields, JsonNode order) {
        assertEquals(409, r.status(), r.raw());
        assertEquals("CLIENT_ORDER_ID_CONFLICT", r.json().get("code").asText(), r.raw());
        assertEquals(fields, r.json().get("fields").toString(), r.raw());
        if (order != null) {
            assertEquals(order, r.json().get("order"), "a conflict carries the order that holds the id");
        }
    }

    private static JsonNode withoutSeq(JsonNode state) {
        com.fasterxml.jackson.databind.node.ObjectNode copy = state.deepCopy();
        copy.remove(List.of("seq", "state_hash"));
        return copy;
    }

    private static JsonNode state(ApiClient api) {
        Response r = api.get("/v1/admin/state", TestExchange.ADMIN_KEY);
        assertEquals(200, r.status(), r.raw());
        return r.json();
    }
}
