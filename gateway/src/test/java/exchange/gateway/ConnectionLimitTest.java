package exchange.gateway;

import exchange.gateway.RawHttpConnection.Answer;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code http.max_connections} (issue 20): with that many connections open, a further one is
 * closed as soon as it is accepted, without an answer, rather than left waiting with its request
 * unread; the connections already open keep being served, and once one of them closes a new one
 * is admitted again.
 */
@Timeout(60)
class ConnectionLimitTest {
    private static final int MAX_CONNECTIONS = 16;
    private static final int EXTRA = 8;
    /** Longest a refused connection may take to be closed; an admitted one answers long before. */
    private static final int READ_TIMEOUT_MS = 5_000;

    @TempDir
    Path dataDir;

    @Test
    void shouldCloseConnectionsPastTheLimitWhileTheAdmittedOnesKeepWorking() throws Exception {
        GatewayConfig config = TestExchange.config(dataDir)
                .http(HttpSettings.DEFAULTS.withMaxConnections(MAX_CONNECTIONS)).build();
        try (TestExchange exchange = TestExchange.start(config)) {
            exchange.openSession();
            Account trader = exchange.fundedAccount("limited", Map.of("USD", "1000000.00"));
            int port = exchange.server.port();

            // the test's own HTTP client holds a connection or two: fill up the rest
            List<RawHttpConnection> admitted = new ArrayList<>();
            while (exchange.server.openConnections() < MAX_CONNECTIONS) {
                RawHttpConnection c = new RawHttpConnection(port, READ_TIMEOUT_MS);
                c.send("GET", "/health", null, null);
                assertEquals(200, c.read().status());
                admitted.add(c);
            }
            assertEquals(0, exchange.server.connectionsRefusedOverLimit());

            for (int i = 0; i < EXTRA; i++) {
                try (RawHttpConnection refused = new RawHttpConnection(port, READ_TIMEOUT_MS)) {
                    sendIgnoringAClosedConnection(refused);
                    assertTrue(refused.closedByServer(), "connection " + (i + 1) + " past the limit was not closed");
                }
            }
            assertEquals(EXTRA, exchange.server.connectionsRefusedOverLimit());

            for (int i = 0; i < admitted.size(); i++) {
                RawHttpConnection c = admitted.get(i);
                c.send("POST", "/v1/orders", trader.key(),
                        TestExchange.aaplOrder("admitted-" + i, "buy", 1, "180.00", "gtc"));
                Answer placed = c.read();
                assertEquals(201, placed.status(), placed.body());
            }

            admitted.remove(0).close();
            RawHttpConnection again = awaitAdmitted(port, exchange);
            again.send("GET", "/health", null, null);
            assertEquals(200, again.read().status());
            again.close();
            for (RawHttpConnection c : admitted) {
                c.close();
            }
            System.out.printf("ConnectionLimitTest: max_connections %d, %d raw connections admitted, %d refused%n",
                    MAX_CONNECTIONS, admitted.size() + 1, exchange.server.connectionsRefusedOverLimit());
        }
    }

    /** Sends a request, which may already find the connection closed by the server. */
    private static void sendIgnoringAClosedConnection(RawHttpConnection c) {
        try {
            c.send("GET", "/health", null, null);
        } catch (IOException closedAlready) {
            // broken pipe or reset: the server closed it first, as it should
        }
    }

    /** Waits (sleeping) until the server has seen a closed connection go and admits a new one. */
    private static RawHttpConnection awaitAdmitted(int port, TestExchange exchange) throws Exception {
        for (int i = 0; i < 250 && exchange.server.openConnections() >= MAX_CONNECTIONS; i++) {
            Thread.sleep(20);
        }
        assertTrue(exchange.server.openConnections() < MAX_CONNECTIONS, "the closed connection is still counted");
        return new RawHttpConnection(port, READ_TIMEOUT_MS);
    }
}
