package exchange.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import exchange.engine.ExchangeConfig;
import exchange.engine.SelfTradePrevention;
import exchange.engine.pipeline.PipelineConfig;
import exchange.engine.pipeline.WaitStrategyKind;
import exchange.gateway.quotes.QuoteSourceConfig;
import exchange.gateway.stream.StreamConfig;
import exchange.readside.history.HistoryOptions;
import exchange.risk.Fees;
import exchange.risk.Money;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Everything the exchange process is configured with, read once at start-up from a JSON file
 * (format in {@code gateway/CONFIG.md}) or from the embedded demo configuration, validated
 * completely before anything starts. Immutable; every setting has a named default.
 *
 * <p>Decimal amounts (prices, cash) are JSON strings parsed with {@link Money#parse}; share
 * quantities are whole numbers. Unknown keys are refused so a typo never silently falls back to
 * a default.
 */
public final class GatewayConfig {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_DATA_DIR = "./data";
    public static final int DEFAULT_RING_SIZE = 1 << 16;
    public static final int MIN_RING_SIZE = 64;
    public static final int MAX_RING_SIZE = 1 << 24;
    /** A snapshot after this many journaled commands (besides one at every session close); 0 = only at closes. */
    public static final long DEFAULT_SNAPSHOT_EVERY_COMMANDS = 1_000_000L;
    /**
     * Usable bytes the data directory's disk must keep: below it, new orders, transfers and
     * accounts are refused with 503 {@code JOURNAL_DISK_LOW} (cancels and sessions still run).
     */
    public static final long DEFAULT_MIN_FREE_DISK_BYTES = 256L * 1024 * 1024;
    public static final int DEFAULT_MAX_BODY_BYTES = 16 * 1024;
    public static final int MAX_MAX_BODY_BYTES = 1 << 20;
    public static final int DEFAULT_HTTP_THREADS = 64;
    public static final long DEFAULT_RATE_LIMIT_PER_SECOND = 1_000;
    public static final long DEFAULT_RATE_LIMIT_BURST = 2_000;
    public static final Durability DEFAULT_DURABILITY = Durability.PROCESS;
    public static final WaitStrategyKind DEFAULT_WAIT_STRATEGY = PipelineConfig.DEFAULT_WAIT_STRATEGY;
    /** Shortest admin key accepted from the config or the environment. */
    public static final int MIN_ADMIN_KEY_LENGTH = 16;
    public static final int MAX_ADMIN_KEY_LENGTH = 256;
    /** The environment variable that overrides the admin key of the config file. */
    public static final String ADMIN_KEY_ENV = "EXCHANGE_ADMIN_KEY";
    /** Class-path resource of the embedded demo configuration. */
    public static final String DEMO_RESOURCE = "/demo-config.json";
    /** Environment override of {@code history.password}, so a password need not sit in a config file. */
    public static final String HISTORY_PASSWORD_ENV = "EXCHANGE_HISTORY_PASSWORD";
    /** How long a history read waits for the history database to reach the reader's sequence. */
    public static final long DEFAULT_HISTORY_READ_WAIT_MILLIS = 2_000;
    public static final long MAX_HISTORY_READ_WAIT_MILLIS = 60_000;
    /** Most orders the engine's store may be allocated for at start-up. */
    public static final int MAX_RESERVED_ORDERS = 100_000_000;
    /** {@code history.commit_delay_ms}, a testing knob: the history writer's pause before each commit. */
    public static final long MAX_HISTORY_COMMIT_DELAY_MILLIS = HistoryOptions.MAX_COMMIT_DELAY.toMillis();

    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** How far a command is made durable before its result is acknowledged (DESIGN section 5). */
    public enum Durability {
        /** Written to the memory-mapped journal: survives a process crash. */
        PROCESS,
        /** Also msync'd per ring batch: survives an OS crash. */
        SYNC;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Which market calendar drives the session scheduler. */
    public enum CalendarType {
        /** Open at any hour: one session per calendar day of the zone, rolled at midnight. */
        ALWAYS_OPEN,
        /** NYSE/Nasdaq regular hours, 09:30-16:00 America/New_York, with holidays and early closes. */
        US_EQUITIES;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The market calendar: its type, the zone of the always-open calendar, an optional overrides file. */
    public record Calendar(CalendarType type, ZoneId zone, Path closuresFile) {
        public Calendar {
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(zone, "zone");
        }
    }

    /** Token bucket per API key for order entry. */
    public record RateLimit(long tokensPerSecond, long burst) {
    }

    /** Public market-data requests per client address, by default (a token bucket). */
    public static final long DEFAULT_MARKET_DATA_RATE_PER_SECOND = 50;
    public static final long DEFAULT_MARKET_DATA_RATE_BURST = 100;
    /** Largest recent-trades ring and candles kept in memory per symbol and interval. */
    public static final int MAX_MARKET_DATA_KEPT = 100_000;
    public static final long MAX_CANDLE_CLOSE_GRACE_MILLIS = 60_000;

    /**
     * The market-data projection and its public routes: {@code rateLimit} per client address
     * (REST, both faces), {@code recentTrades} kept per symbol, {@code candlesPerInterval} finished
     * candles kept per symbol and interval (older ones are read from the history database), and
     * {@code candleCloseGraceMillis}, how long past its end an open candle waits before the clock
     * announces it closed.
     */
    public record MarketData(RateLimit rateLimit, int recentTrades, int candlesPerInterval,
                             long candleCloseGraceMillis) {
        public static MarketData defaults() {
            return new MarketData(new RateLimit(DEFAULT_MARKET_DATA_RATE_PER_SECOND, DEFAULT_MARKET_DATA_RATE_BURST),
                    exchange.readside.marketdata.MarketDataProjection.DEFAULT_MAX_TRADES,
                    exchange.readside.marketdata.MarketDataProjection.DEFAULT_MAX_CANDLES,
                    exchange.readside.marketdata.MarketDataProjection.DEFAULT_CLOSE_GRACE_NANOS / 1_000_000);
        }
    }

    /** A demo account created (once) at start-up and funded with {@code deposits} (asset -> scaled amount). */
    /**
     * The history database: {@code jdbcUrl} null = the SQLite file under the data directory;
     * otherwise a JDBC URL (PostgreSQL) with its user and password. {@code readWaitMillis} bounds
     * how long a read waits for the database to catch up with the reader's own writes before it is
     * answered 503. {@code commitDelayMillis} is a testing knob, 0 in production: the history
     * writer pauses that long inside each batch's transaction before committing it
     * ({@link HistoryOptions#commitDelay()}).
     */
    public record History(String jdbcUrl, String user, String password, long readWaitMillis, long commitDelayMillis) {
        @Override
        public String toString() {
            return "History[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? null : "***")
                    + ", readWaitMillis=" + readWaitMillis + ", commitDelayMillis=" + commitDelayMillis + "]";
        }
    }

    public record DemoAccount(String name, int makerFeeBps, int takerFeeBps, Map<String, Long> deposits) {
        public DemoAccount {
            deposits = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(deposits));
        }
    }

    private final String host;
    private final int port;
    private final Path dataDir;
    private final String adminKey;
    private final Durability durability;
    private final int ringSize;
    private final long snapshotEveryCommands;
    private final long minFreeDiskBytes;
    private final WaitStrategyKind waitStrategy;
    private final int maxBodyBytes;
    private final int httpThreads;
    private final boolean loadProbes;
    private final HttpSettings http;
    private final RateLimit rateLimit;
    private final StreamConfig stream;
    private final History history;
    private final MarketData marketData;
    private final int reservedOrders;
    private final Calendar calendar;
    private final int defaultMakerFeeBps;
    private final int defaultTakerFeeBps;
    private final ExchangeConfig exchangeConfig;
    private final List<DemoAccount> demoAccounts;
    private final List<QuoteSourceConfig> quoteSources;

    private GatewayConfig(Builder b) {
        require(b.host != null && !b.host.isBlank(), "host must not be blank");
        require(b.port >= 0 && b.port <= 65_535, "port must be in [0, 65535] (0 = any free port)");
        require(b.dataDir != null, "data_dir is required");
        require(b.adminKey == null || (b.adminKey.length() >= MIN_ADMIN_KEY_LENGTH
                        && b.adminKey.length() <= MAX_ADMIN_KEY_LENGTH && isPrintableAscii(b.adminKey)),
                "admin_key must be " + MIN_ADMIN_KEY_LENGTH + ".." + MAX_ADMIN_KEY_LENGTH
                        + " printable ASCII characters without spaces");
        require(b.ringSize >= MIN_RING_SIZE && b.ringSize <= MAX_RING_SIZE && Integer.bitCount(b.ringSize) == 1,
                "ring_size must be a power of two in [" + MIN_RING_SIZE + ", " + MAX_RING_SIZE + "]");
        require(b.snapshotEveryCommands >= 0, "snapshot_every_commands must be >= 0 (0 = only at session close)");
        require(b.minFreeDiskBytes >= 0, "min_free_disk_bytes must be >= 0 (0 = no check)");
        require(b.maxBodyBytes >= 256 && b.maxBodyBytes <= MAX_MAX_BODY_BYTES,
                "max_body_bytes must be in [256, " + MAX_MAX_BODY_BYTES + "]");
        require(b.httpThreads >= 8 && b.httpThreads <= 1_024, "http_threads must be in [8, 1024]");
        require(b.rateLimitPerSecond >= 1 && b.rateLimitPerSecond <= 1_000_000_000L,
                "rate_limit.tokens_per_second must be in [1, 1000000000]");
        require(b.rateLimitBurst >= 1 && b.rateLimitBurst <= 1_000_000_000L,
                "rate_limit.burst must be in [1, 1000000000]");
        require(b.reservedOrders >= 0 && b.reservedOrders <= MAX_RESERVED_ORDERS,
                "reserved_orders must be in [0, " + MAX_RESERVED_ORDERS + "]");
        require(b.historyReadWaitMillis >= 0 && b.historyReadWaitMillis <= MAX_HISTORY_READ_WAIT_MILLIS,
                "history.read_wait_ms must be in [0, " + MAX_HISTORY_READ_WAIT_MILLIS + "]");
        require(b.historyCommitDelayMillis >= 0 && b.historyCommitDelayMillis <= MAX_HISTORY_COMMIT_DELAY_MILLIS,
                "history.commit_delay_ms must be in [0, " + MAX_HISTORY_COMMIT_DELAY_MILLIS + "]");
        require(b.historyJdbcUrl == null || b.historyJdbcUrl.startsWith("jdbc:"),
                "history.jdbc_url must be a JDBC URL (jdbc:postgresql://host:port/db or jdbc:sqlite:FILE)");
        require(validFee(b.defaultMakerFeeBps) && validFee(b.defaultTakerFeeBps),
                "fees must be in [0, " + Fees.MAX_FEE_BPS + "] bps");
        require(b.durability != null && b.waitStrategy != null && b.calendarType != null && b.calendarZone != null,
                "durability, wait_strategy and calendar must be set");
        host = b.host;
        port = b.port;
        dataDir = b.dataDir;
        adminKey = b.adminKey;
        durability = b.durability;
        ringSize = b.ringSize;
        snapshotEveryCommands = b.snapshotEveryCommands;
        minFreeDiskBytes = b.minFreeDiskBytes;
        waitStrategy = b.waitStrategy;
        maxBodyBytes = b.maxBodyBytes;
        httpThreads = b.httpThreads;
        loadProbes = b.loadProbes;
        http = b.http;
        rateLimit = new RateLimit(b.rateLimitPerSecond, b.rateLimitBurst);
        stream = Objects.requireNonNull(b.stream, "stream");
        reservedOrders = b.reservedOrders;
        MarketData m = b.marketData;
        require(m.rateLimit().tokensPerSecond() >= 1 && m.rateLimit().burst() >= 1,
                "market_data.rate_limit.tokens_per_second and burst must be at least 1");
        require(m.recentTrades() >= 1 && m.recentTrades() <= MAX_MARKET_DATA_KEPT,
                "market_data.recent_trades must be in [1, " + MAX_MARKET_DATA_KEPT + "]");
        require(m.candlesPerInterval() >= 1 && m.candlesPerInterval() <= MAX_MARKET_DATA_KEPT,
                "market_data.candles_per_interval must be in [1, " + MAX_MARKET_DATA_KEPT + "]");
        require(m.candleCloseGraceMillis() >= 0 && m.candleCloseGraceMillis() <= MAX_CANDLE_CLOSE_GRACE_MILLIS,
                "market_data.candle_close_grace_ms must be in [0, " + MAX_CANDLE_CLOSE_GRACE_MILLIS + "]");
        marketData = m;
        history = new History(b.historyJdbcUrl, b.historyUser, b.historyPassword, b.historyReadWaitMillis,
                b.historyCommitDelayMillis);
        calendar = new Calendar(b.calendarType, b.calendarZone, b.closuresFile);
        defaultMakerFeeBps = b.defaultMakerFeeBps;
        defaultTakerFeeBps = b.defaultTakerFeeBps;
        exchangeConfig = b.engine.build();
        demoAccounts = List.copyOf(b.demoAccounts);
        quoteSources = List.copyOf(b.quoteSources);
        List<String> symbolNames = new ArrayList<>();
        exchangeConfig.symbols().forEach(s -> symbolNames.add(s.symbol()));
        QuoteSourceConfig.checkAgainst(quoteSources, symbolNames);
        Set<String> assets = Set.of(exchangeConfig.assetNames());
        Set<String> names = new java.util.HashSet<>();
        for (DemoAccount a : demoAccounts) {
            require(a.name() != null && !a.name().isEmpty() && a.name().length() <= 64,
                    "demo account names must be 1..64 characters");
            require(names.add(a.name()), "duplicate demo account " + a.name());
            require(validFee(a.makerFeeBps()) && validFee(a.takerFeeBps()), "demo account " + a.name()
                    + ": fees must be in [0, " + Fees.MAX_FEE_BPS + "] bps");
            for (Map.Entry<String, Long> d : a.deposits().entrySet()) {
                require(assets.contains(d.getKey()), "demo account " + a.name() + ": unknown asset " + d.getKey());
                require(d.getValue() > 0, "demo account " + a.name() + ": deposit of " + d.getKey() + " must be > 0");
            }
        }
    }

    private static boolean validFee(int bps) {
        return bps >= 0 && bps <= Fees.MAX_FEE_BPS;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    static boolean isPrintableAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The embedded demo configuration ({@value #DEMO_RESOURCE}). */
    public static GatewayConfig demo() {
        try (InputStream in = GatewayConfig.class.getResourceAsStream(DEMO_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing class-path resource " + DEMO_RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded " + DEMO_RESOURCE, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEMO_RESOURCE, e);
        }
    }

    /** Reads a config file; relative paths inside it resolve against the file's directory. */
    public static GatewayConfig load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Path base = file.toAbsolutePath().getParent();
        return parse(text, file.toString(), base);
    }

    /**
     * Parses a configuration document.
     *
     * @param source   named in error messages
     * @param baseDir  directory relative paths resolve against, or null for the working directory
     * @throws IllegalArgumentException naming the source and the offending key
     */
    public static GatewayConfig parse(String json, String source, Path baseDir) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(source + ": malformed JSON: " + e.getOriginalMessage(), e);
        }
        try {
            return new Reader(baseDir).read(root);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** The admin key from the config file, or null (then the environment or a generated key is used). */
    public String adminKey() {
        return adminKey;
    }

    public Durability durability() {
        return durability;
    }

    public int ringSize() {
        return ringSize;
    }

    /** Journaled commands between automatic snapshots; 0 = only at session close and on demand. */
    public long snapshotEveryCommands() {
        return snapshotEveryCommands;
    }

    /** Usable bytes the data directory's disk must keep for new business to be accepted (0 = no check). */
    public long minFreeDiskBytes() {
        return minFreeDiskBytes;
    }

    /** How the pipeline's stage threads wait; busy-spin and yielding need a core per stage. */
    public WaitStrategyKind waitStrategy() {
        return waitStrategy;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    /** Most Jetty threads serving HTTP (responses complete asynchronously, so few are needed). */
    public int httpThreads() {
        return httpThreads;
    }

    /**
     * Whether the load-test probe routes are served ({@code POST /probe/orders} and
     * {@code /probe/orders-async}: order entry's HTTP half without the ring; off by default).
     */
    public boolean loadProbes() {
        return loadProbes;
    }

    /** Connection timeouts and limits, and where the admin endpoints listen (the {@code http} section). */
    public HttpSettings http() {
        return http;
    }

    /**
     * Orders the engine's store is allocated for at start-up (0 = page by page as orders come):
     * its pages then age into the old generation before trading, so young collections do not
     * copy them while orders arrive. Memory only; no engine behaviour depends on it.
     */
    public int reservedOrders() {
        return reservedOrders;
    }

    public History history() {
        return history;
    }

    public MarketData marketData() {
        return marketData;
    }

    public RateLimit rateLimit() {
        return rateLimit;
    }

    /** The WebSocket stream layer's limits and timers (the {@code stream} object). */
    public StreamConfig stream() {
        return stream;
    }

    public Calendar calendar() {
        return calendar;
    }

    /** Maker fee of accounts created without one, in basis points. */
    public int defaultMakerFeeBps() {
        return defaultMakerFeeBps;
    }

    /** Taker fee of accounts created without one, in basis points. */
    public int defaultTakerFeeBps() {
        return defaultTakerFeeBps;
    }

    /** The engine's rules and limits (symbols, collar, order bounds); part of the replayed function. */
    public ExchangeConfig exchangeConfig() {
        return exchangeConfig;
    }

    public List<DemoAccount> demoAccounts() {
        return demoAccounts;
    }

    /** The outside venues whose quotes become reference prices ({@code quote_sources}); empty by default. */
    public List<QuoteSourceConfig> quoteSources() {
        return quoteSources;
    }

    /** A copy with another HTTP port (the {@code --port} flag). */
    public GatewayConfig withPort(int newPort) {
        return toBuilder().port(newPort).build();
    }

    /** A copy with another data directory (the {@code --data-dir} flag). */
    public GatewayConfig withDataDir(Path newDataDir) {
        return toBuilder().dataDir(newDataDir).build();
    }

    /** A copy with another admin key (the {@value #ADMIN_KEY_ENV} environment variable). */
    public GatewayConfig withAdminKey(String newAdminKey) {
        return toBuilder().adminKey(newAdminKey).build();
    }

    /** A builder holding every setting of this config. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.dataDir = dataDir;
        b.adminKey = adminKey;
        b.durability = durability;
        b.ringSize = ringSize;
        b.snapshotEveryCommands = snapshotEveryCommands;
        b.minFreeDiskBytes = minFreeDiskBytes;
        b.waitStrategy = waitStrategy;
        b.maxBodyBytes = maxBodyBytes;
        b.httpThreads = httpThreads;
        b.loadProbes = loadProbes;
        b.http = http;
        b.rateLimitPerSecond = rateLimit.tokensPerSecond();
        b.rateLimitBurst = rateLimit.burst();
        b.stream = stream;
        b.calendarType = calendar.type();
        b.calendarZone = calendar.zone();
        b.closuresFile = calendar.closuresFile();
        b.defaultMakerFeeBps = defaultMakerFeeBps;
        b.defaultTakerFeeBps = defaultTakerFeeBps;
        b.history(history.jdbcUrl(), history.user(), history.password(), history.readWaitMillis())
                .historyCommitDelayMillis(history.commitDelayMillis());
        b.reservedOrders = reservedOrders;
        b.marketData = marketData;
        ExchangeConfig e = exchangeConfig;
        e.symbols().forEach(s -> b.engine.symbol(s.symbol(), s.referencePriceTicks()));
        b.engine.maxOrderQty(e.maxOrderQty()).maxOrderNotional(e.maxOrderNotional()).maxPriceTicks(e.maxPriceTicks())
                .priceCollarBps(e.priceCollarBps()).maxOpenOrdersPerAccount(e.maxOpenOrdersPerAccount())
                .gtcMaxAgeDays(e.gtcMaxAgeDays()).idempotencySessions(e.idempotencySessions())
                .maxAccounts(e.maxAccounts())
                .maxClientOrderIdLength(e.maxClientOrderIdLength())
                .defaultSelfTradePrevention(e.defaultSelfTradePrevention())
                .fillAgainstReference(e.referenceFillSymbols(), e.liquidityProviderName());
        b.demoAccounts.addAll(demoAccounts);
        b.quoteSources.addAll(quoteSources);
        return b;
    }

    @Override
    public String toString() {
        return "GatewayConfig{host=" + host + " port=" + port + " dataDir=" + dataDir + " durability="
                + durability.wireName() + " ringSize=" + ringSize + " waitStrategy=" + waitStrategy.name().toLowerCase(Locale.ROOT)
                + " calendar=" + calendar.type().wireName() + " symbols=" + exchangeConfig.symbols().size()
                + " demoAccounts=" + demoAccounts.size() + " quoteSources=" + quoteSources.size() + " adminKey=" + (adminKey == null ? "unset" : "set") + "}";
    }

    /** Mutable builder; every setting starts at its named default. The engine part uses {@link ExchangeConfig.Builder}. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of(DEFAULT_DATA_DIR);
        private String adminKey;
        private Durability durability = DEFAULT_DURABILITY;
        private int ringSize = DEFAULT_RING_SIZE;
        private long snapshotEveryCommands = DEFAULT_SNAPSHOT_EVERY_COMMANDS;
        private long minFreeDiskBytes = DEFAULT_MIN_FREE_DISK_BYTES;
        private WaitStrategyKind waitStrategy = DEFAULT_WAIT_STRATEGY;
        private int maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private int httpThreads = DEFAULT_HTTP_THREADS;
        private String historyJdbcUrl;
        private String historyUser;
        private String historyPassword;
        private long historyReadWaitMillis = DEFAULT_HISTORY_READ_WAIT_MILLIS;
        private int reservedOrders;
        private long historyCommitDelayMillis;
        private MarketData marketData = MarketData.defaults();
        private boolean loadProbes;
        private HttpSettings http = HttpSettings.DEFAULTS;
        private long rateLimitPerSecond = DEFAULT_RATE_LIMIT_PER_SECOND;
        private long rateLimitBurst = DEFAULT_RATE_LIMIT_BURST;
        private StreamConfig stream = StreamConfig.defaults();
        private CalendarType calendarType = CalendarType.ALWAYS_OPEN;
        private ZoneId calendarZone = java.time.ZoneOffset.UTC;
        private Path closuresFile;
        private int defaultMakerFeeBps;
        private int defaultTakerFeeBps;
        private final ExchangeConfig.Builder engine = ExchangeConfig.builder();
        private final List<DemoAccount> demoAccounts = new ArrayList<>();
        private final List<QuoteSourceConfig> quoteSources = new ArrayList<>();

        public Builder host(String v) {
            host = v;
            return this;
        }

        public Builder port(int v) {
            port = v;
            return this;
        }

        public Builder dataDir(Path v) {
            dataDir = v;
            return this;
        }

        public Builder adminKey(String v) {
            adminKey = v;
            return this;
        }

        public Builder durability(Durability v) {
            durability = v;
            return this;
        }

        public Builder snapshotEveryCommands(long v) {
            snapshotEveryCommands = v;
            return this;
        }

        public Builder minFreeDiskBytes(long v) {
            minFreeDiskBytes = v;
            return this;
        }

        public Builder ringSize(int v) {
            ringSize = v;
            return this;
        }

        public Builder waitStrategy(WaitStrategyKind v) {
            waitStrategy = v;
            return this;
        }

        public Builder maxBodyBytes(int v) {
            maxBodyBytes = v;
            return this;
        }

        public Builder httpThreads(int v) {
            httpThreads = v;
            return this;
        }

        public Builder loadProbes(boolean v) {
            loadProbes = v;
            return this;
        }

        public Builder http(HttpSettings v) {
            http = java.util.Objects.requireNonNull(v, "http");
            return this;
        }

        public Builder reservedOrders(int v) {
            reservedOrders = v;
            return this;
        }

        /** The history database; a null {@code jdbcUrl} keeps the SQLite file under the data directory. */
        public Builder history(String jdbcUrl, String user, String password, long readWaitMillis) {
            historyJdbcUrl = jdbcUrl;
            historyUser = user;
            historyPassword = password;
            historyReadWaitMillis = readWaitMillis;
            return this;
        }

        /** The market-data settings ({@code market_data}); {@link MarketData#defaults()} unless set. */
        public Builder marketData(MarketData v) {
            marketData = Objects.requireNonNull(v, "marketData");
            return this;
        }

        /** {@code history.commit_delay_ms}: a testing knob (default 0), see {@link History}. */
        public Builder historyCommitDelayMillis(long millis) {
            historyCommitDelayMillis = millis;
            return this;
        }

        /** The WebSocket stream layer's limits (default {@link StreamConfig#defaults()}). */
        public Builder stream(StreamConfig v) {
            stream = Objects.requireNonNull(v);
            return this;
        }

        public Builder rateLimit(long tokensPerSecond, long burst) {
            rateLimitPerSecond = tokensPerSecond;
            rateLimitBurst = burst;
            return this;
        }

        public Builder calendar(CalendarType type, ZoneId zone, Path closures) {
            calendarType = type;
            calendarZone = zone;
            closuresFile = closures;
            return this;
        }

        public Builder defaultFees(int makerBps, int takerBps) {
            defaultMakerFeeBps = makerBps;
            defaultTakerFeeBps = takerBps;
            return this;
        }

        /** The engine settings (symbols, limits); configure them in place. */
        public ExchangeConfig.Builder engine() {
            return engine;
        }

        public Builder symbol(String symbol, long referencePriceTicks) {
            engine.symbol(symbol, referencePriceTicks);
            return this;
        }

        public Builder demoAccount(DemoAccount account) {
            demoAccounts.add(account);
            return this;
        }

        public Builder quoteSource(QuoteSourceConfig source) {
            quoteSources.add(Objects.requireNonNull(source));
            return this;
        }

        public GatewayConfig build() {
            return new GatewayConfig(this);
        }
    }

    /** Walks the JSON tree, refusing unknown keys and wrongly typed values with the key's path. */
    private static final class Reader {
        private static final Set<String> ROOT_KEYS = Set.of("host", "port", "data_dir", "admin_key", "durability",
                "ring_size", "snapshot_every_commands", "min_free_disk_bytes", "wait_strategy", "max_body_bytes",
                "http_threads", "load_probes", "rate_limit", "calendar", "fees", "symbols", "engine", "demo_accounts",
                "history", "reserved_orders", "market_data", "stream", "http", "quote_sources",
                "fill_against_reference");
        private static final Set<String> MARKET_DATA_KEYS = Set.of("rate_limit", "recent_trades", "candles_per_interval",
                "candle_close_grace_ms");
        private static final Set<String> HISTORY_KEYS = Set.of("jdbc_url", "user", "password", "read_wait_ms",
                "commit_delay_ms");
        private static final Set<String> STREAM_KEYS = Set.of("max_connections_per_address",
                "max_subscriptions_per_connection", "inbound_messages_per_second", "outbound_queue_length",
                "ping_interval_ms", "pong_timeout_ms", "idle_timeout_ms", "max_inbound_message_bytes");
        private static final Set<String> RATE_KEYS = Set.of("tokens_per_second", "burst");
        private static final Set<String> CALENDAR_KEYS = Set.of("type", "zone", "closures_file");
        private static final Set<String> FEE_KEYS = Set.of("maker_bps", "taker_bps");
        private static final Set<String> SYMBOL_KEYS = Set.of("symbol", "reference_price");
        private static final Set<String> ENGINE_KEYS = Set.of("max_order_qty", "max_order_notional", "max_price",
                "price_collar_bps", "max_open_orders_per_account", "gtc_max_age_days", "idempotency_sessions", "max_accounts",
                "max_client_order_id_length", "self_trade_prevention");
        private static final Set<String> DEMO_KEYS = Set.of("name", "maker_fee_bps", "taker_fee_bps", "deposits");
        private static final Set<String> FILL_KEYS = Set.of("symbols", "liquidity_provider");

        private final Path baseDir;

        Reader(Path baseDir) {
            this.baseDir = baseDir;
        }

        GatewayConfig read(JsonNode root) {
            object(root, "the document");
            onlyKeys(root, ROOT_KEYS, "");
            Builder b = new Builder();
            if (root.has("host")) {
                b.host(text(root, "host", "host"));
            }
            if (root.has("port")) {
                b.port((int) integer(root, "port", "port", 0, 65_535));
            }
            if (root.has("data_dir")) {
                // The data directory is relative to the working directory, like the --data-dir flag.
                b.dataDir(Path.of(text(root, "data_dir", "data_dir")));
            }
            if (root.has("admin_key") && !root.get("admin_key").isNull()) {
                b.adminKey(text(root, "admin_key", "admin_key"));
            }
            if (root.has("durability")) {
                b.durability(enumValue(Durability.class, text(root, "durability", "durability"), "durability"));
            }
            if (root.has("snapshot_every_commands")) {
                b.snapshotEveryCommands(integer(root, "snapshot_every_commands", "snapshot_every_commands", 0,
                        Long.MAX_VALUE));
            }
            if (root.has("min_free_disk_bytes")) {
                b.minFreeDiskBytes(integer(root, "min_free_disk_bytes", "min_free_disk_bytes", 0, Long.MAX_VALUE));
            }
            if (root.has("ring_size")) {
                b.ringSize((int) integer(root, "ring_size", "ring_size", MIN_RING_SIZE, MAX_RING_SIZE));
            }
            if (root.has("wait_strategy")) {
                b.waitStrategy(enumValue(WaitStrategyKind.class, text(root, "wait_strategy", "wait_strategy"),
                        "wait_strategy"));
            }
            if (root.has("max_body_bytes")) {
                b.maxBodyBytes((int) integer(root, "max_body_bytes", "max_body_bytes", 0, Integer.MAX_VALUE));
            }
            if (root.has("http_threads")) {
                b.httpThreads((int) integer(root, "http_threads", "http_threads", 0, Integer.MAX_VALUE));
            }
            if (root.has("load_probes")) {
                JsonNode n = root.get("load_probes");
                if (!n.isBoolean()) {
                    throw new IllegalArgumentException("load_probes must be true or false");
                }
                b.loadProbes(n.booleanValue());
            }
            if (root.has("http")) {
                b.http(HttpSettings.read(root.get("http")));
            }
            if (root.has("rate_limit")) {
                JsonNode r = object(root.get("rate_limit"), "rate_limit");
                onlyKeys(r, RATE_KEYS, "rate_limit.");
                long perSecond = r.has("tokens_per_second")
                        ? integer(r, "tokens_per_second", "rate_limit.tokens_per_second", 1, Long.MAX_VALUE)
                        : DEFAULT_RATE_LIMIT_PER_SECOND;
                long burst = r.has("burst") ? integer(r, "burst", "rate_limit.burst", 1, Long.MAX_VALUE)
                        : DEFAULT_RATE_LIMIT_BURST;
                b.rateLimit(perSecond, burst);
            }
            if (root.has("stream")) {
                b.stream(readStream(object(root.get("stream"), "stream")));
            }
            if (root.has("reserved_orders")) {
                b.reservedOrders((int) integer(root, "reserved_orders", "reserved_orders", 0, MAX_RESERVED_ORDERS));
            }
            if (root.has("history")) {
                JsonNode h = object(root.get("history"), "history");
                onlyKeys(h, HISTORY_KEYS, "history.");
                b.history(optionalText(h, "jdbc_url", "history.jdbc_url"), optionalText(h, "user", "history.user"),
                        optionalText(h, "password", "history.password"),
                        h.has("read_wait_ms") ? integer(h, "read_wait_ms", "history.read_wait_ms", 0, Long.MAX_VALUE)
                                : DEFAULT_HISTORY_READ_WAIT_MILLIS);
                if (h.has("commit_delay_ms")) {
                    b.historyCommitDelayMillis(integer(h, "commit_delay_ms", "history.commit_delay_ms", 0,
                            MAX_HISTORY_COMMIT_DELAY_MILLIS));
                }
            }
            if (root.has("market_data")) {
                b.marketData(readMarketData(object(root.get("market_data"), "market_data")));
            }
            if (root.has("calendar")) {
                readCalendar(object(root.get("calendar"), "calendar"), b);
            }
            if (root.has("fees")) {
                JsonNode f = object(root.get("fees"), "fees");
                onlyKeys(f, FEE_KEYS, "fees.");
                int maker = f.has("maker_bps") ? (int) integer(f, "maker_bps", "fees.maker_bps", 0, Fees.MAX_FEE_BPS) : 0;
                int taker = f.has("taker_bps") ? (int) integer(f, "taker_bps", "fees.taker_bps", 0, Fees.MAX_FEE_BPS) : 0;
                b.defaultFees(maker, taker);
            }
            readSymbols(root.get("symbols"), b);
            if (root.has("engine")) {
                readEngine(object(root.get("engine"), "engine"), b.engine());
            }
            if (root.has("demo_accounts")) {
                readDemoAccounts(root.get("demo_accounts"), b);
            }
            if (root.has("quote_sources")) {
                QuoteSourceConfig.readAll(root.get("quote_sources")).forEach(b::quoteSource);
            }
            if (root.has("fill_against_reference") && !root.get("fill_against_reference").isNull()) {
                readFillAgainstReference(object(root.get("fill_against_reference"), "fill_against_reference"),
                        root.get("symbols"), b.engine());
            }
            return b.build();
        }

        private static StreamConfig readStream(JsonNode s) {
            onlyKeys(s, STREAM_KEYS, "stream.");
            StreamConfig d = StreamConfig.defaults();
            return new StreamConfig(
                    (int) optionalInteger(s, "max_connections_per_address", d.maxConnectionsPerAddress()),
                    (int) optionalInteger(s, "max_subscriptions_per_connection", d.maxSubscriptionsPerConnection()),
                    (int) optionalInteger(s, "inbound_messages_per_second", d.inboundMessagesPerSecond()),
                    (int) optionalInteger(s, "outbound_queue_length", d.outboundQueueLength()),
                    Duration.ofMillis(optionalInteger(s, "ping_interval_ms", d.pingInterval().toMillis())),
                    Duration.ofMillis(optionalInteger(s, "pong_timeout_ms", d.pongTimeout().toMillis())),
                    Duration.ofMillis(optionalInteger(s, "idle_timeout_ms", d.idleTimeout().toMillis())),
                    (int) optionalInteger(s, "max_inbound_message_bytes", d.maxInboundMessageBytes()));
        }

        /** {@code stream.<key>} as an integer, or {@code otherwise} when absent; range checks are StreamConfig's. */
        private static long optionalInteger(JsonNode parent, String key, long otherwise) {
            return parent.has(key) ? integer(parent, key, "stream." + key, 0, Integer.MAX_VALUE) : otherwise;
        }

        private static MarketData readMarketData(JsonNode m) {
            onlyKeys(m, MARKET_DATA_KEYS, "market_data.");
            MarketData d = MarketData.defaults();
            RateLimit rate = d.rateLimit();
            if (m.has("rate_limit")) {
                JsonNode r = object(m.get("rate_limit"), "market_data.rate_limit");
                onlyKeys(r, RATE_KEYS, "market_data.rate_limit.");
                rate = new RateLimit(r.has("tokens_per_second") ? integer(r, "tokens_per_second",
                        "market_data.rate_limit.tokens_per_second", 1, 1_000_000_000L) : rate.tokensPerSecond(),
                        r.has("burst") ? integer(r, "burst", "market_data.rate_limit.burst", 1, 1_000_000_000L)
                                : rate.burst());
            }
            return new MarketData(rate,
                    m.has("recent_trades") ? (int) integer(m, "recent_trades", "market_data.recent_trades", 1,
                            MAX_MARKET_DATA_KEPT) : d.recentTrades(),
                    m.has("candles_per_interval") ? (int) integer(m, "candles_per_interval",
                            "market_data.candles_per_interval", 1, MAX_MARKET_DATA_KEPT) : d.candlesPerInterval(),
                    m.has("candle_close_grace_ms") ? integer(m, "candle_close_grace_ms",
                            "market_data.candle_close_grace_ms", 0, MAX_CANDLE_CLOSE_GRACE_MILLIS)
                            : d.candleCloseGraceMillis());
        }

        private void readCalendar(JsonNode c, Builder b) {
            onlyKeys(c, CALENDAR_KEYS, "calendar.");
            CalendarType type = enumValue(CalendarType.class, text(c, "type", "calendar.type"), "calendar.type");
            ZoneId zone = java.time.ZoneOffset.UTC;
            if (c.has("zone")) {
                if (type != CalendarType.ALWAYS_OPEN) {
                    throw new IllegalArgumentException("calendar.zone applies to always_open only; us_equities is "
                            + "always America/New_York");
                }
                String z = text(c, "zone", "calendar.zone");
                try {
                    zone = ZoneId.of(z);
                } catch (DateTimeException e) {
                    throw new IllegalArgumentException("calendar.zone: unknown time zone " + z);
                }
            }
            Path closures = null;
            if (c.has("closures_file") && !c.get("closures_file").isNull()) {
                if (type != CalendarType.US_EQUITIES) {
                    throw new IllegalArgumentException("calendar.closures_file applies to us_equities only");
                }
                closures = path(text(c, "closures_file", "calendar.closures_file"));
            }
            b.calendar(type, zone, closures);
        }

        private void readSymbols(JsonNode symbols, Builder b) {
            if (symbols == null || !symbols.isArray() || symbols.isEmpty()) {
                throw new IllegalArgumentException("symbols must be a non-empty array");
            }
            for (int i = 0; i < symbols.size(); i++) {
                String at = "symbols[" + i + "]";
                JsonNode s = symbols.get(i);
                long reference = 0;
                String name;
                if (s.isTextual()) {
                    name = s.asText();
                } else {
                    object(s, at);
                    onlyKeys(s, SYMBOL_KEYS, at + ".");
                    name = text(s, "symbol", at + ".symbol");
                    if (s.has("reference_price") && !s.get("reference_price").isNull()) {
                        reference = decimal(s, "reference_price", at + ".reference_price");
                    }
                }
                b.symbol(name, reference);
            }
        }

        private void readEngine(JsonNode e, ExchangeConfig.Builder engine) {
            onlyKeys(e, ENGINE_KEYS, "engine.");
            if (e.has("max_order_qty")) {
                engine.maxOrderQty(integer(e, "max_order_qty", "engine.max_order_qty", 1, Long.MAX_VALUE));
            }
            if (e.has("max_order_notional")) {
                engine.maxOrderNotional(decimal(e, "max_order_notional", "engine.max_order_notional"));
            }
            if (e.has("max_price")) {
                engine.maxPriceTicks(decimal(e, "max_price", "engine.max_price"));
            }
            if (e.has("price_collar_bps")) {
                engine.priceCollarBps((int) integer(e, "price_collar_bps", "engine.price_collar_bps", 0, 100_000));
            }
            if (e.has("max_open_orders_per_account")) {
                engine.maxOpenOrdersPerAccount((int) integer(e, "max_open_orders_per_account",
                        "engine.max_open_orders_per_account", 1, Integer.MAX_VALUE));
            }
            if (e.has("gtc_max_age_days")) {
                engine.gtcMaxAgeDays((int) integer(e, "gtc_max_age_days", "engine.gtc_max_age_days", 1, 36_500));
            }
            if (e.has("idempotency_sessions")) {
                engine.idempotencySessions((int) integer(e, "idempotency_sessions", "engine.idempotency_sessions", 0,
                        ExchangeConfig.MAX_IDEMPOTENCY_SESSIONS));
            }
            if (e.has("max_accounts")) {
                engine.maxAccounts((int) integer(e, "max_accounts", "engine.max_accounts", 1, Integer.MAX_VALUE));
            }
            if (e.has("max_client_order_id_length")) {
                engine.maxClientOrderIdLength((int) integer(e, "max_client_order_id_length",
                        "engine.max_client_order_id_length", 1, 256));
            }
            if (e.has("self_trade_prevention")) {
                SelfTradePrevention stp = enumValue(SelfTradePrevention.class,
                        text(e, "self_trade_prevention", "engine.self_trade_prevention"), "engine.self_trade_prevention");
                if (stp == SelfTradePrevention.DEFAULT) {
                    throw new IllegalArgumentException("engine.self_trade_prevention must name a mode "
                            + "(cancel_newest, cancel_oldest, cancel_both)");
                }
                engine.defaultSelfTradePrevention(stp);
            }
        }

        /**
         * {@code fill_against_reference}: {@code symbols}, a non-empty array of configured symbols
         * (each once), and {@code liquidity_provider}, the name of the account that is their
         * counterparty (a demo account or any account; resolved by the engine when it fills).
         */
        private static void readFillAgainstReference(JsonNode f, JsonNode configured, ExchangeConfig.Builder engine) {
            onlyKeys(f, FILL_KEYS, "fill_against_reference.");
            JsonNode symbols = f.get("symbols");
            if (symbols == null || !symbols.isArray() || symbols.isEmpty()) {
                throw new IllegalArgumentException("fill_against_reference.symbols must be a non-empty array of symbols "
                        + "(leave fill_against_reference out to keep fills against the outside market off)");
            }
            Set<String> known = new java.util.LinkedHashSet<>();
            for (JsonNode s : configured) {
                known.add(s.isTextual() ? s.asText() : s.path("symbol").asText());
            }
            List<String> names = new ArrayList<>();
            for (int i = 0; i < symbols.size(); i++) {
                String at = "fill_against_reference.symbols[" + i + "]";
                String name = text(symbols, i, at);
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(at + ": unknown symbol \"" + name + "\" (configured: "
                            + String.join(", ", known) + ")");
                }
                if (names.contains(name)) {
                    throw new IllegalArgumentException(at + ": symbol " + name + " is listed twice");
                }
                names.add(name);
            }
            String provider = text(f, "liquidity_provider", "fill_against_reference.liquidity_provider");
            if (provider.isBlank() || provider.length() > ExchangeConfig.MAX_ACCOUNT_NAME_LENGTH) {
                throw new IllegalArgumentException("fill_against_reference.liquidity_provider must name an account: 1.."
                        + ExchangeConfig.MAX_ACCOUNT_NAME_LENGTH + " characters, not blank, was \"" + provider + "\"");
            }
            engine.fillAgainstReference(names, provider);
        }

        private static String text(JsonNode array, int index, String where) {
            JsonNode n = array.get(index);
            if (n == null || !n.isTextual()) {
                throw new IllegalArgumentException(where + " must be a string");
            }
            return n.asText();
        }

        private void readDemoAccounts(JsonNode accounts, Builder b) {
            if (!accounts.isArray()) {
                throw new IllegalArgumentException("demo_accounts must be an array");
            }
            for (int i = 0; i < accounts.size(); i++) {
                String at = "demo_accounts[" + i + "]";
                JsonNode a = object(accounts.get(i), at);
                onlyKeys(a, DEMO_KEYS, at + ".");
                String name = text(a, "name", at + ".name");
                int maker = a.has("maker_fee_bps")
                        ? (int) integer(a, "maker_fee_bps", at + ".maker_fee_bps", 0, Fees.MAX_FEE_BPS) : b.defaultMakerFeeBps;
                int taker = a.has("taker_fee_bps")
                        ? (int) integer(a, "taker_fee_bps", at + ".taker_fee_bps", 0, Fees.MAX_FEE_BPS) : b.defaultTakerFeeBps;
                Map<String, Long> deposits = new LinkedHashMap<>();
                if (a.has("deposits")) {
                    JsonNode d = object(a.get("deposits"), at + ".deposits");
                    for (Map.Entry<String, JsonNode> entry : d.properties()) {
                        String key = entry.getKey();
                        String where = at + ".deposits." + key;
                        deposits.put(key, "USD".equals(key) ? decimal(d, key, where) : shares(d, key, where));
                    }
                }
                b.demoAccount(new DemoAccount(name, maker, taker, deposits));
            }
        }

        /** A path relative to the config file's directory (or the working directory). */
        private Path path(String text) {
            Path p = Path.of(text);
            return baseDir == null || p.isAbsolute() ? p : baseDir.resolve(p).normalize();
        }

        private static JsonNode object(JsonNode node, String where) {
            if (node == null || !node.isObject()) {
                throw new IllegalArgumentException(where + " must be a JSON object");
            }
            return node;
        }

        private static void onlyKeys(JsonNode node, Set<String> allowed, String prefix) {
            for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                if (!allowed.contains(key)) {
                    throw new IllegalArgumentException("unknown key " + prefix + key + " (allowed: "
                            + new java.util.TreeSet<>(allowed) + ")");
                }
            }
        }

        private static String text(JsonNode parent, String key, String where) {
            JsonNode n = parent.get(key);
            if (n == null || !n.isTextual()) {
                throw new IllegalArgumentException(where + " must be a string");
            }
            return n.asText();
        }

        /** A string that may be absent or null (then null). */
        private static String optionalText(JsonNode parent, String key, String where) {
            JsonNode n = parent.get(key);
            return n == null || n.isNull() ? null : text(parent, key, where);
        }

        private static long integer(JsonNode parent, String key, String where, long min, long max) {
            JsonNode n = parent.get(key);
            if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
                throw new IllegalArgumentException(where + " must be an integer");
            }
            long v = n.asLong();
            if (v < min || v > max) {
                throw new IllegalArgumentException(where + " must be in [" + min + ", " + max + "], was " + v);
            }
            return v;
        }

        /** A decimal given as a JSON string ("187.25"), scaled by {@link Money#SCALE}. */
        private static long decimal(JsonNode parent, String key, String where) {
            String t = text(parent, key, where + " (a decimal string such as \"187.25\")");
            long v = Money.parse(t, Money.SCALE_DIGITS);
            if (v == Money.OVERFLOW) {
                throw new IllegalArgumentException(where + " must be a non-negative decimal with at most "
                        + Money.SCALE_DIGITS + " decimals, was \"" + t + "\"");
            }
            return v;
        }

        /** Whole shares, as a JSON integer or an integer string. */
        private static long shares(JsonNode parent, String key, String where) {
            JsonNode n = parent.get(key);
            if (n != null && n.isTextual()) {
                long v = Money.parse(n.asText(), 0);
                if (v == Money.OVERFLOW) {
                    throw new IllegalArgumentException(where + " must be a whole number of shares");
                }
                return v / Money.SCALE;
            }
            return integer(parent, key, where, 1, Long.MAX_VALUE);
        }

        private static <E extends Enum<E>> E enumValue(Class<E> type, String text, String where) {
            for (E e : type.getEnumConstants()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(text)) {
                    return e;
                }
            }
            List<String> names = new ArrayList<>();
            for (E e : type.getEnumConstants()) {
                names.add(e.name().toLowerCase(Locale.ROOT));
            }
            throw new IllegalArgumentException(where + " must be one of " + names + ", was \"" + text + "\"");
        }
    }
}
