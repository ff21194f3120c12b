package exchange.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * HTTP latency of order entry against {@code GET /health} on the same server, in the same run
 * (issue 21): one client in a closed loop (one connection, the next request as soon as the
 * previous answer is read), then open loops at fixed rates. In an open loop request {@code i} is
 * due at {@code start + i / rate} and its latency runs from that intended time to the last byte
 * of its answer, so a stall of the server (or of this client) is charged to every request that
 * should have gone out meanwhile: no coordinated omission. Requests go out on a pool of
 * keep-alive connections; one that finds every connection busy waits, with its clock running.
 *
 * <p>Rounds alternate: each round measures /health and the orders for each mode, the endpoint
 * that goes first swapping from round to round, so that the machine's noisy moments fall on both.
 * What to report is the median over rounds of each round's ratio orders / health.
 *
 * <p>Where the server serves the load probes ({@code load_probes}), each closed-loop round also
 * measures {@code POST /probe/orders} (the order's HTTP work answered on the request thread, no
 * ring) and {@code POST /probe/orders-async} (the same answered through the async answer path a
 * command's result takes), the four endpoints in an order that reverses from round to round; the
 * decomposition after the table splits the order's time over /health into HTTP work (probe -
 * health), the async answer (probe async - probe) and the ring's round trip (orders - probe async).
 *
 * <p>One thread does the I/O over non-blocking sockets ({@link Selector}); a timer thread parks
 * until each send time and wakes the selector, so nothing spins (2 cores shared with the server).
 * Orders alternate a buyer and a seller at one price, so half rest and half trade; every run has
 * its own client order id prefix, so no order is an idempotent repeat.
 *
 * <p>usage: {@code HttpLatencyDriver PORT BUYER_KEY SELLER_KEY [rounds=3] [seconds=5] [warmup=2]
 * [rates=1000,5000,10000] [connections=32]}
 */
public final class HttpLatencyDriver {
    static final long MAX_LATENCY_NANOS = TimeUnit.SECONDS.toNanos(60);
    static final long WARM_UP_RATE = 5_000;
    static final int WARM_UP_SECONDS = 8;

    private final InetSocketAddress server;
    private final String buyerKey;
    private final String sellerKey;
    private long counter;
    private int runs;

    HttpLatencyDriver(InetSocketAddress server, String buyerKey, String sellerKey) {
        this.server = server;
        this.buyerKey = buyerKey;
        this.sellerKey = sellerKey;
    }

    /** One measured run. */
    record Run(String endpoint, long requests, double requestsPerSecond, long non2xx, Histogram latency) {
        double micros(double percentile) {
            return latency.getValueAtPercentile(percentile) / 1e3;
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: HttpLatencyDriver PORT BUYER_KEY SELLER_KEY [rounds=3] [seconds=5] [warmup=2] "
                    + "[rates=1000,5000,10000] [connections=32]");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int seconds = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 2;
        long[] rates = Arrays.stream((args.length > 6 ? args[6] : "1000,5000,10000").split(","))
                .mapToLong(Long::parseLong).toArray();
        int connections = args.length > 7 ? Integer.parseInt(args[7]) : 32;
        HttpLatencyDriver driver = new HttpLatencyDriver(new InetSocketAddress("127.0.0.1", port), args[1], args[2]);
        driver.alternate(rounds, seconds, warmup, rates, connections);
        System.exit(0);
    }

    void alternate(int rounds, int seconds, int warmup, long[] rates, int connections) throws IOException {
        // Warms the server's JIT on both routes first (a server fresh from start-up answers orders
        // in milliseconds for its first seconds); not recorded.
        openLoop(true, WARM_UP_RATE, WARM_UP_SECONDS, 0, connections);
        closedLoop(false, 2, 0);
        boolean probes = servesProbes();
        if (probes) {
            closedLoop(Endpoint.PROBE, 1, 0);
            closedLoop(Endpoint.PROBE_ASYNC, 1, 0);
        }
        Map<String, List<Run[]>> byMode = new LinkedHashMap<>();
        List<Run[]> closedRounds = new ArrayList<>();
        for (int round = 1; round <= rounds; round++) {
            boolean healthFirst = round % 2 == 1;
            if (probes) {
                Run[] all = closedRound(healthFirst, round, seconds, warmup);
                closedRounds.add(all);
                byMode.computeIfAbsent("closed", k -> new ArrayList<>()).add(new Run[] {all[0], all[3]});
            } else {
                byMode.computeIfAbsent("closed", k -> new ArrayList<>()).add(pair(healthFirst, round, "closed",
                        orders -> closedLoop(orders, seconds, warmup)));
            }
            for (long rate : rates) {
                byMode.computeIfAbsent("open " + rate + "/s", k -> new ArrayList<>()).add(pair(healthFirst, round,
                        "open " + rate + "/s", orders -> openLoop(orders, rate, seconds, warmup, connections)));
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-14s %10s %9s %9s %9s %8s %8s %8s   (medians of %d alternated rounds;"
                + " ratios: orders / /health per round, then median)%n", "mode", "orders/s", "p50 us", "p99 us",
                "p99.9 us", "p50 x", "p99 x", "p99.9 x", rounds);
        for (Map.Entry<String, List<Run[]>> e : byMode.entrySet()) {
            List<Run[]> pairs = e.getValue();
            double[] q = {50, 99, 99.9};
            double[] ratios = new double[3];
            for (int k = 0; k < 3; k++) {
                int kk = k;
                ratios[k] = median(pairs.stream().mapToDouble(p -> p[1].micros(q[kk]) / p[0].micros(q[kk])).toArray());
            }
            double rps = median(pairs.stream().mapToDouble(p -> p[1].requestsPerSecond()).toArray());
            double p50 = median(pairs.stream().mapToDouble(p -> p[1].micros(50)).toArray());
            double p99 = median(pairs.stream().mapToDouble(p -> p[1].micros(99)).toArray());
            double p999 = median(pairs.stream().mapToDouble(p -> p[1].micros(99.9)).toArray());
            System.out.printf(Locale.ROOT, "%-14s %10.0f %9.1f %9.1f %9.1f %8.2f %8.2f %8.2f%n", e.getKey(), rps,
                    p50, p99, p999, ratios[0], ratios[1], ratios[2]);
            String name = e.getKey().replace("open ", "open_").replace("/s", "");
            System.out.printf(Locale.ROOT, "RESULT http_%s_orders_per_s=%.0f%nRESULT http_%s_p50_us=%.1f%n"
                    + "RESULT http_%s_p99_us=%.1f%nRESULT http_%s_p999_us=%.1f%nRESULT http_%s_p50_over_health=%.2f%n"
                    + "RESULT http_%s_p99_over_health=%.2f%nRESULT http_%s_p999_over_health=%.2f%n", name, rps, name, p50,
                    name, p99, name, p999, name, ratios[0], name, ratios[1], name, ratios[2]);
        }
        if (!closedRounds.isEmpty()) {
            printDecomposition(closedRounds);
        }
    }

    /** Whether the server answers the load probes (its config sets {@code load_probes}). */
    private boolean servesProbes() throws IOException {
        try (SocketChannel ch = SocketChannel.open(server)) {
            ch.write(ByteBuffer.wrap(request(Endpoint.PROBE, "p-")));
            Response response = new Response();
            while (!response.complete()) {
                if (ch.read(response.buffer()) < 0) {
                    return false;
                }
            }
            return response.status() == 201;
        }
    }

    /**
     * One closed-loop round of all four endpoints, /health to the orders in odd rounds and back in
     * even ones; returns them in {@link Endpoint} order.
     */
    private Run[] closedRound(boolean healthFirst, int round, int seconds, int warmup) throws IOException {
        Endpoint[] order = Endpoint.values();
        Run[] runs = new Run[order.length];
        for (int i = 0; i < order.length; i++) {
            Endpoint e = order[healthFirst ? i : order.length - 1 - i];
            Run r = closedLoop(e, seconds, warmup);
            runs[e.ordinal()] = r;
            System.out.printf(Locale.ROOT, "round %d %-13s %-15s %,8d requests %9.0f/s  p50 %8.1f  p99 %8.1f  p99.9 %9.1f"
                    + "  max %9.1f us  non-2xx %d%n", round, "closed", r.endpoint(), r.requests(), r.requestsPerSecond(),
                    r.micros(50), r.micros(99), r.micros(99.9), r.latency().getMaxValue() / 1e3, r.non2xx());
            if (r.non2xx() > 0) {
                throw new IllegalStateException(r.endpoint() + " was refused: " + r.non2xx() + " non-2xx answers");
            }
        }
        return runs;
    }

    /**
     * Where the closed loop's order time goes: each endpoint's p50 and p99 with its ratio to the
     * same round's /health (medians over rounds), then the order's p50 over /health split into its
     * parts, each the median over rounds of that round's difference.
     */
    private static void printDecomposition(List<Run[]> rounds) {
        System.out.println();
        System.out.printf(Locale.ROOT, "closed loop, where an order's time goes (medians of %d rounds; x: over the same"
                + " round's /health)%n", rounds.size());
        System.out.printf(Locale.ROOT, "%-26s %9s %9s %8s %8s%n", "endpoint", "p50 us", "p99 us", "p50 x", "p99 x");
        String[] names = {"health", "probe", "probe_async", "orders"};
        StringBuilder results = new StringBuilder();
        for (Endpoint e : Endpoint.values()) {
            int i = e.ordinal();
            double p50 = median(rounds.stream().mapToDouble(r -> r[i].micros(50)).toArray());
            double p99 = median(rounds.stream().mapToDouble(r -> r[i].micros(99)).toArray());
            double x50 = median(rounds.stream().mapToDouble(r -> r[i].micros(50) / r[0].micros(50)).toArray());
            double x99 = median(rounds.stream().mapToDouble(r -> r[i].micros(99) / r[0].micros(99)).toArray());
            System.out.printf(Locale.ROOT, "%-26s %9.1f %9.1f %8.2f %8.2f%n", e.label, p50, p99, x50, x99);
            if (e != Endpoint.HEALTH && e != Endpoint.ORDERS) {
                results.append(String.format(Locale.ROOT, "RESULT http_closed_%s_p50_us=%.1f%nRESULT http_closed_%s_p99_us"
                        + "=%.1f%nRESULT http_closed_%s_p50_over_health=%.2f%nRESULT http_closed_%s_p99_over_health=%.2f%n",
                        names[i], p50, names[i], p99, names[i], x50, names[i], x99));
            }
        }
        String[] parts = {"http_work", "async_answer", "ring_round_trip"};
        String[] what = {"HTTP work (probe - health)", "async answer (probe async - probe)",
            "ring round trip (orders - probe async)"};
        StringBuilder line = new StringBuilder("order p50 over /health, by part:");
        for (int k = 0; k < parts.length; k++) {
            int kk = k;
            double p50 = median(rounds.stream().mapToDouble(r -> r[kk + 1].micros(50) - r[kk].micros(50)).toArray());
            double p99 = median(rounds.stream().mapToDouble(r -> r[kk + 1].micros(99) - r[kk].micros(99)).toArray());
            line.append(String.format(Locale.ROOT, "%s %s %.1f us (p99 %.1f)", k == 0 ? "" : ";", what[k], p50, p99));
            results.append(String.format(Locale.ROOT, "RESULT http_closed_%s_p50_us=%.1f%nRESULT http_closed_%s_p99_us"
                    + "=%.1f%n", parts[k], p50, parts[k], p99));
        }
        System.out.println(line);
        System.out.print(results);
    }

    private interface Measure {
        Run run(boolean orders) throws IOException;
    }

    /** What a closed-loop run sends. */
    enum Endpoint {
        HEALTH("GET /health"),
        PROBE("POST /probe/orders"),
        PROBE_ASYNC("POST /probe/orders-async"),
        ORDERS("POST /v1/orders");

        final String label;

        Endpoint(String label) {
            this.label = label;
        }
    }

    /** /health and the orders, one after the other in the round's order; returns {health, orders}. */
    private Run[] pair(boolean healthFirst, int round, String mode, Measure m) throws IOException {
        Run first = m.run(!healthFirst);
        Run second = m.run(healthFirst);
        Run health = healthFirst ? first : second;
        Run orders = healthFirst ? second : first;
        for (Run r : new Run[] {first, second}) {
            System.out.printf(Locale.ROOT, "round %d %-13s %-15s %,8d requests %9.0f/s  p50 %8.1f  p99 %8.1f  p99.9 %9.1f"
                    + "  max %9.1f us  non-2xx %d%n", round, mode, r.endpoint(), r.requests(), r.requestsPerSecond(),
                    r.micros(50), r.micros(99), r.micros(99.9), r.latency().getMaxValue() / 1e3, r.non2xx());
        }
        if (orders.non2xx() > 0) {
            throw new IllegalStateException("orders were refused: " + orders.non2xx() + " non-2xx answers");
        }
        return new Run[] {health, orders};
    }

    /** The next request of a run: /health, or the next order (buyer and seller alternating). */
    private byte[] request(boolean orders, String prefix) {
        return request(orders ? Endpoint.ORDERS : Endpoint.HEALTH, prefix);
    }

    /** The next request to {@code endpoint}: the probes take the same order body /v1/orders does. */
    private byte[] request(Endpoint endpoint, String prefix) {
        if (endpoint == Endpoint.HEALTH) {
            return ("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        }
        long n = ++counter;
        boolean buy = (n & 1) == 0;
        String body = "{\"client_order_id\":\"" + prefix + n + "\",\"symbol\":\"AAPL\",\"side\":\""
                + (buy ? "buy" : "sell") + "\",\"qty\":1,\"limit_price\":\"100.00\",\"time_in_force\":\"day\"}";
        return (endpoint.label + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nAuthorization: Bearer "
                + (buy ? buyerKey : sellerKey) + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** One connection, each request sent as soon as the previous answer has been read. */
    Run closedLoop(boolean orders, int seconds, int warmupSeconds) throws IOException {
        return closedLoop(orders ? Endpoint.ORDERS : Endpoint.HEALTH, seconds, warmupSeconds);
    }

    /** As {@link #closedLoop(boolean, int, int)}, to any endpoint. */
    Run closedLoop(Endpoint endpoint, int seconds, int warmupSeconds) throws IOException {
        String prefix = "h" + (++runs) + "-";
        Histogram h = new Histogram(MAX_LATENCY_NANOS, 3);
        long non2xx = 0;
        long requests = 0;
        try (SocketChannel ch = SocketChannel.open(server)) {
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            Response response = new Response();
            long start = System.nanoTime();
            long measureFrom = start + TimeUnit.SECONDS.toNanos(warmupSeconds);
            long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
            long now = start;
            while (now < end) {
                ByteBuffer out = ByteBuffer.wrap(request(endpoint, prefix));
                long sent = System.nanoTime();
                while (out.hasRemaining()) {
                    ch.write(out);
                }
                response.reset();
                while (!response.complete()) {
                    if (ch.read(response.buffer()) < 0) {
                        throw new IOException("the server closed the connection");
                    }
                }
                now = System.nanoTime();
                if (sent >= measureFrom) {
                    h.recordValue(Math.min(now - sent, MAX_LATENCY_NANOS));
                    requests++;
                    non2xx += response.status() / 100 == 2 ? 0 : 1;
                }
            }
        }
        return new Run(endpoint.label, requests, requests / (double) seconds, non2xx, h);
    }

    /** A keep-alive connection of the open loop and the intended send time of its request in flight. */
    private static final class Connection {
        final SocketChannel channel;
        final Response response = new Response();
        ByteBuffer out;
        long index;
        long intendedNanos;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    /** Requests due at {@code start + i / rate}; latency from that intended time to the answer's last byte. */
    Run openLoop(boolean orders, long rate, int seconds, int warmupSeconds, int connections) throws IOException {
        String prefix = "o" + (++runs) + "-";
        Histogram h = new Histogram(MAX_LATENCY_NANOS, 3);
        long non2xx = 0;
        long measured = 0;
        try (Selector selector = Selector.open()) {
            ArrayDeque<Connection> idle = new ArrayDeque<>();
            List<Connection> all = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                SocketChannel ch = SocketChannel.open(server);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.configureBlocking(false);
                Connection c = new Connection(ch);
                ch.register(selector, SelectionKey.OP_READ, c);
                idle.add(c);
                all.add(c);
            }
            long total = rate * (seconds + warmupSeconds);
            long firstMeasured = rate * warmupSeconds;
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            Thread timer = startTimer(selector, start, rate, total);
            long next = 0;
            long done = 0;
            try {
                while (done < total) {
                    long now = System.nanoTime();
                    while (next < total && !idle.isEmpty() && intended(start, next, rate) <= now) {
                        Connection c = idle.poll();
                        c.index = next;
                        c.intendedNanos = intended(start, next, rate);
                        c.out = ByteBuffer.wrap(request(orders, prefix));
                        c.response.reset();
                        c.channel.write(c.out);
                        if (c.out.hasRemaining()) {
                            c.channel.keyFor(selector).interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                        }
                        next++;
                    }
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        Connection c = (Connection) key.attachment();
                        if (key.isWritable()) {
                            c.channel.write(c.out);
                            if (!c.out.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        }
                        if (key.isReadable()) {
                            if (c.channel.read(c.response.buffer()) < 0) {
                                throw new IOException("the server closed a connection");
                            }
                            if (c.response.complete()) {
                                long answered = System.nanoTime();
                                if (c.index >= firstMeasured) {
                                    h.recordValue(Math.min(answered - c.intendedNanos, MAX_LATENCY_NANOS));
                                    measured++;
                                    non2xx += c.response.status() / 100 == 2 ? 0 : 1;
                                }
                                done++;
                                idle.add(c);
                            }
                        }
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                timer.interrupt();
                for (Connection c : all) {
                    c.channel.close();
                }
            }
        }
        return new Run(orders ? "POST /v1/orders" : "GET /health", measured, measured / (double) seconds, non2xx, h);
    }

    private static long intended(long start, long i, long rate) {
        return start + Math.multiplyExact(i, 1_000_000_000L) / rate;
    }

    /** Parks until each send time and wakes the selector then (select() has only millisecond timeouts). */
    private static Thread startTimer(Selector selector, long start, long rate, long total) {
        Thread t = new Thread(() -> {
            for (long i = 0; i < total && !Thread.currentThread().isInterrupted(); i++) {
                long due = intended(start, i, rate);
                long now;
                while ((now = System.nanoTime()) < due) {
                    LockSupport.parkNanos(due - now);
                }
                selector.wakeup();
            }
        }, "latency-driver-timer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** An HTTP/1.1 response being read: complete once its headers and Content-Length body bytes are in. */
    static final class Response {
        private ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        private int status;

        ByteBuffer buffer() {
            if (!buffer.hasRemaining()) {
                ByteBuffer bigger = ByteBuffer.allocate(buffer.capacity() * 2);
                buffer.flip();
                bigger.put(buffer);
                buffer = bigger;
            }
            return buffer;
        }

        void reset() {
            buffer.clear();
            status = 0;
        }

        int status() {
            return status;
        }

        boolean complete() {
            byte[] a = buffer.array();
            int n = buffer.position();
            int headerEnd = -1;
            for (int i = 3; i < n; i++) {
                if (a[i] == '\n' && a[i - 1] == '\r' && a[i - 2] == '\n' && a[i - 3] == '\r') {
                    headerEnd = i + 1;
                    break;
                }
            }
            if (headerEnd < 0) {
                return false;
            }
            String headers = new String(a, 0, headerEnd, StandardCharsets.US_ASCII);
            status = Integer.parseInt(headers.substring(9, 12));
            int at = headers.toLowerCase(Locale.ROOT).indexOf("\r\ncontent-length:");
            if (at < 0) {
                throw new IllegalStateException("the driver reads only answers with a Content-Length: " + headers);
            }
            int eol = headers.indexOf('\r', at + 2);
            int length = Integer.parseInt(headers.substring(at + 17, eol).trim());
            return n >= headerEnd + length;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
