package exchange.bench;

import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.gateway.ExchangeServer;
import exchange.gateway.GatewayConfig;
import exchange.gateway.quotes.QuoteSourceConfig;
import exchange.gateway.quotes.SourceHealth;
import exchange.gateway.quotes.sim.QuoteSimulator;
import exchange.gateway.session.AlwaysOpenCalendar;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reference quotes under a fast outside feed (issue 19), on a real server with a quote source
 * pointed at the quote simulator, all in this JVM on loopback.
 *
 * <p>Per round, two phases of {@code seconds} each, alternated, each started once the history writer
 * has caught up: order entry in a closed loop
 * ({@code threads} HTTP clients, buys and sells of 1 AAPL at $190.00 from two accounts) with the
 * simulator silent, then with it sending {@code rate} quote updates a second across five symbols
 * (plus a trade every tenth round). For the feed phase it prints the venue's messages a second as
 * the adapter received them and the {@code reference_quote} commands a second that reached the
 * ring (the coalescing: at most 20 a second per symbol), and for each round the order rate with
 * the feed against without it; then the median ratio. It also prints the CPU the adapter's threads
 * used in the feed phase (the {@code quote-sources} scheduler and the JDK HTTP client's threads), a
 * figure that moves less with a shared machine's noise than the order rates do; the simulator's own
 * threads ({@code quote-sim-*}) are counted apart, since a real venue would not run here.
 *
 * <p>{@code java $FLAGS -Xmx2g -cp benchmarks/target/benchmarks.jar exchange.bench.QuoteFeedHarness [seconds=10] [threads=16] [rate=10000] [rounds=3] [seed]}
 */
public final class QuoteFeedHarness {
    private static final String ADMIN = "bench-admin-key-0123456789";
    private static final Pattern HISTORY_LAG = Pattern.compile("(?m)^exchange_history_lag_events (\\d+)$");
    private static final String[] VENUE = {"AAPLUSD", "MSFTUSD", "GOOGLUSD", "AMZNUSD", "TSLAUSD"};
    private static final String[] OURS = {"AAPL", "MSFT", "GOOGL", "AMZN", "TSLA"};
    private static final long[] PRICES = {1_900_000L, 4_200_000L, 1_700_000L, 1_850_000L, 2_500_000L};

    private final ExchangeServer server;
    private final QuoteSimulator sim;
    private AaplOrderLoop orders;

    private QuoteFeedHarness(ExchangeServer server, QuoteSimulator sim) {
        this.server = server;
        this.sim = sim;
    }

    public static void main(String[] args) throws Exception {
        int seconds = arg(args, 0, 10);
        int threads = arg(args, 1, 16);
        int rate = arg(args, 2, 10_000);
        int rounds = arg(args, 3, 3);
        long seed = args.length > 4 ? Long.parseLong(args[4]) : System.nanoTime();
        Map<String, Long> venueSymbols = new LinkedHashMap<>();
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < VENUE.length; i++) {
            venueSymbols.put(VENUE[i], PRICES[i]);
            map.put(VENUE[i], OURS[i]);
        }
        Path dir = Files.createTempDirectory("quote-feed");
        try (QuoteSimulator sim = QuoteSimulator.start(new QuoteSimulator.Settings(0, seed, venueSymbols, 0))) {
            GatewayConfig.Builder b = GatewayConfig.builder().port(0).dataDir(dir).adminKey(ADMIN).ringSize(16_384)
                    .calendar(GatewayConfig.CalendarType.ALWAYS_OPEN, AlwaysOpenCalendar.DEFAULT_ZONE, null)
                    .rateLimit(10_000_000, 10_000_000)
                    .quoteSource(new QuoteSourceConfig("sim", URI.create("ws://127.0.0.1:" + sim.port()),
                            URI.create("http://127.0.0.1:" + sim.port()), map, 5_000, 5));
            for (int i = 0; i < OURS.length; i++) {
                b.symbol(OURS[i], PRICES[i]);
            }
            try (ExchangeServer server = ExchangeServer.start(b.build(), new ExchangeServer.Options()
                    .environment(n -> null).sessionScheduler(false).out(new PrintStream(new ByteArrayOutputStream())))) {
                System.out.printf("quote feed: seed %d, %d s per phase, %d order-entry threads, %d updates/s across %d "
                        + "symbols, %d rounds%n", seed, seconds, threads, rate, VENUE.length, rounds);
                new QuoteFeedHarness(server, sim).run(seconds, threads, rate, rounds);
            }
        }
        System.exit(0);
    }

    private static int arg(String[] args, int i, int dflt) {
        return args.length > i ? Integer.parseInt(args[i]) : dflt;
    }

    private void run(int seconds, int threads, int rate, int rounds) throws Exception {
        orders = AaplOrderLoop.openSessionAndFund(server.port(), ADMIN);
        AtomicLong ids = new AtomicLong();
        SourceHealth health = server.quoteSources().adapters().get(0).health();
        sim.rate(rate);
        orders.closedLoop(Math.max(10, seconds), threads, ids); // warm-up with the feed: JIT, pools, the book's pages
        double[] ratios = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            sim.rate(0);
            settle();
            double without = orders.closedLoop(seconds, threads, ids);
            sim.rate(rate);
            settle();
            long messages0 = health.messages();
            long published0 = health.quotesPublished();
            long ok0 = server.metrics().commandCount(CommandType.REFERENCE_QUOTE, ResultCode.OK);
            Map<Long, Long> cpu0 = threadCpu();
            long t0 = System.nanoTime();
            double with = orders.closedLoop(seconds, threads, ids);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            double adapterCores = cpuSince(cpu0, name -> name.equals("quote-sources") || name.startsWith("HttpClient-"))
                    / elapsed;
            double simCores = cpuSince(cpu0, name -> name.startsWith("quote-sim")) / elapsed;
            double messagesPerSecond = (health.messages() - messages0) / elapsed;
            double publishedPerSecond = (health.quotesPublished() - published0) / elapsed;
            double appliedPerSecond = (server.metrics().commandCount(CommandType.REFERENCE_QUOTE, ResultCode.OK) - ok0)
                    / elapsed;
            ratios[r] = with / without;
            System.out.printf("round %d: without feed %.0f orders/s | with feed %.0f orders/s, ratio %.2f | venue "
                    + "messages %.0f/s, reference_quote into the ring %.1f/s (engine OK %.1f/s), %.4f commands per "
                    + "message; dropped %d, ring full %d | adapter threads %.1f%% of a core (%.1f us per message), "
                    + "simulator %.1f%%%n", r + 1, without, with, ratios[r], messagesPerSecond,
                    publishedPerSecond, appliedPerSecond, publishedPerSecond / Math.max(1, messagesPerSecond),
                    health.droppedTotal(), health.ringFull(), adapterCores * 100,
                    adapterCores * 1e6 / Math.max(1, messagesPerSecond), simCores * 100);
        }
        Arrays.sort(ratios);
        System.out.printf("median ratio with/without feed over %d rounds: %.2f%n", rounds, ratios[rounds / 2]);
    }

    /**
     * Waits (at most 60 s) until the history writer has applied every event, and 200 ms more: a phase
     * must not pay for the previous one's backlog (the first phase after the warm-up did, and ran
     * at half the rate of the others).
     */
    private void settle() throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline && historyLag() > 0) {
            Thread.sleep(50);
        }
        Thread.sleep(200);
    }

    private long historyLag() {
        Matcher m = HISTORY_LAG.matcher(server.metrics().scrape());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** CPU nanos of every live thread, by thread id. */
    private static Map<Long, Long> threadCpu() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<Long, Long> out = new HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            out.put(id, mx.getThreadCpuTime(id));
        }
        return out;
    }

    /** CPU seconds since {@code before} of the live threads whose name matches. */
    private static double cpuSince(Map<Long, Long> before, Predicate<String> name) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long nanos = 0;
        for (ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (t != null && name.test(t.getThreadName())) {
                long now = mx.getThreadCpuTime(t.getThreadId());
                nanos += Math.max(0, now - before.getOrDefault(t.getThreadId(), 0L));
            }
        }
        return nanos / 1e9;
    }

}
