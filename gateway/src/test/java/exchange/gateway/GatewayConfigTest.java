package exchange.gateway;

import exchange.engine.ExchangeConfig;
import exchange.engine.SelfTradePrevention;
import exchange.engine.SymbolConfig;
import exchange.gateway.session.MarketCalendar;
import exchange.gateway.session.UsEquitiesCalendar;
import exchange.risk.Money;
import exchange.gateway.stream.StreamConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration file format, the embedded demo, the shipped production example and the CLI flags. */
@Timeout(10)
class GatewayConfigTest {
    @TempDir
    Path dir;

    private static IllegalArgumentException invalid(String json) {
        return assertThrows(IllegalArgumentException.class, () -> GatewayConfig.parse(json, "test.json", null));
    }

    private static final String MINIMAL = "{\"symbols\":[\"AAPL\"]}";

    @Test
    void shouldLoadTheEmbeddedDemoConfiguration() {
        GatewayConfig demo = GatewayConfig.demo();
        assertEquals(List.of("AAPL", "MSFT", "GOOGL", "AMZN", "TSLA"),
                demo.exchangeConfig().symbols().stream().map(SymbolConfig::symbol).toList());
        assertEquals(GatewayConfig.CalendarType.ALWAYS_OPEN, demo.calendar().type());
        assertEquals(8080, demo.port());
        assertNull(demo.adminKey(), "the demo generates its admin key");
        assertEquals(List.of("alice", "bob", "carol", "lp"), demo.demoAccounts().stream().map(GatewayConfig.DemoAccount::name)
                .toList());
        GatewayConfig.DemoAccount lp = demo.demoAccounts().get(3);
        for (SymbolConfig s : demo.exchangeConfig().symbols()) {
            assertTrue(lp.deposits().getOrDefault(s.symbol(), 0L) >= 10_000, "the liquidity provider holds " + s.symbol());
        }
        assertTrue(lp.deposits().get("USD") >= 10_000_000L * Money.SCALE);
        assertEquals(List.of(), demo.exchangeConfig().referenceFillSymbols(), "fills against the outside market are off");
        GatewayConfig.DemoAccount alice = demo.demoAccounts().get(0);
        assertEquals("alice", alice.name());
        assertEquals(1_000_000L * Money.SCALE, alice.deposits().get("USD"));
        assertEquals(1_000L, alice.deposits().get("AAPL"), "shares are whole, unscaled");
        assertEquals(GatewayConfig.Durability.PROCESS, demo.durability());
    }

    @Test
    void shouldLoadTheProductionExampleWithTheUsEquitiesCalendarAndItsClosures() throws IOException {
        GatewayConfig prod = GatewayConfig.load(Path.of("src/main/resources/config/us-equities.json"));
        assertEquals(GatewayConfig.CalendarType.US_EQUITIES, prod.calendar().type());
        assertEquals(GatewayConfig.Durability.SYNC, prod.durability());
        assertTrue(Files.isRegularFile(prod.calendar().closuresFile()), prod.calendar().closuresFile().toString());
        MarketCalendar calendar = ExchangeServer.createCalendar(prod.calendar());
        UsEquitiesCalendar us = assertInstanceOf(UsEquitiesCalendar.class, calendar);
        assertFalse(us.overrides().isEmpty());
        assertTrue(calendar.session(LocalDate.of(2025, 1, 9)).isEmpty(), "the closures file is applied");
        assertTrue(prod.demoAccounts().isEmpty());
    }

    @Test
    void shouldApplyEveryKeyOfTheFormat() throws IOException {
        Path closures = dir.resolve("closures.json");
        Files.writeString(closures, "[]");
        Path file = dir.resolve("exchange.json");
        Files.writeString(file, """
                {"host":"0.0.0.0","port":9090,"data_dir":"/tmp/x","admin_key":"0123456789abcdef-admin",
                 "durability":"sync","ring_size":1024,"wait_strategy":"sleeping","max_body_bytes":4096,
                 "snapshot_every_commands":5000,"min_free_disk_bytes":0,
                 "http_threads":16,"load_probes":true,"rate_limit":{"tokens_per_second":5,"burst":7},
                 "calendar":{"type":"us_equities","closures_file":"closures.json"},
                 "fees":{"maker_bps":1,"taker_bps":2},
                 "symbols":[{"symbol":"AAPL","reference_price":"187.25"},"MSFT"],
                 "engine":{"max_order_qty":500,"max_order_notional":"1000.50","max_price":"999.00",
                           "price_collar_bps":250,"max_open_orders_per_account":9,"gtc_max_age_days":30,
                           "idempotency_sessions":2,"max_accounts":100,"max_client_order_id_length":32,"self_trade_prevention":"cancel_both"},
                 "demo_accounts":[{"name":"x","taker_fee_bps":5,"deposits":{"USD":"10.5","MSFT":"3"}}],
                 "history":{"read_wait_ms":750,"commit_delay_ms":40},"reserved_orders":250000,
                 "fill_against_reference":{"symbols":["MSFT","AAPL"],"liquidity_provider":"x"}}
                """);
        GatewayConfig c = GatewayConfig.load(file);
        assertEquals("0.0.0.0", c.host());
        assertEquals(9090, c.port());
        assertEquals(Path.of("/tmp/x"), c.dataDir());
        assertEquals("0123456789abcdef-admin", c.adminKey());
        assertEquals(1024, c.ringSize());
        assertEquals(5_000, c.snapshotEveryCommands());
        assertEquals(0, c.minFreeDiskBytes(), "0 turns the disk check off");
        assertEquals(exchange.engine.pipeline.WaitStrategyKind.SLEEPING, c.waitStrategy());
        assertEquals(4096, c.maxBodyBytes());
        assertEquals(16, c.httpThreads());
        assertTrue(c.loadProbes());
        assertEquals(new GatewayConfig.RateLimit(5, 7), c.rateLimit());
        assertEquals(closures.toAbsolutePath().normalize(), c.calendar().closuresFile(),
                "relative to the config file's directory");
        assertEquals(1, c.defaultMakerFeeBps());
        assertEquals(2, c.defaultTakerFeeBps());
        ExchangeConfig e = c.exchangeConfig();
        assertEquals(new SymbolConfig("AAPL", 1_872_500), e.symbols().get(0));
        assertEquals(new SymbolConfig("MSFT", 0), e.symbols().get(1));
        assertEquals(500, e.maxOrderQty());
        assertEquals(10_005_000, e.maxOrderNotional());
        assertEquals(9_990_000, e.maxPriceTicks());
        assertEquals(250, e.priceCollarBps());
        assertEquals(9, e.maxOpenOrdersPerAccount());
        assertEquals(30, e.gtcMaxAgeDays());
        assertEquals(2, e.idempotencySessions());
        assertEquals(100, e.maxAccounts());
        assertEquals(32, e.maxClientOrderIdLength());
        assertEquals(SelfTradePrevention.CANCEL_BOTH, e.defaultSelfTradePrevention());
        assertEquals(List.of("MSFT", "AAPL"), e.referenceFillSymbols());
        assertEquals("x", e.liquidityProviderName());
        assertEquals(e.referenceFillSymbols(), c.withPort(1).exchangeConfig().referenceFillSymbols(),
                "kept by the command line's overrides");
        assertEquals("x", c.withPort(1).exchangeConfig().liquidityProviderName());
        GatewayConfig.DemoAccount x = c.demoAccounts().get(0);
        assertEquals(1, x.makerFeeBps(), "the default maker fee");
        assertEquals(5, x.takerFeeBps());
        assertEquals(105_000L, x.deposits().get("USD"));
        assertEquals(3L, x.deposits().get("MSFT"));
        assertEquals(750, c.history().readWaitMillis());
        assertEquals(40, c.history().commitDelayMillis(), "the testing knob");
        assertEquals(250_000, c.reservedOrders());
        assertEquals(250_000, c.withPort(1).reservedOrders(), "kept by the command line's overrides");
    }

    @Test
    void shouldUseNamedDefaultsForOmittedKeys() {
        GatewayConfig c = GatewayConfig.parse(MINIMAL, "minimal", null);
        assertEquals(GatewayConfig.DEFAULT_HOST, c.host());
        assertEquals(GatewayConfig.DEFAULT_PORT, c.port());
        assertEquals(GatewayConfig.DEFAULT_RING_SIZE, c.ringSize());
        assertEquals(GatewayConfig.DEFAULT_MAX_BODY_BYTES, c.maxBodyBytes());
        assertEquals(GatewayConfig.DEFAULT_MIN_FREE_DISK_BYTES, c.minFreeDiskBytes());
        assertFalse(c.loadProbes(), "probes are off unless asked for");
        assertEquals(new GatewayConfig.RateLimit(1_000, 2_000), c.rateLimit());
        assertEquals(GatewayConfig.CalendarType.ALWAYS_OPEN, c.calendar().type());
        assertEquals(ZoneOffset.UTC, c.calendar().zone());
        assertEquals(ExchangeConfig.DEFAULT_PRICE_COLLAR_BPS, c.exchangeConfig().priceCollarBps());
        assertEquals(ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS, c.exchangeConfig().idempotencySessions());
        assertEquals(GatewayConfig.DEFAULT_HISTORY_READ_WAIT_MILLIS, c.history().readWaitMillis());
        assertEquals(0, c.history().commitDelayMillis(), "the history writer is never slowed unless asked for");
        assertEquals(0, c.reservedOrders(), "the order store grows as orders come unless asked to reserve");
        assertEquals(StreamConfig.defaults(), c.stream());
    }

    @Test
    void shouldReadTheStreamLimitsAndRefuseOutOfRangeOnes() {
        GatewayConfig c = GatewayConfig.parse("{\"symbols\":[\"AAPL\"],\"stream\":{\"max_connections_per_address\":7,"
                + "\"max_subscriptions_per_connection\":9,\"inbound_messages_per_second\":3,\"outbound_queue_length\":64,"
                + "\"ping_interval_ms\":1000,\"pong_timeout_ms\":5000,\"idle_timeout_ms\":60000,"
                + "\"max_inbound_message_bytes\":1024}}", "stream", null);
        assertEquals(new StreamConfig(7, 9, 3, 64, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofMinutes(1), 1024),
                c.stream());
        assertEquals(c.stream(), c.withPort(1).stream(), "kept by the command line's overrides");
        assertEquals(StreamConfig.DEFAULT_INBOUND_MESSAGES_PER_SECOND,
                GatewayConfig.parse("{\"symbols\":[\"AAPL\"],\"stream\":{\"outbound_queue_length\":5}}", "s", null)
                        .stream().inboundMessagesPerSecond(), "an omitted stream key keeps its default");
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"stream\":{\"outbound_queue_length\":0}}").getMessage()
                .contains("stream.outbound_queue_length must be in [1, "));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"stream\":{\"ping_interval_ms\":1}}").getMessage()
                .contains("stream.ping_interval_ms"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"stream\":{\"pings\":1}}").getMessage()
                .contains("unknown key stream.pings"));
    }

    @Test
    void shouldReadTheHttpSectionWithNamedDefaultsAndRefuseOutOfRangeValues() {
        GatewayConfig c = GatewayConfig.parse("{\"symbols\":[\"AAPL\"],\"http\":{\"idle_timeout_ms\":5000,"
                + "\"header_timeout_ms\":2000,\"request_timeout_ms\":3000,\"queue_timeout_ms\":700,"
                + "\"max_connections\":100,\"admin_loopback_only\":true,\"admin_port\":9091,\"answer_wait_us\":0}}",
                "http", null);
        assertEquals(new HttpSettings(5_000, 2_000, 3_000, 700, 100, true, 9_091, 0), c.http());
        assertEquals(c.http(), c.withPort(1).http(), "kept by the command line's overrides");
        GatewayConfig defaults = GatewayConfig.parse(MINIMAL, "minimal", null);
        assertEquals(HttpSettings.DEFAULTS, defaults.http());
        assertEquals(false, defaults.http().adminLoopbackOnly(), "admin endpoints share the main listener by default");
        assertEquals(HttpSettings.DEFAULT_HEADER_TIMEOUT_MILLIS, GatewayConfig.parse(
                "{\"symbols\":[\"AAPL\"],\"http\":{\"max_connections\":64}}", "h", null).http().headerTimeoutMillis());
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"header_timeout_ms\":1}}").getMessage()
                .contains("http.header_timeout_ms must be in [100, "));
        assertEquals(HttpSettings.DEFAULT_QUEUE_TIMEOUT_MILLIS, defaults.http().queueTimeoutMillis());
        assertEquals(HttpSettings.DEFAULT_ANSWER_WAIT_MICROS, defaults.http().answerWaitMicros());
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"answer_wait_us\":1001}}").getMessage()
                .contains("http.answer_wait_us must be in [0, 1000]"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"queue_timeout_ms\":0}}").getMessage()
                .contains("http.queue_timeout_ms must be in [10, "));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"admin_loopback_only\":\"yes\"}}").getMessage()
                .contains("http.admin_loopback_only must be true or false"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"admin_port\":70000}}").getMessage()
                .contains("http.admin_port"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"http\":{\"cors\":true}}").getMessage()
                .contains("unknown key http.cors"));
    }

    @Test
    void shouldRefuseInvalidConfigurationsNamingTheKey() {
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"prot\":8080}").getMessage().contains("prot"));
        assertTrue(invalid("{\"symbols\":[]}").getMessage().contains("symbols"));
        assertTrue(invalid("{\"symbols\":[{\"symbol\":\"AAPL\",\"reference_price\":187.25}]}").getMessage()
                .contains("symbols[0].reference_price"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"ring_size\":1000}").getMessage().contains("ring_size"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"min_free_disk_bytes\":-1}").getMessage()
                .contains("min_free_disk_bytes"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"durability\":\"fast\"}").getMessage().contains("durability"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"admin_key\":\"short\"}").getMessage().contains("admin_key"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"calendar\":{\"type\":\"us_equities\",\"zone\":\"UTC\"}}")
                .getMessage().contains("calendar.zone"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"demo_accounts\":[{\"name\":\"a\",\"deposits\":{\"XYZ\":\"1\"}}]}")
                .getMessage().contains("XYZ"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"demo_accounts\":[{\"name\":\"a\",\"deposits\":{\"AAPL\":\"1.5\"}}]}")
                .getMessage().contains("deposits.AAPL"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"engine\":{\"self_trade_prevention\":\"default\"}}")
                .getMessage().contains("self_trade_prevention"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"engine\":{\"idempotency_sessions\":1001}}")
                .getMessage().contains("engine.idempotency_sessions"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"port\":1,\"port\":2}").getMessage().contains("malformed"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\",\"AAPL\"]}").getMessage().contains("AAPL"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"load_probes\":\"yes\"}").getMessage().contains("load_probes"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"history\":{\"commit_delay_ms\":10001}}").getMessage()
                .contains("history.commit_delay_ms"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"history\":{\"commit_delay_ms\":-1}}").getMessage()
                .contains("history.commit_delay_ms"));
        assertTrue(invalid("{\"symbols\":[\"AAPL\"],\"reserved_orders\":-1}").getMessage().contains("reserved_orders"));
    }

    @Test
    void shouldRefuseAFillAgainstReferenceBlockThatNamesNoSymbolAnUnknownOneOrNoAccount() {
        String symbols = "\"symbols\":[\"AAPL\",{\"symbol\":\"MSFT\",\"reference_price\":\"400.00\"}]";
        assertEquals(List.of("MSFT"), GatewayConfig.parse("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"MSFT\"],"
                + "\"liquidity_provider\":\"lp\"}}", "ok.json", null).exchangeConfig().referenceFillSymbols());
        assertEquals("test.json: fill_against_reference.symbols[1]: unknown symbol \"IBM\" (configured: AAPL, MSFT)",
                invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\",\"IBM\"],"
                        + "\"liquidity_provider\":\"lp\"}}").getMessage());
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\",\"AAPL\"],"
                + "\"liquidity_provider\":\"lp\"}}").getMessage().contains("symbols[1]: symbol AAPL is listed twice"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[],\"liquidity_provider\":\"lp\"}}")
                .getMessage().contains("fill_against_reference.symbols must be a non-empty array"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\"],\"liquidity_provider\":\"\"}}")
                .getMessage().contains("fill_against_reference.liquidity_provider must name an account"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\"]}}")
                .getMessage().contains("fill_against_reference.liquidity_provider must be a string"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\"],\"liquidity_provider\":\""
                + "x".repeat(65) + "\"}}").getMessage().contains("1..64 characters"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":{\"symbols\":[\"AAPL\"],\"liquidity_provider\":\"lp\","
                + "\"size\":1}}").getMessage().contains("unknown key fill_against_reference.size"));
        assertTrue(invalid("{" + symbols + ",\"fill_against_reference\":[\"AAPL\"]}").getMessage()
                .contains("fill_against_reference must be a JSON object"));
    }

    @Test
    void shouldLetFlagsOverrideTheConfigFile() throws IOException {
        Path file = dir.resolve("c.json");
        Files.writeString(file, MINIMAL);
        Main.Arguments args = Main.parse(new String[] {"--config", file.toString(), "--port", "9999",
                "--data-dir", dir.resolve("d").toString()});
        GatewayConfig c = Main.configure(args);
        assertEquals(9999, c.port());
        assertEquals(dir.resolve("d"), c.dataDir());
        assertEquals(List.of("AAPL"), c.exchangeConfig().symbols().stream().map(SymbolConfig::symbol).toList());

        Path withHistory = dir.resolve("h.json");
        Files.writeString(withHistory, MINIMAL.replaceFirst("\\{", "{\"history\":{\"jdbc_url\":\"jdbc:postgresql://db/x\","
                + "\"user\":\"u\",\"password\":\"p\",\"read_wait_ms\":750,\"commit_delay_ms\":40},"));
        GatewayConfig h = Main.configure(Main.parse(new String[] {"--config", withHistory.toString(), "--port", "9999",
                "--data-dir", dir.resolve("d").toString()}));
        assertEquals(new GatewayConfig.History("jdbc:postgresql://db/x", "u", "p", 750, 40), h.history(),
                "--port and --data-dir keep the history settings of the file");

        GatewayConfig demo = Main.configure(Main.parse(new String[0]));
        assertEquals(5, demo.exchangeConfig().symbols().size(), "no --config runs the embedded demo");
        assertTrue(Main.parse(new String[] {"--help"}).help());
    }

    @Test
    void shouldRefuseBadCommandLines() {
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--port", "http"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--port", "70000"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--verbose"}));
        assertThrows(IllegalArgumentException.class, () -> Main.parse(new String[] {"--config", "--port"}));
    }
}
