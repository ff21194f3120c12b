package exchange.gateway;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.json.JsonMapper;
import exchange.engine.CommandType;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandProcessor;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.ResultListener;
import exchange.engine.EventSink;
import exchange.gateway.http.AdminOperations;
import exchange.gateway.persistence.DiskSpaceGuard;
import exchange.gateway.persistence.Persistence;
import exchange.journal.DurabilityMode;
import exchange.engine.pipeline.PipelineConfig;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.http.ExchangeHttpServer;
import exchange.gateway.marketdata.MarketRoutes;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.metrics.PathTrace;
import exchange.gateway.quotes.QuoteSourceRoutes;
import exchange.gateway.quotes.QuoteSources;
import exchange.gateway.quotes.QuoteTuning;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.readmodel.GatewayEventSink;
import exchange.gateway.readmodel.SessionStatus;
import exchange.gateway.session.AlwaysOpenCalendar;
import exchange.gateway.session.MarketCalendar;
import exchange.gateway.session.SessionScheduler;
import exchange.gateway.session.UsEquitiesCalendar;
import exchange.gateway.stream.StreamCatalog;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamRoutes;
import exchange.gateway.marketdata.DepthConflator;
import exchange.gateway.marketdata.MarketDataPublisher;
import exchange.gateway.marketdata.MarketDataStreamCatalog;
import exchange.readside.marketdata.MarketDataService;
import exchange.gateway.web.WebAssets;
import exchange.gateway.web.WebPageRoutes;
import exchange.readside.history.HistoryOptions;
import exchange.risk.Account;
import exchange.risk.Ledger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The whole exchange process wired together, in one place: admin key, engine (new or
 * recovered), read models, the read side ({@link ReadSide}: the history database and its writer),
 * the Disruptor pipeline, metrics, demo accounts, market calendar and session scheduler, and the
 * HTTP server. {@link #start} brings them up in that order and {@link #close} takes them down in
 * reverse: stop HTTP, stop the scheduler, drain the ring, stop the history writer.
 *
 * <p>It is always durable: {@link Persistence} recovers the state kept in the data directory
 * (newest valid snapshot + journal), the pipeline journals every command before it is
 * acknowledged, and snapshots and end-of-day reports are written there. The read models are
 * rebuilt from the recovered exchange before the pipeline starts, because after a restart the
 * accounts come from the journal.
 */
public final class ExchangeServer implements AutoCloseable {
    /** Longest wait for one start-up command (demo accounts, session catch-up). */
    public static final Duration STARTUP_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    /** How long {@link #close} lets the ring drain. */
    public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);
    /** File under the data directory keeping the demo accounts' keys, so a restart can print them again. */
    public static final String DEMO_KEYS_FILE = "demo-accounts.json";

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeServer.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A demo account's API key as printed at start; {@code apiKey} is null when it is no longer known. */
    public record DemoAccountKey(String name, long accountId, String apiKey) {
    }

    /** Where the admin key came from (it is printed only when generated). */
    public enum AdminKeySource {
        ENVIRONMENT,
        CONFIG,
        GENERATED
    }

    /** Process-level collaborators; the defaults run an in-memory exchange on the system clock. */
    public static final class Options {
        private EpochNanoClock clock = EpochNanoClock.SYSTEM;
        private Function<String, String> environment = System::getenv;
        private PrintStream out = System.out;
        private boolean sessionScheduler = true;
        private DiskSpaceGuard diskSpace;
        private UnaryOperator<HistoryOptions> historyOptions = UnaryOperator.identity();
        private StreamCatalog streamCatalog;
        private QuoteTuning quoteTuning = QuoteTuning.defaults();

        /** The wall clock stamped into commands and driving the scheduler. */
        public Options clock(EpochNanoClock v) {
            clock = Objects.requireNonNull(v);
            return this;
        }

        /** Environment lookup (for {@value GatewayConfig#ADMIN_KEY_ENV}). */
        public Options environment(Function<String, String> v) {
            environment = Objects.requireNonNull(v);
            return this;
        }

        /** Where the start-up banner (admin key, demo keys) is printed. */
        public Options out(PrintStream v) {
            out = Objects.requireNonNull(v);
            return this;
        }

        /** The journal disk check (default: the data directory's disk against {@code min_free_disk_bytes}). */
        public Options diskSpace(DiskSpaceGuard v) {
            diskSpace = Objects.requireNonNull(v);
            return this;
        }

        /**
         * Adjusts the history database's settings after the config has set them (a test seam, e.g.
         * {@code o -> o.withCommitDelay(Duration.ofMillis(200))} to slow the writer); identity by default.
         */
        public Options historyOptions(UnaryOperator<HistoryOptions> v) {
            historyOptions = Objects.requireNonNull(v);
            return this;
        }

        /**
         * The catalog of WebSocket streams (which topics exist, snapshots on subscribe); default: every
         * stream of the configured symbols, with our face's snapshots read from the market-data
         * projection ({@link MarketDataStreamCatalog}).
         */
        public Options streamCatalog(StreamCatalog v) {
            streamCatalog = Objects.requireNonNull(v);
            return this;
        }

        /** The quote adapters' timers and filters (default {@link QuoteTuning#defaults()}; tests shorten them). */
        public Options quoteTuning(QuoteTuning v) {
            quoteTuning = Objects.requireNonNull(v);
            return this;
        }

        /** Whether the calendar drives the session (true by default); off, only admin calls do. */
        public Options sessionScheduler(boolean v) {
            sessionScheduler = v;
            return this;
        }
    }

    private final GatewayConfig config;
    private final Options options;
    private final GatewayMetrics metrics = new GatewayMetrics();
    private final ApiKeyIndex apiKeys = new ApiKeyIndex();
    private final SessionStatus sessionStatus = new SessionStatus();
    private final GatewayEventSink readModels = new GatewayEventSink(apiKeys, sessionStatus);
    private ReadSide readSide;
    private String adminKey;
    private AdminKeySource adminKeySource;
    private Persistence persistence;
    private DiskSpaceGuard diskSpace;
    private Exchange exchange;
    private ExchangePipeline pipeline;
    private MeteredPublisher publisher;
    private MarketCalendar calendar;
    private SessionScheduler scheduler;
    private ExchangeHttpServer http;
    private StreamHub streams;
    private DepthConflator depth100ms;
    private MarketDataPublisher marketDataPublisher;
    private QuoteSources quoteSources;
    private List<DemoAccountKey> demoAccounts = List.of();
    private boolean closed;

    private ExchangeServer(GatewayConfig config, Options options) {
        this.config = Objects.requireNonNull(config);
        this.options = Objects.requireNonNull(options);
    }

    /** Starts an in-memory exchange with default options. */
    public static ExchangeServer start(GatewayConfig config) {
        return start(config, new Options());
    }

    /**
     * Starts every component; on failure, whatever already started is stopped again and the
     * exception is rethrown.
     */
    public static ExchangeServer start(GatewayConfig config, Options options) {
        ExchangeServer server = new ExchangeServer(config, options);
        try {
            server.startAll();
        } catch (RuntimeException | Error e) {
            server.close();
            throw e;
        }
        return server;
    }

    private void startAll() {
        resolveAdminKey();
        diskSpace = options.diskSpace != null ? options.diskSpace
                : DiskSpaceGuard.forDirectory(createDataDir(config.dataDir()), config.minFreeDiskBytes());
        persistence = Persistence.open(config.dataDir(), config.exchangeConfig(), durabilityMode(config.durability()),
                config.snapshotEveryCommands(), diskSpace);
        exchange = persistence.exchange();
        Map<String, Long> existingAccounts = accountsByName(exchange.ledger());
        readModels.rebuildFrom(exchange);
        exchange.reserveOrders(config.reservedOrders()); // before trading: the pages age with the heap
        readSide = ReadSide.start(config, options.environment, options.historyOptions, exchange.lastSeq(),
                options.clock);
        startPipeline();
        registerGauges();
        demoAccounts = seedDemoAccounts(existingAccounts);
        calendar = createCalendar(config.calendar());
        if (options.sessionScheduler) {
            scheduler = new SessionScheduler(calendar, new PipelineSessionControl(publisher, options.clock),
                    instantSource(options.clock));
            scheduler.start();
        }
        List<String> symbols = new ArrayList<>();
        config.exchangeConfig().symbols().forEach(s -> symbols.add(s.symbol()));
        startStreams(symbols);
        // after the demo accounts and the session catch-up: quotes then never hold up start-up commands
        quoteSources = QuoteSources.start(config.quoteSources(), options.quoteTuning,
                config.exchangeConfig().maxPriceTicks(), publisher, options.clock);
        quoteSources.registerMetrics(metrics);
        http = ExchangeHttpServer.builder()
                .host(config.host()).port(config.port())
                .maxBodyBytes(config.maxBodyBytes()).httpThreads(config.httpThreads()).loadProbes(config.loadProbes())
                .settings(config.http())
                .maxClientOrderIdLength(config.exchangeConfig().maxClientOrderIdLength())
                .defaultFees(config.defaultMakerFeeBps(), config.defaultTakerFeeBps())
                .publisher(publisher).apiKeys(apiKeys).adminKey(new AdminKey(adminKey))
                .rateLimiter(new TokenBucketRateLimiter(config.rateLimit().tokensPerSecond(),
                        config.rateLimit().burst(), System::nanoTime))
                .session(sessionStatus).calendar(calendar).clock(options.clock).metrics(metrics)
                .healthy(pipeline::isHealthy)
                .history(readSide.history(), readSide.accountSeqs(), readSide::startSeq, readSide.readWait())
                .diskSpace(diskSpace)
                .assets(Set.of(config.exchangeConfig().assetNames()))
                .operations(adminOperations())
                .routes(s -> routes -> MarketRoutes.groups(readSide.marketData(), config.exchangeConfig(),
                        new TokenBucketRateLimiter(config.marketData().rateLimit().tokensPerSecond(),
                                config.marketData().rateLimit().burst(), System::nanoTime), options.clock)
                        .forEach(g -> g.register(routes)))
                .routes(support -> new StreamRoutes(streams, apiKeys::authenticate))
                .routes(support -> new QuoteSourceRoutes(support, quoteSources))
                .routes(support -> new WebPageRoutes(WebAssets.load(ExchangeServer.class.getClassLoader())))
                .build()
                .start();
        printBanner();
    }

    /**
     * The WebSocket hub over the market-data projection: its catalog serves snapshots from the
     * projection's view, and the publisher, registered on the projector, sends every update to the
     * hub's topics (the projection committed before, see {@link MarketDataPublisher}).
     */
    private void startStreams(List<String> symbols) {
        MarketDataService marketData = readSide.marketData();
        streams = new StreamHub(config.stream(), options.streamCatalog != null ? options.streamCatalog
                : new MarketDataStreamCatalog(marketData.view(), options.clock::epochNanos));
        streams.registerMetrics(metrics);
        depth100ms = new DepthConflator(streams, symbols, options.clock::epochNanos);
        marketDataPublisher = new MarketDataPublisher(streams, symbols, depth100ms, options.clock::epochNanos);
        marketData.addListener(marketDataPublisher);
    }

    private static Path createDataDir(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    private void resolveAdminKey() {
        String fromEnv = options.environment.apply(GatewayConfig.ADMIN_KEY_ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            // Validated like a configured key, so a too-short or odd environment value fails loudly.
            try {
                adminKey = config.withAdminKey(fromEnv).adminKey();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(GatewayConfig.ADMIN_KEY_ENV + ": " + e.getMessage(), e);
            }
            adminKeySource = AdminKeySource.ENVIRONMENT;
        } else if (config.adminKey() != null) {
            adminKey = config.adminKey();
            adminKeySource = AdminKeySource.CONFIG;
        } else {
            adminKey = ApiKeys.generate();
            adminKeySource = AdminKeySource.GENERATED;
        }
    }

    private static DurabilityMode durabilityMode(GatewayConfig.Durability d) {
        return switch (d) {
            case PROCESS -> DurabilityMode.PROCESS;
            case SYNC -> DurabilityMode.SYNC;
        };
    }

    private AdminOperations adminOperations() {
        return new AdminOperations() {
            @Override
            public CompletableFuture<SnapshotInfo> snapshot() {
                CompletableFuture<Persistence.SnapshotWritten> f = persistence.snapshot();
                return f == null ? null : f.thenApply(w -> new SnapshotInfo(w.seq(), w.file().toString()));
            }

            @Override
            public Optional<byte[]> report(LocalDate sessionDate, boolean csv) {
                Optional<byte[]> file = persistence.report(sessionDate, csv);
                if (csv || file.isEmpty()) {
                    return file;
                }
                return Optional.of(readSide.withBatchCheck(file.get(), sessionDate));
            }

            @Override
            public boolean reportPending(LocalDate sessionDate) {
                return persistence.reportPending(sessionDate);
            }
        };
    }

    private void startPipeline() {
        EventSink eventsQueue = persistence.events();
        EventSink readSideEvents = readSide.events();
        EventSink sink = event -> {
            eventsQueue.onEvent(event);
            readModels.onEvent(event);
            readSideEvents.onEvent(event);
        };
        PipelineConfig pc = new PipelineConfig()
                .ringSize(config.ringSize())
                .waitStrategy(config.waitStrategy())
                .processor(traced(new ExchangeProcessor(exchange, persistence.snapshotEncoder())))
                .committedEvents(sink)
                .journal(PathTrace.ON ? PathTrace.journal(persistence.journal()) : persistence.journal())
                .resultListener(traced(MeteredPublisher.countingListener(metrics,
                        readSide.resultListener(persistence.resultListener()))))
                .initialSeq(exchange.lastSeq())
                .onFailure(t -> LOG.error("exchange pipeline stopped after a failure; orders are refused", t));
        pipeline = new ExchangePipeline(pc).start();
        publisher = new MeteredPublisher(pipeline, metrics);
        persistence.attach(publisher, options.clock::epochNanos);
    }

    private static CommandProcessor traced(CommandProcessor p) {
        return PathTrace.ON ? PathTrace.engine(p) : p;
    }

    private static ResultListener traced(ResultListener l) {
        return PathTrace.ON ? PathTrace.results(l) : l;
    }

    private void registerGauges() {
        metrics.gauge("exchange_ring_remaining_capacity", "Free slots in the command ring.",
                pipeline::remainingCapacity);
        metrics.gauge("exchange_ring_size", "Slots in the command ring.", pipeline::ringSize);
        metrics.gauge("exchange_pipeline_healthy", "1 while the pipeline accepts commands, else 0.",
                () -> pipeline.isHealthy() ? 1 : 0);
        metrics.gauge("exchange_api_keys", "API keys known to the gateway.", apiKeys::size);
        metrics.gauge("exchange_journal_bytes", "Bytes appended to the command journal by this process.",
                persistence::journalBytes);
        metrics.gauge("exchange_seq", "Engine sequence recovered at start.", () -> persistence.recovery().finalSeq());
        readSide.registerGauges(metrics);
        metrics.gauge("exchange_journal_disk_low",
                "1 while the data directory's disk is below min_free_disk_bytes (new business refused), else 0.",
                () -> diskSpace.isLow() ? 1 : 0);
        metrics.gauge("exchange_journal_disk_usable_bytes",
                "Usable bytes on the data directory's disk at the last check (-1 if unknown or unchecked).",
                () -> {
                    diskSpace.isLow();
                    return diskSpace.lastUsableBytes();
                });
    }

    private static Map<String, Long> accountsByName(Ledger ledger) {
        Map<String, Long> byName = new HashMap<>();
        for (long id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            byName.putIfAbsent(a.name(), a.id());
        }
        return byName;
    }

    /**
     * Creates each configured demo account that does not exist yet (by name) and funds it. The
     * deposits use fixed transfer ids ({@code demo-<account>-<asset>}), so a restart never funds
     * twice, and a deposit already in the ledger is not submitted again. The ledger is read here
     * only between commands this thread submitted and awaited (nothing else publishes yet), so
     * each read happens after the engine thread's writes. New keys are written to {@value #DEMO_KEYS_FILE} so a restart can print them again.
     */
    private List<DemoAccountKey> seedDemoAccounts(Map<String, Long> existing) {
        if (config.demoAccounts().isEmpty()) {
            return List.of();
        }
        Map<String, String> knownKeys = readDemoKeys();
        List<DemoAccountKey> keys = new ArrayList<>();
        boolean created = false;
        for (GatewayConfig.DemoAccount demo : config.demoAccounts()) {
            Long id = existing.get(demo.name());
            String key;
            if (id == null) {
                key = ApiKeys.generate();
                String hash = ApiKeys.sha256Hex(key);
                CommandResult r = BlockingSubmit.submitAndWait(publisher, GatewayCommands.CREATE_ACCOUNT,
                        new GatewayCommands.CreateAccount(options.clock, demo.name(), hash, demo.makerFeeBps(),
                                demo.takerFeeBps()), STARTUP_COMMAND_TIMEOUT);
                if (r.result() != ResultCode.OK) {
                    throw new IllegalStateException("cannot create demo account " + demo.name() + ": " + r.result());
                }
                id = r.resultAccountId();
                apiKeys.register(hash, id);
                created = true;
            } else {
                String stored = knownKeys.get(demo.name());
                key = stored != null && apiKeys.authenticate(stored) == id ? stored : null;
            }
            for (Map.Entry<String, Long> deposit : demo.deposits().entrySet()) {
                String transferId = "demo-" + id + "-" + deposit.getKey();
                if (exchange.ledger().transfer(transferId) != null) {
                    // funded by an earlier start: submitting it again would only journal a duplicate,
                    // and an idle restart must leave the sequence unchanged
                    continue;
                }
                CommandResult r = BlockingSubmit.submitAndWait(publisher, GatewayCommands.TRANSFER,
                        new GatewayCommands.Transfer(options.clock, CommandType.DEPOSIT, id, deposit.getKey(),
                                deposit.getValue(), transferId), STARTUP_COMMAND_TIMEOUT);
                if (r.result() != ResultCode.OK && r.result() != ResultCode.DUPLICATE) {
                    LOG.warn("demo deposit {} of {} {} into {} refused: {}", transferId, deposit.getValue(),
                            deposit.getKey(), demo.name(), r.result());
                }
            }
            keys.add(new DemoAccountKey(demo.name(), id, key));
        }
        if (created) {
            writeDemoKeys(keys);
        }
        return List.copyOf(keys);
    }

    private Map<String, String> readDemoKeys() {
        Path file = config.dataDir().resolve(DEMO_KEYS_FILE);
        if (!Files.isRegularFile(file)) {
            return Map.of();
        }
        try {
            List<Map<String, Object>> rows = JSON.readValue(file.toFile(), new TypeReference<>() { });
            Map<String, String> keys = new HashMap<>();
            for (Map<String, Object> row : rows) {
                if (row.get("name") instanceof String name && row.get("api_key") instanceof String key) {
                    keys.put(name, key);
                }
            }
            return keys;
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read {}: {}; demo keys of existing accounts are not shown", file, e.toString());
            return Map.of();
        }
    }

    private void writeDemoKeys(List<DemoAccountKey> keys) {
        Path dir = config.dataDir();
        Path file = dir.resolve(DEMO_KEYS_FILE);
        try {
            Files.createDirectories(dir);
            List<Map<String, Object>> rows = new ArrayList<>();
            for (DemoAccountKey k : keys) {
                if (k.apiKey() != null) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", k.name());
                    row.put("account_id", k.accountId());
                    row.put("api_key", k.apiKey());
                    rows.add(row);
                }
            }
            Path tmp = Files.createTempFile(dir, DEMO_KEYS_FILE, ".tmp");
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: keep the default permissions
            }
            JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), rows);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}; the demo keys are only printed", file, e.toString());
        }
    }

    static MarketCalendar createCalendar(GatewayConfig.Calendar c) {
        return switch (c.type()) {
            case ALWAYS_OPEN -> new AlwaysOpenCalendar(c.zone());
            case US_EQUITIES -> c.closuresFile() != null ? UsEquitiesCalendar.withOverrides(c.closuresFile())
                    : new UsEquitiesCalendar();
        };
    }

    private static InstantSource instantSource(EpochNanoClock clock) {
        return () -> {
            long nanos = clock.epochNanos();
            return Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
        };
    }

    private void printBanner() {
        PrintStream out = options.out;
        out.println("exchange listening on http://" + config.host() + ":" + http.port()
                + "  (calendar " + calendar.name() + ", durability " + config.durability().wireName()
                + ", data dir " + config.dataDir() + ")");
        if (http.adminPort() >= 0) {
            out.println("admin endpoints only on http://127.0.0.1:" + http.adminPort() + "  (http.admin_loopback_only)");
        }
        switch (adminKeySource) {
            case GENERATED -> out.println("admin key: " + adminKey + "  (generated; set "
                    + GatewayConfig.ADMIN_KEY_ENV + " to choose one)");
            case ENVIRONMENT -> out.println("admin key: from " + GatewayConfig.ADMIN_KEY_ENV);
            case CONFIG -> out.println("admin key: from the config file");
        }
        for (DemoAccountKey k : demoAccounts) {
            out.println("demo account " + k.name() + " (account_id " + k.accountId() + "): api key "
                    + (k.apiKey() != null ? k.apiKey() : "unknown (shown when the account was created)"));
        }
        out.flush();
    }

    /** The HTTP port actually bound. */
    public int port() {
        return http.port();
    }

    /** The loopback admin listener's port ({@code http.admin_loopback_only}); -1 without one. */
    public int adminPort() {
        return http.adminPort();
    }

    /** Connections closed because no whole request head arrived within {@code http.header_timeout_ms}. */
    public long connectionsCutBeforeRequestHead() {
        return http.connectionsCutBeforeRequestHead();
    }

    /** Connections closed on arrival because {@code http.max_connections} were open. */
    public long connectionsRefusedOverLimit() {
        return http.connectionsRefusedOverLimit();
    }

    /** Connections open now on the HTTP listeners. */
    public int openConnections() {
        return http.openConnections();
    }

    public String adminKey() {
        return adminKey;
    }

    public AdminKeySource adminKeySource() {
        return adminKeySource;
    }

    public List<DemoAccountKey> demoAccounts() {
        return demoAccounts;
    }

    /** The HTTP routes' labels ({@code "GET /v1/orders/{order_id}"}) and the servlet paths ({@code "SERVLET /ws/*"}). */
    public List<String> httpRoutes() {
        List<String> all = new ArrayList<>(http.httpRoutes());
        all.addAll(http.servletRoutes());
        return all;
    }

    public GatewayConfig config() {
        return config;
    }

    /** The metered ring publisher (for operator tasks and tools; requests use it through HTTP). */
    public CommandPublisher publisher() {
        return publisher;
    }

    public ExchangePipeline pipeline() {
        return pipeline;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public MarketCalendar calendar() {
        return calendar;
    }

    /** The quote sources' adapters and their health. */
    public QuoteSources quoteSources() {
        return quoteSources;
    }

    /**
     * The WebSocket stream hub: the market-data projector (and tests) publish to it, e.g.
     * {@code streamHub().publish(StreamTopics.v1("AAPL@trade"), seq, json)}.
     */
    public StreamHub streamHub() {
        return streams;
    }

    /** Stops HTTP, the scheduler and the pipeline (draining the ring), in that order. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (quoteSources != null) {
            quoteSources.close(); // before the ring drains: nothing publishes into a stopping pipeline
        }
        if (marketDataPublisher != null) {
            readSide.marketData().removeListener(marketDataPublisher);
        }
        if (depth100ms != null) {
            depth100ms.close();
        }
        if (streams != null) {
            streams.close(); // stream clients get a SHUTDOWN close frame before HTTP stops
        }
        if (http != null) {
            try {
                http.close();
            } catch (RuntimeException e) {
                LOG.warn("error stopping HTTP", e);
            }
        }
        if (scheduler != null) {
            scheduler.stop();
        }
        if (pipeline != null) {
            pipeline.close(DRAIN_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        if (readSide != null) {
            try {
                readSide.close();
            } catch (RuntimeException e) {
                LOG.warn("error stopping the history writer", e);
            }
        }
        if (persistence != null) {
            persistence.close();
        }
        LOG.info("exchange stopped at seq {}", exchange == null ? 0 : exchange.lastSeq());
    }
}
