package exchange.gateway.quotes;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import exchange.gateway.GatewayConfig;
import exchange.gateway.quotes.sim.QuoteSimulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class QuoteSourceConfigTest {
    private static final String ISSUE_EXAMPLE = "{\"name\": \"venue1\", \"ws_url\": \"ws://127.0.0.1:9001\", "
            + "\"rest_url\": \"http://127.0.0.1:9001\", \"symbols\": {\"AAPLUSD\": \"AAPL\"}, \"stale_after_ms\": 5000, "
            + "\"rest_requests_per_second\": 5}";

    private static GatewayConfig parse(String sources) {
        return GatewayConfig.parse("{\"symbols\": [\"AAPL\", \"MSFT\"], \"quote_sources\": " + sources + "}", "test.json",
                null);
    }

    private static String refused(String sources) {
        return assertThrows(IllegalArgumentException.class, () -> parse(sources)).getMessage();
    }

    @Test
    void shouldReadTheIssuesExampleAndBuildTheVenueUrls() {
        QuoteSourceConfig s = parse("[" + ISSUE_EXAMPLE + "]").quoteSources().get(0);
        assertEquals("venue1", s.name());
        assertEquals(Map.of("AAPLUSD", "AAPL"), s.symbols());
        assertEquals(5_000, s.staleAfterMillis());
        assertEquals(5_000_000_000L, s.staleAfterNanos());
        assertEquals(5, s.restRequestsPerSecond());
        assertFalse(s.rawStreams());
        assertEquals(URI.create("ws://127.0.0.1:9001/stream?streams=aaplusd@bookTicker/aaplusd@trade"), s.streamUri());
        assertEquals("http://127.0.0.1:9001/api/v3/ticker/bookTicker?symbols=[\"AAPLUSD\"]",
                URLDecoder.decode(s.bookTickerUri().toString(), StandardCharsets.UTF_8));
        assertTrue(parse("[]").quoteSources().isEmpty());
        assertTrue(GatewayConfig.parse("{\"symbols\": [\"AAPL\"]}", "t", null).quoteSources().isEmpty(),
                "the block is optional");
    }

    @Test
    void shouldUseNamedDefaultsAndRawStreamsForAWsUrl() {
        QuoteSourceConfig s = parse("[{\"name\": \"v\", \"ws_url\": \"wss://stream.example.com:9443/ws/\", "
                + "\"rest_url\": \"https://api.example.com\", \"symbols\": {\"aaplusd\": \"AAPL\", \"MSFTUSD\": \"MSFT\"}}]")
                .quoteSources().get(0);
        assertEquals(QuoteSourceConfig.DEFAULT_STALE_AFTER_MILLIS, s.staleAfterMillis());
        assertEquals(QuoteSourceConfig.DEFAULT_REST_REQUESTS_PER_SECOND, s.restRequestsPerSecond());
        assertEquals(List.of("AAPLUSD", "MSFTUSD"), List.copyOf(s.symbols().keySet()), "upper case, in order");
        assertTrue(s.rawStreams());
        assertEquals(URI.create("wss://stream.example.com:9443/ws/aaplusd@bookTicker/aaplusd@trade/msftusd@bookTicker/"
                + "msftusd@trade"), s.streamUri());
    }

    @Test
    void shouldRefuseBadSourcesNamingTheEntryAndTheKey() {
        String base = ISSUE_EXAMPLE;
        assertTrue(refused("{}").contains("quote_sources must be an array"));
        assertTrue(refused("[" + base.replace("\"stale_after_ms\"", "\"stale_after\"") + "]")
                .contains("unknown key quote_sources[0].stale_after"));
        assertTrue(refused("[" + base.replace("\"name\": \"venue1\", ", "") + "]").contains("quote_sources[0].name must be a string"));
        assertTrue(refused("[" + base.replace("venue1", "venue one") + "]").contains("name must be 1..32 characters"));
        assertTrue(refused("[" + base.replace("ws://", "http://") + "]").contains("quote_sources[venue1].ws_url must be a ws://"));
        assertTrue(refused("[" + base.replace("http://127", "ftp://127") + "]").contains("rest_url must be an http://"));
        assertTrue(refused("[" + base.replace("ws://127.0.0.1:9001", "ws://bad host") + "]").contains("ws_url is not a URL"));
        assertTrue(refused("[" + base.replace("{\"AAPLUSD\": \"AAPL\"}", "{}") + "]").contains("symbols must map 1..200"));
        assertTrue(refused("[" + base.replace("{\"AAPLUSD\": \"AAPL\"}", "[\"AAPL\"]") + "]").contains("symbols must be an object"));
        assertTrue(refused("[" + base.replace("\"AAPL\"}", "\"GOLD\"}") + "]").contains("maps to GOLD, which is not a configured symbol"));
        assertTrue(refused("[" + base.replace("\"AAPL\"}", "\"AAPL\", \"aaplusd\": \"MSFT\"}") + "]").contains("names aaplusd twice"));
        assertTrue(refused("[" + base.replace("\"AAPL\"}", "\"AAPL\", \"X\": \"AAPL\"}") + "]").contains("maps two of the source's symbols to AAPL"));
        assertTrue(refused("[" + base.replace("\"AAPL\"}", "5}") + "]").contains("symbols.AAPLUSD must be a string"));
        assertTrue(refused("[" + base.replace("5000", "10") + "]").contains("stale_after_ms must be in [100, 3600000], was 10"));
        assertTrue(refused("[" + base.replace("\"rest_requests_per_second\": 5", "\"rest_requests_per_second\": 0") + "]")
                .contains("rest_requests_per_second must be in [1, 1000], was 0"));
        assertTrue(refused("[" + base.replace("\"rest_requests_per_second\": 5", "\"rest_requests_per_second\": 1.5") + "]")
                .contains("rest_requests_per_second must be an integer"));
        assertTrue(refused("[" + base + ", " + base + "]").contains("two sources are named venue1"));
    }

    @Test
    void shouldRefuseMoreVenuesForASymbolThanTheEngineKeeps() {
        StringBuilder nine = new StringBuilder("[");
        for (int i = 0; i < 9; i++) {
            nine.append(i == 0 ? "" : ",").append(ISSUE_EXAMPLE.replace("venue1", "venue" + i));
        }
        assertTrue(refused(nine + "]").contains("more than 8 sources quote AAPL"));
    }

    @Test
    void shouldRunTheSimulateDemoOnTheDemoConfigurationPlusASourceQuotingEveryDemoSymbol() throws Exception {
        String text;
        try (InputStream in = GatewayConfig.class.getResourceAsStream("/config/demo-simulate.json")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        GatewayConfig simulate = GatewayConfig.parse(text, "demo-simulate.json", null);
        var tree = (ObjectNode) new ObjectMapper().readTree(text);
        tree.remove("quote_sources");
        tree.remove("fill_against_reference");
        // its own data directory: a data directory refuses to start under other engine settings
        assertEquals("./data-simulate", tree.remove("data_dir").asText());
        String demo;
        try (InputStream in = GatewayConfig.class.getResourceAsStream(GatewayConfig.DEMO_RESOURCE)) {
            demo = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        var demoTree = (ObjectNode) new ObjectMapper().readTree(demo);
        demoTree.remove("data_dir");
        assertEquals(demoTree, tree,
                "demo-simulate.json is demo-config.json plus its quote source: keep them in step");
        assertEquals(List.of("AAPL", "MSFT"), simulate.exchangeConfig().referenceFillSymbols(),
                "resting orders of AAPL and MSFT fill against the simulated venue");
        assertEquals("lp", simulate.exchangeConfig().liquidityProviderName());
        QuoteSourceConfig sim = simulate.quoteSources().get(0);
        assertEquals(URI.create("ws://127.0.0.1:" + QuoteSimulator.DEFAULT_PORT), sim.wsUrl());
        List<String> ours = new ArrayList<>();
        simulate.exchangeConfig().symbols().forEach(x -> ours.add(x.symbol()));
        assertEquals(ours, List.copyOf(sim.symbols().values()));
        assertEquals(List.copyOf(sim.symbols().keySet()), List.copyOf(QuoteSimulator
                .parseSymbols(QuoteSimulator.DEFAULT_SYMBOLS).keySet()),
                "the simulator's default symbols are the ones the source asks for");
    }

    @Test
    void shouldKeepTheSourcesThroughTheBuilderCopies() {
        GatewayConfig c = parse("[" + ISSUE_EXAMPLE + "]");
        assertEquals(c.quoteSources(), c.withPort(0).quoteSources());
    }
}
