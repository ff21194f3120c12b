package exchange.journal.replay;

import exchange.engine.ExchangeConfig;
import exchange.engine.SelfTradePrevention;
import exchange.risk.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class ExchangeConfigFileTest {
    @TempDir
    Path dir;

    /** Every setting away from its default, and a sub-penny reference price. */
    private static ExchangeConfig custom() {
        return ExchangeConfig.builder()
                .symbol("BRK.A", 62_000_000 * Money.SCALE / 100)
                .symbol("PENNY", 4_321)
                .symbol("ZERO", 0)
                .maxOrderQty(5_000)
                .maxOrderNotional(123_456_789L)
                .maxPriceTicks(2_000_000L * Money.SCALE)
                .priceCollarBps(250)
                .maxOpenOrdersPerAccount(77)
                .gtcMaxAgeDays(30)
                .idempotencySessions(0)
                .maxAccounts(5_000)
                .maxClientOrderIdLength(40)
                .defaultSelfTradePrevention(SelfTradePrevention.CANCEL_BOTH)
                .fillAgainstReference(List.of("ZERO", "BRK.A"), "the market maker")
                .build();
    }

    private static void assertSameSettings(ExchangeConfig expected, ExchangeConfig actual) {
        assertEquals(expected.symbols(), actual.symbols());
        assertEquals(expected.maxOrderQty(), actual.maxOrderQty());
        assertEquals(expected.maxOrderNotional(), actual.maxOrderNotional());
        assertEquals(expected.maxPriceTicks(), actual.maxPriceTicks());
        assertEquals(expected.priceCollarBps(), actual.priceCollarBps());
        assertEquals(expected.maxOpenOrdersPerAccount(), actual.maxOpenOrdersPerAccount());
        assertEquals(expected.gtcMaxAgeDays(), actual.gtcMaxAgeDays());
        assertEquals(expected.idempotencySessions(), actual.idempotencySessions());
        assertEquals(expected.maxAccounts(), actual.maxAccounts());
        assertEquals(expected.maxClientOrderIdLength(), actual.maxClientOrderIdLength());
        assertEquals(expected.defaultSelfTradePrevention(), actual.defaultSelfTradePrevention());
        assertEquals(expected.referenceFillSymbols(), actual.referenceFillSymbols());
        assertEquals(expected.liquidityProviderName(), actual.liquidityProviderName());
    }

    @Test
    void shouldReadBackEverySettingItWrote() {
        for (ExchangeConfig c : List.of(custom(), ExchangeConfig.demo())) {
            Path file = ExchangeConfigFile.in(dir);
            ExchangeConfigFile.write(file, c);
            ExchangeConfig read = ExchangeConfigFile.read(file);
            assertSameSettings(c, read);
            assertEquals(ExchangeConfigFile.render(c), ExchangeConfigFile.render(read));
        }
        assertEquals(List.of(ExchangeConfigFile.FILE_NAME), listNames(), "the temp file is renamed away");
    }

    @Test
    void shouldWriteTheSameBytesForTheSameConfig() throws Exception {
        Path a = dir.resolve("a.properties");
        Path b = dir.resolve("b.properties");
        ExchangeConfigFile.write(a, custom());
        ExchangeConfigFile.write(b, custom());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        assertEquals(ExchangeConfigFile.render(custom()), Files.readString(a, StandardCharsets.UTF_8));
    }

    @Test
    void shouldRenderTheDocumentedKeysInTheirFixedOrder() {
        ExchangeConfig c = ExchangeConfig.builder().symbol("AAPL", 1_872_500).symbol("MSFT", 0).build();
        String expected = String.join("\n",
                "format_version=1",
                "symbols=AAPL,MSFT",
                "symbol.AAPL.reference_price=187.25",
                "symbol.MSFT.reference_price=0.00",
                "max_order_qty=1000000",
                "max_order_notional=10000000.00",
                "max_price=1000000.00",
                "price_collar_bps=1000",
                "max_open_orders_per_account=10000",
                "gtc_max_age_days=90",
                "idempotency_sessions=5",
                "max_accounts=1000000",
                "max_client_order_id_length=64",
                "default_self_trade_prevention=cancel_newest",
                "fill_against_reference_symbols=",
                "liquidity_provider=") + "\n";
        String rendered = ExchangeConfigFile.render(c);
        assertTrue(rendered.startsWith("# "), rendered);
        assertEquals(expected, rendered.lines().filter(l -> !l.startsWith("#")).map(l -> l + "\n").reduce("", String::concat));
    }

    @Test
    void shouldRefuseMalformedIncompleteUnknownOrInvalidContentNamingTheProblem() {
        String good = ExchangeConfigFile.render(ExchangeConfig.demo());
        assertRefused(good.replace("format_version=1", "format_version=2"), "this build reads version 1");
        assertRefused(good.replace("max_accounts=1000000\n", ""), "missing key max_accounts");
        assertRefused(good + "max_leverage=3\n", "unknown key max_leverage");
        assertRefused(good + "max_accounts=5\n", "duplicate key max_accounts");
        assertRefused(good.replace("max_order_qty=1000000", "max_order_qty=lots"), "max_order_qty is not an integer");
        assertRefused(good.replace("max_price=1000000.00", "max_price=1.23456"), "max_price is not a non-negative decimal");
        assertRefused(good.replace("max_order_qty=1000000", "max_order_qty=0"), "maxOrderQty must be >= 1");
        assertRefused(good.replace("symbols=AAPL,", "symbols=AAPL,IBM,"), "missing key symbol.IBM.reference_price");
        assertRefused(good.replace("symbols=AAPL,", "symbols=aapl,AAPL,") + "symbol.aapl.reference_price=1.00\n",
                "invalid symbol: aapl");
        assertRefused(good.replace("cancel_newest", "default"), "default_self_trade_prevention is 'default'");
        assertRefused(good + "just words\n", "expected key=value");
        assertRefused(good.replace("idempotency_sessions=5", "idempotency_sessions=1001"),
                "idempotencySessions in [0, 1000]");
        assertRefused(good.replace("idempotency_sessions=5", "idempotency_sessions=-1"),
                "idempotency_sessions is out of range");
        assertRefused(good + "idempotency_sessions=5\n", "duplicate key idempotency_sessions");
        assertRefused(good.replace("fill_against_reference_symbols=", "fill_against_reference_symbols=IBM")
                .replace("liquidity_provider=", "liquidity_provider=lp"), "fill against reference: unknown symbol IBM");
        assertRefused(good.replace("fill_against_reference_symbols=", "fill_against_reference_symbols=AAPL"),
                "the liquidity provider must be an account name");
    }

    @Test
    void shouldReadAFileWrittenBeforeFillsAgainstTheOutsideMarketExistedAsFillsOff() {
        ExchangeConfig current = ExchangeConfig.builder().symbol("AAPL", 0).build();
        String older = ExchangeConfigFile.render(current).replace("fill_against_reference_symbols=\n", "")
                .replace("liquidity_provider=\n", "");
        assertTrue(!older.contains("liquidity_provider"), older);
        ExchangeConfig read = ExchangeConfigFile.parse(older, "old.properties");
        assertEquals(List.of(), read.referenceFillSymbols());
        assertTrue(ExchangeConfigFile.sameSettings(older, "old.properties", current));
        assertTrue(!ExchangeConfigFile.sameSettings(older, "old.properties", ExchangeConfig.builder().symbol("AAPL", 0)
                .fillAgainstReference(List.of("AAPL"), "lp").build()), "a replay with fills on would diverge");
    }

    @Test
    void shouldReadAFileWrittenBeforeTheIdempotencyWindowExistedAsTheDefaultWindow() {
        ExchangeConfig current = ExchangeConfig.builder().symbol("AAPL", 0).gtcMaxAgeDays(30).build();
        String older = ExchangeConfigFile.render(current).replace("idempotency_sessions=5\n", "");
        assertTrue(!older.contains("idempotency_sessions"), older);
        ExchangeConfig read = ExchangeConfigFile.parse(older, "old.properties");
        assertEquals(ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS, read.idempotencySessions());
        assertSameSettings(current, read);
        assertTrue(ExchangeConfigFile.sameSettings(older, "old.properties", current),
                "an older file still pins a configuration at the default window");
        assertTrue(!ExchangeConfigFile.sameSettings(older, "old.properties",
                ExchangeConfig.builder().symbol("AAPL", 0).gtcMaxAgeDays(30).idempotencySessions(4).build()),
                "but not one with another window");
    }

    private void assertRefused(String text, String expectedMessagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExchangeConfigFile.parse(text, "cfg.properties"));
        assertTrue(e.getMessage().startsWith("cfg.properties"), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }

    private List<String> listNames() {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
