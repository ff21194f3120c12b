package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.auth.ApiKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The process wiring: demo start-up, admin key resolution, restart on a recovered exchange. */
@Timeout(60)
class ExchangeServerTest {
    @TempDir
    Path dataDir;

    private GatewayConfig demoOnFreePort() {
        return GatewayConfig.demo().toBuilder().port(0).dataDir(dataDir).build();
    }

    private static ExchangeServer start(GatewayConfig config, ExchangeServer.Options options, ByteArrayOutputStream out) {
        return ExchangeServer.start(config, options.out(new PrintStream(out, true, StandardCharsets.UTF_8)));
    }

    private static JsonNode position(JsonNode account, String symbol) {
        for (JsonNode p : account.get("positions")) {
            if (symbol.equals(p.get("symbol").asText())) {
                return p;
            }
        }
        throw new AssertionError("no " + symbol + " in " + account);
    }

    @Test
    void shouldStartTheDemoWithFundedAccountsPrintedKeysAndAnOpenSession() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExchangeServer server = start(demoOnFreePort(), new ExchangeServer.Options().environment(n -> null), out)) {
            String banner = out.toString(StandardCharsets.UTF_8);
            assertEquals(ExchangeServer.AdminKeySource.GENERATED, server.adminKeySource());
            assertTrue(banner.contains("admin key: " + server.adminKey()), banner);
            List<ExchangeServer.DemoAccountKey> demo = server.demoAccounts();
            assertEquals(List.of("alice", "bob", "carol", "lp"), demo.stream().map(ExchangeServer.DemoAccountKey::name).toList());
            for (ExchangeServer.DemoAccountKey k : demo) {
                assertNotNull(k.apiKey());
                assertTrue(banner.contains(k.apiKey()), banner);
            }
            assertTrue(Files.isRegularFile(dataDir.resolve(ExchangeServer.DEMO_KEYS_FILE)));

            ApiClient api = new ApiClient(server.port());
            JsonNode alice = api.get("/v1/account", demo.get(0).apiKey()).json();
            assertEquals("1000000.00", alice.get("cash").get("total").asText());
            assertEquals(1000, position(alice, "AAPL").get("qty").asLong());
            assertEquals("open", api.get("/v1/session", null).json().get("state").asText(),
                    "the scheduler opens the always-open calendar's session at start");
            assertEquals(200, api.get("/v1/admin/state", server.adminKey()).status());

            // A newcomer can trade at once: alice sells to bob.
            Response sell = api.post("/v1/orders", demo.get(0).apiKey(), ApiClient.json(
                    "{'client_order_id':'demo-1','symbol':'AAPL','side':'sell','qty':10,'limit_price':'190.00'}"));
            assertEquals(201, sell.status(), sell.raw());
            Response buy = api.post("/v1/orders", demo.get(1).apiKey(), ApiClient.json(
                    "{'client_order_id':'demo-2','symbol':'AAPL','side':'buy','qty':10,'limit_price':'190.00'}"));
            assertEquals("filled", buy.json().get("status").asText(), buy.raw());
        }
    }

    @Test
    void shouldTakeTheAdminKeyFromTheEnvironmentOverTheConfig() {
        GatewayConfig config = TestExchange.config(dataDir).build();
        String envKey = "environment-admin-key-42";
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(Map.of(GatewayConfig.ADMIN_KEY_ENV, envKey)::get), new ByteArrayOutputStream())) {
            ApiClient api = new ApiClient(server.port());
            assertEquals(ExchangeServer.AdminKeySource.ENVIRONMENT, server.adminKeySource());
            assertEquals(200, api.get("/v1/admin/state", envKey).status());
            assertEquals(401, api.get("/v1/admin/state", TestExchange.ADMIN_KEY).status());
        }
    }

    @Test
    void shouldRefuseAnEnvironmentAdminKeyThatIsTooShort() {
        GatewayConfig config = TestExchange.config(dataDir).build();
        ExchangeServer.Options options = new ExchangeServer.Options().sessionScheduler(false)
                .environment(Map.of(GatewayConfig.ADMIN_KEY_ENV, "short")::get);
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> start(config, options, new ByteArrayOutputStream()));
        assertTrue(e.getMessage().startsWith(GatewayConfig.ADMIN_KEY_ENV + ": admin_key"), e.getMessage());
    }

    @Test
    void shouldAuthenticateKeysOfAccountsThatCameFromTheJournalAfterARestart() {
        GatewayConfig config = TestExchange.config(dataDir).build();
        String key;
        long accountId;
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            ApiClient api = new ApiClient(server.port());
            JsonNode created = api.post("/v1/admin/accounts", TestExchange.ADMIN_KEY, "{\"name\":\"survivor\"}").json();
            key = created.get("api_key").asText();
            accountId = created.get("account_id").asLong();
            Response deposit = api.post("/v1/admin/accounts/" + accountId + "/deposits", TestExchange.ADMIN_KEY,
                    ApiClient.json("{'asset':'USD','amount':'42.00','transfer_id':'before-restart'}"));
            assertEquals(201, deposit.status(), deposit.raw());
        }

        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            ApiClient api = new ApiClient(server.port());
            Response account = api.get("/v1/account", key);
            assertEquals(200, account.status(), account.raw());
            assertEquals("42.00", account.json().get("cash").get("total").asText());
            assertEquals(2, api.get("/v1/admin/state", TestExchange.ADMIN_KEY).json().get("seq").asLong(),
                    "the state is the one recovered from the journal");
            Response again = api.post("/v1/admin/accounts/" + accountId + "/deposits",
                    TestExchange.ADMIN_KEY, ApiClient.json("{'asset':'USD','amount':'1.00','transfer_id':'after'}"));
            assertEquals(201, again.status(), again.raw());
            assertEquals(3, api.get("/v1/admin/state", TestExchange.ADMIN_KEY).json().get("seq").asLong(),
                    "the sequence continues from the recovered exchange");
        }
    }

    @Test
    void shouldNotRecreateOrRefundDemoAccountsOnRestartAndPrintTheirStoredKeys() {
        GatewayConfig config = demoOnFreePort();
        List<ExchangeServer.DemoAccountKey> first;
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            first = server.demoAccounts();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), out)) {
            assertEquals(first, server.demoAccounts(), "same accounts, same keys from " + ExchangeServer.DEMO_KEYS_FILE);
            assertTrue(out.toString(StandardCharsets.UTF_8).contains(first.get(0).apiKey()));
            JsonNode alice = new ApiClient(server.port()).get("/v1/account", first.get(0).apiKey()).json();
            assertEquals("1000000.00", alice.get("cash").get("total").asText(), "funded once");
            assertEquals(config.demoAccounts().size(), new ApiClient(server.port()).get("/v1/admin/state",
                    server.adminKey()).json().get("accounts").asLong(), "no demo account created twice");
        }
    }

    @Test
    void shouldKeepTheSameSequenceAndStateHashAcrossThreeIdleRestartsOfTheDemo() {
        GatewayConfig config = demoOnFreePort();
        String firstHash = null;
        long firstSeq = -1;
        for (int restart = 0; restart < 4; restart++) {
            try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                    .environment(n -> null), new ByteArrayOutputStream())) {
                JsonNode state = new ApiClient(server.port()).get("/v1/admin/state", server.adminKey()).json();
                if (restart == 0) {
                    firstHash = state.get("state_hash").asText();
                    firstSeq = state.get("seq").asLong();
                    assertTrue(firstSeq > 0, "the demo accounts were created and funded");
                } else {
                    assertEquals(firstSeq, state.get("seq").asLong(), "restart " + restart + " journaled nothing new");
                    assertEquals(firstHash, state.get("state_hash").asText(), "restart " + restart);
                }
            }
        }
    }

    @Test
    void shouldRefuseToStartOnADataDirectoryWrittenWithOtherEngineSettings() {
        GatewayConfig config = TestExchange.config(dataDir).build();
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            assertTrue(server.port() > 0);
        }
        GatewayConfig otherSymbols = TestExchange.config(dataDir).symbol("TSLA", 0).build();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> start(otherSymbols, new ExchangeServer.Options().sessionScheduler(false).environment(n -> null),
                        new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("exchange-config.properties"), e.getMessage());
        try (ExchangeServer again = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            assertTrue(again.port() > 0, "the original settings still start");
        }
    }

    @Test
    void shouldStartOnADataDirectoryRecordedBeforeTheIdempotencyWindowExisted() throws Exception {
        GatewayConfig config = TestExchange.config(dataDir).build();
        try (ExchangeServer server = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            assertTrue(server.port() > 0);
        }
        java.nio.file.Path file = dataDir.resolve("exchange-config.properties");
        String recorded = java.nio.file.Files.readString(file);
        assertTrue(recorded.contains("idempotency_sessions=5\n"), recorded);
        java.nio.file.Files.writeString(file, recorded.replace("idempotency_sessions=5\n", ""));
        try (ExchangeServer again = start(config, new ExchangeServer.Options().sessionScheduler(false)
                .environment(n -> null), new ByteArrayOutputStream())) {
            assertTrue(again.port() > 0, "a file without the key reads as the default window, 5");
        }
        GatewayConfig.Builder otherWindowBuilder = TestExchange.config(dataDir);
        otherWindowBuilder.engine().idempotencySessions(1);
        GatewayConfig otherWindow = otherWindowBuilder.build();
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> start(otherWindow, new ExchangeServer.Options().sessionScheduler(false).environment(n -> null),
                        new ByteArrayOutputStream()));
        assertTrue(e.getMessage().contains("exchange-config.properties"), e.getMessage());
    }
}
