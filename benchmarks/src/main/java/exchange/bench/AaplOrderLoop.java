package exchange.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The harnesses' order entry against a real server: buys and sells of 1 AAPL at $190.00 from two
 * accounts over {@link KeepAliveHttp} sockets, odd ids buying and even ones selling, so that about
 * every second order trades and each one changes the book.
 */
final class AaplOrderLoop {
    private final int port;
    private final String buyerKey;
    private final String sellerKey;

    private AaplOrderLoop(int port, String buyerKey, String sellerKey) {
        this.port = port;
        this.buyerKey = buyerKey;
        this.sellerKey = sellerKey;
    }

    /**
     * Opens the session of the server on {@code port} and funds a buyer and a seller through its
     * admin API (cash and AAPL enough for any run), as an operator would.
     */
    static AaplOrderLoop openSessionAndFund(int port, String adminKey) throws IOException, InterruptedException {
        Admin admin = new Admin("http://127.0.0.1:" + port, adminKey);
        admin.post("/v1/admin/session/open", "");
        return new AaplOrderLoop(port, admin.fundedAccount("buyer"), admin.fundedAccount("seller"));
    }

    /** The admin calls of the set-up. */
    private record Admin(String base, String key) {
        private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        String fundedAccount(String name) throws IOException, InterruptedException {
            String r = post("/v1/admin/accounts", "{\"name\":\"" + name + "\"}");
            long id = Long.parseLong(r.replaceAll(".*\"account_id\":(\\d+).*", "$1"));
            String apiKey = r.replaceAll(".*\"api_key\":\"([^\"]+)\".*", "$1");
            post("/v1/admin/accounts/" + id + "/deposits",
                    "{\"asset\":\"USD\",\"amount\":\"1000000000.00\",\"transfer_id\":\"u" + id + "\"}");
            post("/v1/admin/accounts/" + id + "/deposits",
                    "{\"asset\":\"AAPL\",\"amount\":\"10000000\",\"transfer_id\":\"a" + id + "\"}");
            return apiKey;
        }

        String post(String path, String body) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + key)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() >= 300) {
                throw new IllegalStateException(path + " -> " + r.statusCode() + " " + r.body());
            }
            return r.body();
        }
    }

    /** Sends order {@code n} (client order id {@code o<n>}) on {@code c}. */
    KeepAliveHttp.Response order(KeepAliveHttp c, long n) throws IOException {
        boolean buy = (n & 1) == 1;
        return c.post("/v1/orders", buy ? buyerKey : sellerKey, "{\"client_order_id\":\"o" + n + "\",\"symbol\":\"AAPL\","
                + "\"side\":\"" + (buy ? "buy" : "sell") + "\",\"qty\":1,\"limit_price\":\"190.00\",\"time_in_force\":\"day\"}");
    }

    /** Accepted orders per second over {@code seconds}, from {@code threads} synchronous senders taking ids from {@code ids}. */
    double closedLoop(int seconds, int threads, AtomicLong ids) throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                try (KeepAliveHttp c = new KeepAliveHttp(port)) {
                    while (!stop.get()) {
                        if (order(c, ids.incrementAndGet()).status() == 201) {
                            done.increment();
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "order-entry-" + t);
            workers.add(w);
            w.start();
        }
        long t0 = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long n = done.sum();
        long elapsed = System.nanoTime() - t0;
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        return n / (elapsed / 1e9);
    }
}
