package exchange.gateway.quotes;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.ResultHandler;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.quotes.BinanceQuoteMessages.BookTicker;
import exchange.gateway.quotes.BinanceQuoteMessages.Message;
import exchange.gateway.quotes.BinanceQuoteMessages.Trade;
import exchange.gateway.quotes.SourceHealth.RestOutcome;
import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

/**
 * One quote source: a WebSocket client of its {@code <symbol>@bookTicker} and {@code <symbol>@trade}
 * streams, a REST client that fills the gap after each (re)connect with one batched bookTicker
 * call, and the publisher of its quotes into the ring as {@code reference_quote} commands.
 *
 * <p>Connection: on a close, an error or a read timeout (no frame at all, pongs included, for
 * {@link QuoteTuning#readTimeout()}; the adapter pings every {@link QuoteTuning#pingInterval()})
 * it reconnects after an exponential backoff with full jitter ({@link Backoff}), reset once a
 * connection has delivered a message. Every open connection asks for a REST gap fill; at most
 * one is pending at a time (a reconnect storm asks once), each call takes a token of the
 * source's bucket ({@code rest_requests_per_second}, one second's worth of burst) or waits for
 * one, and a failed call (I/O, 5xx, 429 or 418 with their {@code Retry-After}) is retried with
 * backoff. A REST ticker older than a WebSocket quote already received for the symbol is not
 * applied.
 *
 * <p>Messages go through {@link QuoteNormalizer} (drops counted by reason in {@link SourceHealth})
 * into {@link QuoteCoalescer}, which the scheduler drains once per publish interval: how a fast
 * feed is kept from flooding the ring is written there. Publishing never blocks: a full ring
 * leaves the quote pending and is counted.
 *
 * <p>Threads: none of its own. WebSocket and HTTP callbacks run on the shared HTTP client's
 * threads, timers on the shared scheduler ({@link QuoteSources}); all mutable state is guarded
 * by this object's lock, held briefly and never across I/O. Engine answers arrive on the results
 * thread and only touch counters.
 */
public final class QuoteAdapter implements AutoCloseable {
    /** Longest WebSocket message kept while its frames arrive; a longer one is dropped as unparseable. */
    static final int MAX_MESSAGE_CHARS = 64 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(QuoteAdapter.class);

    private final QuoteSourceConfig config;
    private final QuoteTuning tuning;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private final MeteredPublisher publisher;
    private final EpochNanoClock clock;
    private final LongSupplier nanoTime;
    private final List<String> externals;
    private final String[] ours;
    private final QuoteNormalizer normalizer;
    private final QuoteCoalescer coalescer;
    private final SourceHealth health = new SourceHealth();
    private final Backoff reconnectBackoff;
    private final Backoff restBackoff;
    private final TokenBucketRateLimiter restBucket;
    private final long keepAliveNanos;
    private final QuoteCoalescer.Sink sink = this::publish;
    private final ResultHandler engineAnswers = new ResultHandler() {
        @Override
        public void onResult(Command c) {
            if (c.result != ResultCode.OK) {
                health.engineRefused.increment();
            }
        }

        @Override
        public void onFailure(Throwable failure) {
            // the pipeline stopped: the exchange is going down and logs why
        }
    };

    // guarded by this
    private boolean closed;
    private long generation;
    private WebSocket socket;
    private long lastFrameNanos;
    private boolean deliveredSinceOpen;
    private boolean gapFillPending;
    private final List<ScheduledFuture<?>> timers = new ArrayList<>();

    /**
     * @param maxPriceTicks the engine's highest price: quotes above it are dropped here, not refused there
     * @param clock         the wall clock stamped into the commands
     * @param nanoTime      monotonic time for ages and timers
     * @param random        the jitter's source
     */
    public QuoteAdapter(QuoteSourceConfig config, QuoteTuning tuning, long maxPriceTicks, HttpClient http,
                        ScheduledExecutorService scheduler, MeteredPublisher publisher, EpochNanoClock clock,
                        LongSupplier nanoTime, RandomGenerator random) {
        this.config = config;
        this.tuning = tuning;
        this.http = http;
        this.scheduler = scheduler;
        this.publisher = publisher;
        this.clock = clock;
        this.nanoTime = nanoTime;
        this.externals = List.copyOf(config.symbols().keySet());
        this.ours = config.symbols().values().toArray(new String[0]);
        this.normalizer = new QuoteNormalizer(externals, maxPriceTicks, config.staleAfterNanos(), tuning.jumpLimitBps(),
                tuning.jumpConfirmations());
        this.keepAliveNanos = config.staleAfterNanos() / 2;
        this.coalescer = new QuoteCoalescer(externals.size(), keepAliveNanos);
        this.reconnectBackoff = new Backoff(tuning.backoffBase().toNanos(), tuning.backoffCap().toNanos(), random);
        this.restBackoff = new Backoff(tuning.restRetryBase().toNanos(),
                Math.max(tuning.restRetryBase().toNanos(), tuning.backoffCap().toNanos()), random);
        this.restBucket = new TokenBucketRateLimiter(config.restRequestsPerSecond(), config.restRequestsPerSecond(),
                nanoTime);
    }

    public QuoteSourceConfig config() {
        return config;
    }

    public SourceHealth health() {
        return health;
    }

    /** Connects, and starts the publish and connection-check timers. */
    public synchronized void start() {
        long publish = tuning.publishInterval().toNanos();
        long ping = tuning.pingInterval().toNanos();
        timers.add(scheduler.scheduleWithFixedDelay(guarded(this::flush), publish, publish, TimeUnit.NANOSECONDS));
        timers.add(scheduler.scheduleWithFixedDelay(guarded(this::checkConnection), ping, ping, TimeUnit.NANOSECONDS));
        connect();
    }

    /** Stops the timers and drops the connection; nothing is published afterwards. */
    @Override
    public synchronized void close() {
        closed = true;
        generation++;
        timers.forEach(t -> t.cancel(false));
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        health.connected(false);
    }

    /**
     * One symbol's latest quote as the adapter holds it (prices 0 and sizes 0 before the first),
     * for {@code GET /v1/admin/sources}; {@code publishedAtNanos} is {@link Long#MIN_VALUE} before
     * the first publication.
     */
    public record SymbolState(String external, String symbol, long bidTicks, long bidQty, long askTicks, long askQty,
                              long lastTicks, long publishedAtNanos) {
    }

    public synchronized List<SymbolState> symbols() {
        List<SymbolState> out = new ArrayList<>();
        for (int slot = 0; slot < externals.size(); slot++) {
            long[] q = coalescer.latest(slot);
            out.add(q == null
                    ? new SymbolState(externals.get(slot), ours[slot], 0, 0, 0, 0, 0, coalescer.publishedAtNanos(slot))
                    : new SymbolState(externals.get(slot), ours[slot], q[0], q[1], q[2], q[3], q[4],
                            coalescer.publishedAtNanos(slot)));
        }
        return out;
    }

    // ---- connection ---------------------------------------------------------------------------------

    private synchronized void connect() {
        if (closed) {
            return;
        }
        long gen = ++generation;
        http.newWebSocketBuilder()
                .connectTimeout(tuning.connectTimeout())
                .buildAsync(config.streamUri(), new Listener(gen))
                .whenComplete((ws, failure) -> {
                    if (failure != null) {
                        disconnected(gen, failure.toString());
                    }
                });
    }

    private synchronized void opened(long gen, WebSocket ws) {
        if (gen != generation || closed) {
            ws.abort();
            return;
        }
        socket = ws;
        lastFrameNanos = nanoTime.getAsLong();
        deliveredSinceOpen = false;
        health.connected(true);
        LOG.info("quote source {} connected to {}", config.name(), config.wsUrl());
        requestGapFill();
    }

    /** The connection of {@code gen} is gone: schedule the next attempt (once per connection). */
    private synchronized void disconnected(long gen, String cause) {
        if (gen != generation || closed) {
            return;
        }
        generation++; // later callbacks of that connection are ignored
        boolean wasOpen = socket != null;
        if (socket != null) {
            socket.abort();
            socket = null;
        }
        health.connected(false);
        long delay = reconnectBackoff.nextDelayNanos();
        health.reconnects.increment();
        if (wasOpen) {
            LOG.warn("quote source {} lost its connection ({}); reconnecting in {} ms", config.name(), cause,
                    delay / 1_000_000);
        } else {
            LOG.debug("quote source {} could not connect ({}); retrying in {} ms", config.name(), cause,
                    delay / 1_000_000);
        }
        timers.add(scheduler.schedule(guarded(this::connect), delay, TimeUnit.NANOSECONDS));
        timers.removeIf(t -> t.isDone());
    }

    /** The ping timer: a connection silent past the read timeout is dead; a live one is pinged. */
    private synchronized void checkConnection() {
        if (socket == null) {
            return;
        }
        if (nanoTime.getAsLong() - lastFrameNanos > tuning.readTimeout().toNanos()) {
            disconnected(generation, "no frame for " + tuning.readTimeout().toMillis() + " ms");
            return;
        }
        try {
            socket.sendPing(ByteBuffer.allocate(0));
        } catch (IllegalStateException | IllegalArgumentException e) {
            // a ping still being sent: the next round tries again; a dead peer shows as the timeout
        }
    }

    private synchronized void frame(long gen) {
        if (gen == generation) {
            lastFrameNanos = nanoTime.getAsLong();
        }
    }

    private void onMessage(long gen, String text) {
        Message m = BinanceQuoteMessages.parse(text); // outside the lock: the only costly step
        synchronized (this) {
            if (gen != generation) {
                return;
            }
            long now = nanoTime.getAsLong();
            lastFrameNanos = now;
            health.messageAt(now);
            if (!deliveredSinceOpen) {
                deliveredSinceOpen = true;
                reconnectBackoff.reset();
            }
            apply(m, now);
        }
    }

    private void apply(Message m, long now) {
        QuoteNormalizer.Outcome outcome;
        if (m instanceof BookTicker b) {
            outcome = normalizer.bookTicker(b, now);
        } else if (m instanceof Trade t) {
            outcome = normalizer.trade(t, now);
        } else if (m == BinanceQuoteMessages.UNPARSEABLE) {
            outcome = DropReason.UNPARSEABLE;
        } else {
            return;
        }
        if (outcome instanceof QuoteNormalizer.Quote q) {
            coalescer.offerQuote(q.slot(), q.bidTicks(), q.bidQty(), q.askTicks(), q.askQty(), now);
        } else if (outcome instanceof QuoteNormalizer.LastPrice p) {
            coalescer.offerLast(p.slot(), p.priceTicks());
        } else {
            health.countDrop((DropReason) outcome);
        }
    }

    // ---- publishing ---------------------------------------------------------------------------------

    private synchronized void flush() {
        if (closed) {
            return;
        }
        long now = nanoTime.getAsLong();
        long last = health.lastMessageNanos();
        boolean confirmed = socket != null && last != Long.MIN_VALUE && now - last < keepAliveNanos;
        coalescer.collect(now, confirmed, sink);
    }

    private boolean publish(int slot, long bid, long bidQty, long ask, long askQty, long last, boolean keepAlive) {
        boolean taken = publisher.tryPublish(CommandType.REFERENCE_QUOTE, GatewayCommands.REFERENCE_QUOTE,
                new GatewayCommands.ReferenceQuote(clock, ours[slot], config.name(), bid, bidQty, ask, askQty, last,
                        config.staleAfterNanos()), engineAnswers);
        if (!taken) {
            health.ringFull.increment();
            return false;
        }
        health.quotesPublished.increment();
        if (keepAlive) {
            health.keepAlives.increment();
        }
        return true;
    }

    // ---- REST gap fill ------------------------------------------------------------------------------

    private synchronized void requestGapFill() {
        if (gapFillPending || closed) {
            return;
        }
        gapFillPending = true;
        restBackoff.reset();
        scheduler.execute(guarded(this::gapFill));
    }

    private synchronized void gapFill() {
        if (closed) {
            return;
        }
        TokenBucketRateLimiter.Decision d = restBucket.tryAcquire(0);
        if (!d.allowed()) {
            health.countRest(RestOutcome.THROTTLED);
            retryGapFill(d.retryAfterNanos());
            return;
        }
        long sentAt = nanoTime.getAsLong();
        HttpRequest request = HttpRequest.newBuilder(config.bookTickerUri())
                .timeout(tuning.restTimeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> restAnswered(response, failure, sentAt));
    }

    private synchronized void restAnswered(HttpResponse<String> response, Throwable failure, long sentAt) {
        if (closed) {
            return;
        }
        if (failure != null) {
            restFailed(failure.toString(), restBackoff.nextDelayNanos());
            return;
        }
        int status = response.statusCode();
        if (status == 200) {
            List<BookTicker> tickers;
            try {
                tickers = BinanceQuoteMessages.parseRest(response.body());
            } catch (IllegalArgumentException e) {
                restFailed("unreadable answer: " + e.getMessage(), restBackoff.nextDelayNanos());
                return;
            }
            health.countRest(RestOutcome.OK);
            gapFillPending = false;
            long now = nanoTime.getAsLong();
            for (BookTicker t : tickers) {
                int slot = normalizer.slot(t.symbol());
                // a WebSocket quote that arrived after the call was sent is newer than its answer
                if (slot < 0 || coalescer.quotedAtNanos(slot) < sentAt) {
                    apply(t, now);
                }
            }
        } else if (status == 429 || status == 418 || status >= 500) {
            long wait = restBackoff.nextDelayNanos();
            long retryAfter = response.headers().firstValueAsLong("Retry-After").orElse(0);
            restFailed("HTTP " + status, Math.max(wait, TimeUnit.SECONDS.toNanos(Math.min(retryAfter, 3_600))));
        } else {
            health.countRest(RestOutcome.FAILED);
            gapFillPending = false;
            LOG.warn("quote source {}: bookTicker answered HTTP {} ({}); no gap fill until the next reconnect",
                    config.name(), status, abbreviate(response.body()));
        }
    }

    private void restFailed(String why, long retryNanos) {
        health.countRest(RestOutcome.FAILED);
        LOG.debug("quote source {}: bookTicker failed ({}); retrying in {} ms", config.name(), why, retryNanos / 1_000_000);
        retryGapFill(retryNanos);
    }

    private void retryGapFill(long delayNanos) {
        timers.add(scheduler.schedule(guarded(this::gapFill), Math.max(1, delayNanos), TimeUnit.NANOSECONDS));
        timers.removeIf(t -> t.isDone());
    }

    private static String abbreviate(String s) {
        return s == null ? "" : s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    /** A timer task that logs instead of throwing: a periodic task that throws is never run again. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("quote source {}: unexpected error", config.name(), e);
            }
        };
    }

    /** The WebSocket callbacks of one connection attempt; the JDK calls them one at a time. */
    private final class Listener implements WebSocket.Listener {
        private final long gen;
        private final StringBuilder parts = new StringBuilder();
        private boolean tooLong;

        Listener(long gen) {
            this.gen = gen;
        }

        @Override
        public void onOpen(WebSocket ws) {
            opened(gen, ws);
            ws.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            if (last && parts.length() == 0 && !tooLong) {
                onMessage(gen, data.toString());
            } else {
                if (!tooLong && parts.length() + data.length() <= MAX_MESSAGE_CHARS) {
                    parts.append(data);
                } else {
                    tooLong = true;
                    parts.setLength(0);
                }
                if (last) {
                    onMessage(gen, tooLong ? "" : parts.toString());
                    parts.setLength(0);
                    tooLong = false;
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            frame(gen);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket ws, ByteBuffer message) {
            frame(gen); // the JDK answers the ping with a pong itself
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPong(WebSocket ws, ByteBuffer message) {
            frame(gen);
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            disconnected(gen, "closed by the venue: " + statusCode + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            disconnected(gen, error.toString());
        }
    }
}
