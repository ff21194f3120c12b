package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.journal.JournalReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Many threads and accounts place, retry and cancel thousands of orders at once over HTTP
 * (durability mode: process). Afterwards nothing is lost or duplicated, cash and shares are
 * conserved, and the live state hash equals the hash of a fresh engine that applies the journal
 * (the engine's own order) from the start.
 */
@Timeout(120)
class ConcurrentOrderEntryTest {
    private static final int THREADS = 8;
    private static final int ACCOUNTS = 16;
    private static final int ORDERS_PER_THREAD = 300;
    private static final long SEED = 20261121L;

    @TempDir
    Path dataDir;

    @Test
    void shouldLoseNothingConserveBalancesAndMatchAFreshReplayOfTheJournal() throws Exception {
        GatewayConfig config = TestExchange.config(dataDir).rateLimit(1_000_000, 1_000_000).build();
        try (TestExchange exchange = TestExchange.start(config)) {
            ApiClient admin = exchange.api;
            exchange.openSession();
            List<Account> accounts = new ArrayList<>();
            for (int i = 0; i < ACCOUNTS; i++) {
                accounts.add(exchange.fundedAccount("trader-" + i, Map.of("USD", "1000000.00", "AAPL", "5000",
                        "MSFT", "5000")));
            }

            Map<String, Long> orderIdByClientId = new ConcurrentHashMap<>();
            Map<String, String> keyByClientId = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            List<Future<Integer>> workers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                workers.add(pool.submit(() -> trade(exchange.server.port(), accounts, thread, orderIdByClientId,
                        keyByClientId)));
            }
            int acknowledged = 0;
            for (Future<Integer> w : workers) {
                acknowledged += w.get(100, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertEquals(THREADS * ORDERS_PER_THREAD, acknowledged, "every order got an answer with an order");

            Set<Long> distinct = new HashSet<>(orderIdByClientId.values());
            assertEquals(orderIdByClientId.size(), distinct.size(), "no order id was given twice");
            for (Map.Entry<String, Long> e : orderIdByClientId.entrySet()) {
                Response r = admin.get("/v1/orders/by-client-id/" + e.getKey(), keyByClientId.get(e.getKey()));
                assertEquals(200, r.status(), r.raw());
                assertEquals(e.getValue().longValue(), r.json().get("order_id").asLong(), "order " + e.getKey());
            }

            JsonNode state = admin.get("/v1/admin/state", TestExchange.ADMIN_KEY).json();
            assertEquals(Long.toString(ACCOUNTS * 1_000_000L) + ".00", state.get("cash").get("total").asText(),
                    "cash is conserved (no fees configured)");
            assertEquals(ACCOUNTS * 5000L, state.get("positions").get("AAPL").get("total").asLong());
            assertEquals(ACCOUNTS * 5000L, state.get("positions").get("MSFT").get("total").asLong());
            long liveSeq = state.get("seq").asLong();
            String liveHash = state.get("state_hash").asText();

            Exchange fresh = new Exchange(config.exchangeConfig());
            long[] applied = {0};
            try (JournalReader reader = JournalReader.openReadOnly(dataDir)) {
                reader.read(0, (Command c) -> {
                    if (c.seq > liveSeq) {
                        return false;
                    }
                    fresh.apply(c, EventSink.NONE);
                    applied[0]++;
                    return true;
                });
            }
            assertEquals(liveSeq, applied[0], "the journal holds every command the engine applied");
            assertEquals(liveHash, String.format("%016x", fresh.stateHash()),
                    "a fresh engine fed the journal in the engine's order reaches the same state");
            fresh.validateInternalState();
        }
    }

    /** One client thread: places orders (some retried with the same body), cancels some of its own. */
    private static int trade(int port, List<Account> accounts, int thread, Map<String, Long> orderIdByClientId,
                             Map<String, String> keyByClientId) {
        ApiClient api = new ApiClient(port);
        Random random = new Random(SEED + thread);
        int acknowledged = 0;
        List<Long> mine = new ArrayList<>();
        Map<Long, String> keyOf = new HashMap<>();
        for (int i = 0; i < ORDERS_PER_THREAD; i++) {
            Account a = accounts.get(random.nextInt(accounts.size()));
            String clientId = "t" + thread + "-" + i;
            String symbol = random.nextBoolean() ? "AAPL" : "MSFT";
            String side = random.nextBoolean() ? "buy" : "sell";
            long cents = (symbol.equals("AAPL") ? 19_000 : 30_000) + random.nextInt(201) - 100;
            String tif = switch (random.nextInt(10)) {
                case 0 -> "ioc";
                case 1 -> "fok";
                case 2 -> "gtc";
                default -> "day";
            };
            String body = ApiClient.json("{'client_order_id':'" + clientId + "','symbol':'" + symbol + "','side':'"
                    + side + "','qty':" + (1 + random.nextInt(50)) + ",'limit_price':'" + cents / 100 + "."
                    + String.format("%02d", cents % 100) + "','time_in_force':'" + tif + "'}");
            Response r = api.post("/v1/orders", a.key(), body);
            JsonNode order = r.status() == 422 ? r.json().get("order") : r.json();
            assertTrue(r.status() == 201 || r.status() == 422, r.raw());
            assertNotNull(order, r.raw());
            long orderId = order.get("order_id").asLong();
            orderIdByClientId.put(clientId, orderId);
            keyByClientId.put(clientId, a.key());
            acknowledged++;
            if (random.nextInt(10) == 0) {
                Response retry = api.post("/v1/orders", a.key(), body);
                JsonNode again = retry.status() == 422 ? retry.json().get("order") : retry.json();
                assertTrue(retry.status() == 200 || retry.status() == 422, retry.raw());
                assertEquals(orderId, again.get("order_id").asLong(), "an idempotent retry returns the same order");
            }
            mine.add(orderId);
            keyOf.put(orderId, a.key());
            if (random.nextInt(4) == 0) {
                long victim = mine.get(random.nextInt(mine.size()));
                Response c = api.delete("/v1/orders/" + victim, keyOf.get(victim));
                assertTrue(c.status() == 200 || c.status() == 422, c.raw());
            }
        }
        return acknowledged;
    }
}
