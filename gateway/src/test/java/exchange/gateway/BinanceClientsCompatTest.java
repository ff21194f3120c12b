package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.DepthBooks.Book;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.stream.StreamConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Unmodified Binance client libraries against our Binance-compatible surface (DESIGN section 4,
 * issue 17): {@code src/test/node/binance-clients/clients.mjs} drives ccxt (REST and ccxt.pro) and
 * the official {@code @binance/connector} with only their base URLs pointed at a real server, while
 * a seeded random order flow trades over HTTP. Every REST answer they parse must agree with our own
 * {@code /v1/markets} face, and both local order books (ccxt.pro's watchOrderBook, and the
 * connector's diffBookDepth stream kept with Binance's documented procedure) must end equal, level
 * for level, to {@code GET /v1/markets/AAPL/book} and to the engine's open orders, through a
 * quiet spell in which only answered pings keep their connections open.
 *
 * <p>Needs {@code node} and the locked npm packages ({@code npm ci} in that folder). Skipped with
 * a message when they are missing; {@code -Pcompat} installs them and sets {@code compat.required},
 * which turns the skip into a failure. The seed is printed on failure ({@code -Dseed=N} replays).
 */
@Timeout(240)
class BinanceClientsCompatTest {
    private static final Path CLIENTS = Path.of(System.getProperty("compat.dir", "src/test/node/binance-clients"));
    private static final long LINE_WAIT_SECONDS = 90;

    @TempDir
    Path dataDir;

    @Test
    void shouldServeCcxtAndTheOfficialConnectorUnmodified() throws Exception {
        assumeClientsInstalled();
        long seed = Long.getLong("seed", System.nanoTime());
        String context = " (seed " + seed + "; rerun with -Dseed=" + seed + ")";
        // default stream limits (a client's SUBSCRIBE burst must fit them), but pings every 200 ms
        // and a 1 s pong timeout: a client that did not answer our pings would be closed mid-test
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir)
                .stream(StreamConfig.defaults().withPing(Duration.ofMillis(200), Duration.ofSeconds(1))).build())) {
            exchange.openSession();
            Map<String, String> funds = Map.of("AAPL", "100000", "USD", "10000000.00");
            List<String> keys = List.of(exchange.fundedAccount("a", funds).key(), exchange.fundedAccount("b", funds).key(),
                    exchange.fundedAccount("c", funds).key());
            RandomOrderFlow flow = new RandomOrderFlow(exchange.api, keys, seed);
            flow.run(120); // trades, candles and a book for the REST calls

            Path stderr = Files.createTempFile(dataDir, "node", ".err");
            Process node = new ProcessBuilder("node", "clients.mjs", Integer.toString(exchange.server.port()), "AAPL")
                    .directory(CLIENTS.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            BlockingQueue<String> lines = readLines(node);
            try {
                JsonNode rest = expect(lines, "rest", stderr, context);
                checkCcxtRest(exchange.api, rest.get("ccxt"), context);
                checkConnectorRest(exchange.api, rest.get("connector"), context);

                expect(lines, "ready", stderr, context);
                flow.run(200); // the book moves under both local books
                // a quiet spell of several pong timeouts: only answered pings keep the streams open
                Thread.sleep(3_000);
                flow.run(20);
                Account a = new Account(0, keys.get(0));
                ApiClient.Response m = exchange.api.post("/v1/orders", a.key(),
                        TestExchange.aaplOrder("marker", "sell", 1, "199.99", "day"));
                assertEquals(201, m.status(), m.raw());
                long marker = m.json().get("seq").asLong();
                OutputStream in = node.getOutputStream();
                in.write((marker + "\n").getBytes(StandardCharsets.US_ASCII));
                in.flush();

                JsonNode books = expect(lines, "books", stderr, context);
                Book ours = DepthBooks.fromV1(exchange.api.get("/v1/markets/AAPL/book?depth=1000", null).json());
                Book engine = DepthBooks.engineBook(exchange.api, keys, "AAPL");
                assertEquals(engine.toString(), ours.toString(), "our REST book = the engine's" + context);

                JsonNode ccxt = books.get("ccxt");
                assertTrue(ccxt.get("nonce").asLong() >= marker, "ccxt.pro's book reached the marker: " + ccxt + context);
                assertEquals(ours.toString(), binanceBook(ccxt).toString(), "ccxt.pro watchOrderBook = our book" + context);
                assertEquals("[]", ccxt.get("errors").toString(), "ccxt.pro watchers" + context);
                assertTrue(ccxt.get("trades").asInt() > 0 && ccxt.get("ohlcv").asInt() > 0 && ccxt.get("ticker").asInt() > 0,
                        "ccxt.pro watchTrades, watchOHLCV and watchTicker received updates: " + ccxt + context);

                JsonNode conn = books.get("connector");
                assertTrue(conn.get("lastUpdateId").asLong() >= marker, "the connector's book reached the marker" + context);
                assertEquals("[]", conn.get("problems").toString(), "Binance's procedure found no straddle or gap problem" + context);
                assertEquals(ours.toString(), binanceBook(conn).toString(),
                        "the connector's diffBookDepth local book = our book" + context);
                for (String stream : new String[] {"events", "trades", "klines", "bookTickers", "tickers"}) {
                    assertTrue(conn.get(stream).asInt() > 0, "the connector's " + stream + " stream delivered: " + conn + context);
                }
                assertTrue(node.waitFor(30, TimeUnit.SECONDS), "node exits after the books" + context);
                assertEquals(0, node.exitValue(), Files.readString(stderr) + context);
            } finally {
                node.destroyForcibly();
            }
        }
    }

    /** Skips (or, under -Pcompat, fails) when node or the locked packages are missing. */
    private static void assumeClientsInstalled() {
        boolean required = Boolean.getBoolean("compat.required");
        String missing = null;
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                missing = "node does not run";
            }
        } catch (IOException | InterruptedException e) {
            missing = "node is not installed";
        }
        if (missing == null && !(Files.isDirectory(CLIENTS.resolve("node_modules/ccxt"))
                && Files.isDirectory(CLIENTS.resolve("node_modules/@binance/connector")))) {
            missing = "the npm packages are not installed in " + CLIENTS.toAbsolutePath();
        }
        if (missing != null) {
            String message = missing + ": run scripts/test.sh -Pcompat (installs node and npm when missing, then npm ci)";
            if (required) {
                fail(message);
            }
            Assumptions.abort(message);
        }
    }

    private static BlockingQueue<String> readLines(Process node) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("{\"phase\":\"error\",\"error\":\"stdout: " + e + "\"}");
            }
            lines.add("{\"phase\":\"eof\"}");
        }, "node-stdout");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static JsonNode expect(BlockingQueue<String> lines, String phase, Path stderr, String context) throws Exception {
        String line = lines.poll(LINE_WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null) {
            fail("no '" + phase + "' line from node in " + LINE_WAIT_SECONDS + " s; stderr: " + Files.readString(stderr) + context);
        }
        JsonNode j = DepthBooks.parse(line);
        assertEquals(phase, j.get("phase").asText(), line + "\nstderr: " + Files.readString(stderr) + context);
        return j;
    }

    /** A client's book as {@code [["price","qty"],...]} sides (numbers or decimal strings). */
    private static Book binanceBook(JsonNode side) {
        Book b = Book.empty();
        DepthBooks.applyBinance(b, side.get("bids"), side.get("asks"));
        return b;
    }

    private static void checkCcxtRest(ApiClient api, JsonNode c, String context) {
        JsonNode markets = api.get("/v1/markets", null).json().get("markets");
        List<String> unified = new ArrayList<>();
        markets.forEach(m -> unified.add(m.get("symbol").asText() + "/USD"));
        unified.sort(null);
        assertEquals(unified.toString(), listOf(c.get("markets")).toString(), "ccxt loadMarkets" + context);
        JsonNode m = c.get("market");
        assertEquals("AAPL", m.get("id").asText());
        assertEquals("USD", m.get("quote").asText());
        assertTrue(m.get("spot").asBoolean() && m.get("active").asBoolean(), m.toString());
        assertEquals(0, new BigDecimal("0.01").compareTo(m.get("pricePrecision").decimalValue()), m.toString());
        assertEquals(1, m.get("amountPrecision").asInt(), m.toString());

        JsonNode v1Book = api.get("/v1/markets/AAPL/book?depth=100", null).json();
        assertEquals(DepthBooks.fromV1(v1Book).toString(), binanceBook(c.get("orderBook")).toString(), "ccxt fetchOrderBook" + context);
        assertEquals(v1Book.get("seq").asLong(), c.get("orderBook").get("nonce").asLong(), "ccxt's nonce is our seq" + context);

        JsonNode ticker = api.get("/v1/markets/AAPL/ticker", null).json();
        BigDecimal last = new BigDecimal(ticker.get("last").asText());
        long volume = ticker.get("volume").asLong();
        assertTrue(volume > 0, "the flow traded" + context);
        JsonNode t = c.get("ticker");
        assertEquals(0, last.compareTo(t.get("last").decimalValue()), "ccxt fetchTicker last: " + t + context);
        assertEquals(volume, t.get("baseVolume").asLong(), "ccxt fetchTicker baseVolume" + context);
        assertEquals(0, last.compareTo(c.get("lastPrices").get("AAPL/USD").decimalValue()), "ccxt fetchLastPrices" + context);
        assertEquals("[\"AAPL/USD\"]", c.get("tickers").toString(), "ccxt fetchTickers" + context);
        JsonNode ba = c.get("bidsAsks").get("AAPL/USD");
        assertEquals(0, new BigDecimal(ticker.get("bid").asText()).compareTo(ba.get("bid").decimalValue()), "ccxt fetchBidsAsks" + context);

        JsonNode v1Trades = api.get("/v1/markets/AAPL/trades?limit=50", null).json().get("trades");
        assertEquals(v1Trades.size(), c.get("trades").size(), "ccxt fetchTrades" + context);
        for (String tf : new String[] {"1s", "1m", "5m"}) {
            long sum = 0;
            for (JsonNode k : c.get("ohlcv_" + tf)) {
                sum += k.get(5).asLong();
                assertTrue(k.get(2).decimalValue().compareTo(k.get(3).decimalValue()) >= 0, "high >= low " + k + context);
            }
            if (!tf.equals("1s")) { // at most 100 one-second candles may not cover the whole flow
                assertEquals(volume, sum, "ccxt fetchOHLCV " + tf + " volumes add up to the ticker's" + context);
            }
        }
        assertTrue(c.get("ohlcv_1s").size() > 0 && c.get("ohlcv_1s_since").size() > 0, "ccxt fetchOHLCV 1s, with since" + context);
        assertEquals(c.get("ohlcv_1s").get(0).toString(), c.get("ohlcv_1s_since").get(0).toString(),
                "since= starts the page at that candle" + context);
        assertTrue(c.get("time").asLong() > 0);
    }

    private static void checkConnectorRest(ApiClient api, JsonNode c, String context) {
        assertTrue(listOf(c.get("symbols")).contains("AAPL") && listOf(c.get("symbols")).contains("MSFT"), c.get("symbols") + context);
        JsonNode depth = c.get("depth");
        assertEquals(DepthBooks.fromV1(api.get("/v1/markets/AAPL/book?depth=100", null).json()).toString(),
                binanceBook(depth).toString(), "connector depth" + context);
        assertNotNull(depth.get("usedWeight").textValue(), "X-MBX-USED-WEIGHT-1M on the connector's answer" + context);

        JsonNode ticker = api.get("/v1/markets/AAPL/ticker", null).json();
        BigDecimal last = new BigDecimal(ticker.get("last").asText());
        assertEquals(0, last.compareTo(new BigDecimal(c.get("tickerPrice").get("price").asText())), "connector tickerPrice" + context);
        assertEquals(0, last.compareTo(new BigDecimal(c.get("ticker24hr").get("lastPrice").asText())), "connector ticker24hr" + context);
        assertEquals(ticker.get("trade_count").asLong(), c.get("ticker24hr").get("count").asLong(), "connector ticker24hr count" + context);
        assertTrue(c.get("ticker24hrAll").size() >= 2, "connector ticker24hr for all symbols" + context);
        assertEquals(0, new BigDecimal(ticker.get("bid").asText()).compareTo(new BigDecimal(c.get("bookTicker").get("bidPrice").asText())),
                "connector bookTicker" + context);
        assertTrue(c.get("trades").size() > 0 && c.get("aggTrades").size() > 0, "connector trades and aggTrades" + context);
        long sum = 0;
        for (JsonNode k : c.get("klines_1m")) {
            assertEquals(12, k.size(), "Binance's kline array: " + k + context);
            sum += new BigDecimal(k.get(5).asText()).longValueExact();
        }
        assertEquals(ticker.get("volume").asLong(), sum, "connector klines 1m volumes add up to the ticker's" + context);
        assertTrue(c.get("klines_1s").size() > 0, "connector klines 1s" + context);
        assertEquals(c.get("klines_1m").toString(), c.get("uiKlines_1m").toString(), "connector uiklines" + context);
        assertEquals("{}", c.get("ping").toString());
        assertTrue(c.get("time").get("serverTime").asLong() > 0);
        assertEquals(400, c.get("badSymbol").get("status").asInt(), c.get("badSymbol") + context);
        assertEquals(-1121, c.get("badSymbol").get("data").get("code").asInt(), c.get("badSymbol") + context);
    }

    private static List<String> listOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
