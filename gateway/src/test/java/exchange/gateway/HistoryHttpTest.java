package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static exchange.gateway.ApiClient.json;
import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orders and fills of any age over HTTP (durability mode: process): the engine keeps only live
 * orders and its idempotency window, the history database the rest, and the API merges both
 * without gaps or duplicates. Also the window itself: a retry inside it answers the original
 * order, outside it the client order id is free again, also across a restart.
 */
@Timeout(120)
class HistoryHttpTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;

    @TempDir
    Path dataDir;

    private static void close(TestExchange x) {
        Response r = x.api.post("/v1/admin/session/close", ADMIN, "");
        assertEquals(200, r.status(), r.raw());
    }

    private static long heldOrders(TestExchange x) {
        return x.api.get("/v1/admin/state", ADMIN).json().get("held_orders").asLong();
    }

    /** Every page of a list, following next_page_token. */
    private static List<JsonNode> allPages(ApiClient api, String path, String key, String listField) {
        List<JsonNode> rows = new ArrayList<>();
        String token = null;
        for (int page = 0; page < 1_000; page++) {
            String sep = path.contains("?") ? "&" : "?";
            Response r = api.get(path + (token == null ? "" : sep + "page_token=" + token), key);
            assertEquals(200, r.status(), r.raw());
            r.json().get(listField).forEach(rows::add);
            JsonNode next = r.json().get("next_page_token");
            if (next == null || next.isNull()) {
                return rows;
            }
            token = next.asText();
        }
        throw new AssertionError("more than 1,000 pages");
    }

    @Test
    void shouldServeOrdersAndFillsOfPastSessionsFromHistoryWhenTheEngineHasLetThemGo() {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.engine().idempotencySessions(0);
        try (TestExchange x = TestExchange.start(cfg.build())) {
            ApiClient api = x.api;
            Account buyer = x.fundedAccount("buyer", Map.of("USD", "1000000.00"));
            Account seller = x.fundedAccount("seller", Map.of("AAPL", "1000"));
            Set<Long> placed = new HashSet<>();
            long filledId = 0;
            long canceledId = 0;
            for (int session = 0; session < 3; session++) {
                x.openSession();
                for (int i = 0; i < 5; i++) {
                    Response sell = api.post("/v1/orders", seller.key(), aaplOrder("s-" + session + "-" + i, "sell", 2,
                            "190.00", "day"));
                    assertEquals(201, sell.status(), sell.raw());
                    Response buy = api.post("/v1/orders", buyer.key(), aaplOrder("b-" + session + "-" + i, "buy", 2,
                            "190.00", "day"));
                    assertEquals(201, buy.status(), buy.raw());
                    assertEquals("filled", buy.json().get("status").asText());
                    placed.add(buy.json().get("order_id").asLong());
                    filledId = buy.json().get("order_id").asLong();
                }
                Response resting = api.post("/v1/orders", buyer.key(),
                        aaplOrder("r-" + session, "buy", 1, "180.00", "day"));
                placed.add(resting.json().get("order_id").asLong());
                Response cancel = api.delete("/v1/orders/" + resting.json().get("order_id").asLong(), buyer.key());
                assertEquals(200, cancel.status(), cancel.raw());
                canceledId = resting.json().get("order_id").asLong();
                close(x);
            }
            assertEquals(0, heldOrders(x), "with idempotency_sessions 0 the engine keeps no ended order after a close");

            Response old = api.get("/v1/orders/" + filledId, buyer.key());
            assertEquals(200, old.status(), old.raw());
            assertEquals("filled", old.json().get("status").asText());
            assertEquals(2, old.json().get("filled_qty").asLong());
            assertEquals("190.00", old.json().get("avg_fill_price").asText());
            assertEquals(404, api.get("/v1/orders/" + filledId, seller.key()).status(), "another account's order");
            Response byClientId = api.get("/v1/orders/by-client-id/b-0-0", buyer.key());
            assertEquals(200, byClientId.status(), byClientId.raw());
            assertEquals("b-0-0", byClientId.json().get("client_order_id").asText());

            Response lateCancel = api.delete("/v1/orders/" + filledId, buyer.key());
            assertEquals(422, lateCancel.status(), lateCancel.raw());
            assertEquals("TOO_LATE_TO_CANCEL", lateCancel.json().get("code").asText());
            Response againCanceled = api.delete("/v1/orders/" + canceledId, buyer.key());
            assertEquals(200, againCanceled.status(), againCanceled.raw());
            assertEquals("canceled", againCanceled.json().get("status").asText());

            List<JsonNode> orders = allPages(api, "/v1/orders?status=all&limit=4", buyer.key(), "orders");
            List<Long> ids = new ArrayList<>();
            orders.forEach(o -> ids.add(o.get("order_id").asLong()));
            assertEquals(placed, new HashSet<>(ids), "every order of every session, once");
            assertEquals(ids.size(), placed.size(), "no duplicates across pages");
            for (int i = 1; i < ids.size(); i++) {
                assertTrue(ids.get(i - 1) > ids.get(i), "newest first");
            }
            assertEquals(0, allPages(api, "/v1/orders?status=open", buyer.key(), "orders").size());

            List<JsonNode> fills = allPages(api, "/v1/account/fills?limit=7", buyer.key(), "fills");
            assertEquals(15, fills.size(), "five fills a session, three sessions");
            List<JsonNode> sellerFills = allPages(api, "/v1/account/fills?symbol=AAPL", seller.key(), "fills");
            assertEquals(15, sellerFills.size());
            assertEquals("maker", sellerFills.get(0).get("liquidity").asText());
            assertEquals(0, allPages(api, "/v1/account/fills?symbol=MSFT", seller.key(), "fills").size());

            Response badToken = api.get("/v1/orders?page_token=not-a-token", buyer.key());
            assertEquals(400, badToken.status(), badToken.raw());
            assertEquals("INVALID_PAGE_TOKEN", badToken.json().get("code").asText());
        }
    }

    @Test
    void shouldAnswerARetryInsideTheWindowWithTheOriginalAndFreeTheIdOutsideItAlsoAfterARestart() {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.engine().idempotencySessions(1);
        long original;
        Account buyer;
        try (TestExchange x = TestExchange.start(cfg.build())) {
            buyer = x.fundedAccount("buyer", Map.of("USD", "100000.00"));
            x.openSession();
            Response first = x.api.post("/v1/orders", buyer.key(), aaplOrder("dup-1", "buy", 1, "180.00", "ioc"));
            assertEquals(201, first.status(), first.raw());
            original = first.json().get("order_id").asLong();
            close(x);
        }
        try (TestExchange x = TestExchange.start(cfg.build())) {
            x.openSession();
            Response retry = x.api.post("/v1/orders", buyer.key(), aaplOrder("dup-1", "buy", 1, "180.00", "ioc"));
            assertEquals(200, retry.status(), "inside the window (one session back), after a restart: " + retry.raw());
            assertEquals(original, retry.json().get("order_id").asLong());
            Response conflict = x.api.post("/v1/orders", buyer.key(), aaplOrder("dup-1", "buy", 2, "180.00", "ioc"));
            assertEquals(409, conflict.status(), conflict.raw());
            close(x);
            x.openSession();
            Response reused = x.api.post("/v1/orders", buyer.key(), aaplOrder("dup-1", "buy", 1, "180.00", "ioc"));
            assertEquals(201, reused.status(), "two sessions later the id is free again: " + reused.raw());
            assertNotEquals(original, reused.json().get("order_id").asLong());
            Response newest = x.api.get("/v1/orders/by-client-id/dup-1", buyer.key());
            assertEquals(reused.json().get("order_id").asLong(), newest.json().get("order_id").asLong(),
                    "a reused client order id names its newest order");
            Response oldOne = x.api.get("/v1/orders/" + original, buyer.key());
            assertEquals(200, oldOne.status(), "the first order is still readable from history: " + oldOne.raw());
        }
    }

    @Test
    void shouldRebuildAMissingHistoryDatabaseWhileTakingOrders() throws Exception {
        GatewayConfig.Builder cfg = TestExchange.config(dataDir);
        cfg.engine().idempotencySessions(0);
        Account buyer;
        long oldOrder;
        try (TestExchange x = TestExchange.start(cfg.build())) {
            buyer = x.fundedAccount("buyer", Map.of("USD", "100000.00"));
            Account seller = x.fundedAccount("seller", Map.of("AAPL", "100"));
            x.openSession();
            x.api.post("/v1/orders", seller.key(), aaplOrder("s-1", "sell", 5, "190.00", "day"));
            Response buy = x.api.post("/v1/orders", buyer.key(), aaplOrder("b-1", "buy", 5, "190.00", "day"));
            oldOrder = buy.json().get("order_id").asLong();
            close(x);
        }
        Path db = dataDir.resolve("history").resolve("history.db");
        assertTrue(Files.exists(db), "the history database is a file under the data directory");
        Files.write(db, "this is not a database".getBytes());
        Files.deleteIfExists(dataDir.resolve("history").resolve("history.db-wal"));
        Files.deleteIfExists(dataDir.resolve("history").resolve("history.db-shm"));
        try (TestExchange x = TestExchange.start(cfg.build())) {
            x.openSession();
            Response placed = x.api.post("/v1/orders", buyer.key(), aaplOrder("b-2", "buy", 1, "180.00", "day"));
            assertEquals(201, placed.status(), "orders are taken while history rebuilds: " + placed.raw());
            Response old = x.api.get("/v1/orders/" + oldOrder, buyer.key());
            assertTrue(old.status() == 200 || old.status() == 503, old.raw());
            if (old.status() == 503) {
                assertEquals("HISTORY_UNAVAILABLE", old.json().get("code").asText());
                assertFalse(old.headers().firstValue("Retry-After").isEmpty());
            }
            Response fills = x.api.get("/v1/account/fills", buyer.key());
            for (int i = 0; i < 100 && fills.status() == 503; i++) {
                Thread.sleep(100);
                fills = x.api.get("/v1/account/fills", buyer.key());
            }
            assertEquals(200, fills.status(), fills.raw());
            assertEquals(1, fills.json().get("fills").size(), "the rebuilt database has the old fill");
            assertEquals("filled", x.api.get("/v1/orders/" + oldOrder, buyer.key()).json().get("status").asText());
        }
        try (var files = Files.list(dataDir.resolve("history"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("history.db.corrupt")),
                    "the damaged file is kept aside for the operator");
        }
    }
}
