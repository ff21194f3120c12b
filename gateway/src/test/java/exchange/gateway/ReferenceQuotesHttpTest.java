package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reference quotes on our ticker (issue 19), over a real server: {@code REFERENCE_QUOTE} commands
 * are published into its pipeline through the publisher the gateway's own routes use, stamped by
 * the server's clock, which the test moves forward to let quotes go stale. The venue of a trade
 * against the outside market cannot be shown here yet (the engine makes no such fills on this
 * branch); the projection tests cover it on hand-made events.
 */
@Timeout(60)
class ReferenceQuotesHttpTest {
    private static final long SECOND = 1_000_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REFERENCE_FIELDS = List.of("reference_bid", "reference_bid_qty",
            "reference_bid_venue", "reference_bid_age_ms", "reference_ask", "reference_ask_qty", "reference_ask_venue",
            "reference_ask_age_ms");

    @TempDir
    Path dataDir;

    /** The server's clock: the system's, moved forward by what the test adds. */
    private final AtomicLong ahead = new AtomicLong();
    private final EpochNanoClock clock = () -> EpochNanoClock.SYSTEM.epochNanos() + ahead.get();

    private long quote(TestExchange exchange, String venue, long bid, long bidQty, long ask, long askQty,
                       long staleAfterNanos) {
        return TestQuotes.quote(exchange, clock, venue, bid, bidQty, ask, askQty, staleAfterNanos);
    }

    private JsonNode ticker(TestExchange exchange, long minSeq) {
        Response r = exchange.api.get("/v1/markets/AAPL/ticker?min_seq=" + minSeq, null);
        assertEquals(200, r.status(), r.raw());
        List<String> violations = OpenApiContract.load().violations("GET /v1/markets/{symbol}/ticker", r.status(),
                r.header("Content-Type"), r.raw());
        assertEquals(List.of(), violations, r.raw());
        return r.json();
    }

    /** The next ticker message that {@code wanted} accepts, skipping others (each within the client's wait). */
    private static JsonNode nextTicker(WsTestClient ws, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + 10 * SECOND;
        while (System.nanoTime() < deadline) {
            String text = ws.poll(200);
            if (text == null) {
                continue;
            }
            JsonNode m = JSON.readTree(text);
            if ("AAPL@ticker".equals(m.path("stream").asText()) && wanted.test(m.get("data"))) {
                return m.get("data");
            }
        }
        throw new AssertionError("no such ticker message within 10 s");
    }

    @Test
    void shouldShowTheBestFreshQuotesWithVenueAndAgeOnRestAndTheStreamAndDropThemWhenStale() throws Exception {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build(), o -> o.clock(clock));
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            ws.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@ticker\"],\"id\":1}");
            JsonNode first = nextTicker(ws, t -> true);
            assertTrue(first.get("reference_bid").isNull(), "no quote yet: " + first);

            // venue1: the better ask, stale after 2 s; venue2: the better bid, stale after 60 s
            quote(exchange, "venue1", 1_899_000, 300, 1_901_000, 200, 2 * SECOND);
            long seq = quote(exchange, "venue2", 1_899_500, 100, 1_903_000, 100, 60 * SECOND);
            JsonNode t = ticker(exchange, seq);
            assertEquals("189.95", t.get("reference_bid").asText());
            assertEquals(100, t.get("reference_bid_qty").asLong());
            assertEquals("venue2", t.get("reference_bid_venue").asText());
            assertEquals("190.10", t.get("reference_ask").asText());
            assertEquals(200, t.get("reference_ask_qty").asLong());
            assertEquals("venue1", t.get("reference_ask_venue").asText());
            long age = t.get("reference_ask_age_ms").asLong();
            assertTrue(age >= 0 && age < 2_000, "age " + age);
            assertTrue(t.get("bid").isNull() && t.get("last").isNull(), "our own book is still empty: " + t);
            JsonNode streamed = nextTicker(ws, d -> "venue2".equals(d.path("reference_bid_venue").asText()));
            assertEquals("venue1", streamed.get("reference_ask_venue").asText());
            assertEquals("190.10", streamed.get("reference_ask").asText());

            // 3 s later venue1 is stale: the ask is venue2's, both on REST and (the clock's own message) the stream
            ahead.addAndGet(3 * SECOND);
            t = ticker(exchange, seq);
            assertEquals("190.30", t.get("reference_ask").asText());
            assertEquals("venue2", t.get("reference_ask_venue").asText());
            assertTrue(t.get("reference_bid_age_ms").asLong() >= 3_000, t.toString());
            streamed = nextTicker(ws, d -> "venue2".equals(d.path("reference_ask_venue").asText()));
            assertEquals(seq, streamed.get("seq").asLong(), "no event since: the quote went stale by the clock");

            // a minute later nothing is fresh
            ahead.addAndGet(60 * SECOND);
            t = ticker(exchange, seq);
            for (String f : REFERENCE_FIELDS) {
                assertTrue(t.get(f).isNull(), f + ": " + t);
            }
            nextTicker(ws, d -> d.get("reference_bid").isNull());

            // Binance's ticker is Binance's: no reference, no venue
            Response binance = exchange.api.get("/api/v3/ticker/24hr?symbol=AAPL", null);
            assertEquals(200, binance.status());
            assertFalse(binance.raw().contains("reference") || binance.raw().contains("venue"), binance.raw());
        }
    }

    @Test
    void shouldRefuseABadQuoteAndShowNothingOfIt() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build(), o -> o.clock(clock))) {
            CommandResult crossed = TestQuotes.submit(exchange,
                    new GatewayCommands.ReferenceQuote(clock, "AAPL", "venue1", 1_901_000, 1, 1_899_000, 1, 0, SECOND));
            assertEquals(ResultCode.INVALID_QUOTE, crossed.result());
            JsonNode t = ticker(exchange, crossed.seq());
            assertTrue(t.get("reference_bid").isNull() && t.get("reference_ask").isNull(), t.toString());
        }
    }

    /**
     * A message the clock caused at the seq a subscriber's snapshot carries reaches it (the
     * snapshot may have been taken before the clock passed); an event's message at that seq does
     * not (the snapshot holds it).
     */
    @Test
    void shouldDeliverAClockCausedMessageAtTheSnapshotsOwnSeqButNotAnEventsOne() throws Exception {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build());
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            ws.send("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@ticker\"],\"id\":1}");
            long snapshotSeq = -1;
            boolean answered = false;
            while (snapshotSeq < 0 || !answered) {   // the snapshot and the answer, in either order
                JsonNode m = JSON.readTree(ws.next());
                if (m.has("stream")) {
                    snapshotSeq = m.get("seq").asLong();
                } else {
                    assertEquals("{\"id\":1,\"result\":null}", m.toString());
                    answered = true;
                }
            }
            StreamHub hub = exchange.server.streamHub();
            String topic = StreamTopics.v1("AAPL@ticker");
            hub.publish(topic, snapshotSeq, "{\"from\":\"an event\"}");
            hub.publishByClock(topic, snapshotSeq, "{\"from\":\"the clock\"}");
            assertEquals("{\"from\":\"the clock\"}", ws.next());
            hub.publishByClock(topic, snapshotSeq - 1, "{\"from\":\"older\"}");
            hub.publish(topic, snapshotSeq + 1, "{\"from\":\"the next event\"}");
            assertEquals("{\"from\":\"the next event\"}", ws.next());
            assertNull(ws.poll(100));
        }
    }
}
