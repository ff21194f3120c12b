package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A seeded random AAPL order flow over HTTP between two funded accounts: limit orders around
 * $190 (some crossing, some resting, some IOC) and cancels of resting ones, so the book sees
 * adds, partial fills, full fills and removals. Prints nothing; the caller prints the seed.
 */
final class RandomOrderFlow {
    private final ApiClient api;
    private final List<String> keys;
    private final Random random;
    private final List<String[]> resting = new ArrayList<>(); // {key, orderId}
    private int next;
    private long lastSeq;

    RandomOrderFlow(ApiClient api, List<String> keys, long seed) {
        this.api = api;
        this.keys = List.copyOf(keys);
        this.random = new Random(seed);
    }

    /** Places or cancels {@code n} times; returns the last acknowledged sequence. */
    long run(int n) {
        for (int i = 0; i < n; i++) {
            step();
        }
        return lastSeq;
    }

    void step() {
        if (!resting.isEmpty() && random.nextInt(5) == 0) {
            String[] o = resting.remove(random.nextInt(resting.size()));
            ApiClient.Response r = api.delete("/v1/orders/" + o[1], o[0]);
            assertTrue(r.status() == 200 || r.status() == 422, r.raw());
            if (r.status() == 200) {
                lastSeq = Math.max(lastSeq, r.json().get("seq").asLong());
            }
            return;
        }
        String key = keys.get(random.nextInt(keys.size()));
        boolean buy = random.nextBoolean();
        // bids 189.00..190.19, asks 189.81..191.00: about one order in four crosses
        int cents = buy ? 18_900 + random.nextInt(120) : 18_981 + random.nextInt(120);
        String price = (cents / 100) + "." + String.format("%02d", cents % 100);
        String tif = random.nextInt(8) == 0 ? "ioc" : "day";
        String body = TestExchange.aaplOrder("f" + (next++) + "-" + random.nextInt(1_000_000), buy ? "buy" : "sell",
                1 + random.nextInt(20), price, tif);
        ApiClient.Response r = api.post("/v1/orders", key, body);
        assertTrue(r.status() == 201, r.raw());
        JsonNode o = r.json();
        lastSeq = Math.max(lastSeq, o.get("seq").asLong());
        String status = o.get("status").asText();
        if (status.equals("new") || status.equals("partially_filled")) {
            resting.add(new String[] {key, o.get("order_id").asText()});
        }
    }

    long lastSeq() {
        return lastSeq;
    }
}
