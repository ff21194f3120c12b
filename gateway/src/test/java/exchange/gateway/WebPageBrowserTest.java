package exchange.gateway;

import exchange.engine.Side;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.marketdata.MarketJson;
import exchange.gateway.stream.StreamTopics;
import exchange.readside.marketdata.MarketDataUpdate;
import exchange.readside.marketdata.PublicTrade;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trader's page (issue 18) in Debian's headless Chromium, driven by Selenium, against a real
 * exchange: the page loads with its book, a trader enters a key and, through the form, places a
 * resting order and a crossing one, sees the book change, the trade in the tape, the candle on
 * the chart, the fill and the balances change; cancels with the order's button; sees a refused
 * order's code; all at a desktop and a phone width, with no console error. Screenshots go to
 * {@code target/screenshots/}. Runs with {@code -Pbrowser} (scripts/test.sh -Pbrowser installs
 * chromium and chromium-driver when missing).
 */
@Tag("browser")
@Timeout(180)
class WebPageBrowserTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final Path SHOTS = Paths.get("target", "screenshots");

    @TempDir
    Path dataDir;
    @TempDir
    Path profileDir;

    private TestExchange exchange;
    private ChromeDriver driver;
    private WebDriverWait wait;
    private final List<String> consoleErrors = new ArrayList<>();

    @BeforeEach
    void startBrowser() {
        String chromium = System.getProperty("browser.chromium", "/usr/bin/chromium");
        String chromedriver = System.getProperty("browser.chromedriver", "/usr/bin/chromedriver");
        for (String exe : List.of(chromium, chromedriver)) {
            assertTrue(Files.isExecutable(Paths.get(exe)), exe + " is missing: apt-get install chromium chromium-driver"
                    + " (scripts/test.sh -Pbrowser does it)");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        // what Chromium needs on this machine (see README): no sandbox as root, no GPU, and no
        // background traffic to hosts the closed network refuses
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profileDir, "--window-size=1400,900");
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver))
                .usingAnyFreePort()
                .build();
        driver = new ChromeDriver(service, options);
        wait = new WebDriverWait(driver, WAIT);
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void shouldTradeThroughThePageAndShowItLiveAtDesktopAndPhoneWidths() throws IOException {
        exchange = TestExchange.start(TestExchange.config(dataDir).build());
        exchange.openSession();
        Account alice = exchange.fundedAccount("alice", Map.of("AAPL", "1000"));
        Account bob = exchange.fundedAccount("bob", Map.of("USD", "100000.00"));
        ApiClient.Response ask = exchange.api.post("/v1/orders", alice.key(),
                TestExchange.aaplOrder("a1", "sell", 10, "190.00", "day"));
        assertEquals(201, ask.status(), ask.raw());

        driver.get("http://127.0.0.1:" + exchange.server.port() + "/");
        waitFor("the feed to be live", () -> text(By.id("conn")).equals("live"));
        waitFor("alice's ask in the book", () -> ladder("asks").contains("190.00 10 1"));

        // a key: the account's balances appear
        driver.findElement(By.id("api-key")).sendKeys(bob.key());
        driver.findElement(By.id("key-save")).click();
        waitFor("bob's cash", () -> text(By.id("balances")).contains("USD 100000.00 0.00 100000.00"));
        assertEquals(bob.key(), ((JavascriptExecutor) driver).executeScript(
                "return sessionStorage.getItem('exchange.apiKey')"));
        assertTrue(!driver.getCurrentUrl().contains(bob.key()), "the key is never in the URL");

        // a resting buy through the form: open orders and the book show it, cash is reserved
        placeOrder("buy", "5", "189.00", false);
        waitFor("the resting order", () -> text(By.id("open-orders")).contains("AAPL buy 189.00 5 0 new"));
        waitFor("the bid in the book", () -> ladder("bids").contains("189.00 5 1"));
        waitFor("the hold", () -> text(By.id("balances")).contains("USD 100000.00 945.00 99055.00"));

        // a click on the ask fills the price; a crossing buy of 4 trades at 190.00
        driver.findElement(By.cssSelector("#asks tr[data-price='190.00']")).click();
        assertEquals("190.00", driver.findElement(By.id("price")).getAttribute("value"));
        placeOrder("buy", "4", null, false);
        waitFor("the trade in the tape", () -> text(By.id("tape")).matches("(?s).*\\d\\d:\\d\\d:\\d\\d 190.00 4.*"));
        waitFor("the ask reduced", () -> ladder("asks").contains("190.00 6 1"));
        waitFor("the candle", () -> text(By.id("legend")).equals("O 190.00 H 190.00 L 190.00 C 190.00 V 4")
                && "1".equals(driver.findElement(By.id("legend")).getAttribute("data-candles")));
        waitFor("the fill", () -> text(By.id("fills")).matches("(?s).*AAPL buy 190.00 4 \\d+\\.\\d\\d.*"));
        waitFor("the new position", () -> text(By.id("balances")).contains("AAPL 4 0 4"));
        assertTrue(!text(By.id("balances")).contains("USD 100000.00"), "cash changed after the fill");

        // cancel the resting order with its button: it leaves the open orders and the book
        driver.findElement(By.cssSelector("#open-orders button.cancel")).click();
        waitFor("no open orders", () -> text(By.id("open-orders")).equals("no open orders"));
        waitFor("the bid gone", () -> !ladder("bids").contains("189.00"));

        // a post-only buy at the ask is refused: its code is shown beside the form
        placeOrder("buy", "1", "190.00", true);
        waitFor("the refusal", () -> text(By.id("order-error")).startsWith("POST_ONLY_WOULD_TAKE "));
        screenshot("desktop.png");
        assertNoConsoleErrors("/v1/orders - Failed to load resource: the server responded with a status of 422");

        // a phone: the same tab (the key is kept for the session), one column, nothing wider than the screen
        driver.manage().window().setSize(new Dimension(390, 844));
        driver.navigate().refresh();
        waitFor("the feed to be live", () -> text(By.id("conn")).equals("live"));
        waitFor("the book", () -> ladder("asks").contains("190.00 6 1"));
        waitFor("the account", () -> text(By.id("balances")).contains("AAPL 4 0 4"));
        waitFor("the tape", () -> text(By.id("tape")).contains("190.00 4"));
        Number scrollWidth = (Number) ((JavascriptExecutor) driver).executeScript(
                "return document.documentElement.scrollWidth");
        Number viewport = (Number) ((JavascriptExecutor) driver).executeScript("return window.innerWidth");
        assertTrue(scrollWidth.intValue() <= viewport.intValue(),
                "no horizontal scrolling at a phone's width: " + scrollWidth + " > " + viewport);
        assertTrue(driver.findElement(By.id("place")).isDisplayed());
        screenshot("phone.png");
        assertNoConsoleErrors();
    }

    /**
     * A connection that goes silent (the page's messages lost on the way: its heartbeat goes
     * unanswered), then the exchange going away and coming back: the badge says so each time, and
     * the page reconnects and resyncs by itself.
     */
    @Test
    void shouldShowAStaleOrLostFeedAndResyncByItself() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        GatewayConfig config = TestExchange.config(dataDir).port(port).build();
        exchange = TestExchange.start(config);
        exchange.openSession();
        Account alice = exchange.fundedAccount("alice", Map.of("AAPL", "1000"));
        assertEquals(201, exchange.api.post("/v1/orders", alice.key(),
                TestExchange.aaplOrder("a1", "sell", 10, "190.00", "gtc")).status());
        driver.get("http://127.0.0.1:" + port + "/");
        waitFor("the feed to be live", () -> text(By.id("conn")).equals("live"));
        waitFor("the ask", () -> ladder("asks").contains("190.00 10 1"));

        JavascriptExecutor js = driver;
        js.executeScript("window.realSend = WebSocket.prototype.send; WebSocket.prototype.send = function () {};");
        waitFor("the stale feed shown", () -> text(By.id("conn")).startsWith("stale feed, reconnecting"));
        assertTrue(driver.findElement(By.id("conn")).getAttribute("class").contains("stale"));
        js.executeScript("WebSocket.prototype.send = window.realSend;");
        waitFor("the feed live again", () -> text(By.id("conn")).equals("live"));
        assertEquals(201, exchange.api.post("/v1/orders", alice.key(),
                TestExchange.aaplOrder("a0", "sell", 3, "190.50", "gtc")).status());
        waitFor("a new ask on the new connection", () -> ladder("asks").equals("190.50 3 1\n190.00 10 1"));

        exchange.close();
        exchange = null;
        waitFor("the lost feed shown", () -> text(By.id("conn")).startsWith("offline, reconnecting"));
        assertTrue(driver.findElement(By.id("conn")).getAttribute("class").contains("offline"));

        exchange = TestExchange.start(config);
        waitFor("the feed live again", () -> text(By.id("conn")).equals("live"));
        assertEquals(201, exchange.api.post("/v1/orders", alice.key(),
                TestExchange.aaplOrder("a2", "sell", 7, "191.00", "gtc")).status());
        waitFor("a new ask after the restart", () -> ladder("asks").equals("191.00 7 1\n190.50 3 1\n190.00 10 1"));
        // the browser logs each refused reconnection attempt as a console error; nothing else may appear
        List<String> errors = severeConsoleMessages();
        errors.removeIf(m -> m.contains("/v1/stream") && m.contains("WebSocket connection"));
        assertEquals(List.of(), errors, "console errors");
    }

    /**
     * A burst of 500 new levels: the page keeps up (the feed stays live, the ladder ends exact)
     * and prints how long it took to catch up and the main thread's long tasks (over 50 ms), a
     * figure rather than an assertion: the machine is shared.
     */
    @Test
    void shouldKeepUpWithABurstOfBookUpdates() {
        exchange = TestExchange.start(TestExchange.config(dataDir).build());
        exchange.openSession();
        Account alice = exchange.fundedAccount("alice", Map.of("AAPL", "1000"));
        driver.get("http://127.0.0.1:" + exchange.server.port() + "/");
        waitFor("the feed to be live", () -> text(By.id("conn")).equals("live"));
        ((JavascriptExecutor) driver).executeScript("window.longTasks = [];"
                + "new PerformanceObserver(l => l.getEntries().forEach(e => window.longTasks.push(e.duration)))"
                + ".observe({type: 'longtask'});");
        int orders = 500;
        long lastSeq = 0;
        long start = System.nanoTime();
        for (int i = 0; i < orders; i++) {
            String price = String.format(java.util.Locale.ROOT, "%.2f", 190.01 + i * 0.01);
            ApiClient.Response r = exchange.api.post("/v1/orders", alice.key(),
                    TestExchange.aaplOrder("burst-" + i, "sell", 1, price, "day"));
            assertEquals(201, r.status(), r.raw());
            lastSeq = r.json().get("seq").asLong();
        }
        long sent = System.nanoTime();
        long target = lastSeq;
        waitFor("the ladder at the last order's seq", () -> {
            String seq = text(By.id("book-seq"));
            return !seq.isEmpty() && Long.parseLong(seq.substring("seq ".length())) >= target;
        });
        long caughtUp = System.nanoTime();
        assertEquals("live", text(By.id("conn")), "the feed stayed live through the burst");
        List<String> asks = List.of(ladder("asks").split("\n"));
        assertEquals(12, asks.size());
        assertEquals("190.12 1 1", asks.get(0));
        assertEquals("190.01 1 1", asks.get(11));
        @SuppressWarnings("unchecked")
        List<Number> longTasks = (List<Number>) ((JavascriptExecutor) driver).executeScript("return window.longTasks");
        System.out.printf("web page burst: %d orders sent in %d ms; ladder caught up %d ms after the last ack; "
                        + "%d long tasks (max %.0f ms)%n", orders, (sent - start) / 1_000_000,
                (caughtUp - sent) / 1_000_000, longTasks.size(),
                longTasks.stream().mapToDouble(Number::doubleValue).max().orElse(0));
        assertEquals(List.of(), severeConsoleMessages(), "console errors");
    }

    /**
     * The outside market beside the book: reference quotes published into the server's pipeline
     * (as a quote adapter does) appear with venue and age, move to the next venue when one goes
     * stale by the server's clock (moved forward here) and disappear when none is fresh; a fill
     * against the outside market shows its venue on the tape (its stream message is published by
     * hand: the engine on this branch makes no such fills).
     */
    @Test
    void shouldShowTheOutsideMarketsReferenceBesideTheBookAndTheVenueOfAnExternalTrade() throws IOException {
        AtomicLong ahead = new AtomicLong();
        EpochNanoClock clock = () -> EpochNanoClock.SYSTEM.epochNanos() + ahead.get();
        exchange = TestExchange.start(TestExchange.config(dataDir).build(), o -> o.clock(clock));
        driver.get("http://127.0.0.1:" + exchange.server.port() + "/");
        waitFor("the feed to be live", () -> text(By.id("conn")).equals("live"));
        assertFalse(driver.findElement(By.id("reference")).isDisplayed(), "no quote yet: hidden");

        long second = 1_000_000_000L;
        TestQuotes.quote(exchange, clock, "venue1", 1_899_000, 300, 1_901_000, 200, 60 * second);
        long seq = TestQuotes.quote(exchange, clock, "venue2", 1_899_500, 100, 1_903_000, 100, 5 * second);
        waitFor("the reference", () -> text(By.id("ref-bid")).startsWith("bid 189.95 \u00d7 100 \u00b7 venue2 \u00b7 ")
                && text(By.id("ref-ask")).startsWith("ask 190.10 \u00d7 200 \u00b7 venue1 \u00b7 "));

        long now = clock.epochNanos();
        PublicTrade external = new PublicTrade("AAPL", 1, 1_899_500, 25, Side.SELL, 7, 0, now, seq + 1, "venue2");
        exchange.server.streamHub().publish(StreamTopics.v1("AAPL@trade"), seq + 1,
                MarketJson.message(new MarketDataUpdate.TradeUpdate(external), now));
        waitFor("the venue on the tape", () -> text(By.id("tape")).matches("(?s).*189.95 25 venue2.*"));
        screenshot("reference.png");

        ahead.addAndGet(6 * second);   // venue2 is stale: venue1's bid, sent by the server when it went stale
        waitFor("venue1's bid", () -> text(By.id("ref-bid")).startsWith("bid 189.90 \u00d7 300 \u00b7 venue1"));
        ahead.addAndGet(60 * second);
        waitFor("the reference hidden", () -> !driver.findElement(By.id("reference")).isDisplayed());
        assertNoConsoleErrors();
    }

    private void placeOrder(String side, String qty, String price, boolean postOnly) {
        driver.findElement(By.cssSelector("input[name='side'][value='" + side + "']")).click();
        WebElement q = driver.findElement(By.id("qty"));
        q.clear();
        q.sendKeys(qty);
        if (price != null) {
            WebElement p = driver.findElement(By.id("price"));
            p.clear();
            p.sendKeys(price);
        }
        WebElement post = driver.findElement(By.id("post-only"));
        if (post.isSelected() != postOnly) {
            post.click();
        }
        driver.findElement(By.id("place")).click();
    }

    /** The ladder's rows as "price qty orders", one per line (empty rows left out). */
    private String ladder(String side) {
        return String.join("\n", driver.findElements(By.cssSelector("#" + side + " tr[data-price]")).stream()
                .map(r -> r.getText().replaceAll("\\s+", " ").trim()).toList());
    }

    private String text(By by) {
        return driver.findElement(by).getText().replaceAll("\\s+", " ").trim();
    }

    private void waitFor(String what, java.util.function.BooleanSupplier condition) {
        try {
            wait.withMessage(what).until(d -> condition.getAsBoolean());
        } catch (RuntimeException e) {
            screenshotQuietly("failed.png");
            throw e;
        }
    }

    /** Fails on any console error but the expected ones (substrings), which must each have occurred. */
    private void assertNoConsoleErrors(String... expected) {
        consoleErrors.addAll(severeConsoleMessages());
        List<String> unexpected = new ArrayList<>(consoleErrors);
        for (String x : expected) {
            assertTrue(unexpected.removeIf(m -> m.contains(x)), "expected console error: " + x + " in " + consoleErrors);
        }
        consoleErrors.clear();
        assertEquals(List.of(), unexpected, "console errors");
    }

    /** The whole page, not only the window's viewport (Chromium's own capture, through CDP). */
    /** The console's errors since the last call (Chromium hands each entry out once). */
    private List<String> severeConsoleMessages() {
        List<String> out = new ArrayList<>();
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) {
                out.add(e.getMessage());
            }
        }
        return out;
    }

    private void screenshot(String name) throws IOException {
        Files.createDirectories(SHOTS);
        JavascriptExecutor js = driver;
        // the window's width with its scrollbar: captured whole, the page has no vertical scrollbar
        long width = ((Number) js.executeScript(
                "return Math.max(window.innerWidth, document.documentElement.scrollWidth)")).longValue();
        long height = ((Number) js.executeScript("return document.documentElement.scrollHeight")).longValue();
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        Files.write(SHOTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }

    private void screenshotQuietly(String name) {
        try {
            screenshot(name);
        } catch (IOException | RuntimeException ignored) {
            // the failure being reported matters more than its picture
        }
    }
}
