package exchange.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
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

    AaplOrderLoop(int port, String buyerKey, String sellerKey) {
        this.port = port;
        this.buyerKey = buyerKey;
        this.sellerKey = sellerKey;
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
