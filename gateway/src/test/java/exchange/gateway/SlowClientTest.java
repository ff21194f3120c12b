package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Slow HTTP clients are cut off by the configured timeouts (issue 20, "slow clients"), here set
 * short ({@value #HEAD_TIMEOUT_MS} ms for a request head, {@value #IDLE_TIMEOUT_MS} ms idle): a
 * slowloris client trickling header lines faster than the idle timeout, and a client that
 * connects and sends nothing. While {@value #SLOWLORIS} such clients hold connections, a
 * well-behaved client places orders; they all succeed, and its latency is printed (a figure for
 * RELIABILITY.md, not asserted: unit tests never assert durations).
 */
@Timeout(120)
class SlowClientTest {
    static final long HEAD_TIMEOUT_MS = 500;
    static final long IDLE_TIMEOUT_MS = 1_000;
    static final int SLOWLORIS = 50;
    static final int ORDERS = 400;
    /** Trickle rounds before the test gives up on the server closing a connection (100 ms each). */
    static final int MAX_ROUNDS = 200;

    @TempDir
    Path dataDir;

    @Test
    void shouldCutSlowlorisAndSilentClientsWhileAWellBehavedClientTrades() throws Exception {
        GatewayConfig config = TestExchange.config(dataDir)
                .http(HttpSettings.DEFAULTS.withTimeouts(IDLE_TIMEOUT_MS, HEAD_TIMEOUT_MS, 5_000)).build();
        try (TestExchange exchange = TestExchange.start(config)) {
            exchange.openSession();
            Account trader = exchange.fundedAccount("steady", Map.of("USD", "10000000.00"));
            int port = exchange.server.port();

            List<Socket> slow = new ArrayList<>();
            for (int i = 0; i < SLOWLORIS; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(50);
                s.getOutputStream().write(("POST /v1/orders HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                slow.add(s);
            }
            Socket silent = new Socket("127.0.0.1", port);
            silent.setSoTimeout(50);

            Thread trickler = new Thread(() -> trickle(slow, silent), "slowloris");
            trickler.start();
            long[] latencyMicros = new long[ORDERS];
            for (int i = 0; i < ORDERS; i++) {
                long t0 = System.nanoTime();
                Response r = exchange.api.post("/v1/orders", trader.key(),
                        TestExchange.aaplOrder("steady-" + i, "buy", 1, "180.00", "gtc"));
                latencyMicros[i] = (System.nanoTime() - t0) / 1_000;
                assertEquals(201, r.status(), r.raw());
            }
            trickler.join(60_000);
            assertTrue(!trickler.isAlive(), "the slow clients were not all cut off");
            for (Socket s : slow) {
                assertTrue(s.isClosed(), "a slowloris connection the server never closed");
            }
            assertTrue(silent.isClosed(), "the silent connection was never closed");
            assertTrue(exchange.server.connectionsCutBeforeRequestHead() >= SLOWLORIS,
                    "cut before their request head: " + exchange.server.connectionsCutBeforeRequestHead());
            System.out.printf("SlowClientTest: %d slowloris + 1 silent connection cut (head timeout %d ms, idle %d ms);"
                    + " meanwhile %d orders from a well-behaved client: p50 %d us, p99 %d us, max %d us%n",
                    SLOWLORIS, HEAD_TIMEOUT_MS, IDLE_TIMEOUT_MS, ORDERS, percentile(latencyMicros, 50),
                    percentile(latencyMicros, 99), percentile(latencyMicros, 100));
        }
    }

    private static long percentile(long[] values, int p) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    /**
     * Every 100 ms sends one more header line on each slow connection (faster than the idle
     * timeout, so only the head deadline can stop it) and checks whether the server closed it;
     * a closed one is closed here too. Returns when all are closed or after {@value #MAX_ROUNDS} rounds.
     */
    private static void trickle(List<Socket> slow, Socket silent) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            boolean open = false;
            for (Socket s : slow) {
                if (!s.isClosed()) {
                    open |= stillOpenAfterWriting(s, ("X-Slow-" + round + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                }
            }
            if (!silent.isClosed()) {
                open |= stillOpenAfterWriting(silent, new byte[0]);
            }
            if (!open) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Writes {@code bytes} and polls for the server's end of stream; closes the socket and returns false once the server has. */
    private static boolean stillOpenAfterWriting(Socket s, byte[] bytes) {
        try {
            OutputStream out = s.getOutputStream();
            if (bytes.length > 0) {
                out.write(bytes);
                out.flush();
            }
            InputStream in = s.getInputStream();
            int b = in.read();
            if (b >= 0) {
                // an answer (408/400) before the close counts as being cut off too; drain it
                in.skip(in.available());
                return true;
            }
        } catch (SocketTimeoutException e) {
            return true; // nothing from the server yet: still open
        } catch (IOException e) {
            // reset or broken pipe: the server closed it
        }
        try {
            s.close();
        } catch (IOException ignored) {
            // closing our end of a socket the server already closed
        }
        return false;
    }
}
