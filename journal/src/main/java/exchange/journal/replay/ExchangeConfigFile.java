package exchange.journal.replay;

import exchange.engine.ExchangeConfig;
import exchange.journal.DurableFiles;
import exchange.engine.SelfTradePrevention;
import exchange.engine.SymbolConfig;
import exchange.risk.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The engine configuration a data directory was written with, kept beside its journal in
 * {@code <dataDir>/exchange-config.properties}, because replaying a journal is only deterministic
 * with the exact configuration that produced it (symbols and their order, limits, collar, default
 * self-trade prevention). The exchange writes it when it starts; the replay tool reads it.
 *
 * <p>Format: UTF-8 lines of {@code key=value} in a fixed order, {@code #} comments, no escapes
 * or continuation lines (a subset of {@code .properties}). Decimal values are {@link Money}
 * decimals with at most {@value Money#SCALE_DIGITS} fraction digits:
 * <pre>
 *  format_version=1
 *  symbols=AAPL,MSFT                       (in configured order: it fixes the ledger's asset indexes)
 *  symbol.AAPL.reference_price=187.25      (one per symbol; 0.00 = no collar before the first trade)
 *  symbol.MSFT.reference_price=0.00
 *  max_order_qty=1000000
 *  max_order_notional=10000000.00
 *  max_price=1000000.00
 *  price_collar_bps=1000
 *  max_open_orders_per_account=10000
 *  gtc_max_age_days=90
 *  idempotency_sessions=5                  (absent in files written before it existed: the default, 5)
 *  max_accounts=1000000
 *  max_client_order_id_length=64
 *  default_self_trade_prevention=cancel_newest
 *  fill_against_reference_symbols=AAPL     (symbols that fill against the outside market; empty = none)
 *  liquidity_provider=lp                   (the account name of their counterparty; empty when none)
 * </pre>
 *
 * <p><b>Invariants.</b> {@link #render} is a pure function of the configuration (no date
 * comment, unlike {@code Properties.store}), so the same configuration always gives the same
 * bytes; {@code parse(render(c))} is equal to {@code c} setting by setting. Reading is strict:
 * every key must be present exactly once and an unknown key is refused, since a setting this build
 * does not know could change what the engine does. The one exception is a key added after
 * format 1 was first written ({@code idempotency_sessions}, and the two below): a file without it
 * was written when the engine behaved as its default does now, so it reads as that default. Two files describe
 * the same engine if and only if {@link #sameSettings} says so; their text may differ. Stateless.
 * The same holds for the two keys of fills against the outside market
 * ({@code fill_against_reference_symbols}, {@code liquidity_provider}): absent, they read as off,
 * which is what the engine did before they existed.
 */
public final class ExchangeConfigFile {
    /** The file's name in a data directory. */
    public static final String FILE_NAME = "exchange-config.properties";
    /** The format this class writes and reads. */
    public static final int FORMAT_VERSION = 1;

    static final String VERSION = "format_version";
    static final String SYMBOLS = "symbols";
    static final String MAX_ORDER_QTY = "max_order_qty";
    static final String MAX_ORDER_NOTIONAL = "max_order_notional";
    static final String MAX_PRICE = "max_price";
    static final String PRICE_COLLAR_BPS = "price_collar_bps";
    static final String MAX_OPEN_ORDERS = "max_open_orders_per_account";
    static final String GTC_MAX_AGE_DAYS = "gtc_max_age_days";
    static final String IDEMPOTENCY_SESSIONS = "idempotency_sessions";
    static final String MAX_ACCOUNTS = "max_accounts";
    static final String MAX_CLIENT_ORDER_ID_LENGTH = "max_client_order_id_length";
    static final String DEFAULT_STP = "default_self_trade_prevention";
    static final String FILL_SYMBOLS = "fill_against_reference_symbols";
    static final String LIQUIDITY_PROVIDER = "liquidity_provider";
    private static final String SYMBOL_PREFIX = "symbol.";
    private static final String REFERENCE_PRICE_SUFFIX = ".reference_price";

    private ExchangeConfigFile() {
    }

    /** {@code <dataDir>/exchange-config.properties}. */
    public static Path in(Path dataDir) {
        return dataDir.resolve(FILE_NAME);
    }

    /** The file's exact text for {@code config}. */
    public static String render(ExchangeConfig config) {
        StringBuilder sb = new StringBuilder(512);
        sb.append("# Engine configuration of this data directory, written by the exchange when it starts.\n")
                .append("# The replay tool reads it: a journal replays deterministically only with the configuration\n")
                .append("# that wrote it. Format: exchange.journal.replay.ExchangeConfigFile.\n");
        line(sb, VERSION, Integer.toString(FORMAT_VERSION));
        StringBuilder names = new StringBuilder();
        for (SymbolConfig s : config.symbols()) {
            names.append(names.length() == 0 ? "" : ",").append(s.symbol());
        }
        line(sb, SYMBOLS, names.toString());
        for (SymbolConfig s : config.symbols()) {
            line(sb, SYMBOL_PREFIX + s.symbol() + REFERENCE_PRICE_SUFFIX, Money.format(s.referencePriceTicks()));
        }
        line(sb, MAX_ORDER_QTY, Long.toString(config.maxOrderQty()));
        line(sb, MAX_ORDER_NOTIONAL, Money.format(config.maxOrderNotional()));
        line(sb, MAX_PRICE, Money.format(config.maxPriceTicks()));
        line(sb, PRICE_COLLAR_BPS, Integer.toString(config.priceCollarBps()));
        line(sb, MAX_OPEN_ORDERS, Integer.toString(config.maxOpenOrdersPerAccount()));
        line(sb, GTC_MAX_AGE_DAYS, Integer.toString(config.gtcMaxAgeDays()));
        line(sb, IDEMPOTENCY_SESSIONS, Integer.toString(config.idempotencySessions()));
        line(sb, MAX_ACCOUNTS, Integer.toString(config.maxAccounts()));
        line(sb, MAX_CLIENT_ORDER_ID_LENGTH, Integer.toString(config.maxClientOrderIdLength()));
        line(sb, DEFAULT_STP, config.defaultSelfTradePrevention().name().toLowerCase(Locale.ROOT));
        line(sb, FILL_SYMBOLS, String.join(",", config.referenceFillSymbols()));
        line(sb, LIQUIDITY_PROVIDER, config.liquidityProviderName() == null ? "" : config.liquidityProviderName());
        return sb.toString();
    }

    private static void line(StringBuilder sb, String key, String value) {
        sb.append(key).append('=').append(value).append('\n');
    }

    /**
     * Writes {@link #render} of {@code config} to {@code file} atomically and durably: a temp file
     * beside it, fsynced, renamed over {@code file}, then the directory fsynced.
     */
    public static void write(Path file, ExchangeConfig config) {
        DurableFiles.writeAtomically(file, render(config).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Reads and validates {@code file}.
     *
     * @throws IllegalArgumentException naming the file (and line) if it is malformed, incomplete,
     *     has an unknown key or describes an invalid configuration
     * @throws UncheckedIOException     if it cannot be read
     */
    public static ExchangeConfig read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return parse(text, file.toString());
    }

    /**
     * Whether the file text {@code recorded} describes the engine {@code config} describes: equal
     * once parsed (so a file written before a defaulted key existed still matches a configuration
     * at that default).
     *
     * @throws IllegalArgumentException naming {@code source} if {@code recorded} is malformed
     */
    public static boolean sameSettings(String recorded, String source, ExchangeConfig config) {
        return render(parse(recorded, source)).equals(render(config));
    }

    /** Parses the text of a config file; {@code source} names it in error messages. */
    public static ExchangeConfig parse(String text, String source) {
        Map<String, String> values = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": expected key=value, found '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            if (values.put(key, line.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + ": duplicate key " + key);
            }
        }
        return new Reader(values, source).config();
    }

    /** Takes the values out of the map key by key, so that whatever is left is unknown. */
    private static final class Reader {
        private final Map<String, String> values;
        private final String source;

        Reader(Map<String, String> values, String source) {
            this.values = values;
            this.source = source;
        }

        ExchangeConfig config() {
            long version = integer(VERSION, Integer.MAX_VALUE);
            if (version != FORMAT_VERSION) {
                throw fail(VERSION + " is " + version + "; this build reads version " + FORMAT_VERSION);
            }
            ExchangeConfig.Builder b = ExchangeConfig.builder();
            List<String> symbols = new ArrayList<>();
            for (String s : take(SYMBOLS).split(",", -1)) {
                symbols.add(s.strip());
            }
            for (String s : symbols) {
                if (s.isEmpty()) {
                    throw fail(SYMBOLS + " lists an empty symbol");
                }
                long referencePrice = decimal(SYMBOL_PREFIX + s + REFERENCE_PRICE_SUFFIX);
                try {
                    b.symbol(s, referencePrice);
                } catch (IllegalArgumentException e) {
                    throw fail(e.getMessage());
                }
            }
            b.maxOrderQty(integer(MAX_ORDER_QTY, Long.MAX_VALUE))
                    .maxOrderNotional(decimal(MAX_ORDER_NOTIONAL))
                    .maxPriceTicks(decimal(MAX_PRICE))
                    .priceCollarBps((int) integer(PRICE_COLLAR_BPS, Integer.MAX_VALUE))
                    .maxOpenOrdersPerAccount((int) integer(MAX_OPEN_ORDERS, Integer.MAX_VALUE))
                    .gtcMaxAgeDays((int) integer(GTC_MAX_AGE_DAYS, Integer.MAX_VALUE))
                    .idempotencySessions(values.containsKey(IDEMPOTENCY_SESSIONS)
                            ? (int) integer(IDEMPOTENCY_SESSIONS, Integer.MAX_VALUE)
                            : ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS)
                    .maxAccounts((int) integer(MAX_ACCOUNTS, Integer.MAX_VALUE))
                    .maxClientOrderIdLength((int) integer(MAX_CLIENT_ORDER_ID_LENGTH, Integer.MAX_VALUE))
                    .defaultSelfTradePrevention(selfTradePrevention(DEFAULT_STP));
            List<String> fillSymbols = new ArrayList<>();
            String fillList = values.containsKey(FILL_SYMBOLS) ? take(FILL_SYMBOLS) : "";
            for (String s : fillList.isEmpty() ? new String[0] : fillList.split(",", -1)) {
                fillSymbols.add(s.strip());
            }
            String provider = values.containsKey(LIQUIDITY_PROVIDER) ? take(LIQUIDITY_PROVIDER) : "";
            b.fillAgainstReference(fillSymbols, provider.isEmpty() ? null : provider);
            if (!values.isEmpty()) {
                throw fail("unknown key" + (values.size() > 1 ? "s " : " ") + String.join(", ", values.keySet()));
            }
            try {
                return b.build();
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
        }

        private String take(String key) {
            String v = values.remove(key);
            if (v == null) {
                throw fail("missing key " + key);
            }
            return v;
        }

        private long integer(String key, long max) {
            String v = take(key);
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw fail(key + " is not an integer: '" + v + "'");
            }
            if (n < 0 || n > max) {
                throw fail(key + " is out of range: " + v);
            }
            return n;
        }

        private long decimal(String key) {
            String v = take(key);
            long n = Money.parse(v, Money.SCALE_DIGITS);
            if (n == Money.OVERFLOW) {
                throw fail(key + " is not a non-negative decimal with at most " + Money.SCALE_DIGITS + " fraction digits: '"
                        + v + "'");
            }
            return n;
        }

        private SelfTradePrevention selfTradePrevention(String key) {
            String v = take(key);
            for (SelfTradePrevention s : SelfTradePrevention.values()) {
                if (s != SelfTradePrevention.DEFAULT && s.name().equalsIgnoreCase(v)) {
                    return s;
                }
            }
            throw fail(key + " is '" + v + "' (expected cancel_newest, cancel_oldest or cancel_both)");
        }

        private IllegalArgumentException fail(String problem) {
            return new IllegalArgumentException(source + ": " + problem);
        }
    }
}
