package exchange.gateway;

import exchange.gateway.session.AlwaysOpenCalendar;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A real exchange (pipeline, engine, HTTP on a free port) for the HTTP tests, with helpers to
 * create funded accounts through the admin API. The session scheduler is off unless asked for,
 * so tests open and close the session themselves.
 */
final class TestExchange implements AutoCloseable {
    static final String ADMIN_KEY = "test-admin-key-0123456789";
    static final long AAPL_REFERENCE_TICKS = 1_900_000L; // $190.00

    final ExchangeServer server;
    final ApiClient api;
    final ByteArrayOutputStream banner = new ByteArrayOutputStream();

    private TestExchange(GatewayConfig config, boolean scheduler, java.util.function.Consumer<ExchangeServer.Options> options) {
        ExchangeServer.Options o = new ExchangeServer.Options()
                .environment(name -> null)
                .sessionScheduler(scheduler)
                .out(new PrintStream(banner, true, StandardCharsets.UTF_8));
        options.accept(o);
        server = ExchangeServer.start(config, o);
        api = new ApiClient(server.port());
    }

    /** A config on a free port: AAPL (reference $190.00), MSFT, admin key fixed, no demo accounts. */
    static GatewayConfig.Builder config(Path dataDir) {
        return GatewayConfig.builder()
                .port(0)
                .dataDir(dataDir)
                .adminKey(ADMIN_KEY)
                .ringSize(1024)
                .calendar(GatewayConfig.CalendarType.ALWAYS_OPEN, AlwaysOpenCalendar.DEFAULT_ZONE, null)
                .symbol("AAPL", AAPL_REFERENCE_TICKS)
                .symbol("MSFT", 0);
    }

    /** The body of an AAPL limit order. */
    static String aaplOrder(String clientOrderId, String side, int qty, String price, String tif) {
        return ApiClient.json("{'client_order_id':'" + clientOrderId + "','symbol':'AAPL','side':'" + side + "','qty':"
                + qty + ",'limit_price':'" + price + "','time_in_force':'" + tif + "'}");
    }

    static TestExchange start(GatewayConfig config) {
        return new TestExchange(config, false, o -> { });
    }

    /** As {@link #start(GatewayConfig)}, with further process options (test seams). */
    static TestExchange start(GatewayConfig config, java.util.function.Consumer<ExchangeServer.Options> options) {
        return new TestExchange(config, false, options);
    }

    static TestExchange startWithScheduler(GatewayConfig config) {
        return new TestExchange(config, true, o -> { });
    }

    String bannerText() {
        return banner.toString(StandardCharsets.UTF_8);
    }

    /** Creates an account through the admin API; returns {account_id, api_key}. */
    Account createAccount(String name) {
        ApiClient.Response r = api.post("/v1/admin/accounts", ADMIN_KEY, "{\"name\":\"" + name + "\"}");
        assertEquals(201, r.status(), r.raw());
        return new Account(r.json().get("account_id").asLong(), r.json().get("api_key").asText());
    }

    /** Deposits {@code amount} (decimal string for USD, whole shares otherwise) with a fresh transfer id. */
    void deposit(Account a, String asset, String amount) {
        ApiClient.Response r = api.post("/v1/admin/accounts/" + a.id() + "/deposits", ADMIN_KEY,
                "{\"asset\":\"" + asset + "\",\"amount\":\"" + amount + "\",\"transfer_id\":\"t-" + a.id() + "-"
                        + asset + "-" + System.nanoTime() + "\"}");
        assertEquals(201, r.status(), r.raw());
    }

    /** Creates and funds an account with {@code deposits} (asset -> amount). */
    Account fundedAccount(String name, Map<String, String> deposits) {
        Account a = createAccount(name);
        deposits.forEach((asset, amount) -> deposit(a, asset, amount));
        return a;
    }

    void openSession() {
        ApiClient.Response r = api.post("/v1/admin/session/open", ADMIN_KEY, "");
        assertEquals(200, r.status(), r.raw());
    }

    /** An account id and its API key. */
    record Account(long id, String key) {
    }

    @Override
    public void close() {
        server.close();
    }
}
