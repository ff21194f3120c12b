package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.gateway.quotes.QuoteSourceConfig;
import exchange.gateway.quotes.QuoteTuning;
import exchange.gateway.quotes.sim.QuoteSimulator;
import exchange.journal.EventTailer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole path on real servers: the quote simulator on a free port, the exchange with a quote
 * source pointed at it. The venue's quotes reach the engine as journaled {@code reference_quote}
 * commands (their {@code REFERENCE_QUOTED} events are in the events queue, the ticker shows them as
 * its reference, the history writer carries on past them), and the operator sees
 * the source healthy on {@code GET /v1/admin/sources} (answer checked against the OpenAPI
 * document) and on {@code /metrics}.
 */
@Timeout(60)
class QuoteSourcesIntegrationTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldJournalTheVenuesQuotesAndShowTheSourceHealthy() throws Exception {
        long seed = System.nanoTime();
        System.out.println("QuoteSourcesIntegrationTest seed " + seed);
        Map<String, Long> venueSymbols = new LinkedHashMap<>();
        venueSymbols.put("AAPLUSD", 1_900_000L);
        venueSymbols.put("MSFTUSD", 4_200_000L);
        try (QuoteSimulator sim = QuoteSimulator.start(new QuoteSimulator.Settings(0, seed, venueSymbols, 50))) {
            Map<String, String> map = new LinkedHashMap<>();
            map.put("AAPLUSD", "AAPL");
            map.put("MSFTUSD", "MSFT");
            GatewayConfig config = TestExchange.config(dataDir)
                    .quoteSource(new QuoteSourceConfig("sim", URI.create("ws://127.0.0.1:" + sim.port()),
                            URI.create("http://127.0.0.1:" + sim.port()), map, 2_000, 5))
                    .build();
            try (TestExchange exchange = TestExchange.start(config,
                    o -> o.quoteTuning(QuoteTuning.defaults().withPublishInterval(Duration.ofMillis(20))))) {
                HttpClient control = HttpClient.newHttpClient();
                HttpResponse<String> pinned = control.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + sim.port() + "/sim/quote"))
                        .POST(HttpRequest.BodyPublishers.ofString(
                                "{\"symbol\":\"AAPLUSD\",\"bid\":\"189.00\",\"ask\":\"189.05\",\"bid_qty\":7,\"ask_qty\":9}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, pinned.statusCode(), pinned.body());

                EngineEvent quoted = awaitEvent(e -> e.type == EventType.REFERENCE_QUOTED && "AAPL".equals(e.symbol)
                        && e.bidPriceTicks == 1_890_000 && e.askPriceTicks == 1_890_500);
                assertEquals("sim", quoted.venue);
                assertEquals(7, quoted.bidQty);
                assertEquals(9, quoted.askQty);
                assertEquals(2_000_000_000L, quoted.staleAfterNanos);
                awaitEvent(e -> e.type == EventType.REFERENCE_QUOTED && "MSFT".equals(e.symbol));

                // the read side: the ticker shows the venue's quote as the reference
                JsonNode ticker = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < deadline) {
                    ticker = exchange.api.get("/v1/markets/AAPL/ticker", null).json();
                    if ("189.00".equals(ticker.path("reference_bid").asText())) {
                        break;
                    }
                    Thread.sleep(20);
                }
                assertEquals("189.00", ticker.path("reference_bid").asText(), String.valueOf(ticker));
                assertEquals("189.05", ticker.path("reference_ask").asText(), String.valueOf(ticker));
                assertEquals("sim", ticker.path("reference_bid_venue").asText(), String.valueOf(ticker));
                assertEquals(7, ticker.path("reference_bid_qty").asLong(), String.valueOf(ticker));

                ApiClient.Response sources = exchange.api.get("/v1/admin/sources", TestExchange.ADMIN_KEY);
                assertEquals(200, sources.status(), sources.raw());
                List<String> violations = OpenApiContract.load().violations("GET /v1/admin/sources", 200,
                        sources.contentType(), sources.raw());
                assertTrue(violations.isEmpty(), violations.toString());
                JsonNode s = sources.json().get("sources").get(0);
                assertEquals("sim", s.get("name").asText());
                assertTrue(s.get("connected").asBoolean(), sources.raw());
                assertTrue(s.get("quotes_published").asLong() >= 2, sources.raw());
                assertTrue(s.get("messages").asLong() >= 1, sources.raw());
                assertTrue(s.get("last_message_age_ms").asLong() < 5_000, sources.raw());
                assertEquals(1, s.get("rest_calls").get("ok").asLong(), sources.raw());
                JsonNode aapl = s.get("symbols").get(0);
                assertEquals("AAPL", aapl.get("symbol").asText());
                assertEquals("189.00", aapl.get("bid").asText());
                assertEquals("189.05", aapl.get("ask").asText());
                assertEquals(401, exchange.api.get("/v1/admin/sources", null).status());

                String metrics = exchange.api.get("/metrics", null).raw();
                assertTrue(metrics.contains("exchange_quote_source_connected{source=\"sim\"} 1"), metrics);
                assertTrue(metrics.contains("exchange_quote_source_dropped_total{source=\"sim\",reason=\"crossed\"} 0"),
                        metrics);
                assertTrue(metrics.contains("exchange_quote_source_rest_calls_total{source=\"sim\",outcome=\"ok\"} 1"),
                        metrics);
                assertTrue(metrics.matches("(?s).*exchange_commands_total\\{type=\"reference_quote\",result=\"ok\"} [1-9].*"),
                        metrics);
                assertTrue(metrics.matches("(?s).*exchange_quote_source_quotes_published_total\\{source=\"sim\"} [1-9].*"),
                        metrics);
                assertTrue(metrics.contains("exchange_history_failed 0"), "the history writer takes the quotes: " + metrics);
            }
        }
    }

    private EngineEvent awaitEvent(java.util.function.Predicate<EngineEvent> wanted) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long from = 1;
        while (System.nanoTime() < deadline) {
            EngineEvent e = new EngineEvent();
            try (EventTailer tailer = EventTailer.openReadOnly(dataDir).fromSeq(from)) {
                while (tailer.next(e)) {
                    if (wanted.test(e)) {
                        return e;
                    }
                    from = e.seq;
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AssertionError(interrupted);
            }
        }
        return fail("no such event in the events queue within 20 s");
    }
}
