package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.persistence.DiskSpaceGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static exchange.gateway.ApiClient.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A journal disk below {@code min_free_disk_bytes}: new business (orders, transfers, accounts) is
 * refused with 503 {@code JOURNAL_DISK_LOW} and Retry-After, changing nothing, while cancels,
 * queries and the session still work; freed space admits business again. The disk is a test seam
 * (its usable bytes and the guard's clock are the test's), the rest is the real server over HTTP.
 */
@Timeout(30)
class DiskLowHttpTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;
    private static final long MIN_FREE = 1L << 30;

    @TempDir
    Path dataDir;

    private final AtomicLong usable = new AtomicLong(10 * MIN_FREE);
    private final AtomicLong now = new AtomicLong();

    private void setUsable(long bytes) {
        usable.set(bytes);
        now.addAndGet(DiskSpaceGuard.RECHECK_NANOS); // the guard's next question reads the disk again
    }

    private static String order(String clientOrderId, String side) {
        return json("{'client_order_id':'" + clientOrderId + "','symbol':'AAPL','side':'" + side
                + "','qty':1,'limit_price':'190.00'}");
    }

    @Test
    void shouldRefuseNewBusinessButKeepCancelsWhileTheDiskIsLow() {
        DiskSpaceGuard guard = new DiskSpaceGuard("test disk", MIN_FREE, usable::get, now::get);
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build(), o -> o.diskSpace(guard))) {
            ApiClient api = exchange.api;
            exchange.openSession();
            Account trader = exchange.fundedAccount("dana", Map.of("USD", "10000.00"));
            Response resting = api.post("/v1/orders", trader.key(), order("before-1", "buy"));
            assertEquals(201, resting.status(), resting.raw());
            long restingId = resting.json().get("order_id").asLong();

            setUsable(MIN_FREE - 1);
            JsonNode before = api.get("/v1/admin/state", ADMIN).json();
            assertDiskLow(api.post("/v1/orders", trader.key(), order("during-1", "buy")));
            assertDiskLow(api.post("/v1/admin/accounts/" + trader.id() + "/deposits", ADMIN,
                    json("{'asset':'USD','amount':'1.00','transfer_id':'t-low'}")));
            assertDiskLow(api.post("/v1/admin/accounts/" + trader.id() + "/withdrawals", ADMIN,
                    json("{'asset':'USD','amount':'1.00','transfer_id':'w-low'}")));
            assertDiskLow(api.post("/v1/admin/accounts", ADMIN, "{\"name\":\"erin\"}"));
            JsonNode after = api.get("/v1/admin/state", ADMIN).json();
            assertEquals(before.get("seq"), after.get("seq"), "refused requests reached the engine");
            assertEquals(before.get("state_hash"), after.get("state_hash"));
            assertEquals(404, api.get("/v1/orders/by-client-id/during-1", trader.key()).status());

            // what shrinks risk still runs, and reads are unaffected
            Response canceled = api.delete("/v1/orders/" + restingId, trader.key());
            assertEquals(200, canceled.status(), canceled.raw());
            assertEquals("canceled", canceled.json().get("status").asText());
            assertEquals("0.00", api.get("/v1/account", trader.key()).json().get("cash").get("reserved").asText());
            assertEquals(200, api.post("/v1/admin/session/close", ADMIN, "").status());
            assertEquals(200, api.post("/v1/admin/session/open", ADMIN, "").status());
            String metrics = api.get("/metrics", ADMIN).raw();
            assertTrue(metrics.contains("exchange_journal_disk_low 1"), metrics);
            assertTrue(metrics.contains("exchange_journal_disk_usable_bytes " + (MIN_FREE - 1)), metrics);

            // a snapshot that would eat into the reserve is refused too; one that fits is written
            setUsable(MIN_FREE + 100);
            Response snapshot = api.post("/v1/admin/snapshot", ADMIN, "");
            assertDiskLow(snapshot);
            assertTrue(snapshot.json().get("detail").asText().contains("snapshot"), snapshot.raw());

            setUsable(2 * MIN_FREE);
            assertEquals(201, api.post("/v1/admin/snapshot", ADMIN, "").status());
            Response again = api.post("/v1/orders", trader.key(), order("after-1", "buy"));
            assertEquals(201, again.status(), again.raw());
            assertTrue(api.get("/metrics", ADMIN).raw().contains("exchange_journal_disk_low 0"));
        }
    }

    private static void assertDiskLow(Response r) {
        assertEquals(503, r.status(), r.raw());
        assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
        assertEquals("JOURNAL_DISK_LOW", r.json().get("code").asText(), r.raw());
        assertEquals("30", r.header("Retry-After"));
    }
}
