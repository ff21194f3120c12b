package exchange.gateway.http;

import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.metrics.PathTrace;
import exchange.gateway.persistence.DiskSpaceGuard;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntSupplier;

import static exchange.gateway.http.ExchangeHttpServer.DISK_LOW_RETRY_AFTER_SECONDS;
import static exchange.gateway.http.ExchangeHttpServer.JSON;
import static exchange.gateway.http.ExchangeHttpServer.OVERLOADED_RETRY_AFTER_SECONDS;
import static exchange.gateway.http.ExchangeHttpServer.PROBLEM_JSON;

/**
 * What every route group shares: authentication by API key or admin key, the per-account order
 * rate limit, reading the body, publishing a command and answering from its result, and writing
 * JSON and problem answers.
 *
 * <p>A request thread never waits long for the engine. {@link #submit} publishes and, if no
 * other request is in flight, waits at most {@code http.answer_wait_us} (yielding its core) for
 * the result and, if it came, answers on its own thread. Otherwise it hands Javalin a future
 * ({@code ctx.future}) and returns; the continuation that writes the response runs on the Jetty
 * thread pool, never on the pipeline's results thread, so a slow client cannot stall the ring.
 * For a lone client the wait is the cheaper path: the async answer wakes {@code
 * CompletableFuture}'s delayer thread (to arm the request timeout) and a pool thread (to write the
 * answer), on top of the ring's own wake-ups (BENCHMARKS.md, issue 21). A full ring answers
 * 503 with {@code Retry-After} at once.
 *
 * <p>Created once per server; thread-safe, used by Jetty request threads.
 */
public final class RouteSupport {
    /** What a low journal disk refuses: new business. Cancels and session changes still run. */
    private static final Set<CommandType> REFUSED_WHEN_DISK_LOW =
            EnumSet.of(CommandType.CREATE_ACCOUNT, CommandType.DEPOSIT, CommandType.WITHDRAW, CommandType.PLACE_ORDER);
    /** The rate-limit headers of an order answer: limit, remaining and reset, in both families. */
    private static final String[] RATE_LIMIT_HEADERS = {"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset",
        "X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"};
    private static final Logger LOG = LoggerFactory.getLogger(RouteSupport.class);
    private static final String TRACE_KEY = "exchange.trace-key";

    private final MeteredPublisher publisher;
    private final DiskSpaceGuard diskSpace;
    private final Executor responses;
    private final ApiKeyIndex apiKeys;
    private final AdminKey adminKey;
    private final TokenBucketRateLimiter rateLimiter;
    private final BodyReader bodyReader;
    private final long requestTimeoutMillis;
    private final long answerWaitNanos;
    /** Requests begun and not yet answered, this one included ({@link InFlightRequests}). */
    private final IntSupplier requestsInFlight;
    private final RequestBodies bodies = new RequestBodies();

    /** Continues a request once a pending value is known; runs on a Jetty thread. */
    @FunctionalInterface
    public interface Responder<T> {
        void respond(Context ctx, T value);
    }

    RouteSupport(MeteredPublisher publisher, DiskSpaceGuard diskSpace, Executor responses, ApiKeyIndex apiKeys,
                 AdminKey adminKey, TokenBucketRateLimiter rateLimiter, int maxBodyBytes, long requestTimeoutMillis,
                 long answerWaitMicros, IntSupplier requestsInFlight) {
        this.publisher = publisher;
        this.diskSpace = diskSpace;
        this.responses = responses;
        this.apiKeys = apiKeys;
        this.adminKey = adminKey;
        this.rateLimiter = rateLimiter;
        this.bodyReader = new BodyReader(maxBodyBytes);
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.answerWaitNanos = TimeUnit.MICROSECONDS.toNanos(answerWaitMicros);
        this.requestsInFlight = requestsInFlight;
    }

    /** The parsers of the JSON request bodies. */
    public RequestBodies bodies() {
        return bodies;
    }

    /** The request's body, at most the configured size. */
    public byte[] body(Context ctx) {
        return bodyReader.read(ctx);
    }

    /** The account of the request's API key; 401 if there is none or it is unknown. */
    public long requireAccount(Context ctx) {
        String token = ApiKeys.bearerToken(ctx.header("Authorization"));
        long accountId = token == null ? 0 : apiKeys.authenticate(token);
        if (accountId == 0) {
            throw unauthorized();
        }
        return accountId;
    }

    /** 401 unless the request carries the admin key. */
    public void requireAdmin(Context ctx) {
        String token = ApiKeys.bearerToken(ctx.header("Authorization"));
        if (token == null || !adminKey.matches(token)) {
            throw ApiProblem.of(401, "UNAUTHORIZED", "this endpoint needs the admin key");
        }
    }

    public static ApiProblem unauthorized() {
        return ApiProblem.of(401, "UNAUTHORIZED", "missing or invalid API key");
    }

    /**
     * Takes a token of the account's order-entry bucket: the answer carries the bucket's state in
     * both header families ({@link #RATE_LIMIT_HEADERS}); an empty bucket is 429 with
     * {@code Retry-After}. Added straight to the response, not set: they are its first headers,
     * and setting scans the ones already there (measured in the order path's CPU profile).
     */
    public void rateLimit(Context ctx, long accountId) {
        TokenBucketRateLimiter.Decision d = rateLimiter.tryAcquire(accountId);
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

    /**
     * Publishes a command and continues with {@code responder} once its result is known. Never
     * blocks: a full ring is a 503 now; a result within {@code http.answer_wait_us} is answered on
     * this thread, a later one on a Jetty thread ({@link #respondLater}).
     */
    public <A> void submit(Context ctx, CommandType type, CommandTranslator<A> translator, A arg,
                           Responder<CommandResult> responder) {
        if (REFUSED_WHEN_DISK_LOW.contains(type) && diskSpace.isLow()) {
            throw diskLow("the journal's disk is nearly full: new orders, transfers and accounts are refused "
                    + "until space is freed; cancels still work");
        }
        long submitNanos = PathTrace.ON ? System.nanoTime() : 0;
        CompletableFuture<CommandResult> result = publisher.tryPublish(type,
                PathTrace.ON ? PathTrace.keyed(translator) : translator, arg);
        if (result == null) {
            throw overloaded();
        }
        if (PathTrace.ON) {
            traceSubmitted(ctx, submitNanos);
        }
        if (awaitBriefly(result)) {
            if (PathTrace.ON) {
                PathTrace.stamp(PathTrace.SEEN_BY_WAITER, PathTrace.lastKey());
            }
            answerNow(ctx, result, responder);
        } else {
            respondLater(ctx, result, responder);
        }
    }

    /** Stamps the published command's arrival, submit and publish, and keys the request by it ({@link PathTrace}). */
    private static void traceSubmitted(Context ctx, long submitNanos) {
        long key = PathTrace.lastKey();
        long arrival = RequestArrival.arrivalNanos(ctx);
        if (arrival != -1) {
            PathTrace.stamp(PathTrace.ARRIVAL, key, arrival);
        }
        PathTrace.stamp(PathTrace.SUBMIT, key, submitNanos);
        PathTrace.stamp(PathTrace.PUBLISHED, key);
        ctx.attribute(TRACE_KEY, key);
    }

    /** The {@link PathTrace} key of the command a request submitted, or null. */
    static Long traceKey(Context ctx) {
        return ctx.attribute(TRACE_KEY);
    }

    /**
     * Whether {@code pending} completed within {@code http.answer_wait_us}, the request thread
     * yielding its core meanwhile (so the stage threads get it). Only a request alone in flight
     * waits: with others in progress the cores have their work to do, and a yielding thread would
     * keep a woken one from an idle core; they go straight to {@link #respondLater}.
     */
    private boolean awaitBriefly(CompletableFuture<?> pending) {
        if (answerWaitNanos == 0 || requestsInFlight.getAsInt() > 1) {
            return false;
        }
        long deadline = System.nanoTime() + answerWaitNanos;
        while (!pending.isDone()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.yield();
        }
        return true;
    }

    /** Answers from a completed future on this thread, as {@link #respondLater} would on the pool. */
    private static <T> void answerNow(Context ctx, CompletableFuture<T> done, Responder<T> responder) {
        T value;
        try {
            value = done.join();
        } catch (CompletionException failed) {
            throw unavailable(failed);
        }
        responder.respond(ctx, value);
    }

    /**
     * Answers the request with {@code responder} once {@code pending} completes, on the Jetty pool;
     * a failure is answered as {@link #unavailable}, and no result within
     * {@code http.request_timeout_ms} as 503 {@code TIMEOUT} ({@link #timedOut}).
     */
    public <T> void respondLater(Context ctx, CompletableFuture<T> pending, Responder<T> responder) {
        // handleAsync (not thenAcceptAsync) so that even a failed command continues on the pool:
        // an exceptional completion would otherwise run Javalin's error path on the completing thread.
        // The timeout goes on a copy: the pipeline still completes the command's own future.
        ctx.future(() -> pending.copy().orTimeout(requestTimeoutMillis, TimeUnit.MILLISECONDS).handleAsync((v, failure) -> {
            if (PathTrace.ON && traceKey(ctx) != null) {
                PathTrace.stamp(PathTrace.ASYNC_CONTINUE, traceKey(ctx));
            }
            if (failure != null) {
                throw unwrap(failure) instanceof TimeoutException ? timedOut() : unavailable(failure);
            }
            responder.respond(ctx, v);
            return null;
        }, responses));
    }

    /**
     * 503 with Retry-After: a command had no result within the request timeout. Unlike
     * {@code OVERLOADED} the command is in the ring and may still take effect, so the client is
     * told to retry with the same {@code client_order_id}, which answers with its outcome.
     */
    static ApiProblem timedOut() {
        return ApiProblem.withHeaders(503, "TIMEOUT", "no result within the request timeout; the request may still"
                + " take effect: retry it unchanged (orders with the same client_order_id) to learn its outcome",
                Map.of("Retry-After", Integer.toString(OVERLOADED_RETRY_AFTER_SECONDS)));
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    /** 503 with Retry-After: the ring is full. */
    public static ApiProblem overloaded() {
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
    public static void json(Context ctx, int status, byte[] body) {
        json(ctx, status, body, body.length);
    }

    /** As {@link #json(Context, int, byte[])}, from a writer's buffer (written out before this returns). */
    static void json(Context ctx, int status, JsonWriter body) {
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

    /** Answers {@code p} as {@code application/problem+json}, with its headers. */
    public static void problem(Context ctx, ApiProblem p) {
        // a refusal may come before the body was read (a bad key, an unknown path, a body too large)
        BodyReader.discardUnread(ctx);
        p.headers().forEach(ctx::header);
        if (p.status() == 401) {
            ctx.header("WWW-Authenticate", "Bearer");
        }
        ctx.status(p.status()).contentType(PROBLEM_JSON).result(HttpJson.problem(p));
    }

    /** Prose for a result code; the code itself is the stable part. */
    public static String describe(ResultCode code) {
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
            default -> code.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        };
    }
}
