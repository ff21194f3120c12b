package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.crash.Traders.Trader;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Order flow against a child exchange: one thread per trader, each placing random orders
 * ({@link OrderRequest#random}) and now and then canceling one of its own live orders, every
 * request and every acknowledgement recorded in an {@link OrderLedger}. A thread ends when
 * {@link #stopAndJoin} is called, after {@code maxRequestsPerTrader} requests, or at its first
 * request that gets no answer at all (the child was killed): that request's outcome is unknown and
 * stays unacknowledged in the ledger.
 *
 * <p>Answers the load expects: 201 with the order, 422 with the rejected order, 200 or 422
 * {@code TOO_LATE_TO_CANCEL} to a cancel, and 503 {@code OVERLOADED} or {@code QUEUED_TOO_LONG}
 * (not acknowledged, nothing journaled). 503 {@code UNAVAILABLE} (a graceful stop under way: nothing journaled) ends the
 * thread as a request without an answer does. Anything else is recorded as unexpected.
 */
final class TradingLoad {
    private static final int CANCEL_PERCENT = 15;

    private final ExchangeClient client;
    private final List<Trader> traders;
    private final OrderLedger ledger;
    private final int cycle;
    private final long seed;
    private final int maxRequestsPerTrader;
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicInteger endedUnreachable = new AtomicInteger();
    private final AtomicInteger overloaded = new AtomicInteger();
    private final AtomicInteger refusedWhileStopping = new AtomicInteger();
    private volatile boolean stopped;
    private long acknowledgedAtStart;

    TradingLoad(ExchangeClient client, List<Trader> traders, OrderLedger ledger, int cycle, long seed,
                int maxRequestsPerTrader) {
        this.client = client;
        this.traders = traders;
        this.ledger = ledger;
        this.cycle = cycle;
        this.seed = seed;
        this.maxRequestsPerTrader = maxRequestsPerTrader;
    }

    /** Starts one daemon thread per trader. */
    TradingLoad start() {
        acknowledgedAtStart = ledger.acknowledgedCount();
        for (Trader t : traders) {
            Random rnd = new Random(seed * 31 + t.index() * 1_000_003L + cycle);
            Thread th = new Thread(() -> run(t, rnd), "crash-load-" + cycle + "-" + t.index());
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        return this;
    }

    /** Sleeps until this run has {@code orders} newly acknowledged orders, every thread ended, or {@code max} passed. */
    void awaitAcknowledged(long orders, Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        while (ledger.acknowledgedCount() - acknowledgedAtStart < orders && System.nanoTime() - deadline < 0
                && threads.stream().anyMatch(Thread::isAlive)) {
            ChildExchange.sleep(Duration.ofMillis(20));
        }
    }

    /** Orders acknowledged since {@link #start}. */
    long acknowledgedThisRun() {
        return ledger.acknowledgedCount() - acknowledgedAtStart;
    }

    /** Asks every thread to end and waits for them (each ends within one request timeout). */
    void stopAndJoin(Duration timeout) {
        stopped = true;
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread th : threads) {
            try {
                th.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted joining the load", e);
            }
            if (th.isAlive()) {
                fail(th.getName() + " did not end within " + timeout);
            }
        }
    }

    /** Threads that ended on a request without an answer (the kill). */
    int endedUnreachable() {
        return endedUnreachable.get();
    }

    /** 503 UNAVAILABLE answers of a stopping exchange (not acknowledged, each ended its thread). */
    int refusedWhileStopping() {
        return refusedWhileStopping.get();
    }

    /** 503 OVERLOADED and QUEUED_TOO_LONG answers (not acknowledged). */
    int overloaded() {
        return overloaded.get();
    }

    private void run(Trader t, Random rnd) {
        Map<Long, OrderLedger.Entry> live = new HashMap<>();
        List<Long> liveIds = new ArrayList<>();
        try {
            for (int n = 1; n <= maxRequestsPerTrader && !stopped; n++) {
                if (!liveIds.isEmpty() && rnd.nextInt(100) < CANCEL_PERCENT) {
                    long id = liveIds.remove(rnd.nextInt(liveIds.size()));
                    cancel(t, live.remove(id));
                } else {
                    OrderLedger.Entry e = place(t, OrderRequest.random("c" + cycle + "-" + t.accountId() + "-" + n, rnd));
                    if (e != null && isLive(e.status())) {
                        live.put(e.orderId(), e);
                        liveIds.add(e.orderId());
                    }
                }
            }
        } catch (ExchangeClient.Unreachable e) {
            endedUnreachable.incrementAndGet();
        } catch (Stopping e) {
            refusedWhileStopping.incrementAndGet();
        } catch (RuntimeException e) {
            ledger.unexpected(t + ": " + e);
        }
    }

    private OrderLedger.Entry place(Trader t, OrderRequest req) {
        OrderLedger.Entry e = ledger.sent(t, req, cycle);
        ExchangeClient.Response r = client.post("/v1/orders", t.apiKey(), req.json());
        JsonNode order = r.order();
        switch (r.status()) {
            case 201 -> {
                if (order == null || !req.clientOrderId().equals(order.path("client_order_id").asText())
                        || "rejected".equals(order.path("status").asText())) {
                    ledger.unexpected("place " + req + " answered " + r);
                    return null;
                }
                ledger.acknowledge(e, order);
                return e;
            }
            case 422 -> {
                if (order == null || !"rejected".equals(order.path("status").asText())) {
                    ledger.unexpected("place " + req + " answered " + r);
                    return null;
                }
                ledger.acknowledge(e, order);
                return e;
            }
            case 503 -> {
                if ("UNAVAILABLE".equals(r.code())) {
                    throw new Stopping();
                }
                if (!isShed(r)) {
                    ledger.unexpected("place " + req + " answered " + r);
                }
                overloaded.incrementAndGet();
                ChildExchange.sleep(Duration.ofMillis(5));
                return null;
            }
            default -> {
                ledger.unexpected("place " + req + " answered " + r);
                return null;
            }
        }
    }

    private void cancel(Trader t, OrderLedger.Entry e) {
        ExchangeClient.Response r = client.delete("/v1/orders/" + e.orderId(), t.apiKey());
        JsonNode order = r.order();
        boolean same = order != null && order.path("order_id").asLong() == e.orderId();
        if (r.status() == 200 && same && "canceled".equals(order.path("status").asText())) {
            ledger.acknowledge(e, order);
        } else if (r.status() == 422 && same && "TOO_LATE_TO_CANCEL".equals(r.code())) {
            ledger.acknowledge(e, order);
        } else if (isShed(r)) {
            overloaded.incrementAndGet();
        } else if (r.status() == 503 && "UNAVAILABLE".equals(r.code())) {
            throw new Stopping();
        } else {
            ledger.unexpected("cancel of " + e + " answered " + r);
        }
    }

    /** A 503 for load the server shed before the engine saw it: the ring was full or the request queued too long. */
    private static boolean isShed(ExchangeClient.Response r) {
        return r.status() == 503 && ("OVERLOADED".equals(r.code()) || "QUEUED_TOO_LONG".equals(r.code()));
    }

    static boolean isLive(String status) {
        return "new".equals(status) || "partially_filled".equals(status);
    }

    /** A 503 UNAVAILABLE: the exchange is stopping gracefully; the thread ends. */
    private static final class Stopping extends RuntimeException {
        Stopping() {
            super("the exchange is stopping", null, false, false);
        }
    }
}
