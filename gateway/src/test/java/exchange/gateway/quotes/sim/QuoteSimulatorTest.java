package exchange.gateway.quotes.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class QuoteSimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final long seed = System.nanoTime();
    private final HttpClient http = HttpClient.newHttpClient();
    private QuoteSimulator sim;

    @BeforeEach
    void start() {
        System.out.println("QuoteSimulatorTest seed " + seed);
        sim = QuoteSimulator.start(new QuoteSimulator.Settings(0, seed, QuoteSimulator.parseSymbols("AAPLUSD:190.00,"
                + "PENNYUSD:0.50"), 0));
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + sim.port() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldWalkTheSameWayForTheSameSeed() {
        Map<String, Long> start = new LinkedHashMap<>();
        start.put("A", 1_000_000L);
        start.put("B", 5_000L);
        SimMarket one = new SimMarket(start, seed);
        SimMarket two = new SimMarket(start, seed);
        SimMarket other = new SimMarket(start, seed + 1);
        List<SimMarket.Quote> a = new ArrayList<>();
        List<SimMarket.Quote> b = new ArrayList<>();
        List<SimMarket.Quote> c = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            String s = i % 2 == 0 ? "A" : "B";
            a.add(one.step(s));
            b.add(two.step(s));
            c.add(other.step(s));
        }
        assertEquals(a, b, "seed " + seed);
        assertNotEquals(a, c);
        for (SimMarket.Quote q : a) {
            assertTrue(q.bidTicks() > 0 && q.bidTicks() < q.askTicks() && q.bidQty() > 0 && q.askQty() > 0, q.toString());
            assertEquals(0, q.bidTicks() % 100, "whole cents: " + q);
            long start0 = start.get(q.symbol());
            assertTrue(Math.abs(q.bidTicks() - start0) < start0 / 5 + 1_000, "the walk stays near its start: " + q);
        }
    }

    @Test
    void shouldServeTheBinanceRestTickers() throws Exception {
        assertEquals("{}", get("/api/v3/ping").body());
        JsonNode one = JSON.readTree(get("/api/v3/ticker/bookTicker?symbol=AAPLUSD").body());
        assertEquals("AAPLUSD", one.get("symbol").asText());
        assertTrue(one.get("bidPrice").asText().matches("1[89][0-9]\\.[0-9]{8}"), one.toString());
        JsonNode many = JSON.readTree(get("/api/v3/ticker/bookTicker?symbols="
                + URLEncoder.encode("[\"PENNYUSD\",\"AAPLUSD\"]", StandardCharsets.UTF_8)).body());
        assertEquals(2, many.size());
        assertEquals("PENNYUSD", many.get(0).get("symbol").asText());
        assertEquals(2, JSON.readTree(get("/api/v3/ticker/bookTicker").body()).size());
        HttpResponse<String> unknown = get("/api/v3/ticker/bookTicker?symbol=NOPE");
        assertEquals(400, unknown.statusCode());
        assertEquals(-1121, JSON.readTree(unknown.body()).get("code").asInt());
        assertEquals(4, sim.restCalls(), "bookTicker calls (ping is not one)");
        post("/sim/rest-failures", "{\"count\":1,\"status\":429,\"retry_after\":2}");
        HttpResponse<String> limited = get("/api/v3/ticker/bookTicker");
        assertEquals(429, limited.statusCode());
        assertEquals("2", limited.headers().firstValue("Retry-After").orElse(null));
        assertEquals(200, get("/api/v3/ticker/bookTicker").statusCode());
    }

    /** Collects a connection's text messages. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                messages.add(parts.toString());
                parts.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    private JsonNode next(Collector c) throws Exception {
        String m = c.messages.poll(10, TimeUnit.SECONDS);
        assertNotNull(m, "no message within 10 s");
        return JSON.readTree(m);
    }

    @Test
    void shouldStreamRawAndCombinedAndAnswerTheControlApi() throws Exception {
        Collector raw = new Collector();
        Collector combined = new Collector();
        WebSocket a = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + sim.port()
                + "/ws/aaplusd@bookTicker/aaplusd@trade"), raw).get(10, TimeUnit.SECONDS);
        WebSocket b = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + sim.port()
                + "/stream?streams=aaplusd@bookTicker"), combined).get(10, TimeUnit.SECONDS);
        while (sim.openConnections() < 2) {
            Thread.sleep(5);
        }
        assertEquals(200, post("/sim/quote", "{\"symbol\":\"AAPLUSD\",\"bid\":\"189.00\",\"ask\":\"189.05\"}").statusCode());
        JsonNode r = next(raw);
        assertEquals("AAPLUSD", r.get("s").asText());
        assertEquals("189.00000000", r.get("b").asText());
        assertEquals("189.05000000", r.get("a").asText());
        JsonNode c = next(combined);
        assertEquals("aaplusd@bookTicker", c.get("stream").asText());
        assertEquals(r.get("b"), c.get("data").get("b"));

        // a pinned symbol neither walks nor trades; released, it does both
        assertEquals(200, post("/sim/release", "{\"symbol\":\"AAPLUSD\"}").statusCode());
        sim.rate(1_000);
        boolean sawTrade = false;
        for (int i = 0; i < 200 && !sawTrade; i++) {
            sawTrade = "trade".equals(next(raw).path("e").asText());
        }
        assertTrue(sawTrade, "a trade now and then");
        sim.rate(0);

        assertEquals("{\"dropped\":2}", post("/sim/drop", "").body());
        assertEquals(400, post("/sim/quote", "{\"symbol\":\"NOPE\",\"bid\":\"1\",\"ask\":\"2\"}").statusCode());
        assertEquals(400, post("/sim/rate", "{\"rate\":-1}").statusCode());
        assertEquals(400, post("/sim/burst", "{\"symbol\":\"AAPLUSD\",\"count\":0}").statusCode());
        assertEquals(400, post("/sim/rest-failures", "{\"count\":1,\"status\":200}").statusCode());
        assertEquals(400, post("/sim/quote", "not json").statusCode());
        JsonNode stats = JSON.readTree(get("/sim/stats").body());
        assertEquals(2, stats.get("ws_connects").asLong());
        assertEquals(seed, stats.get("seed").asLong());
        a.abort();
        b.abort();
    }

    @Test
    void shouldRefuseBadArguments() {
        assertThrows(IllegalArgumentException.class, () -> QuoteSimulator.parseArgs(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> QuoteSimulator.parseArgs(new String[] {"--rate", "fast"}));
        assertThrows(IllegalArgumentException.class, () -> QuoteSimulator.parseArgs(new String[] {"--colour", "x"}));
        assertThrows(IllegalArgumentException.class, () -> QuoteSimulator.parseSymbols("AAPLUSD:abc"));
        assertThrows(IllegalArgumentException.class, () -> QuoteSimulator.parseSymbols("AAPL USD:1.00"));
        QuoteSimulator.Settings s = QuoteSimulator.parseArgs(new String[] {"--port", "0", "--seed", "42", "--rate", "7",
            "--symbols", "aaplusd:190.00,msftusd"});
        assertEquals(42, s.seed());
        assertEquals(7, s.rate());
        assertEquals(Map.of("AAPLUSD", 1_900_000L, "MSFTUSD", 1_000_000L), s.symbols());
    }
}
