package exchange.gateway.quotes;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.ResultHandler;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.quotes.SourceHealth.RestOutcome;
import exchange.gateway.quotes.sim.QuoteSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The adapter against a real venue on loopback: the quote simulator's WebSocket and REST servers,
 * on a free port, driven through its control API. The engine side is a recording publisher, so
 * each test sees exactly the {@code reference_quote} commands that would have entered the ring.
 */
@Timeout(60)
class QuoteAdapterTest {
    private static final long MAX_PRICE = 1_000_000L * 10_000;
    private static final QuoteTuning FAST = QuoteTuning.defaults()
            .withPublishInterval(Duration.ofMillis(20))
            .withBackoff(Duration.ofMillis(20), Duration.ofMillis(200));

    private final long seed = System.nanoTime();
    private final HttpClient control = HttpClient.newHttpClient();
    private final Recorder recorder = new Recorder();
    private QuoteSimulator sim;
    private ScheduledThreadPoolExecutor scheduler;
    private QuoteAdapter adapter;

    /** A publisher standing in for the ring: records each command, answers {@code answer}, refuses while {@code full}. */
    static final class Recorder implements CommandPublisher {
        final List<Command> commands = new CopyOnWriteArrayList<>();
        volatile boolean full;
        volatile ResultCode answer = ResultCode.OK;

        @Override
        public <A> boolean tryPublish(CommandTranslator<A> translator, A arg, ResultHandler handler) {
            if (full) {
                return false;
            }
            Command c = new Command();
            translator.translate(c, arg);
            c.result = answer;
            commands.add(c);
            if (handler != null) {
                handler.onResult(c);
            }
            return true;
        }

        List<Command> of(String symbol) {
            return commands.stream().filter(c -> symbol.equals(c.symbol)).toList();
        }
    }

    @BeforeEach
    void startVenue() {
        System.out.println("QuoteAdapterTest seed " + seed);
        Map<String, Long> symbols = new LinkedHashMap<>();
        symbols.put("AAPLUSD", 1_900_000L);
        symbols.put("MSFTUSD", 4_200_000L);
        sim = QuoteSimulator.start(new QuoteSimulator.Settings(0, seed, symbols, 0));
        scheduler = new ScheduledThreadPoolExecutor(1);
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (adapter != null) {
            adapter.close();
        }
        scheduler.shutdownNow();
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
        sim.close();
    }

    private QuoteSourceConfig source(String wsPath, long staleAfterMillis, int restPerSecond) {
        Map<String, String> map = new LinkedHashMap<>();
        map.put("AAPLUSD", "AAPL");
        map.put("msftusd", "MSFT");
        return new QuoteSourceConfig("venue1", URI.create("ws://127.0.0.1:" + sim.port() + wsPath),
                URI.create("http://127.0.0.1:" + sim.port()), map, staleAfterMillis, restPerSecond);
    }

    private QuoteAdapter start(QuoteSourceConfig config, QuoteTuning tuning) {
        HttpClient http = HttpClient.newBuilder().executor(scheduler).connectTimeout(Duration.ofSeconds(5)).build();
        adapter = new QuoteAdapter(config, tuning, MAX_PRICE, http, scheduler,
                new MeteredPublisher(recorder, new GatewayMetrics()), EpochNanoClock.SYSTEM, System::nanoTime,
                new SplittableRandom(seed));
        adapter.start();
        return adapter;
    }

    private String post(String path, String body) {
        try {
            HttpResponse<String> r = control.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + path))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            return r.body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private void pin(String symbol, String bid, String ask, boolean silent) {
        post("/sim/quote", "{\"symbol\":\"" + symbol + "\",\"bid\":\"" + bid + "\",\"ask\":\"" + ask
                + "\",\"bid_qty\":10,\"ask_qty\":20,\"silent\":" + silent + "}");
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            sleep(5);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private Command awaitCommand(String what, Predicate<Command> p) {
        await(what, () -> recorder.commands.stream().anyMatch(p));
        return recorder.commands.stream().filter(p).findFirst().orElseThrow();
    }

    private static Predicate<Command> quote(String symbol, long bid, long ask) {
        return c -> symbol.equals(c.symbol) && c.bidPriceTicks == bid && c.askPriceTicks == ask;
    }

    private void awaitConnectedAndFilled() {
        await("connected", () -> adapter.health().connected());
        await("the first gap fill", () -> adapter.health().rest(RestOutcome.OK) == 1);
    }

    @Test
    void shouldPublishTheVenuesQuotesAndTradesFromTheCombinedStream() {
        start(source("", 5_000, 5), FAST);
        awaitConnectedAndFilled();
        pin("AAPLUSD", "189.00", "189.05", false);
        Command c = awaitCommand("the pinned quote", quote("AAPL", 1_890_000, 1_890_500));
        assertEquals(CommandType.REFERENCE_QUOTE, c.type);
        assertEquals("venue1", c.venue);
        assertEquals(10, c.bidQty);
        assertEquals(20, c.askQty);
        assertEquals(5_000_000_000L, c.staleAfterNanos);
        assertTrue(Math.abs(c.timestampNanos - EpochNanoClock.SYSTEM.epochNanos()) < TimeUnit.SECONDS.toNanos(10));
        post("/sim/send", "{\"stream\":\"aaplusd@trade\",\"text\":\"{\\\"stream\\\":\\\"aaplusd@trade\\\",\\\"data\\\":"
                + "{\\\"e\\\":\\\"trade\\\",\\\"s\\\":\\\"AAPLUSD\\\",\\\"p\\\":\\\"189.02\\\",\\\"q\\\":\\\"3\\\"}}\"}");
        awaitCommand("the trade's price as last", x -> "AAPL".equals(x.symbol) && x.lastPriceTicks == 1_890_200);
        assertTrue(adapter.health().messages() >= 2);
        assertEquals(1, sim.wsConnects());
        assertEquals(0, adapter.health().droppedTotal());
    }

    @Test
    void shouldReadRawSingleStreams() {
        start(source("/ws", 5_000, 5), FAST);
        awaitConnectedAndFilled();
        pin("MSFTUSD", "419.00", "419.10", false);
        awaitCommand("the pinned quote", quote("MSFT", 4_190_000, 4_191_000));
        post("/sim/send", "{\"stream\":\"msftusd@trade\",\"text\":\"{\\\"e\\\":\\\"trade\\\",\\\"s\\\":\\\"MSFTUSD\\\","
                + "\\\"p\\\":\\\"419.05\\\",\\\"q\\\":\\\"1\\\"}\"}");
        awaitCommand("the trade's price as last", x -> "MSFT".equals(x.symbol) && x.lastPriceTicks == 4_190_500);
    }

    @Test
    void shouldReconnectWithBackoffAndFillTheGapOverRest() {
        start(source("", 5_000, 5), FAST);
        awaitConnectedAndFilled();
        // a quote the WebSocket never carries: only the gap fill after the reconnect can bring it
        pin("AAPLUSD", "185.00", "185.10", true);
        sleep(100);
        assertFalse(recorder.commands.stream().anyMatch(quote("AAPL", 1_850_000, 1_851_000)));
        assertEquals(1, Integer.parseInt(post("/sim/drop", "").replaceAll("\\D", "")));
        await("reconnected", () -> sim.wsConnects() == 2 && adapter.health().connected());
        awaitCommand("the missed quote, from REST", quote("AAPL", 1_850_000, 1_851_000));
        assertTrue(adapter.health().reconnects() >= 1);
        assertEquals(2, adapter.health().rest(RestOutcome.OK));
        // and the stream carries on over the new connection
        pin("AAPLUSD", "186.00", "186.10", false);
        awaitCommand("a streamed quote after the reconnect", quote("AAPL", 1_860_000, 1_861_000));
    }

    @Test
    void shouldHoldTheRestRateLimitUnderAReconnectStorm() {
        long t0 = System.nanoTime();
        start(source("", 5_000, 2), QuoteTuning.defaults().withPublishInterval(Duration.ofMillis(20))
                .withBackoff(Duration.ofMillis(2), Duration.ofMillis(10)));
        awaitConnectedAndFilled();
        long stormEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2_000);
        while (System.nanoTime() < stormEnd) {
            post("/sim/drop", "");
            sleep(20);
        }
        long reconnects = adapter.health().reconnects();
        sleep(100);
        double seconds = (System.nanoTime() - t0) / 1e9;
        long calls = sim.restCalls();
        // the bucket: 2 tokens at the start, 2 more a second
        long allowed = 2 + (long) Math.ceil(2 * seconds);
        assertTrue(reconnects >= 10, "the storm made " + reconnects + " reconnects");
        assertTrue(calls <= allowed, calls + " REST calls in " + seconds + " s, the bucket allows " + allowed);
        assertTrue(calls >= 3, "gap fills went on during the storm: " + calls);
        assertTrue(adapter.health().rest(RestOutcome.THROTTLED) > 0, "the bucket held calls back");
        long answered = adapter.health().rest(RestOutcome.OK) + adapter.health().rest(RestOutcome.FAILED);
        assertTrue(answered <= calls && calls - answered <= 1, "at most one gap fill pending: " + calls + " calls, "
                + answered + " answered");
    }

    @Test
    void shouldRetryFailedRestCallsWithBackoffAndHonourRetryAfter() {
        post("/sim/rest-failures", "{\"count\":2,\"status\":503}");
        start(source("", 5_000, 50), FAST);
        await("the gap fill after two failures", () -> adapter.health().rest(RestOutcome.OK) == 1);
        assertEquals(2, adapter.health().rest(RestOutcome.FAILED));
        assertEquals(3, sim.restCalls());

        post("/sim/rest-failures", "{\"count\":1,\"status\":429,\"retry_after\":1}");
        long dropped = System.nanoTime();
        post("/sim/drop", "");
        await("the gap fill after a 429", () -> adapter.health().rest(RestOutcome.OK) == 2);
        assertEquals(3, adapter.health().rest(RestOutcome.FAILED));
        assertTrue(System.nanoTime() - dropped >= TimeUnit.MILLISECONDS.toNanos(950), "Retry-After: 1 was waited for");
    }

    @Test
    void shouldKeepALiveQuoteFreshAndStopWhenTheSourceGoesSilent() {
        start(source("", 400, 5), FAST);
        awaitConnectedAndFilled();
        pin("AAPLUSD", "189.00", "189.05", false);
        awaitCommand("the pinned quote", quote("AAPL", 1_890_000, 1_890_500));
        sim.rate(200); // MSFT moves (AAPL is pinned): the connection is busy, AAPL unchanged
        sleep(1_000);
        long keepAlives = recorder.of("AAPL").stream().filter(quote("AAPL", 1_890_000, 1_890_500)).count() - 1;
        assertTrue(keepAlives >= 2 && keepAlives <= 6,
                "about one keep-alive per 200 ms (stale_after_ms / 2) over a second, saw " + keepAlives);
        assertTrue(adapter.health().keepAlives() >= 2);
        sim.rate(0);
        sleep(300); // a message within the last 200 ms still confirms it
        int before = recorder.of("AAPL").size();
        sleep(700);
        assertEquals(before, recorder.of("AAPL").size(), "a silent source is left to expire");
        assertTrue(adapter.health().connected(), "silent is not disconnected: pongs still come");
    }

    @Test
    void shouldCountAndDropBadQuotes() {
        start(source("", 5_000, 5), FAST);
        awaitConnectedAndFilled();
        pin("AAPLUSD", "190.00", "190.10", false);
        awaitCommand("a good quote", quote("AAPL", 1_900_000, 1_901_000));
        pin("AAPLUSD", "190.05", "190.00", false);
        pin("AAPLUSD", "190.00", "190.00", false);
        pin("AAPLUSD", "0.00", "190.00", false);
        pin("AAPLUSD", "-1.00", "190.00", false);
        pin("AAPLUSD", "500.00", "500.10", false);
        post("/sim/send", "{\"stream\":\"aaplusd@bookTicker\",\"text\":\"hello\"}");
        post("/sim/send", "{\"stream\":\"aaplusd@bookTicker\",\"text\":\"{\\\"stream\\\":\\\"x\\\",\\\"data\\\":"
                + "{\\\"u\\\":1,\\\"s\\\":\\\"ZZZUSD\\\",\\\"b\\\":\\\"1\\\",\\\"B\\\":\\\"1\\\",\\\"a\\\":\\\"2\\\",\\\"A\\\":\\\"1\\\"}}\"}");
        pin("AAPLUSD", "190.01", "190.11", false);
        awaitCommand("the next good quote", quote("AAPL", 1_900_100, 1_901_100));
        SourceHealth h = adapter.health();
        assertEquals(2, h.dropped(DropReason.CROSSED));
        assertEquals(2, h.dropped(DropReason.NON_POSITIVE));
        assertEquals(1, h.dropped(DropReason.JUMP));
        assertEquals(1, h.dropped(DropReason.UNPARSEABLE));
        assertEquals(1, h.dropped(DropReason.UNKNOWN_SYMBOL));
        for (Command c : recorder.of("AAPL")) {
            assertTrue(c.bidPriceTicks > 0 && c.bidPriceTicks < c.askPriceTicks && c.askPriceTicks < 2_000_000,
                    "a bad quote reached the ring: " + c);
        }
    }

    @Test
    void shouldCoalesceABurstIntoFewCommandsEndingWithTheLast() {
        start(source("", 5_000, 5), QuoteTuning.defaults().withPublishInterval(Duration.ofMillis(100)));
        awaitConnectedAndFilled();
        int before = recorder.of("AAPL").size();
        long t0 = System.nanoTime();
        String last = post("/sim/burst", "{\"symbol\":\"AAPLUSD\",\"count\":2000}");
        long bid = DecimalText.priceFloor(last.replaceAll(".*\"bidPrice\":\"([0-9.]+)\".*", "$1"));
        long ask = DecimalText.priceCeil(last.replaceAll(".*\"askPrice\":\"([0-9.]+)\".*", "$1"));
        await("the burst's messages", () -> adapter.health().messages() >= 2_000);
        awaitCommand("the burst's last quote", quote("AAPL", bid, ask));
        long intervals = (System.nanoTime() - t0) / TimeUnit.MILLISECONDS.toNanos(100) + 2;
        int published = recorder.of("AAPL").size() - before;
        assertTrue(published <= intervals, published + " commands for 2000 updates over " + intervals + " intervals");
        Command lastCommand = recorder.of("AAPL").get(recorder.of("AAPL").size() - 1);
        assertTrue(quote("AAPL", bid, ask).test(lastCommand), "last value wins: " + lastCommand);
        assertEquals(0, adapter.health().droppedTotal(), "the walk stays within the jump limit");
    }

    @Test
    void shouldKeepQuotesTheRingRefusedAndCountEngineRefusals() {
        start(source("", 5_000, 5), FAST);
        awaitConnectedAndFilled();
        recorder.full = true;
        pin("AAPLUSD", "189.00", "189.05", false);
        await("a refusal by the full ring", () -> adapter.health().ringFull() > 0);
        recorder.answer = ResultCode.TOO_MANY_VENUES;
        recorder.full = false;
        awaitCommand("the quote once the ring has room", quote("AAPL", 1_890_000, 1_890_500));
        await("the engine's refusal counted", () -> adapter.health().engineRefused() >= 1);
    }
}
