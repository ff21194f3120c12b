package exchange.gateway.http;

import exchange.engine.AccountSnapshot;
import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ExchangeConfig;
import exchange.engine.Fill;
import exchange.engine.OrderPage;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.StateSummary;
import exchange.engine.TimeInForce;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.persistence.DiskSpaceGuard;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.gateway.readmodel.SessionStatus;
import exchange.readside.history.HistoryService;
import exchange.gateway.session.MarketCalendar;
import exchange.gateway.session.TradingSession;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamRoutes;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.Money;
import io.javalin.Javalin;
import jakarta.servlet.http.HttpServletResponse;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.ToLongFunction;

/**
 * The v1 HTTP API (DESIGN section 4) on Javalin: accounts and transfers (admin), session
 * override and system state (admin), order entry, cancel and queries, account and fills,
 * session status, health and metrics.
 *
 * <p>Every command goes through {@link MeteredPublisher#tryPublish} with a constant translator
 * from {@link GatewayCommands}; private reads go through the ring too, so a client always reads
 * its own writes. A request thread never waits for the engine: the handler hands Javalin a future
 * ({@code ctx.future}) and returns. The continuation that writes the response runs on the Jetty
 * thread pool, never on the pipeline's results thread, so a slow client cannot stall the ring. A
 * full ring answers 503 with {@code Retry-After} at once.
 *
 * <p>Authentication: {@code Authorization: Bearer <key>}. The account comes from the key (via
 * {@link ApiKeyIndex}), never from the body; another account's order is indistinguishable from an
 * unknown one (404). Admin routes need the admin key. Errors are {@code application/problem+json}
 * ({@link ApiProblem}); unexpected exceptions become a bare 500 problem and are logged, never
 * echoed.
 *
 * <p>Owns the Javalin instance and its Jetty thread pool; the publisher, read models, limiter and
 * metrics are shared with the rest of the process.
 */
public final class ExchangeHttpServer implements AutoCloseable {
    public static final String PROBLEM_JSON = "application/problem+json";
    public static final String JSON = "application/json";
    public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    /** Seconds a client is asked to wait after a 503 (ring full). */
    public static final int OVERLOADED_RETRY_AFTER_SECONDS = 1;
    /** Retry-After of a 503 HISTORY_UNAVAILABLE: fills are served by the history database. */
    public static final int HISTORY_UNAVAILABLE_RETRY_AFTER_SECONDS = 1;
    /** Retry-After of a 503 JOURNAL_DISK_LOW: freeing disk space takes an operator. */
    public static final int DISK_LOW_RETRY_AFTER_SECONDS = 30;
    /** What a low journal disk refuses: new business. Cancels and session changes still run. */
    private static final Set<CommandType> REFUSED_WHEN_DISK_LOW =
            EnumSet.of(CommandType.CREATE_ACCOUNT, CommandType.DEPOSIT, CommandType.WITHDRAW, CommandType.PLACE_ORDER);
    /** Longest symbol passed on to the engine; longer is a malformed field, shorter unknown ones are 422. */
    public static final int MAX_SYMBOL_LENGTH = 32;
    /** Longest account name. */
    public static final int MAX_NAME_LENGTH = 64;
    /** Rows on a page of a list when the request gives no {@code limit}. */
    public static final int DEFAULT_PAGE_LIMIT = 100;
    /** Most rows a page of a list may ask for. */
    public static final int MAX_PAGE_LIMIT = 500;

    private static final Logger LOG = LoggerFactory.getLogger(ExchangeHttpServer.class);
    private static final String ROUTE_ATTRIBUTE = "exchange.route";
    /** The rate-limit headers of an order answer: limit, remaining and reset, in both families. */
    private static final String[] RATE_LIMIT_HEADERS = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
        "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};

    private final Settings cfg;
    private final MeteredPublisher publisher;
    private final RequestBodies bodies = new RequestBodies();
    private final BodyReader bodyReader;
    private final QueuedThreadPool threadPool;
    private final boolean loadProbes;
    private final DiskSpaceGuard diskSpace;
    private final HistoryReads history;
    /** USD and the listed symbols, or empty if not given (then only the engine knows). */
    private final Set<String> assets;
    private final Javalin app;
    private volatile boolean started;

    /** Continues a request once its command's result is known; runs on a Jetty thread. */
    @FunctionalInterface
    private interface Responder {
        void respond(Context ctx, CommandResult result);
    }

    /** An immutable copy of the builder's values, so a reused builder cannot change a running server. */
    private record Settings(String host, int port, int maxClientOrderIdLength, int defaultMakerFeeBps,
                            int defaultTakerFeeBps, ApiKeyIndex apiKeys, AdminKey adminKey,
                            TokenBucketRateLimiter rateLimiter, SessionStatus session, MarketCalendar calendar,
                            EpochNanoClock clock, GatewayMetrics metrics, BooleanSupplier healthy,
                            AdminOperations operations) {
    }

    private ExchangeHttpServer(Builder b) {
        this.cfg = new Settings(b.host, b.port, b.maxClientOrderIdLength, b.defaultMakerFeeBps, b.defaultTakerFeeBps,
                b.apiKeys, b.adminKey, b.rateLimiter, b.session, b.calendar, b.clock, b.metrics, b.healthy, b.operations);
        this.publisher = b.publisher;
        this.loadProbes = b.loadProbes;
        this.diskSpace = b.diskSpace;
        this.history = new HistoryReads(b.historyService, b.accountSeqs, b.session, b.startSeq, b.readWait);
        this.assets = Set.copyOf(b.assets);
        this.bodyReader = new BodyReader(b.maxBodyBytes);
        this.threadPool = new QueuedThreadPool(b.httpThreads, Math.min(8, b.httpThreads), 60_000);
        threadPool.setName("http");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.startup.startupWatcherEnabled = false;
            config.http.maxRequestSize = b.maxBodyBytes;
            // Responses are a few hundred bytes of JSON: compressing them costs more CPU than it saves.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.http.asyncTimeout = b.asyncTimeoutMillis;
            config.jetty.threadPool = threadPool;
            // what Jetty refuses before Javalin sees a request is answered as problem+json too
            config.jetty.modifyServer(server -> server.setErrorHandler(new ProblemErrorHandler()));
            config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new ProblemErrorHandler()));
            config.requestLogger.http(this::recordRequest);
            registerRoutes(config.routes);
            if (b.streams != null) {
                StreamRoutes.register(config, b.streams, b.streamAuthenticator);
            }
            registerErrorHandling(config.routes);
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the configured host and port and starts serving. */
    public ExchangeHttpServer start() {
        app.start(cfg.host(), cfg.port());
        started = true;
        LOG.info("HTTP API listening on {}:{}", cfg.host(), app.port());
        return this;
    }

    /** The bound port (useful when configured with 0). */
    public int port() {
        return app.port();
    }

    /** Stops accepting requests and shuts Jetty down; responses in flight are completed or dropped. */
    @Override
    public void close() {
        if (started) {
            started = false;
            app.stop();
        }
    }

    // ---- routes ------------------------------------------------------------------------------

    private void registerRoutes(RoutesConfig r) {
        route(r, HandlerType.POST, "/v1/admin/accounts", this::createAccount);
        route(r, HandlerType.POST, "/v1/admin/accounts/{account_id}/deposits",
                ctx -> transfer(ctx, CommandType.DEPOSIT));
        route(r, HandlerType.POST, "/v1/admin/accounts/{account_id}/withdrawals",
                ctx -> transfer(ctx, CommandType.WITHDRAW));
        route(r, HandlerType.POST, "/v1/admin/session/open", this::openSession);
        route(r, HandlerType.POST, "/v1/admin/session/close", this::closeSession);
        route(r, HandlerType.GET, "/v1/admin/state", this::systemState);
        route(r, HandlerType.POST, "/v1/orders", this::placeOrder);
        route(r, HandlerType.GET, "/v1/orders", this::listOrders);
        route(r, HandlerType.GET, "/v1/orders/by-client-id/{client_order_id}", this::orderByClientId);
        route(r, HandlerType.GET, "/v1/orders/{order_id}", this::getOrder);
        route(r, HandlerType.DELETE, "/v1/orders/{order_id}", this::cancelOrder);
        route(r, HandlerType.GET, "/v1/account", this::account);
        route(r, HandlerType.GET, "/v1/account/fills", this::fills);
        route(r, HandlerType.GET, "/v1/session", this::session);
        route(r, HandlerType.GET, "/v1/calendar", this::calendar);
        route(r, HandlerType.POST, "/v1/admin/snapshot", this::snapshot);
        route(r, HandlerType.GET, "/v1/admin/reports/eod/{session_date}", this::eodReport);
        route(r, HandlerType.GET, "/health", this::health);
        route(r, HandlerType.GET, "/metrics", this::metrics);
        if (loadProbes) {
            route(r, HandlerType.POST, "/probe/orders", ctx -> probeOrder(ctx, false));
            route(r, HandlerType.POST, "/probe/orders-async", ctx -> probeOrder(ctx, true));
        }
    }

    private static void route(RoutesConfig r, HandlerType method, String path, Handler handler) {
        String label = method + " " + path;
        r.addHttpHandler(method, path, ctx -> {
            ctx.attribute(ROUTE_ATTRIBUTE, label);
            handler.handle(ctx);
        });
    }

    private void registerErrorHandling(RoutesConfig r) {
        r.exception(ApiProblem.class, (p, ctx) -> problem(ctx, p));
        r.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, ApiProblem.forStatus(e.getStatus())));
        r.exception(Exception.class, (e, ctx) -> {
            LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
            problem(ctx, ApiProblem.of(500, "INTERNAL_ERROR", "an internal error occurred"));
        });
    }

    private void recordRequest(Context ctx, Float millis) {
        String route = ctx.attribute(ROUTE_ATTRIBUTE);
        cfg.metrics().httpResponse(route == null ? "unmatched" : route, ctx.statusCode(),
                millis == null ? 0 : (long) (millis * 1_000_000.0));
    }

    // ---- admin -------------------------------------------------------------------------------

    private void createAccount(Context ctx) {
        requireAdmin(ctx);
        RequestBodies.CreateAccount body = bodies.createAccount(bodyReader.read(ctx));
        String name = body.name();
        if (name == null) {
            throw ApiProblem.field("MISSING_FIELD", "name", "field 'name' is required");
        }
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw ApiProblem.invalidField("name", "name must be 1.." + MAX_NAME_LENGTH + " characters");
        }
        int maker = fee(body.makerFeeBps(), cfg.defaultMakerFeeBps(), "maker_fee_bps");
        int taker = fee(body.takerFeeBps(), cfg.defaultTakerFeeBps(), "taker_fee_bps");
        String apiKey = ApiKeys.generate();
        String hash = ApiKeys.sha256Hex(apiKey);
        submit(ctx, CommandType.CREATE_ACCOUNT, GatewayCommands.CREATE_ACCOUNT,
                new GatewayCommands.CreateAccount(cfg.clock(), name, hash, maker, taker), (c, r) -> {
                    switch (r.result()) {
                        case OK -> {
                            cfg.apiKeys().register(hash, r.resultAccountId());
                            json(c, 201, HttpJson.render(g -> {
                                g.writeStartObject();
                                g.writeNumberField("account_id", r.resultAccountId());
                                g.writeStringField("api_key", apiKey);
                                g.writeStringField("name", name);
                                g.writeNumberField("maker_fee_bps", maker);
                                g.writeNumberField("taker_fee_bps", taker);
                                g.writeEndObject();
                            }));
                        }
                        case INVALID_NAME -> throw ApiProblem.invalidField("name", describe(r.result()));
                        case INVALID_FEE -> throw ApiProblem.invalidField("maker_fee_bps", describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }

    private static int fee(Integer bps, int defaultBps, String field) {
        if (bps == null) {
            return defaultBps;
        }
        if (bps < 0 || bps > Fees.MAX_FEE_BPS) {
            throw ApiProblem.invalidField(field, field + " must be in [0, " + Fees.MAX_FEE_BPS + "]");
        }
        return bps;
    }

    private void transfer(Context ctx, CommandType type) {
        requireAdmin(ctx);
        long accountId = pathId(ctx, "account_id");
        RequestBodies.Transfer body = bodies.transfer(bodyReader.read(ctx));
        String asset = required(body.asset(), "asset");
        String amountText = required(body.amount(), "amount");
        String transferId = required(body.transferId(), "transfer_id");
        if (!isPrintableAscii(asset, MAX_SYMBOL_LENGTH)) {
            throw ApiProblem.invalidField("asset", "asset must be USD or a symbol");
        }
        if (!assets.isEmpty() && !assets.contains(asset)) {
            // the engine would refuse it too; said first, the amount is not judged in the wrong units
            throw ApiProblem.of(422, ResultCode.UNKNOWN_ASSET.name(), "unknown asset " + asset
                    + ": transfers are in USD or a listed symbol");
        }
        if (!isPrintableAscii(transferId, Ledger.MAX_TRANSFER_ID_LENGTH)) {
            throw ApiProblem.invalidField("transfer_id",
                    "transfer_id must be 1.." + Ledger.MAX_TRANSFER_ID_LENGTH + " printable ASCII characters");
        }
        boolean cash = "USD".equals(asset);
        long amount = cash ? decimal(amountText, "amount") : wholeShares(amountText, "amount");
        if (amount == 0) {
            throw ApiProblem.invalidField("amount", "amount must be greater than zero");
        }
        String kind = type == CommandType.DEPOSIT ? "deposit" : "withdrawal";
        submit(ctx, type, GatewayCommands.TRANSFER,
                new GatewayCommands.Transfer(cfg.clock(), type, accountId, asset, amount, transferId), (c, r) -> {
                    switch (r.result()) {
                        case OK, DUPLICATE -> json(c, r.result() == ResultCode.OK ? 201 : 200, HttpJson.render(g -> {
                            g.writeStartObject();
                            g.writeStringField("transfer_id", transferId);
                            g.writeNumberField("account_id", accountId);
                            g.writeStringField("kind", kind);
                            g.writeStringField("asset", asset);
                            g.writeStringField("amount", cash ? Money.format(amount) : Long.toString(amount));
                            g.writeStringField("status", "applied");
                            g.writeEndObject();
                        }));
                        case CONFLICT -> throw ApiProblem.of(409, "TRANSFER_ID_CONFLICT",
                                "transfer_id " + transferId + " was already used for a different transfer");
                        case ACCOUNT_NOT_FOUND -> throw ApiProblem.of(404, "ACCOUNT_NOT_FOUND", "no such account");
                        case INVALID_TRANSFER_ID -> throw ApiProblem.invalidField("transfer_id", describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }

    private void openSession(Context ctx) {
        requireAdmin(ctx);
        RequestBodies.SessionOpen body = bodies.sessionOpen(bodyReader.read(ctx));
        Instant now = instantOf(cfg.clock().epochNanos());
        LocalDate date;
        if (body.sessionDate() != null) {
            date = parseDate(body.sessionDate(), "session_date");
        } else {
            date = nextSession(now).date();
        }
        Instant closesAt;
        if (body.closesAt() != null) {
            closesAt = parseInstant(body.closesAt(), "closes_at");
        } else {
            closesAt = cfg.calendar().session(date).map(TradingSession::closesAt).orElseThrow(() ->
                    ApiProblem.of(422, "INVALID_SESSION_DATE", "the calendar has no session on " + date
                            + "; give closes_at to open it anyway"));
        }
        if (!closesAt.isAfter(now)) {
            throw ApiProblem.invalidField("closes_at", "the session must close in the future");
        }
        long closesAtNanos = nanosOf(closesAt);
        submit(ctx, CommandType.SESSION_OPEN, GatewayCommands.SESSION_OPEN,
                new GatewayCommands.SessionOpen(cfg.clock(), date.toEpochDay(), closesAtNanos), (c, r) -> {
                    switch (r.result()) {
                        case OK -> json(c, 200, sessionJson(true, date.toEpochDay(), nanosOf(now), closesAtNanos,
                                r.seq()));
                        case SESSION_ALREADY_OPEN -> throw ApiProblem.of(409, "SESSION_ALREADY_OPEN",
                                describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }

    private void closeSession(Context ctx) {
        requireAdmin(ctx);
        submit(ctx, CommandType.SESSION_CLOSE, GatewayCommands.SESSION_CLOSE, cfg.clock(), (c, r) -> {
            switch (r.result()) {
                case OK -> json(c, 200, sessionJson(false, cfg.session().state().sessionDate(), 0, 0, r.seq()));
                case SESSION_ALREADY_CLOSED -> throw ApiProblem.of(409, "SESSION_ALREADY_CLOSED", describe(r.result()));
                default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
            }
        });
    }

    private void systemState(Context ctx) {
        requireAdmin(ctx);
        submit(ctx, CommandType.QUERY_STATE, GatewayCommands.QUERY_STATE, cfg.clock(), (c, r) -> {
            if (!(r.queryResult() instanceof StateSummary s)) {
                throw new IllegalStateException("QUERY_STATE returned " + r.result() + " without a summary");
            }
            json(c, 200, HttpJson.state(s));
        });
    }

    // ---- orders ------------------------------------------------------------------------------

    private void placeOrder(Context ctx) {
        submit(ctx, CommandType.PLACE_ORDER, GatewayCommands.PLACE_ORDER, placeOrderRequest(ctx),
                this::placeOrderResult);
    }

    /**
     * {@code POST /probe/orders[-async]}, served only with {@code load_probes}: the HTTP half of
     * order entry alone, so a load test can tell the framework's share of an order's cost from the
     * pipeline's. Authenticates, rate-limits and validates exactly as {@code POST /v1/orders}, then
     * answers 201 with the order as it would be accepted (rendered the same way) without entering
     * the ring; {@code async} answers through the same future and thread-pool hand-off a command's
     * result takes. Changes no state.
     */
    private void probeOrder(Context ctx, boolean async) {
        GatewayCommands.PlaceOrder p = placeOrderRequest(ctx);
        OrderView v = new OrderView();
        v.clientOrderId = p.clientOrderId();
        v.accountId = p.accountId();
        v.symbol = p.symbol();
        v.side = p.side();
        v.qty = p.qty();
        v.leavesQty = p.qty();
        v.priceTicks = p.priceTicks();
        v.timeInForce = p.timeInForce();
        v.postOnly = p.postOnly();
        v.selfTradePrevention = p.selfTradePrevention();
        v.status = OrderStatus.NEW;
        v.createdAtNanos = p.clock().epochNanos();
        v.updatedAtNanos = v.createdAtNanos;
        if (!async) {
            json(ctx, 201, HttpJson.order(v));
            return;
        }
        CompletableFuture<Void> done = CompletableFuture.completedFuture(null);
        ctx.future(() -> done.handleAsync((x, failure) -> {
            json(ctx, 201, HttpJson.order(v));
            return null;
        }, threadPool));
    }

    /** Reads and validates a {@code POST /v1/orders} request into the command's arguments. */
    private GatewayCommands.PlaceOrder placeOrderRequest(Context ctx) {
        long accountId = requireAccount(ctx);
        rateLimit(ctx, accountId);
        RequestBodies.PlaceOrder body = bodies.placeOrder(bodyReader.read(ctx));
        String clientOrderId = required(body.clientOrderId(), "client_order_id");
        if (!isPrintableAscii(clientOrderId, cfg.maxClientOrderIdLength())) {
            throw ApiProblem.invalidField("client_order_id", "client_order_id must be 1.." + cfg.maxClientOrderIdLength()
                    + " printable ASCII characters without spaces");
        }
        String symbol = required(body.symbol(), "symbol");
        if (symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH) {
            throw ApiProblem.invalidField("symbol", "symbol must be 1.." + MAX_SYMBOL_LENGTH + " characters");
        }
        Side side = switch (required(body.side(), "side")) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw ApiProblem.invalidField("side", "side must be buy or sell");
        };
        long qty = required(body.qty(), "qty");
        if (qty < 1) {
            throw ApiProblem.invalidField("qty", "qty must be a whole number of shares >= 1");
        }
        long price = decimal(required(body.limitPrice(), "limit_price"), "limit_price");
        if (price == 0) {
            throw ApiProblem.invalidField("limit_price", "limit_price must be greater than zero");
        }
        TimeInForce tif = body.timeInForce() == null ? TimeInForce.DAY : switch (body.timeInForce()) {
            case "day" -> TimeInForce.DAY;
            case "gtc" -> TimeInForce.GTC;
            case "ioc" -> TimeInForce.IOC;
            case "fok" -> TimeInForce.FOK;
            default -> throw ApiProblem.invalidField("time_in_force", "time_in_force must be day, gtc, ioc or fok");
        };
        boolean postOnly = body.postOnly() != null && body.postOnly();
        SelfTradePrevention stp = body.selfTradePrevention() == null ? SelfTradePrevention.DEFAULT
                : switch (body.selfTradePrevention()) {
                    case "cancel_newest" -> SelfTradePrevention.CANCEL_NEWEST;
                    case "cancel_oldest" -> SelfTradePrevention.CANCEL_OLDEST;
                    case "cancel_both" -> SelfTradePrevention.CANCEL_BOTH;
                    default -> throw ApiProblem.invalidField("self_trade_prevention",
                            "self_trade_prevention must be cancel_newest, cancel_oldest or cancel_both");
                };
        return new GatewayCommands.PlaceOrder(cfg.clock(), accountId, clientOrderId, symbol, side, qty, price, tif, postOnly,
                stp);
    }

    private void placeOrderResult(Context ctx, CommandResult r) {
        OrderView order = r.order();
        switch (r.result()) {
            case OK -> {
                if (order.status == OrderStatus.REJECTED) {
                    ResultCode why = order.rejectReason != null ? order.rejectReason : ResultCode.INVALID_COMMAND;
                    throw ApiProblem.withOrder(422, why.name(), describe(why), order, null);
                }
                json(ctx, 201, HttpJson.order(order));
            }
            case DUPLICATE -> json(ctx, 200, HttpJson.order(order));
            case CONFLICT -> throw ApiProblem.withOrder(409, "CLIENT_ORDER_ID_CONFLICT",
                    "client_order_id was already used for an order with different fields",
                    order != null && order.isPresent() ? order : null, conflictFieldNames(r.conflictFields()));
            case INVALID_CLIENT_ORDER_ID -> throw ApiProblem.invalidField("client_order_id", describe(r.result()));
            case INVALID_COMMAND -> throw ApiProblem.of(400, "INVALID_COMMAND", describe(r.result()));
            case ACCOUNT_NOT_FOUND -> throw unauthorized();
            default -> throw ApiProblem.withOrder(422, r.result().name(), describe(r.result()),
                    order != null && order.isPresent() ? order : null, null);
        }
    }

    private void getOrder(Context ctx) {
        long accountId = requireAccount(ctx);
        long orderId = pathId(ctx, "order_id");
        submit(ctx, CommandType.QUERY_ORDER, GatewayCommands.ORDER_REF,
                new GatewayCommands.OrderRef(cfg.clock(), CommandType.QUERY_ORDER, accountId, orderId), (c, r) -> {
                    OrderView held = heldOrder(r, accountId);
                    // not held by the engine: an order that ended before its idempotency window, or none
                    OrderView o = held != null ? held
                            : history.order(accountId, orderId).orElseThrow(ExchangeHttpServer::orderNotFound);
                    json(c, 200, HttpJson.order(o));
                });
    }

    private void orderByClientId(Context ctx) {
        long accountId = requireAccount(ctx);
        String clientOrderId = ctx.pathParam("client_order_id");
        if (!isPrintableAscii(clientOrderId, cfg.maxClientOrderIdLength())) {
            throw ApiProblem.invalidField("client_order_id", "client_order_id must be 1.." + cfg.maxClientOrderIdLength()
                    + " printable ASCII characters without spaces");
        }
        submit(ctx, CommandType.QUERY_ORDER_BY_CLIENT_ID, GatewayCommands.CLIENT_ORDER_REF,
                new GatewayCommands.ClientOrderRef(cfg.clock(), accountId, clientOrderId), (c, r) -> {
                    OrderView held = heldOrder(r, accountId);
                    OrderView o = held != null ? held : history.orderByClientId(accountId, clientOrderId)
                            .orElseThrow(ExchangeHttpServer::orderNotFound);
                    json(c, 200, HttpJson.order(o));
                });
    }

    /** The order of a query result if the engine holds it for {@code accountId}; else null. */
    private static OrderView heldOrder(CommandResult r, long accountId) {
        OrderView o = r.order();
        if (r.result() != ResultCode.OK || o == null || !o.isPresent() || o.accountId != accountId) {
            return null;
        }
        return o;
    }

    private static ApiProblem orderNotFound() {
        return ApiProblem.of(404, "ORDER_NOT_FOUND", "no such order");
    }

    /**
     * {@code GET /v1/orders?status&symbol&after&until&limit&page_token}: the engine's live and
     * recent orders merged with older ones from the history database, newest first.
     */
    private void listOrders(Context ctx) {
        long accountId = requireAccount(ctx);
        String status = ctx.queryParam("status");
        Command.OrderFilter filter = status == null ? Command.OrderFilter.ALL : switch (status) {
            case "open" -> Command.OrderFilter.OPEN;
            case "closed" -> Command.OrderFilter.CLOSED;
            case "all" -> Command.OrderFilter.ALL;
            default -> throw ApiProblem.invalidField("status", "status must be open, closed or all");
        };
        HistoryReads.OrderQuery q = new HistoryReads.OrderQuery(filter, symbolParam(ctx), timeParam(ctx, "after"),
                timeParam(ctx, "until"), PageToken.decode(PageToken.Kind.ORDERS, ctx.queryParam("page_token")),
                pageLimit(ctx));
        checkTimeRange(q.afterNanos(), q.untilNanos());
        submit(ctx, CommandType.QUERY_ORDERS, GatewayCommands.ORDER_LIST,
                new GatewayCommands.OrderList(cfg.clock(), accountId, filter, q.symbol(), q.afterNanos(),
                        q.untilNanos(), q.beforeOrderId(), q.limit() + 1), (c, r) -> {
                    if (!(r.queryResult() instanceof OrderPage page)) {
                        throw new IllegalStateException("QUERY_ORDERS returned " + r.result() + " without a page");
                    }
                    HistoryReads.Page<OrderView> merged = history.orders(accountId, q, page);
                    json(c, 200, HttpJson.orders(merged.rows(), merged.nextPageToken()));
                });
    }

    private void cancelOrder(Context ctx) {
        long accountId = requireAccount(ctx);
        rateLimit(ctx, accountId);
        long orderId = pathId(ctx, "order_id");
        submit(ctx, CommandType.CANCEL_ORDER, GatewayCommands.ORDER_REF,
                new GatewayCommands.OrderRef(cfg.clock(), CommandType.CANCEL_ORDER, accountId, orderId), (c, r) -> {
                    OrderView o = r.order();
                    boolean own = o != null && o.isPresent() && o.accountId == accountId;
                    switch (r.result()) {
                        case OK, DUPLICATE -> {
                            if (!own) {
                                throw orderNotFound();
                            }
                            json(c, 200, HttpJson.order(o));
                        }
                        case ORDER_NOT_FOUND -> cancelFromHistory(c, accountId, orderId);
                        default -> {
                            if (!own) {
                                throw orderNotFound();
                            }
                            throw ApiProblem.withOrder(422, r.result().name(), describe(r.result()), o, null);
                        }
                    }
                });
    }

    // ---- account -----------------------------------------------------------------------------

    private void account(Context ctx) {
        long accountId = requireAccount(ctx);
        submit(ctx, CommandType.QUERY_ACCOUNT, GatewayCommands.ACCOUNT_QUERY,
                new GatewayCommands.AccountQuery(cfg.clock(), accountId), (c, r) -> {
                    if (!(r.queryResult() instanceof AccountSnapshot a)) {
                        throw unauthorized();
                    }
                    json(c, 200, HttpJson.account(a));
                });
    }

    /**
     * A cancel of an order the engine no longer holds: it ended before the idempotency window. A
     * canceled one answers as a repeated cancel does (200, the order); any other has ended
     * otherwise (422 TOO_LATE_TO_CANCEL); none is 404.
     */
    private void cancelFromHistory(Context ctx, long accountId, long orderId) {
        OrderView o = history.order(accountId, orderId).orElseThrow(ExchangeHttpServer::orderNotFound);
        if (o.status == OrderStatus.CANCELED) {
            json(ctx, 200, HttpJson.order(o));
            return;
        }
        throw ApiProblem.withOrder(422, ResultCode.TOO_LATE_TO_CANCEL.name(), describe(ResultCode.TOO_LATE_TO_CANCEL),
                o, null);
    }

    /** {@code GET /v1/account/fills?symbol&after&until&limit&page_token}: from the history database. */
    private void fills(Context ctx) {
        long accountId = requireAccount(ctx);
        HistoryReads.FillQuery q = new HistoryReads.FillQuery(symbolParam(ctx), timeParam(ctx, "after"),
                timeParam(ctx, "until"), PageToken.decode(PageToken.Kind.FILLS, ctx.queryParam("page_token")),
                pageLimit(ctx));
        checkTimeRange(q.afterNanos(), q.untilNanos());
        HistoryReads.Page<Fill> page = history.fills(accountId, q);
        json(ctx, 200, HttpJson.fills(page.rows(), page.nextPageToken()));
    }

    private static String symbolParam(Context ctx) {
        String symbol = ctx.queryParam("symbol");
        if (symbol != null && !isPrintableAscii(symbol, MAX_SYMBOL_LENGTH)) {
            throw ApiProblem.invalidField("symbol", "symbol must be 1.." + MAX_SYMBOL_LENGTH
                    + " printable ASCII characters");
        }
        return symbol;
    }

    /** An optional ISO-8601 instant query parameter as epoch nanos; 0 when absent. */
    private static long timeParam(Context ctx, String name) {
        String text = ctx.queryParam(name);
        return text == null ? 0 : nanosOf(parseInstant(text, name));
    }

    private static void checkTimeRange(long afterNanos, long untilNanos) {
        if (afterNanos != 0 && untilNanos != 0 && untilNanos <= afterNanos) {
            throw ApiProblem.invalidField("until", "until must be later than after");
        }
    }

    // ---- public ------------------------------------------------------------------------------

    private void session(Context ctx) {
        SessionStatus.State s = cfg.session().state();
        if (s.open()) {
            long opensAt = s.openedAtNanos();
            if (opensAt == 0 && s.sessionDate() != 0) {
                opensAt = cfg.calendar().session(LocalDate.ofEpochDay(s.sessionDate()))
                        .map(t -> nanosOf(t.opensAt())).orElse(0L);
            }
            json(ctx, 200, sessionJson(true, s.sessionDate(), opensAt, s.closesAtNanos(), s.seq()));
        } else {
            TradingSession next = nextSession(instantOf(cfg.clock().epochNanos()));
            json(ctx, 200, sessionJson(false, next.date().toEpochDay(), nanosOf(next.opensAt()),
                    nanosOf(next.closesAt()), s.seq()));
        }
    }

    /** {@code GET /v1/calendar?start=YYYY-MM-DD&end=YYYY-MM-DD}: the sessions in a range (default: the next 30 days). */
    private void calendar(Context ctx) {
        LocalDate today = LocalDate.ofInstant(instantOf(cfg.clock().epochNanos()), cfg.calendar().zone());
        LocalDate start = dateParam(ctx, "start", today);
        LocalDate end = dateParam(ctx, "end", start.plusDays(30));
        if (end.isBefore(start) || start.plusDays(MarketCalendar.MAX_RANGE_DAYS).isBefore(end)) {
            throw ApiProblem.invalidField("end", "end must be on or after start and at most "
                    + MarketCalendar.MAX_RANGE_DAYS + " days later");
        }
        List<TradingSession> sessions = cfg.calendar().sessionsBetween(start, end);
        json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("calendar", cfg.calendar().name());
            g.writeStringField("time_zone", cfg.calendar().zone().getId());
            g.writeStringField("start", start.toString());
            g.writeStringField("end", end.toString());
            g.writeArrayFieldStart("sessions");
            for (TradingSession t : sessions) {
                g.writeStartObject();
                g.writeStringField("date", t.date().toString());
                g.writeStringField("opens_at", HttpJson.instant(nanosOf(t.opensAt())));
                g.writeStringField("closes_at", HttpJson.instant(nanosOf(t.closesAt())));
                g.writeBooleanField("early_close", t.earlyClose());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private static LocalDate dateParam(Context ctx, String name, LocalDate fallback) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return fallback;
        }
        try {
            return LocalDate.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.invalidField(name, name + " must be a date YYYY-MM-DD");
        }
    }

    /** {@code POST /v1/admin/snapshot}: capture the state now; 201 with the sequence and file. */
    private void snapshot(Context ctx) {
        requireAdmin(ctx);
        CompletableFuture<AdminOperations.SnapshotInfo> f = cfg.operations().snapshot();
        if (f == null) {
            throw overloaded();
        }
        ctx.future(() -> f.handleAsync((s, failure) -> {
            if (failure != null) {
                throw unavailable(failure);
            }
            json(ctx, 201, HttpJson.render(g -> {
                g.writeStartObject();
                g.writeNumberField("seq", s.seq());
                g.writeStringField("file", s.file());
                g.writeEndObject();
            }));
            return null;
        }, threadPool));
    }

    /** {@code GET /v1/admin/reports/eod/{session_date}[?format=csv]}: the reconciliation report of a closed session. */
    private void eodReport(Context ctx) {
        requireAdmin(ctx);
        LocalDate date;
        try {
            date = LocalDate.parse(ctx.pathParam("session_date"));
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiProblem.invalidField("session_date", "session_date must be a date YYYY-MM-DD");
        }
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiProblem.invalidField("format", "format must be json or csv");
        }
        boolean csv = "csv".equals(format);
        byte[] body = cfg.operations().report(date, csv).orElseThrow(() -> ApiProblem.of(404, "REPORT_NOT_FOUND",
                "no end-of-day report for " + date + ": that session has not closed on this exchange"));
        ctx.status(200).contentType(csv ? "text/csv; charset=utf-8" : JSON).result(body);
    }

    /**
     * The session an operator "open" starts by default, and the one {@code GET /v1/session}
     * announces while closed: the calendar's current or next session, but never one dated on or
     * before the engine's last session date.
     */
    private TradingSession nextSession(Instant now) {
        long engineDate = cfg.session().state().sessionDate();
        return cfg.calendar().nextSessionToOpen(engineDate == 0 ? null : LocalDate.ofEpochDay(engineDate), now);
    }

    private byte[] sessionJson(boolean open, long sessionDate, long opensAtNanos, long closesAtNanos, long seq) {
        return HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("state", open ? "open" : "closed");
            writeNullable(g, "session_date", HttpJson.date(sessionDate));
            writeNullable(g, "opens_at", HttpJson.instant(opensAtNanos));
            writeNullable(g, "closes_at", HttpJson.instant(closesAtNanos));
            g.writeStringField("calendar", cfg.calendar().name());
            g.writeNumberField("seq", seq);
            g.writeEndObject();
        });
    }

    private static void writeNullable(com.fasterxml.jackson.core.JsonGenerator g, String name, String value)
            throws java.io.IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }

    private void health(Context ctx) {
        boolean up = cfg.healthy().getAsBoolean();
        json(ctx, up ? 200 : 503, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("status", up ? "ok" : "unavailable");
            g.writeEndObject();
        }));
    }

    private void metrics(Context ctx) {
        ctx.status(200).contentType(PROMETHEUS_TEXT).result(cfg.metrics().scrape().getBytes(StandardCharsets.UTF_8));
    }

    // ---- plumbing ----------------------------------------------------------------------------

    /**
     * Publishes a command and continues with {@code responder} once its result is known. Never
     * blocks: a full ring is a 503 now; otherwise the response is written later on a Jetty thread.
     */
    private <A> void submit(Context ctx, CommandType type, CommandTranslator<A> translator, A arg,
                            Responder responder) {
        if (REFUSED_WHEN_DISK_LOW.contains(type) && diskSpace.isLow()) {
            throw diskLow("the journal's disk is nearly full: new orders, transfers and accounts are refused "
                    + "until space is freed; cancels still work");
        }
        CompletableFuture<CommandResult> result = publisher.tryPublish(type, translator, arg);
        if (result == null) {
            throw overloaded();
        }
        // handleAsync (not thenAcceptAsync) so that even a failed command continues on the pool:
        // an exceptional completion would otherwise run Javalin's error path on the completing thread.
        ctx.future(() -> result.handleAsync((r, failure) -> {
            if (failure != null) {
                throw unavailable(failure);
            }
            responder.respond(ctx, r);
            return null;
        }, threadPool));
    }

    /** 503 with Retry-After: the ring is full. */
    private static ApiProblem overloaded() {
        return ApiProblem.withHeaders(503, "OVERLOADED", "the exchange is busy; retry shortly",
                Map.of("Retry-After", Integer.toString(OVERLOADED_RETRY_AFTER_SECONDS)));
    }

    /** 503 with Retry-After: the journal's disk is below {@code min_free_disk_bytes}. */
    private static ApiProblem diskLow(String detail) {
        return ApiProblem.withHeaders(503, "JOURNAL_DISK_LOW", detail,
                Map.of("Retry-After", Integer.toString(DISK_LOW_RETRY_AFTER_SECONDS)));
    }

    /**
     * A command or operation that failed after it was accepted: 503 if the pipeline stopped
     * (fail-stop) or a write would take the disk below its minimum, else a bug.
     */
    private static RuntimeException unavailable(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof ExchangePipeline.PipelineFailedException) {
            return ApiProblem.of(503, "UNAVAILABLE", "the exchange has stopped accepting commands");
        }
        if (cause instanceof DiskSpaceGuard.NotEnoughSpaceException) {
            return diskLow(cause.getMessage());
        }
        return cause instanceof RuntimeException re ? re : new CompletionException(cause);
    }

    /**
     * Writes a rendered JSON body straight to the servlet response with its exact length. Going
     * through {@code ctx.result} would wrap it in Javalin's compression stream, whose first write
     * scans every response header (a tenth of the CPU of an order request in a JFR profile).
     */
    private static void json(Context ctx, int status, byte[] body) {
        json(ctx, status, body, body.length);
    }

    /** As {@link #json(Context, int, byte[])}, from a writer's buffer (written out before this returns). */
    private static void json(Context ctx, int status, JsonWriter body) {
        json(ctx, status, body.array(), body.length());
    }

    private static void json(Context ctx, int status, byte[] body, int length) {
        ctx.status(status);
        HttpServletResponse res = ctx.res();
        res.setContentType(JSON);
        res.setContentLength(length);
        try {
            res.getOutputStream().write(body, 0, length);
        } catch (IOException e) {
            // the client went away (or the server is stopping): nobody is left to answer
            LOG.debug("response to {} {} not delivered: {}", ctx.method(), ctx.path(), e.toString());
        }
    }

    private static void problem(Context ctx, ApiProblem p) {
        // a refusal may come before the body was read (a bad key, an unknown path, a body too large)
        BodyReader.discardUnread(ctx);
        p.headers().forEach(ctx::header);
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(HttpJson.problem(p));
    }

    private long requireAccount(Context ctx) {
        String token = ApiKeys.bearerToken(ctx.header("Authorization"));
        long accountId = token == null ? 0 : cfg.apiKeys().authenticate(token);
        if (accountId == 0) {
            throw unauthorized();
        }
        return accountId;
    }

    private void requireAdmin(Context ctx) {
        String token = ApiKeys.bearerToken(ctx.header("Authorization"));
        if (token == null || !cfg.adminKey().matches(token)) {
            throw ApiProblem.of(401, "UNAUTHORIZED", "this endpoint needs the admin key");
        }
    }

    private static ApiProblem unauthorized() {
        return ApiProblem.of(401, "UNAUTHORIZED", "missing or invalid API key");
    }

    /**
     * Takes a token of the account's order-entry bucket: the answer carries the bucket's state in
     * both header families ({@link #RATE_LIMIT_HEADERS}); an empty bucket is 429 with
     * {@code Retry-After}. Added straight to the response, not set: they are its first headers,
     * and setting scans the ones already there (measured in the order path's CPU profile).
     */
    private void rateLimit(Context ctx, long accountId) {
        TokenBucketRateLimiter.Decision d = cfg.rateLimiter().tryAcquire(accountId);
        String[] values = {Long.toString(d.limit()), Long.toString(d.remaining()),
            Long.toString(TokenBucketRateLimiter.Decision.ceilSeconds(d.resetNanos(), 0))};
        if (!d.allowed()) {
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i < RATE_LIMIT_HEADERS.length; i++) {
                headers.put(RATE_LIMIT_HEADERS[i], values[i % values.length]);
            }
            headers.put("Retry-After", Long.toString(TokenBucketRateLimiter.Decision.ceilSeconds(d.retryAfterNanos(), 1)));
            throw ApiProblem.withHeaders(429, "RATE_LIMITED", "too many order requests for this API key", headers);
        }
        HttpServletResponse res = ctx.res();
        for (int i = 0; i < RATE_LIMIT_HEADERS.length; i++) {
            res.addHeader(RATE_LIMIT_HEADERS[i], values[i % values.length]);
        }
    }

    private static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiProblem.field("MISSING_FIELD", field, "field '" + field + "' is required");
        }
        return value;
    }

    private static long pathId(Context ctx, String name) {
        long id = positiveInteger(ctx.pathParam(name));
        if (id < 1) {
            throw ApiProblem.invalidField(name, name + " must be a positive integer");
        }
        return id;
    }

    /** The {@code limit} of a paged list: {@value #DEFAULT_PAGE_LIMIT} when absent, at most {@value #MAX_PAGE_LIMIT}. */
    private static int pageLimit(Context ctx) {
        String text = ctx.queryParam("limit");
        if (text == null) {
            return DEFAULT_PAGE_LIMIT;
        }
        long v = positiveInteger(text);
        if (v < 1 || v > MAX_PAGE_LIMIT) {
            throw ApiProblem.invalidField("limit", "limit must be an integer in [1, " + MAX_PAGE_LIMIT + "]");
        }
        return (int) v;
    }

    /** A decimal JSON string with at most 4 decimals, scaled by {@link Money#SCALE}. */
    private static long decimal(String text, String field) {
        long v = Money.parse(text, Money.SCALE_DIGITS);
        if (v == Money.OVERFLOW) {
            throw ApiProblem.invalidField(field, field + " must be a non-negative decimal string with at most "
                    + Money.SCALE_DIGITS + " decimals, such as \"187.25\"");
        }
        return v;
    }

    /** A whole number of shares given as a string ("100"). */
    private static long wholeShares(String text, String field) {
        long v = positiveInteger(text);
        if (v < 0) {
            throw ApiProblem.invalidField(field, field + " must be a whole number of shares as a string, such as \"100\"");
        }
        return v;
    }

    /** Plain decimal digits (at most 18, so no overflow) as a long, or -1 if {@code text} is anything else. */
    static long positiveInteger(String text) {
        if (text == null || text.isEmpty() || text.length() > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static boolean isPrintableAscii(String s, int maxLength) {
        if (s == null || s.isEmpty() || s.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x21 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    private static LocalDate parseDate(String text, String field) {
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            throw ApiProblem.invalidField(field, field + " must be a date YYYY-MM-DD");
        }
    }

    /** An ISO-8601 instant that fits the engine's epoch-nanosecond clock (years 1970..2262). */
    private static Instant parseInstant(String text, String field) {
        try {
            Instant t = Instant.parse(text);
            if (t.isBefore(Instant.EPOCH)) {
                throw new DateTimeException("before the epoch");
            }
            nanosOf(t);
            return t;
        } catch (DateTimeException | ArithmeticException e) {
            throw ApiProblem.invalidField(field, field + " must be an ISO-8601 UTC instant between 1970 and 2262,"
                    + " such as 2026-11-23T21:00:00Z");
        }
    }

    private static Instant instantOf(long epochNanos) {
        return Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
    }

    private static long nanosOf(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }

    private static List<String> conflictFieldNames(int bits) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < OrderView.FIELD_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(OrderView.FIELD_NAMES[i]);
            }
        }
        return names;
    }

    /** Prose for a result code; the code itself is the stable part. */
    static String describe(ResultCode code) {
        return switch (code) {
            case MARKET_CLOSED -> "the market is closed";
            case UNKNOWN_SYMBOL -> "unknown symbol";
            case INVALID_CLIENT_ORDER_ID -> "invalid client_order_id";
            case INVALID_QUANTITY -> "qty is outside the allowed range";
            case INVALID_PRICE -> "limit_price is outside the allowed range";
            case INVALID_TICK -> "limit_price is not a multiple of the tick size (0.01 at or above $1, 0.0001 below)";
            case NOTIONAL_TOO_LARGE -> "the order's notional value exceeds the per-order maximum";
            case PRICE_OUTSIDE_COLLAR -> "limit_price is outside the price collar around the reference price";
            case POST_ONLY_WOULD_TAKE -> "a post-only order would trade on arrival";
            case INSUFFICIENT_BUYING_POWER -> "not enough available cash for the order's hold";
            case INSUFFICIENT_POSITION -> "not enough available shares to sell";
            case TOO_MANY_OPEN_ORDERS -> "the account has too many open orders";
            case ORDER_NOT_FOUND -> "no such order";
            case TOO_LATE_TO_CANCEL -> "the order is already filled, expired or rejected";
            case ACCOUNT_NOT_FOUND -> "no such account";
            case UNKNOWN_ASSET -> "unknown asset";
            case INVALID_AMOUNT -> "the amount must be greater than zero";
            case INVALID_TRANSFER_ID -> "invalid transfer_id";
            case INSUFFICIENT_FUNDS -> "not enough available balance to withdraw";
            case INVALID_FEE -> "fee rates must be in [0, 1000] bps";
            case INVALID_NAME -> "invalid name";
            case TOO_MANY_ACCOUNTS -> "the exchange holds the maximum number of accounts";
            case SESSION_ALREADY_OPEN -> "the session is already open";
            case SESSION_ALREADY_CLOSED -> "the session is already closed";
            case INVALID_SESSION_DATE -> "the session date must be after the last session's date";
            case OVERFLOW -> "an amount would overflow";
            case INVALID_COMMAND -> "invalid command";
            // OK, DUPLICATE, CONFLICT and any code added later: the code itself says it.
            default -> code.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        };
    }

    /**
     * Collaborators and settings of the server, each validated once in {@link #build()}. Shared
     * components (publisher, read models, limiter, metrics) are created by the process wiring.
     */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port;
        private int maxBodyBytes = 16 * 1024;
        private int httpThreads = 64;
        private boolean loadProbes;
        private DiskSpaceGuard diskSpace = DiskSpaceGuard.OFF;
        private Set<String> assets = Set.of();
        private long asyncTimeoutMillis = 30_000;
        private int maxClientOrderIdLength = ExchangeConfig.DEFAULT_MAX_CLIENT_ORDER_ID_LENGTH;
        private StreamHub streams;
        private ToLongFunction<String> streamAuthenticator;
        private int defaultMakerFeeBps;
        private int defaultTakerFeeBps;
        private MeteredPublisher publisher;
        private ApiKeyIndex apiKeys;
        private AdminKey adminKey;
        private AdminOperations operations;
        private TokenBucketRateLimiter rateLimiter;
        private SessionStatus session;
        private MarketCalendar calendar;
        private EpochNanoClock clock = EpochNanoClock.SYSTEM;
        private GatewayMetrics metrics;
        private BooleanSupplier healthy = () -> true;
        private HistoryService historyService;
        private AccountSeqs accountSeqs;
        private LongSupplier startSeq;
        private Duration readWait;

        public Builder host(String v) {
            host = v;
            return this;
        }

        /** 0 binds any free port. */
        public Builder port(int v) {
            port = v;
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

        /**
         * The assets a transfer may name (USD and the listed symbols), so that an unknown one is
         * answered as such before its amount is read in that asset's units.
         */
        public Builder assets(Set<String> v) {
            assets = v;
            return this;
        }

        /** Refuses new business while the journal's disk is low (default: no check). */
        public Builder diskSpace(DiskSpaceGuard v) {
            diskSpace = v;
            return this;
        }

        /** Serve the load-test probe routes ({@code POST /probe/orders[-async]}); off by default. */
        public Builder loadProbes(boolean v) {
            loadProbes = v;
            return this;
        }

        /** How long a request may wait for its command's result before Jetty gives up on it. */
        public Builder asyncTimeoutMillis(long v) {
            asyncTimeoutMillis = v;
            return this;
        }

        public Builder maxClientOrderIdLength(int v) {
            maxClientOrderIdLength = v;
            return this;
        }

        public Builder defaultFees(int makerBps, int takerBps) {
            defaultMakerFeeBps = makerBps;
            defaultTakerFeeBps = takerBps;
            return this;
        }

        public Builder publisher(MeteredPublisher v) {
            publisher = v;
            return this;
        }

        public Builder apiKeys(ApiKeyIndex v) {
            apiKeys = v;
            return this;
        }

        public Builder adminKey(AdminKey v) {
            adminKey = v;
            return this;
        }

        public Builder rateLimiter(TokenBucketRateLimiter v) {
            rateLimiter = v;
            return this;
        }

        public Builder session(SessionStatus v) {
            session = v;
            return this;
        }

        public Builder calendar(MarketCalendar v) {
            calendar = v;
            return this;
        }

        public Builder clock(EpochNanoClock v) {
            clock = v;
            return this;
        }

        public Builder metrics(GatewayMetrics v) {
            metrics = v;
            return this;
        }

        /** Liveness for {@code GET /health} (for example: the pipeline is running). */
        public Builder operations(AdminOperations v) {
            operations = v;
            return this;
        }

        /** Serves {@code hub}'s WebSocket streams; {@code authenticate}: API key to account id, 0 if unknown. */
        public Builder streams(StreamHub hub, ToLongFunction<String> authenticate) {
            streams = Objects.requireNonNull(hub);
            streamAuthenticator = Objects.requireNonNull(authenticate);
            return this;
        }

        public Builder healthy(BooleanSupplier v) {
            healthy = v;
            return this;
        }

        /**
         * The history database behind the order and fill reads: {@code accountSeqs} says what each
         * account has seen, {@code startSeq} what was recovered at start, {@code readWait} how long a
         * read waits for the database to reach both.
         */
        public Builder history(HistoryService service, AccountSeqs accountSeqs, LongSupplier startSeq,
                               Duration readWait) {
            this.historyService = service;
            this.accountSeqs = accountSeqs;
            this.startSeq = startSeq;
            this.readWait = readWait;
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
            if (asyncTimeoutMillis < 1) {
                throw new IllegalArgumentException("asyncTimeoutMillis must be >= 1");
            }
            if (maxClientOrderIdLength < 1 || maxClientOrderIdLength > 256) {
                throw new IllegalArgumentException("maxClientOrderIdLength must be in [1, 256]");
            }
            return new ExchangeHttpServer(this);
        }
    }
}
