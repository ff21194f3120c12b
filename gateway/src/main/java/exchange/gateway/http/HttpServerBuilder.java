package exchange.gateway.http;

import exchange.engine.ExchangeConfig;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.HttpSettings;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.persistence.DiskSpaceGuard;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.gateway.readmodel.SessionStatus;
import exchange.gateway.session.MarketCalendar;
import exchange.readside.history.HistoryService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Collaborators and settings of the server, each validated once in {@link #build()}. Shared
 * components (publisher, read models, limiter, metrics) are created by the process wiring.
 */
public final class HttpServerBuilder {
    String host = "127.0.0.1";
    int port;
    int maxBodyBytes = 16 * 1024;
    int httpThreads = 64;
    boolean loadProbes;
    DiskSpaceGuard diskSpace = DiskSpaceGuard.OFF;
    Set<String> assets = Set.of();
    HttpSettings settings = HttpSettings.DEFAULTS;
    int maxClientOrderIdLength = ExchangeConfig.DEFAULT_MAX_CLIENT_ORDER_ID_LENGTH;
    int defaultMakerFeeBps;
    int defaultTakerFeeBps;
    MeteredPublisher publisher;
    ApiKeyIndex apiKeys;
    AdminKey adminKey;
    AdminOperations operations;
    TokenBucketRateLimiter rateLimiter;
    SessionStatus session;
    MarketCalendar calendar;
    EpochNanoClock clock = EpochNanoClock.SYSTEM;
    GatewayMetrics metrics;
    BooleanSupplier healthy = () -> true;
    HistoryService historyService;
    AccountSeqs accountSeqs;
    LongSupplier startSeq;
    Duration readWait;
    final List<Function<RouteSupport, RouteGroup>> extraRoutes = new ArrayList<>();

    HttpServerBuilder() {
    }

    public HttpServerBuilder host(String v) {
        host = v;
        return this;
    }

    /** 0 binds any free port. */
    public HttpServerBuilder port(int v) {
        port = v;
        return this;
    }

    public HttpServerBuilder maxBodyBytes(int v) {
        maxBodyBytes = v;
        return this;
    }

    public HttpServerBuilder httpThreads(int v) {
        httpThreads = v;
        return this;
    }

    /**
     * The assets a transfer may name (USD and the listed symbols), so that an unknown one is
     * answered as such before its amount is read in that asset's units.
     */
    public HttpServerBuilder assets(Set<String> v) {
        assets = v;
        return this;
    }

    /** Refuses new business while the journal's disk is low (default: no check). */
    public HttpServerBuilder diskSpace(DiskSpaceGuard v) {
        diskSpace = v;
        return this;
    }

    /** Serve the load-test probe routes ({@code POST /probe/orders[-async]}); off by default. */
    public HttpServerBuilder loadProbes(boolean v) {
        loadProbes = v;
        return this;
    }

    /** Connection and request timeouts, the connection cap and the admin listener (default {@link HttpSettings#DEFAULTS}). */
    public HttpServerBuilder settings(HttpSettings v) {
        settings = Objects.requireNonNull(v, "settings");
        return this;
    }

    public HttpServerBuilder maxClientOrderIdLength(int v) {
        maxClientOrderIdLength = v;
        return this;
    }

    public HttpServerBuilder defaultFees(int makerBps, int takerBps) {
        defaultMakerFeeBps = makerBps;
        defaultTakerFeeBps = takerBps;
        return this;
    }

    public HttpServerBuilder publisher(MeteredPublisher v) {
        publisher = v;
        return this;
    }

    public HttpServerBuilder apiKeys(ApiKeyIndex v) {
        apiKeys = v;
        return this;
    }

    public HttpServerBuilder adminKey(AdminKey v) {
        adminKey = v;
        return this;
    }

    public HttpServerBuilder rateLimiter(TokenBucketRateLimiter v) {
        rateLimiter = v;
        return this;
    }

    public HttpServerBuilder session(SessionStatus v) {
        session = v;
        return this;
    }

    public HttpServerBuilder calendar(MarketCalendar v) {
        calendar = v;
        return this;
    }

    public HttpServerBuilder clock(EpochNanoClock v) {
        clock = v;
        return this;
    }

    public HttpServerBuilder metrics(GatewayMetrics v) {
        metrics = v;
        return this;
    }

    /** The snapshot and end-of-day report tasks behind the admin routes. */
    public HttpServerBuilder operations(AdminOperations v) {
        operations = v;
        return this;
    }

    /** Liveness for {@code GET /health} (for example: the pipeline is running). */
    public HttpServerBuilder healthy(BooleanSupplier v) {
        healthy = v;
        return this;
    }

    /**
     * The history database behind the order and fill reads: {@code accountSeqs} says what each
     * account has seen, {@code startSeq} what was recovered at start, {@code readWait} how long a
     * read waits for the database to reach both.
     */
    public HttpServerBuilder history(HistoryService service, AccountSeqs accountSeqs, LongSupplier startSeq,
                           Duration readWait) {
        this.historyService = service;
        this.accountSeqs = accountSeqs;
        this.startSeq = startSeq;
        this.readWait = readWait;
        return this;
    }

    /**
     * Adds a group of routes beyond the built-in ones (for example a new resource), made once at
     * build time from the server's shared {@link RouteSupport}: {@code routes(s -> new MarketRoutes(s, book))}.
     */
    public HttpServerBuilder routes(Function<RouteSupport, RouteGroup> group) {
        extraRoutes.add(Objects.requireNonNull(group, "group"));
        return this;
    }

    public ExchangeHttpServer build() {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(publisher, "publisher");
        Objects.requireNonNull(apiKeys, "apiKeys");
        Objects.requireNonNull(adminKey, "adminKey");
        Objects.requireNonNull(rateLimiter, "rateLimiter");
        Objects.requireNonNull(session, "session");
        Objects.requireNonNull(calendar, "calendar");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(healthy, "healthy");
        Objects.requireNonNull(historyService, "history");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be in [0, 65535]");
        }
        if (maxBodyBytes < 256) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 256");
        }
        if (httpThreads < 8) {
            throw new IllegalArgumentException("httpThreads must be >= 8");
        }
        if (maxClientOrderIdLength < 1 || maxClientOrderIdLength > 256) {
            throw new IllegalArgumentException("maxClientOrderIdLength must be in [1, 256]");
        }
        return new ExchangeHttpServer(this);
    }
}
