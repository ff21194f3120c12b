package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.crash.Traders.Trader;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What must hold after a restart, checked over HTTP against the restarted child:
 * <ul>
 * <li>every acknowledged order is there under its client order id with the same order id and
 *     fields, in its acknowledged status or a later one of its lifecycle ({@code new} may have
 *     traded, been canceled or expired; a terminal status never changes; {@code rejected} only if it
 *     was acknowledged as rejected), with at least the acknowledged filled quantity;</li>
 * <li>an identical retry of it is an idempotent 200 with the same order id and the order as it now
 *     stands;</li>
 * <li>a retry of a request that never got an answer is either a 200 (it had been journaled before
 *     the kill) or a first placement (201, or 422 with the rejected order), never a conflict or an
 *     error; its answer then counts as acknowledged;</li>
 * <li>cash and every symbol's shares are conserved: the admin totals and the sum over accounts, plus
 *     fees, equal what was deposited; each account's reserved cash and shares equal the holds of its
 *     open orders; the open order count adds up.</li>
 * </ul>
 * Order checks run one thread per trader and collect every discrepancy before failing.
 */
final class RecoveryChecks {
    private static final int MAX_REPORTED = 25;

    private final ExchangeClient client;
    private final List<Trader> traders;
    private final OrderLedger ledger;
    private final Queue<String> failures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger failureCount = new AtomicInteger();

    /** How the unanswered requests turned out on retry. */
    record RetryOutcome(int journaledBeforeKill, int placedNow) {
    }

    RecoveryChecks(ExchangeClient client, List<Trader> traders, OrderLedger ledger) {
        this.client = client;
        this.traders = traders;
        this.ledger = ledger;
    }

    /** Checks each acknowledged entry's order and its idempotent retry; fails listing every discrepancy. */
    void verifyAcknowledged(Collection<OrderLedger.Entry> entries) {
        perTrader(entries, this::verifyAcknowledged);
        assertNoFailures("acknowledged orders after the restart");
    }

    /** Retries every never-acknowledged entry and records its answer as acknowledged. */
    RetryOutcome retryUnacknowledged(Collection<OrderLedger.Entry> entries) {
        AtomicInteger journaled = new AtomicInteger();
        AtomicInteger placed = new AtomicInteger();
        perTrader(entries, e -> {
            ExchangeClient.Response r = client.post("/v1/orders", e.trader.apiKey(), e.request.json());
            JsonNode order = r.order();
            boolean sameId = order != null && e.request.clientOrderId().equals(order.path("client_order_id").asText());
            if (r.status() == 200 && sameId) {
                journaled.incrementAndGet();
                ledger.acknowledge(e, order);
            } else if ((r.status() == 201 || r.status() == 422 && "rejected".equals(order == null ? null
                    : order.path("status").asText())) && sameId) {
                placed.incrementAndGet();
                ledger.acknowledge(e, order);
            } else {
                failure(e.request.clientOrderId() + ": retry of an unanswered request answered " + r);
            }
        });
        assertNoFailures("retries of unanswered requests after the restart");
        return new RetryOutcome(journaled.get(), placed.get());
    }

    private void verifyAcknowledged(OrderLedger.Entry e) {
        String cid = e.request.clientOrderId();
        JsonNode acked = e.acknowledged();
        ExchangeClient.Response g = client.get("/v1/orders/by-client-id/" + cid, e.trader.apiKey());
        if (g.status() != 200 || g.json() == null) {
            failure(cid + ": GET by client id answered " + g + "; acknowledged " + acked);
            return;
        }
        JsonNode now = g.json();
        List<String> diff = new ArrayList<>();
        same(diff, "order_id", acked.get("order_id").asLong(), now.path("order_id").asLong());
        same(diff, "client_order_id", cid, now.path("client_order_id").asText());
        same(diff, "symbol", e.request.symbol(), now.path("symbol").asText());
        same(diff, "side", e.request.side(), now.path("side").asText());
        same(diff, "qty", e.request.qty(), now.path("qty").asLong());
        same(diff, "limit_price", Traders.ticks(e.request.price()), Traders.ticks(now, "limit_price"));
        same(diff, "time_in_force", e.request.tif(), now.path("time_in_force").asText());
        String was = acked.get("status").asText();
        String is = now.path("status").asText();
        if (!isAllowedTransition(was, is)) {
            diff.add("status " + was + " -> " + is + " is not a lifecycle step");
        }
        long filledWas = acked.get("filled_qty").asLong();
        long filledIs = now.path("filled_qty").asLong();
        if (filledIs < filledWas || !TradingLoad.isLive(was) && filledIs != filledWas) {
            diff.add("filled_qty " + filledWas + " -> " + filledIs);
        }
        if (!diff.isEmpty()) {
            failure(cid + ": " + String.join(", ", diff) + "\n    acknowledged " + acked + "\n    recovered    " + now);
            return;
        }
        ExchangeClient.Response r = client.post("/v1/orders", e.trader.apiKey(), e.request.json());
        JsonNode retried = r.order();
        if (r.status() != 200 || retried == null || retried.path("order_id").asLong() != now.get("order_id").asLong()
                || !is.equals(retried.path("status").asText()) || retried.path("filled_qty").asLong() != filledIs) {
            failure(cid + ": idempotent retry answered " + r + "; the order is " + now);
        }
    }

    /** A status the order may have now, given the one acknowledged before the crash. */
    static boolean isAllowedTransition(String acknowledged, String now) {
        return switch (acknowledged) {
            case "new" -> !now.equals("rejected");
            case "partially_filled" -> !now.equals("rejected") && !now.equals("new");
            default -> now.equals(acknowledged); // filled, canceled, expired and rejected are final
        };
    }

    /**
     * Conservation and holds: admin totals + fees = deposits; the same over the accounts' own
     * balances; each account's reserved amounts equal the holds of its open orders.
     */
    void verifyBalances() {
        JsonNode state = client.state();
        int n = traders.size();
        long depositedCash = Traders.depositedCashTicks(n);
        long depositedShares = Traders.depositedShares(n);
        long fees = Traders.ticks(state, "fees_collected");
        assertEquals(n, state.get("accounts").asInt(), () -> "accounts in " + state);
        assertEquals(depositedCash, Traders.ticks(state.get("cash"), "total") + fees,
                () -> "cash total + fees must equal the deposits: " + state);
        for (String symbol : Traders.SYMBOLS) {
            assertEquals(depositedShares, state.get("positions").get(symbol).get("total").asLong(),
                    () -> symbol + " total must equal the deposits: " + state);
        }

        long cash = 0;
        long openOrders = 0;
        Map<String, Long> shares = new HashMap<>();
        for (Trader t : traders) {
            ExchangeClient.Response a = client.get("/v1/account", t.apiKey());
            assertEquals(200, a.status(), () -> "GET /v1/account of " + t + ": " + a);
            JsonNode account = a.json();
            long cashTotal = Traders.ticks(account.get("cash"), "total");
            long cashReserved = Traders.ticks(account.get("cash"), "reserved");
            cash += cashTotal;
            Map<String, long[]> positions = new LinkedHashMap<>();
            for (JsonNode p : account.get("positions")) {
                positions.put(p.get("symbol").asText(), new long[] {p.get("qty").asLong(), p.get("reserved").asLong()});
                shares.merge(p.get("symbol").asText(), p.get("qty").asLong(), Long::sum);
            }

            long cashHolds = 0;
            Map<String, Long> shareHolds = new HashMap<>();
            for (JsonNode order : openOrders(client, t)) {
                assertTrue(TradingLoad.isLive(order.get("status").asText()), () -> "open order list holds " + order);
                assertEquals(order.get("qty").asLong(), order.get("filled_qty").asLong() + order.get("leaves_qty").asLong(),
                        () -> "qty = filled + leaves for " + order);
                if (order.get("side").asText().equals("buy")) {
                    cashHolds += Traders.ticks(order, "hold_amount");
                } else {
                    shareHolds.merge(order.get("symbol").asText(), Long.parseLong(order.get("hold_amount").asText()),
                            Long::sum);
                }
                openOrders++;
            }
            long holds = cashHolds;
            assertEquals(holds, cashReserved, () -> t + ": reserved cash must equal the holds of its open buys; account "
                    + account);
            assertTrue(cashReserved <= cashTotal, () -> t + ": reserved cash above total: " + account);
            for (String symbol : Traders.SYMBOLS) {
                long[] p = positions.getOrDefault(symbol, new long[2]);
                long held = shareHolds.getOrDefault(symbol, 0L);
                assertEquals(held, p[1], () -> t + ": reserved " + symbol + " must equal the holds of its open sells; account "
                        + account);
                assertTrue(p[1] <= p[0], () -> t + ": reserved " + symbol + " above total: " + account);
            }
        }
        long accountsCash = cash;
        assertEquals(depositedCash, accountsCash + fees, () -> "sum of the accounts' cash + fees must equal the deposits; "
                + "accounts hold " + accountsCash + " ticks, fees " + fees);
        for (String symbol : Traders.SYMBOLS) {
            assertEquals(depositedShares, shares.getOrDefault(symbol, 0L),
                    () -> "sum of the accounts' " + symbol + " must equal the deposits");
        }
        assertEquals(state.get("open_orders").asLong(), openOrders, () -> "open orders over the accounts vs " + state);
    }

    private void perTrader(Collection<OrderLedger.Entry> entries, Consumer<OrderLedger.Entry> check) {
        Map<Integer, List<OrderLedger.Entry>> byTrader = new HashMap<>();
        for (OrderLedger.Entry e : entries) {
            byTrader.computeIfAbsent(e.trader.index(), k -> new ArrayList<>()).add(e);
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, byTrader.size()), r -> {
            Thread t = new Thread(r, "crash-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (List<OrderLedger.Entry> list : byTrader.values()) {
                futures.add(pool.submit(() -> {
                    for (OrderLedger.Entry e : list) {
                        try {
                            check.accept(e);
                        } catch (RuntimeException | AssertionError x) {
                            failure(e.request.clientOrderId() + ": " + x);
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while checking orders", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("an order check crashed", e.getCause());
        } finally {
            pool.shutdownNow();
            try {
                pool.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void same(List<String> diff, String field, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            diff.add(field + " " + expected + " -> " + actual);
        }
    }

    private void failure(String what) {
        if (failureCount.incrementAndGet() <= MAX_REPORTED) {
            failures.add(what);
        }
    }

    private void assertNoFailures(String what) {
        int count = failureCount.getAndSet(0);
        List<String> listed = new ArrayList<>(failures);
        failures.clear();
        if (count > 0) {
            throw new AssertionError(count + " discrepancies in " + what + " (first " + listed.size() + "):\n  "
                    + String.join("\n  ", listed));
        }
    }

    /** Every open order of a trader, following the pages of {@code GET /v1/orders?status=open}. */
    private static List<JsonNode> openOrders(ExchangeClient client, Traders.Trader t) {
        List<JsonNode> orders = new ArrayList<>();
        String token = null;
        do {
            String path = "/v1/orders?status=open&limit=500" + (token == null ? "" : "&page_token=" + token);
            ExchangeClient.Response o = client.get(path, t.apiKey());
            assertEquals(200, o.status(), () -> "GET " + path + " of " + t + ": " + o);
            o.json().get("orders").forEach(orders::add);
            JsonNode next = o.json().get("next_page_token");
            token = next == null || next.isNull() ? null : next.asText();
        } while (token != null);
        return orders;
    }
}
