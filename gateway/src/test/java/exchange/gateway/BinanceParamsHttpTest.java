package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Numeric query parameters of the Binance face that do not fit: found by {@link HttpFuzzTest}
 * (a 19-digit {@code fromId} overflowed {@code Long.parseLong} into a 500). Each is Binance's
 * 400 {@code -1100}; the largest epoch-ms value the nanosecond clock holds still works.
 */
@Timeout(60)
class BinanceParamsHttpTest {
    @TempDir
    static Path dataDir;
    private static TestExchange exchange;

    @BeforeAll
    static void start() {
        exchange = TestExchange.start(TestExchange.config(dataDir).build());
    }

    @AfterAll
    static void stop() {
        if (exchange != null) {
            exchange.close();
        }
    }

    @Test
    void shouldRefuseIdsAndTimesThatDoNotFitWithBinancesIllegalParameterCode() {
        for (String query : new String[] {
            "/api/v3/aggTrades?symbol=AAPL&fromId=9223372036854775808",
            "/api/v3/aggTrades?symbol=AAPL&fromId=99999999999999999999",
            "/api/v3/aggTrades?symbol=AAPL&startTime=9223372036854775807",
            "/api/v3/klines?symbol=AAPL&interval=1m&startTime=9223372036854775",
            "/api/v3/klines?symbol=AAPL&interval=1m&endTime=9223372036854775807",
            "/api/v3/trades?symbol=AAPL&limit=9223372036854775808",
        }) {
            Response r = exchange.api.get(query, null);
            assertEquals(400, r.status(), query + ": " + r.raw());
            assertEquals(-1100, r.json().get("code").asInt(), query + ": " + r.raw());
        }
    }

    @Test
    void shouldAcceptTheLatestTimeTheClockHolds() {
        Response r = exchange.api.get("/api/v3/klines?symbol=AAPL&interval=1m&startTime=0&endTime=9223372036853", null);
        assertEquals(200, r.status(), r.raw());
    }
}
