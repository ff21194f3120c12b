package exchange.gateway.quotes;

import exchange.gateway.EpochNanoClock;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.metrics.MeteredPublisher;
import exchange.gateway.quotes.SourceHealth.RestOutcome;

import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Every configured quote source's {@link QuoteAdapter}, and the two threads they share: one
 * scheduler thread ({@code quote-sources}: timers, publishing, and the HTTP client's callbacks
 * as its executor) and the JDK HTTP client's own selector thread. (The JDK's WebSocket opening
 * handshake also completes one stage on {@code CompletableFuture}'s default executor, which on a
 * machine of two cores is a short-lived thread per connect.) With no source configured, nothing
 * is started. Also registers the sources' health on {@code /metrics}.
 */
public final class QuoteSources implements AutoCloseable {
    /** How long {@link #close} waits for a timer task that is running. */
    private static final long CLOSE_WAIT_MILLIS = 2_000;

    private final List<QuoteAdapter> adapters = new ArrayList<>();
    private final ScheduledThreadPoolExecutor scheduler;
    private final LongSupplier nanoTime;

    private QuoteSources(List<QuoteSourceConfig> sources, QuoteTuning tuning, long maxPriceTicks,
                         MeteredPublisher publisher, EpochNanoClock clock, LongSupplier nanoTime, long seed) {
        this.nanoTime = nanoTime;
        if (sources.isEmpty()) {
            scheduler = null;
            return;
        }
        scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "quote-sources");
            t.setDaemon(true);
            return t;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        HttpClient http = HttpClient.newBuilder()
                .executor(scheduler)
                .connectTimeout(tuning.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1)
                .build();
        SplittableRandom jitter = new SplittableRandom(seed);
        for (QuoteSourceConfig s : sources) {
            adapters.add(new QuoteAdapter(s, tuning, maxPriceTicks, http, scheduler, publisher, clock, nanoTime,
                    jitter.split()));
        }
    }

    /**
     * Creates and starts an adapter per source.
     *
     * @param maxPriceTicks the engine's highest price
     */
    public static QuoteSources start(List<QuoteSourceConfig> sources, QuoteTuning tuning, long maxPriceTicks,
                                     MeteredPublisher publisher, EpochNanoClock clock) {
        QuoteSources q = new QuoteSources(sources, tuning, maxPriceTicks, publisher, clock, System::nanoTime,
                System.nanoTime());
        q.adapters.forEach(QuoteAdapter::start);
        return q;
    }

    public List<QuoteAdapter> adapters() {
        return List.copyOf(adapters);
    }

    /** Monotonic now, on the clock the health ages are measured with. */
    public long nanoTime() {
        return nanoTime.getAsLong();
    }

    /** Registers each source's health as labelled families ({@code source="<name>"}); nothing without sources. */
    public void registerMetrics(GatewayMetrics metrics) {
        if (adapters.isEmpty()) {
            return;
        }
        metrics.gaugeFamily("exchange_quote_source_connected", "1 while the source's WebSocket is open, else 0.",
                () -> perSource(a -> a.health().connected() ? 1 : 0));
        metrics.gaugeFamily("exchange_quote_source_last_message_age_ms",
                "Milliseconds since the source's last message (-1 before the first).",
                () -> perSource(a -> ageMillis(a.health().lastMessageNanos())));
        counter(metrics, "exchange_quote_source_reconnects_total", "Reconnection attempts of the source.",
                a -> a.health().reconnects());
        counter(metrics, "exchange_quote_source_messages_total", "WebSocket text messages from the source.",
                a -> a.health().messages());
        counter(metrics, "exchange_quote_source_quotes_published_total",
                "reference_quote commands the ring took from the source, keep-alives included.",
                a -> a.health().quotesPublished());
        counter(metrics, "exchange_quote_source_keepalives_total",
                "Unchanged quotes published again so that a live quote does not go stale.",
                a -> a.health().keepAlives());
        counter(metrics, "exchange_quote_source_ring_full_total",
                "Quotes the ring refused (kept pending for the next publish interval).", a -> a.health().ringFull());
        counter(metrics, "exchange_quote_source_engine_refused_total",
                "Published quotes the engine refused (normally 0).", a -> a.health().engineRefused());
        metrics.counterFamily("exchange_quote_source_dropped_total", "Messages and quotes dropped, by reason.", () -> {
            List<GatewayMetrics.Sample> out = new ArrayList<>();
            for (QuoteAdapter a : adapters) {
                for (DropReason r : DropReason.values()) {
                    out.add(new GatewayMetrics.Sample(GatewayMetrics.labels("source", a.config().name(), "reason",
                            r.wireName()), a.health().dropped(r)));
                }
            }
            return out;
        });
        metrics.counterFamily("exchange_quote_source_rest_calls_total",
                "REST gap-fill calls by outcome (throttled: waited for the token bucket).", () -> {
                    List<GatewayMetrics.Sample> out = new ArrayList<>();
                    for (QuoteAdapter a : adapters) {
                        for (RestOutcome o : RestOutcome.values()) {
                            out.add(new GatewayMetrics.Sample(GatewayMetrics.labels("source", a.config().name(),
                                    "outcome", o.name().toLowerCase(java.util.Locale.ROOT)), a.health().rest(o)));
                        }
                    }
                    return out;
                });
    }

    /** Milliseconds since {@code nanos} on {@link #nanoTime()}, -1 for {@link Long#MIN_VALUE} (never). */
    public long ageMillis(long nanos) {
        return nanos == Long.MIN_VALUE ? -1 : Math.max(0, (nanoTime.getAsLong() - nanos) / 1_000_000);
    }

    private void counter(GatewayMetrics metrics, String name, String help, java.util.function.ToLongFunction<QuoteAdapter> f) {
        metrics.counterFamily(name, help, () -> perSource(f));
    }

    private List<GatewayMetrics.Sample> perSource(java.util.function.ToLongFunction<QuoteAdapter> f) {
        List<GatewayMetrics.Sample> out = new ArrayList<>();
        for (QuoteAdapter a : adapters) {
            out.add(new GatewayMetrics.Sample(GatewayMetrics.labels("source", a.config().name()), f.applyAsLong(a)));
        }
        return out;
    }

    /** Closes every adapter, then stops the scheduler (waiting briefly for a running task). */
    @Override
    public void close() {
        adapters.forEach(QuoteAdapter::close);
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(CLOSE_WAIT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
