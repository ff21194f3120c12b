package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys never appear in plain text (issue 20): after a trading day with every kind of write
 * (accounts, deposits, orders, a fill, a cancel, a session close with its report, a snapshot),
 * refused requests with wrong keys, a restart and a clean stop, every file under the data
 * directory (journal, events queue, snapshots, history database, reports), everything the
 * process logged (stdout and stderr captured for the test), its start-up banner and
 * {@code /metrics} are searched for every account's API key, the admin key and a wrong key a
 * client sent. Only their SHA-256 may be stored.
 */
@Timeout(90)
class SecretsScanTest {
    private static final String WRONG_KEY = "not-a-key-but-a-secret-a-client-typed-0123456789";

    @TempDir
    Path dataDir;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private final PrintStream originalOut = System.out;
    private final PrintStream originalErr = System.err;

    @AfterEach
    void restoreStreams() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void shouldKeepEveryApiKeyAndTheAdminKeyOutOfTheDataDirectoryLogsAndMetrics() throws IOException {
        // slf4j-simple writes to whatever System.err is at the time of each log line
        System.setOut(new PrintStream(new Tee(originalOut, captured), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new Tee(originalErr, captured), true, StandardCharsets.UTF_8));
        GatewayConfig config = TestExchange.config(dataDir).build();
        List<String> secrets = new ArrayList<>(List.of(TestExchange.ADMIN_KEY, WRONG_KEY));
        StringBuilder served = new StringBuilder();
        try (TestExchange x = TestExchange.start(config)) {
            ApiClient api = x.api;
            Account seller = x.fundedAccount("seller", Map.of("USD", "1000.00", "AAPL", "100"));
            Account buyer = x.fundedAccount("buyer", Map.of("USD", "100000.00"));
            secrets.add(seller.key());
            secrets.add(buyer.key());
            x.openSession();
            assertEquals(201, api.post("/v1/orders", seller.key(), aaplOrder("s-1", "sell", 5, "190.00", "day")).status());
            assertEquals(201, api.post("/v1/orders", buyer.key(), aaplOrder("b-1", "buy", 5, "190.00", "day")).status());
            Response resting = api.post("/v1/orders", buyer.key(), aaplOrder("b-2", "buy", 1, "185.00", "gtc"));
            assertEquals(200, api.delete("/v1/orders/" + resting.json().get("order_id").asLong(), buyer.key()).status());
            assertEquals(401, api.get("/v1/account", WRONG_KEY).status());
            assertEquals(401, api.get("/v1/admin/state", WRONG_KEY).status());
            assertEquals(401, api.get("/v1/admin/state", buyer.key()).status());
            assertEquals(401, api.post("/v1/orders", WRONG_KEY, aaplOrder("w-1", "buy", 1, "185.00", "day")).status());
            assertEquals(201, api.post("/v1/admin/snapshot", TestExchange.ADMIN_KEY, "").status());
            Response close = api.post("/v1/admin/session/close", TestExchange.ADMIN_KEY, "");
            assertEquals(200, close.status(), close.raw());
            served.append(api.get("/metrics", null).raw());
            served.append(x.bannerText());
        }
        try (TestExchange again = TestExchange.start(config)) {
            served.append(again.api.get("/metrics", null).raw());
            served.append(again.bannerText());
        }
        restoreStreams();

        String logs = captured.toString(StandardCharsets.UTF_8);
        assertTrue(logs.contains("HTTP API listening"), "the process's log lines must have been captured");
        assertTrue(served.toString().contains("exchange_"), "the metrics must have been read");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertTrue(files.stream().anyMatch(p -> p.toString().contains("history")), "the history database: " + files);
        assertTrue(files.stream().anyMatch(p -> p.toString().endsWith(".snap")), "a snapshot: " + files);
        assertTrue(files.size() >= 5, "journal, events, snapshot, history, report: " + files);

        List<String> found = new ArrayList<>();
        long bytes = 0;
        for (Path f : files) {
            byte[] content = Files.readAllBytes(f);
            bytes += content.length;
            String text = new String(content, StandardCharsets.ISO_8859_1); // byte for byte
            for (String secret : secrets) {
                if (text.contains(secret)) {
                    found.add(dataDir.relativize(f) + " holds " + describe(secret, secrets));
                }
            }
        }
        for (String secret : secrets) {
            if (logs.contains(secret)) {
                found.add("the log holds " + describe(secret, secrets));
            }
            if (served.toString().contains(secret)) {
                found.add("/metrics or the banner holds " + describe(secret, secrets));
            }
        }
        assertEquals(List.of(), found, "API keys in plain text");
        originalOut.printf("SecretsScanTest: %d keys searched in %d files (%d bytes) under the data directory, "
                + "%d characters of log and the metrics: none found%n", secrets.size(), files.size(), bytes, logs.length());
    }

    private static String describe(String secret, List<String> secrets) {
        int i = secrets.indexOf(secret);
        return i == 0 ? "the admin key" : i == 1 ? "the wrong key a client sent" : "account key #" + (i - 1);
    }

    /** Writes to two streams: the console as before, and the capture. */
    private static final class Tee extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        Tee(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public void write(int c) throws IOException {
            a.write(c);
            synchronized (b) {
                b.write(c);
            }
        }

        @Override
        public void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            synchronized (b) {
                b.write(buf, off, len);
            }
        }

        @Override
        public void flush() throws IOException {
            a.flush();
        }
    }
}
