package exchange.bench;

import exchange.gateway.ExchangeServer;
import exchange.gateway.GatewayConfig;
import exchange.gateway.session.AlwaysOpenCalendar;
import exchange.gateway.stream.StreamConfig;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The WebSocket market-data path end to end, on a real server (HTTP order entry, pipeline,
 * journal, events queue, market-data projector, stream hub) with real loopback clients in this JVM.
 *
 * <p><b>fanout</b>: order entry throughput, closed loop ({@code threads} HTTP clients, each sending
 * its next order when the previous one is acknowledged; buys and sells of 1 share at $190.00 from
 * two accounts, so about every second order trades), first with no stream client, then with
 * {@code subscribers} WebSocket clients reading {@code AAPL@trade} and {@code AAPL@depth} (half on
 * our face, half on Binance's combined stream) plus {@code idle} upgraded connections without
 * subscriptions, then without again. Prints each phase and the ratio with/without.
 *
 * <p><b>latency</b>: orders sent open loop at a fixed {@code rate} per second (async HTTP), one
 * WebSocket client on {@code AAPL@trade}; for each taker order (its ack shows a fill) the time from
 * the moment its HTTP ack reaches the client to the moment its trade message does (same seq). A
 * message that arrives before the ack counts as 0 and is counted apart. Prints p50, p90, p99, max.
 *
 * <p>{@code java $FLAGS -cp benchmarks/target/benchmarks.jar exchange.bench.StreamFanoutHarness fanout [seconds=10] [threads=16] [subscribers=100] [idle=1000]}
 * <br>{@code ... StreamFanoutHarness latency [seconds=20] [rate=5000]}
 */
public final class StreamFanoutHarness {
    private static final String ADMIN = "bench-admin-key-0123456789";
    private static final Pattern SEQ = Pattern.compile("\"seq\":(\\d+)");
    private static final Pattern FILLED = Pattern.compile("\"filled_qty\":(\\d+)");

    private final ExchangeServer server;
    private AaplOrderLoop orders;

    private StreamFanoutHarness(ExchangeServer server) {
        this.server = server;
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "fanout";
        Path dir = Files.createTempDirectory("stream-fanout");
        GatewayConfig config = GatewayConfig.builder().port(0).dataDir(dir).adminKey(ADMIN).ringSize(16_384)
                .calendar(GatewayConfig.CalendarType.ALWAYS_OPEN, AlwaysOpenCalendar.DEFAULT_ZONE, null)
                .symbol("AAPL", 1_900_000L)
                .rateLimit(10_000_000, 10_000_000)
                .stream(StreamConfig.defaults().withMaxConnectionsPerAddress(5_000).withInboundMessagesPerSecond(1_000)
                        .withPing(Duration.ofMinutes(10), Duration.ofMinutes(10)))
                .build();
        try (ExchangeServer server = ExchangeServer.start(config, new ExchangeServer.Options()
                .environment(n -> null).sessionScheduler(false).out(new PrintStream(new ByteArrayOutputStream())))) {
            StreamFanoutHarness h = new StreamFanoutHarness(server);
            h.setUp();
            if (mode.equals("latency")) {
                h.latency(arg(args, 1, 20), arg(args, 2, 5_000));
            } else {
                h.fanout(arg(args, 1, 10), arg(args, 2, 16), arg(args, 3, 100), arg(args, 4, 1_000));
            }
        }
        System.exit(0);
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    private void setUp() throws Exception {
        orders = AaplOrderLoop.openSessionAndFund(server.port(), ADMIN);
    }

    // ---- fan-out -------------------------------------------------------------------------------

    private void fanout(int seconds, int threads, int subscribers, int idle) throws Exception {
        AtomicLong ids = new AtomicLong();
        System.out.printf("fan-out: %d s per phase, %d order-entry threads, %d subscribers, %d idle connections%n",
                seconds, threads, subscribers, idle);
        orders.closedLoop(Math.max(10, seconds), threads, ids); // warm-up: JIT, pools, the book's pages
        double without1 = orders.closedLoop(seconds, threads, ids);
        System.out.printf("without stream clients: %.0f orders/s%n", without1);
        List<Socket> idleSockets = openIdle(idle);
        PlainWsClients.Subscribers subs = new PlainWsClients.Subscribers(server.port(), subscribers);
        double with = orders.closedLoop(seconds, threads, ids);
        long received = subs.received.sum();
        System.out.printf("with %d subscribers + %d idle connections: %.0f orders/s; messages received %,d; "
                + "at the end: %d connections, %d subscriptions, %d slow consumers dropped%n", subscribers, idle, with,
                received, server.streamHub().connectionCount(), server.streamHub().subscriptionCount(),
                server.streamHub().slowConsumersDropped());
        subs.close();
        for (Socket s : idleSockets) {
            s.close();
        }
        while (server.streamHub().connectionCount() > 0) {
            Thread.sleep(10);
        }
        double without2 = orders.closedLoop(seconds, threads, ids);
        System.out.printf("without stream clients again: %.0f orders/s%n", without2);
        System.out.printf("ratio with/without (mean of both without phases): %.2f%n", with / ((without1 + without2) / 2));
    }

    private List<Socket> openIdle(int n) throws IOException {
        List<Socket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            sockets.add(PlainWsClients.upgrade(server.port(), "/v1/stream"));
        }
        return sockets;
    }

    // ---- latency -------------------------------------------------------------------------------

    /** A taker's ack: when its request was due and when its response arrived. */
    private record Ack(long intendedNanos, long ackNanos) {
    }

    private void latency(int seconds, int rate) throws Exception {
        int workers = 32;
        ConcurrentHashMap<Long, Ack> acks = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, Long> messages = new ConcurrentHashMap<>();
        Histogram sendToAck = new Histogram(60_000_000_000L, 3);
        Histogram sendToMessage = new Histogram(60_000_000_000L, 3);
        Histogram ackToMessage = new Histogram(60_000_000_000L, 3);
        LongAdder beforeAck = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        Object lock = new Object();
        // a trade's seq is complete once both its ack and its message are in: record it then, once
        java.util.function.LongConsumer complete = seq -> {
            Ack a = acks.get(seq);
            Long m = messages.get(seq);
            if (a == null || m == null || acks.remove(seq) == null || !measuring.get()) {
                return;
            }
            synchronized (lock) {
                sendToAck.recordValue(Math.max(0, a.ackNanos() - a.intendedNanos()));
                sendToMessage.recordValue(Math.max(0, m - a.intendedNanos()));
                ackToMessage.recordValue(Math.max(0, m - a.ackNanos()));
                if (m < a.ackNanos()) {
                    beforeAck.increment();
                }
            }
        };
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder partial = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                long now = System.nanoTime();
                partial.append(data);
                if (last) {
                    String text = partial.toString();
                    partial.setLength(0);
                    Matcher m = SEQ.matcher(text);
                    if (text.startsWith("{\"stream\":\"AAPL@trade\"") && m.find()) {
                        long seq = Long.parseLong(m.group(1));
                        if (messages.putIfAbsent(seq, now) == null) {
                            complete.accept(seq);
                        }
                    }
                }
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/v1/stream"), listener).join();
        ws.sendText("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":1}", true).join();

        long intervalNanos = 1_000_000_000L / rate;
        long start = System.nanoTime() + 100_000_000L;
        long warmEnd = start + 5_000_000_000L;
        long end = warmEnd + seconds * 1_000_000_000L;
        long total = (end - start) / intervalNanos;
        java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong();
        List<Thread> senders = new ArrayList<>();
        // each sender takes the next order number, waits for its intended time (never spinning) and
        // sends it; a sender that is late sends at once, and the delay is charged from the intended time
        for (int w = 0; w < workers; w++) {
            Thread t = new Thread(() -> {
                try (KeepAliveHttp c = new KeepAliveHttp(server.port())) {
                    long n;
                    while ((n = next.getAndIncrement()) < total) {
                        long intended = start + n * intervalNanos;
                        long wait;
                        while ((wait = intended - System.nanoTime()) > 0) {
                            LockSupport.parkNanos(wait);
                        }
                        measuring.set(intended >= warmEnd);
                        KeepAliveHttp.Response r = orders.order(c, n);
                        long ackNow = System.nanoTime();
                        if (r.status() != 201) {
                            failed.increment();
                            continue;
                        }
                        Matcher f = FILLED.matcher(r.body());
                        if (!f.find() || f.group(1).equals("0")) {
                            continue; // rested: no trade of its own
                        }
                        Matcher s = SEQ.matcher(r.body());
                        long seq = -1;
                        while (s.find()) {
                            seq = Long.parseLong(s.group(1));
                        }
                        acks.put(seq, new Ack(intended, ackNow));
                        complete.accept(seq);
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, "sender-" + w);
            senders.add(t);
            t.start();
        }
        for (Thread t : senders) {
            t.join();
        }
        long lastSent = System.nanoTime();
        Thread.sleep(1_000); // the last messages
        synchronized (lock) {
            System.out.printf("event to client: %d orders/s offered for %d s after a 5 s warm-up; sent %,d in %.1f s, "
                    + "failed %d; trades measured %,d (WS message before the HTTP ack: %,d)%n", rate, seconds, total,
                    (lastSent - start) / 1e9, failed.sum(), ackToMessage.getTotalCount(), beforeAck.sum());
            print("HTTP ack -> WS trade message", ackToMessage);
            print("intended send -> HTTP ack", sendToAck);
            print("intended send -> WS trade message", sendToMessage);
        }
        ws.abort();
    }

    private static void print(String what, Histogram h) {
        System.out.printf("%-34s p50 %7.3f ms, p90 %7.3f ms, p99 %7.3f ms, p99.9 %7.3f ms, max %7.3f ms%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6,
                h.getValueAtPercentile(99.9) / 1e6, h.getMaxValue() / 1e6);
    }
}
