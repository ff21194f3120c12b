package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.crash.Traders.Trader;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the clients know about their orders: every order request sent, keyed by client order id,
 * with the last order view the exchange acknowledged for it (the answer to the place, or to a later
 * cancel), or none if no answer ever came (in flight at the kill, or refused with 503 before the
 * ring). It also keeps the highest engine sequence seen in any acknowledgement, and every answer
 * the load did not expect, so the test can fail on it.
 *
 * <p>Thread safety: each entry is written only by the thread of the trader that owns it; the
 * verifying thread reads entries after those threads have ended (or through the volatile field).
 */
final class OrderLedger {

    /** One order request and what was acknowledged for it. */
    static final class Entry {
        final Trader trader;
        final OrderRequest request;
        final int cycle;
        private volatile JsonNode acknowledged;

        Entry(Trader trader, OrderRequest request, int cycle) {
            this.trader = trader;
            this.request = request;
            this.cycle = cycle;
        }

        /** The last acknowledged view of the order, or null if it was never acknowledged. */
        JsonNode acknowledged() {
            return acknowledged;
        }

        long orderId() {
            return acknowledged == null ? 0 : acknowledged.get("order_id").asLong();
        }

        String status() {
            return acknowledged == null ? null : acknowledged.get("status").asText();
        }

        @Override
        public String toString() {
            return request.clientOrderId() + " of " + trader + " (cycle " + cycle + ", acknowledged "
                    + (acknowledged == null ? "never" : acknowledged.toString()) + ")";
        }
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final Queue<String> unexpected = new ConcurrentLinkedQueue<>();
    private final AtomicLong acknowledgedOrders = new AtomicLong();
    private final AtomicLong maxAcknowledgedSeq = new AtomicLong();

    /** Records a request about to be sent; its client order id must be new. */
    Entry sent(Trader trader, OrderRequest request, int cycle) {
        Entry e = new Entry(trader, request, cycle);
        if (entries.putIfAbsent(request.clientOrderId(), e) != null) {
            throw new IllegalStateException("client order id used twice by the load: " + request.clientOrderId());
        }
        return e;
    }

    /** Records an acknowledged view of {@code e}'s order (from a place, a retry or a cancel answer). */
    void acknowledge(Entry e, JsonNode order) {
        if (e.acknowledged == null) {
            acknowledgedOrders.incrementAndGet();
        }
        e.acknowledged = order;
        maxAcknowledgedSeq.accumulateAndGet(order.get("seq").asLong(), Math::max);
    }

    /** Records an answer the load did not expect (the test fails on any). */
    void unexpected(String what) {
        unexpected.add(what);
    }

    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    /** Orders acknowledged at least once. */
    long acknowledgedCount() {
        return acknowledgedOrders.get();
    }

    /** The highest engine sequence of any acknowledged answer: the journal must reach it. */
    long maxAcknowledgedSeq() {
        return maxAcknowledgedSeq.get();
    }

    /** Every acknowledged entry, in client order id order. */
    List<Entry> acknowledged() {
        return select(true);
    }

    /** Every entry sent but never acknowledged, in client order id order. */
    List<Entry> unacknowledged() {
        return select(false);
    }

    int size() {
        return entries.size();
    }

    private List<Entry> select(boolean acked) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries.values()) {
            if ((e.acknowledged != null) == acked) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(e -> e.request.clientOrderId()));
        return out;
    }
}
