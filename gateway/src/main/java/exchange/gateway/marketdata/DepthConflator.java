package exchange.gateway.marketdata;

import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import exchange.readside.marketdata.BookLevel;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Binance's {@code <symbol>@depth@100ms}: the depth diffs of each 100 ms merged into one
 * {@code depthUpdate}, {@code U} = the first merged diff's first sequence, {@code u} = the last
 * one's sequence, each changed level at its latest total (0 = gone). A client applying it with
 * Binance's local-order-book procedure ends at the same book as with {@code @depth}, which sends
 * every diff as it happens.
 *
 * <p>Threads: {@link #add} on the projector thread (through {@link MarketDataPublisher}, only while
 * the topic has subscribers); the flush on this class's own timer thread
 * ({@code stream-depth-100ms}), which formats and publishes (the hub's topics of this class have no
 * other producer). The two share one short lock per symbol around a few map updates, never I/O.
 * Bounded: a symbol's pending diff holds at most one entry per price level that changed.
 */
public final class DepthConflator implements AutoCloseable {
    /** Binance's update speed of this stream. */
    public static final Duration INTERVAL = Duration.ofMillis(100);

    private final StreamHub hub;
    private final LongSupplier epochNanosClock;
    private final Map<String, Pending> bySymbol = new HashMap<>();
    private final ScheduledThreadPoolExecutor timer;

    public DepthConflator(StreamHub hub, List<String> symbols, LongSupplier epochNanosClock) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.epochNanosClock = Objects.requireNonNull(epochNanosClock, "epochNanosClock");
        for (String s : symbols) {
            bySymbol.put(s, new Pending(s, StreamTopics.binance(StreamTopics.binanceSymbol(s) + "@depth@100ms")));
        }
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stream-depth-100ms");
            t.setDaemon(true);
            return t;
        });
        long nanos = INTERVAL.toNanos();
        timer.scheduleAtFixedRate(this::flushAll, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Merges one diff into its symbol's pending one (projector thread). A diff that does not follow
     * the pending one (the topic had no subscriber in between, so the publisher skipped diffs)
     * replaces it: nobody subscribed now can have missed what was skipped.
     */
    void add(DepthUpdate d) {
        Pending p = bySymbol.get(d.symbol());
        synchronized (p) {
            if (p.lastSeq != 0 && d.firstSeq() != p.lastSeq + 1) {
                p.clear();
            }
            if (p.lastSeq == 0) {
                p.firstSeq = d.firstSeq();
            }
            p.lastSeq = d.seq();
            p.timeNanos = d.timeNanos();
            for (BookLevel l : d.bids()) {
                p.bids.put(l.priceTicks(), l);
            }
            for (BookLevel l : d.asks()) {
                p.asks.put(l.priceTicks(), l);
            }
        }
    }

    /** Publishes each symbol's merged diff of the last interval, if it has one (timer thread). */
    void flushAll() {
        for (Pending p : bySymbol.values()) {
            DepthUpdate merged;
            synchronized (p) {
                if (p.lastSeq == 0) {
                    continue;
                }
                merged = new DepthUpdate(p.symbol, p.firstSeq, p.lastSeq, p.timeNanos,
                        sorted(p.bids, Comparator.comparingLong(BookLevel::priceTicks).reversed()),
                        sorted(p.asks, Comparator.comparingLong(BookLevel::priceTicks)));
                p.clear();
            }
            hub.publish(p.topic, merged.seq(), BinanceJson.depthUpdate(merged, epochNanosClock.getAsLong()));
        }
    }

    private static List<BookLevel> sorted(Map<Long, BookLevel> levels, Comparator<BookLevel> order) {
        List<BookLevel> out = new ArrayList<>(levels.values());
        out.sort(order);
        return out;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }

    /** One symbol's diff of the current interval; guarded by its own monitor. */
    private static final class Pending {
        final String symbol;
        final String topic;
        final Map<Long, BookLevel> bids = new HashMap<>();
        final Map<Long, BookLevel> asks = new HashMap<>();
        long firstSeq;
        /** 0: nothing pending. */
        long lastSeq;
        long timeNanos;

        Pending(String symbol, String topic) {
            this.symbol = symbol;
            this.topic = topic;
        }

        void clear() {
            bids.clear();
            asks.clear();
            firstSeq = 0;
            lastSeq = 0;
        }
    }
}
