package exchange.gateway.stream;

import exchange.gateway.metrics.GatewayMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Topic fan-out for the WebSocket stream layer, generic over topic names and JSON text.
 *
 * <p>Threads: {@link #publish} is called by one producer thread per topic (the market-data
 * projector; the {@code @depth@100ms} conflator's timer for those topics) and never waits: it offers the text to each subscriber's bounded queue and returns. Writes start on
 * the hub's one timer thread ("stream-timer", which also pings every connection) and continue on
 * Jetty's threads as each write completes; there is no thread per connection. Subscribing and
 * unsubscribing happen on the Jetty thread serving the connection.
 *
 * <p>Owns the topic index (topic -> subscriptions), the open connections, the per-address
 * connection counts and the stream counters shown on {@code /metrics}. The {@link StreamCatalog}
 * says which topics exist and what a new subscriber is sent first.
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StreamHub.class);

    private final StreamConfig config;
    private final StreamCatalog catalog;
    private final ConcurrentHashMap<String, CopyOnWriteArrayList<Subscription>> topics = new ConcurrentHashMap<>();
    private final Set<StreamConnection> connections = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, AtomicInteger> connectionsByAddress = new ConcurrentHashMap<>();
    private final AtomicInteger subscriptionCount = new AtomicInteger();
    private final LongAdder messagesSent = new LongAdder();
    private final LongAdder slowConsumersDropped = new LongAdder();
    private final LongAdder connectionsRefused = new LongAdder();
    private final LongAdder rateLimited = new LongAdder();
    private final LongAdder pingTimeouts = new LongAdder();
    private final LongAdder published = new LongAdder();
    private final ScheduledThreadPoolExecutor timer;

    public StreamHub(StreamConfig config, StreamCatalog catalog) {
        this.config = Objects.requireNonNull(config);
        this.catalog = Objects.requireNonNull(catalog);
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stream-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
        long tickNanos = Math.max(StreamConfig.MIN_TIMER.toNanos(),
                Math.min(config.pingInterval().toNanos(), config.pongTimeout().toNanos()) / 4);
        timer.scheduleWithFixedDelay(this::tick, tickNanos, tickNanos, TimeUnit.NANOSECONDS);
    }

    public StreamConfig config() {
        return config;
    }

    public StreamCatalog catalog() {
        return catalog;
    }

    /**
     * Offers {@code jsonText} (one message reflecting sequence {@code seq}) to every subscriber of
     * {@code topic}. The topic's producer thread only; returns without waiting for any client. Binance's combined
     * connections get it wrapped in {@code {"stream":<name>,"data":<jsonText>}}, built once per call.
     */
    public void publish(String topic, long seq, String jsonText) {
        publish(topic, seq, jsonText, false);
    }

    /**
     * As {@link #publish}, for a message the wall clock caused at an unchanged {@code seq} (a candle
     * closed by the clock, a reference quote gone stale): a snapshot taken at that same seq may not
     * reflect it, so subscribers whose snapshot is at {@code seq} get it too. At worst that repeats
     * what a later-taken snapshot already showed, for the same state.
     */
    public void publishByClock(String topic, long seq, String jsonText) {
        publish(topic, seq, jsonText, true);
    }

    private void publish(String topic, long seq, String jsonText, boolean byClock) {
        published.increment();
        List<Subscription> subs = topics.get(topic);
        if (subs == null) {
            return;
        }
        String wrapped = null;
        for (Subscription sub : subs) {
            StreamConnection c = sub.connection;
            if (c.combined()) {
                if (wrapped == null) {
                    wrapped = "{\"stream\":\"" + sub.name + "\",\"data\":" + jsonText + "}";
                }
                c.offer(sub, seq, wrapped, byClock);
            } else {
                c.offer(sub, seq, jsonText, byClock);
            }
        }
    }

    /** Subscribers of {@code topic} now (tests, diagnostics). */
    public int subscriberCount(String topic) {
        List<Subscription> subs = topics.get(topic);
        return subs == null ? 0 : subs.size();
    }

    /** Open connections now. */
    public int connectionCount() {
        return connections.size();
    }

    public int subscriptionCount() {
        return subscriptionCount.get();
    }

    public long messagesSent() {
        return messagesSent.sum();
    }

    public long slowConsumersDropped() {
        return slowConsumersDropped.sum();
    }

    public long connectionsRefused() {
        return connectionsRefused.sum();
    }

    public long rateLimitedCount() {
        return rateLimited.sum();
    }

    public long pingTimeouts() {
        return pingTimeouts.sum();
    }

    /** Registers the stream gauges and counters on {@code /metrics}. */
    public void registerMetrics(GatewayMetrics metrics) {
        metrics.gauge("exchange_stream_connections", "Open WebSocket stream connections.", connections::size);
        metrics.gauge("exchange_stream_subscriptions", "Stream subscriptions over all connections.",
                subscriptionCount::get);
        metrics.counter("exchange_stream_messages_published_total", "Messages published to the stream hub.",
                published::sum);
        metrics.counter("exchange_stream_messages_sent_total", "Messages written to stream clients.",
                messagesSent::sum);
        metrics.counter("exchange_stream_slow_consumers_dropped_total",
                "Stream connections closed because their outbound queue was full.", slowConsumersDropped::sum);
        metrics.counter("exchange_stream_connections_refused_total",
                "Stream upgrades refused (connections per address).", connectionsRefused::sum);
        metrics.counter("exchange_stream_rate_limited_total",
                "Stream connections closed for sending too many messages.", rateLimited::sum);
        metrics.counter("exchange_stream_ping_timeouts_total",
                "Stream connections closed because a ping went unanswered.", pingTimeouts::sum);
    }

    // ---- connections -----------------------------------------------------------------------

    /** Takes a connection slot for {@code address}, or returns false (counted) if it holds its limit. */
    boolean tryReserve(String address) {
        AtomicInteger n = connectionsByAddress.computeIfAbsent(address, a -> new AtomicInteger());
        while (true) {
            int current = n.get();
            if (current >= config.maxConnectionsPerAddress()) {
                connectionsRefused.increment();
                return false;
            }
            if (n.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives back a slot taken by {@link #tryReserve}. */
    void release(String address) {
        connectionsByAddress.computeIfPresent(address, (a, n) -> n.decrementAndGet() <= 0 ? null : n);
    }

    void opened(StreamConnection c) {
        connections.add(c);
    }

    /** The connection is gone (its subscriptions already left the topic index): its slot is freed. */
    void closed(StreamConnection c) {
        if (connections.remove(c)) {
            release(c.address());
        }
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /** Adds {@code sub} to its topic's subscribers; from now on publishes reach it (held until its snapshot). */
    void register(Subscription sub) {
        topics.computeIfAbsent(sub.topic, t -> new CopyOnWriteArrayList<>()).add(sub);
        subscriptionCount.incrementAndGet();
    }

    void unregister(Subscription sub) {
        CopyOnWriteArrayList<Subscription> subs = topics.get(sub.topic);
        if (subs != null && subs.remove(sub)) {
            subscriptionCount.decrementAndGet();
        }
    }

    /**
     * Subscribes {@code c} to each of {@code topics} (named {@code names} on the wire), all of them
     * validated by the caller: registers each first, then runs {@code beforeSnapshots} (the answer to
     * the request), then takes and queues each topic's snapshot. Names already subscribed are skipped.
     */
    void subscribe(StreamConnection c, List<String> topicList, List<String> names, Runnable beforeSnapshots) {
        Subscription[] added = new Subscription[topicList.size()];
        for (int i = 0; i < added.length; i++) {
            added[i] = c.addSubscription(topicList.get(i), names.get(i));
            if (added[i] != null) {
                register(added[i]);
            }
        }
        beforeSnapshots.run();
        for (Subscription sub : added) {
            if (sub != null) {
                c.releaseSnapshot(sub, catalog.snapshot(sub.topic));
            }
        }
    }

    /** Unsubscribes {@code c} from each stream in {@code names} it is subscribed to. */
    void unsubscribe(StreamConnection c, List<String> names) {
        for (String name : names) {
            Subscription sub = c.removeSubscription(name);
            if (sub != null) {
                unregister(sub);
            }
        }
    }

    // ---- threads -------------------------------------------------------------------------------

    /** Runs {@code task} on the hub's timer thread (starting a connection's writes off the producer). */
    void dispatch(Runnable task) {
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the hub is closing: connections are being closed anyway
        }
    }

    long nanoTime() {
        return System.nanoTime();
    }

    void messageSent() {
        messagesSent.increment();
    }

    void slowConsumerDropped() {
        slowConsumersDropped.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void pingTimedOut() {
        pingTimeouts.increment();
    }

    private void tick() {
        long now = nanoTime();
        for (StreamConnection c : connections) {
            try {
                c.tick(now);
            } catch (RuntimeException e) {
                LOG.warn("stream connection tick failed", e);
            }
        }
    }

    /** Closes every connection ({@link StreamCloseReason#SHUTDOWN}) and stops the timer thread. */
    @Override
    public void close() {
        for (StreamConnection c : connections) {
            c.close(StreamCloseReason.SHUTDOWN, "server stopping");
        }
        timer.shutdownNow();
    }
}
