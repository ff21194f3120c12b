package exchange.gateway.stream;

import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket connection of the stream layer: its bounded outbound queue, its subscriptions and
 * its liveness. Jetty calls the {@link Session.Listener} methods (one frame at a time); the hub's
 * producer thread calls {@link #offer}; the hub's timer thread calls {@link #tick}.
 *
 * <p>Writes are asynchronous, up to {@link #MAX_IN_FLIGHT} messages at a time: {@link Session#sendText}
 * with this object as the callback, and the next batch is taken when the last of the previous
 * one completes. No thread
 * waits for a slow client; a client that falls {@link StreamConfig#outboundQueueLength()} messages
 * behind is dropped ({@link StreamCloseReason#SLOW_CONSUMER}). The queue, the in-flight flag and the
 * subscriptions' skip/held state are guarded by {@code lock}; critical sections are a few field
 * updates, never I/O.
 */
public final class StreamConnection implements Session.Listener.AutoDemanding, Callback {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final StreamHub hub;
    private final StreamFace face;
    private final String address;
    private final int queueLimit;
    private final Object lock = new Object();
    /** guarded by lock */
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    /** Messages handed to Jetty at once, at most; they are beyond {@link StreamConfig#outboundQueueLength()}. */
    static final int MAX_IN_FLIGHT = 32;
    /** guarded by lock: the writer token, held by whoever runs {@link #pump} or waits for its batch */
    private boolean sending;
    /** guarded by lock: writes of the current batch not yet completed */
    private int inFlight;
    /** The batch being handed to Jetty; only the token holder touches it. */
    private final String[] batch = new String[MAX_IN_FLIGHT];
    /** guarded by lock */
    private boolean closed;
    /** true while this connection's pump is inside its {@link Session#sendText} loop; see {@link #pump}. */
    private final AtomicBoolean inSendCall = new AtomicBoolean();
    /** Subscriptions by the name the client used, in subscription order; guarded by lock. */
    private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    private volatile Session session;
    private volatile boolean combined;
    private volatile long accountId;
    // Liveness, written by the timer thread and the Jetty thread (pong).
    private volatile long lastPingNanos;
    private volatile boolean awaitingPong;
    private volatile long closeRequestedNanos;
    // Inbound rate (GCRA): the theoretical arrival time of the next message; Jetty thread only.
    private long inboundTatNanos;

    StreamConnection(StreamHub hub, StreamFace face, String address, boolean combined) {
        this.hub = hub;
        this.face = face;
        this.address = address;
        this.combined = combined;
        this.queueLimit = hub.config().outboundQueueLength();
    }

    // ---- Jetty's listener ------------------------------------------------------------------

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        lastPingNanos = hub.nanoTime();
        hub.opened(this);
        face.onOpen(this);
    }

    @Override
    public void onWebSocketText(String text) {
        long now = hub.nanoTime();
        long costNanos = 1_000_000_000L / hub.config().inboundMessagesPerSecond();
        long tat = Math.max(inboundTatNanos, now) + costNanos;
        // a burst of one second's allowance is accepted, no more
        if (tat - now > 1_000_000_000L) {
            hub.rateLimited();
            close(StreamCloseReason.RATE_LIMITED,
                    "more than " + hub.config().inboundMessagesPerSecond() + " messages per second");
            return;
        }
        inboundTatNanos = tat;
        face.onText(this, text);
    }

    @Override
    public void onWebSocketPong(ByteBuffer payload) {
        awaitingPong = false;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        terminate();
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        terminate();
    }

    // ---- outbound --------------------------------------------------------------------------

    /**
     * Queues a topic message for this subscriber (producer thread). Skips what its snapshot already
     * holds, parks it while the snapshot is being taken, and drops the connection if its queue is
     * full. Returns at once in every case.
     */
    void offer(Subscription sub, long seq, String text, boolean byClock) {
        boolean start;
        synchronized (lock) {
            if (closed || seq < sub.skipThroughSeq || (seq == sub.skipThroughSeq && !byClock)) {
                return;
            }
            if (queue.size() + (sub.held == null ? 0 : sub.held.size()) >= queueLimit) {
                closed = true;
                queue.clear();
            } else if (sub.held != null) {
                sub.held.add(new Subscription.Held(seq, text, byClock));
                return;
            } else {
                queue.add(text);
                start = !sending;
                sending |= start;
                if (start) {
                    hub.dispatch(this::pump);
                }
                return;
            }
        }
        hub.slowConsumerDropped();
        hub.dispatch(() -> closeNow(StreamCloseReason.SLOW_CONSUMER, "outbound queue full (" + queueLimit + " messages)"));
    }

    /** Queues an answer to the client (Jetty thread) and writes it from this thread if idle. */
    void send(String text) {
        boolean start;
        synchronized (lock) {
            if (closed) {
                return;
            }
            queue.add(text);
            start = !sending;
            sending |= start;
        }
        if (start) {
            pump();
        }
    }

    /**
     * Queues {@code snapshot}'s messages, then the topic messages that arrived meanwhile and are newer
     * than it, and lets later messages flow straight to the queue (Jetty thread, after registering).
     */
    void releaseSnapshot(Subscription sub, StreamCatalog.Snapshot snapshot) {
        boolean start;
        synchronized (lock) {
            if (closed || sub.held == null) {
                return;
            }
            if (snapshot != null) {
                queue.addAll(snapshot.messages());
                sub.skipThroughSeq = snapshot.seq();
            }
            for (Subscription.Held h : sub.held) {
                if (h.after(sub.skipThroughSeq)) {
                    queue.add(h.text());
                }
            }
            sub.held = null;
            start = !queue.isEmpty() && !sending;
            sending |= start;
        }
        if (start) {
            pump();
        }
    }

    /**
     * Writes queued messages, up to {@link #MAX_IN_FLIGHT} at a time: they go to Jetty together,
     * whose frame flusher gathers the frames queued behind a write into one system call, and the
     * next batch is taken when the batch's last write completes. One frame per write and turn
     * would cap a connection at one message per thread-pool round trip (BENCHMARKS.md, fan-out).
     * The caller holds the writer token ({@code sending}). Jetty may complete writes inside
     * {@code sendText}; then {@link #succeed} leaves the next batch to this loop instead of
     * recursing, so a long queue never deepens the stack.
     */
    private void pump() {
        while (true) {
            int n = 0;
            synchronized (lock) {
                while (!closed && n < MAX_IN_FLIGHT) {
                    String next = queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch[n++] = next;
                }
                if (n == 0) {
                    sending = false;
                    return;
                }
                inFlight = n;
            }
            Session s = session;
            inSendCall.set(true);
            for (int i = 0; i < n; i++) {
                String text = batch[i];
                batch[i] = null;
                s.sendText(text, this);
            }
            if (inSendCall.compareAndSet(true, false)) {
                return; // still in flight: the batch's last succeed() continues from Jetty's thread
            }
            // the whole batch completed during sendText: this loop writes the next one
        }
    }

    @Override
    public void succeed() {
        hub.messageSent();
        synchronized (lock) {
            if (--inFlight > 0) {
                return;
            }
        }
        if (inSendCall.compareAndSet(true, false)) {
            return; // pump() is still inside its sendText loop and will take the next batch
        }
        pump();
    }

    @Override
    public void fail(Throwable x) {
        LOG.debug("stream write to {} failed: {}", address, x.toString());
        inSendCall.set(false);
        terminate();
        Session s = session;
        if (s != null) {
            s.disconnect();
        }
    }

    // ---- subscriptions -----------------------------------------------------------------------

    /** A new subscription in the "snapshot pending" state, or null if the name is already subscribed. */
    Subscription addSubscription(String topic, String name) {
        synchronized (lock) {
            if (closed || subscriptions.containsKey(name)) {
                return null;
            }
            Subscription sub = new Subscription(this, topic, name);
            subscriptions.put(name, sub);
            return sub;
        }
    }

    /** Removes the subscription named {@code name}; null if there was none. */
    Subscription removeSubscription(String name) {
        synchronized (lock) {
            return subscriptions.remove(name);
        }
    }

    boolean isSubscribed(String name) {
        synchronized (lock) {
            return subscriptions.containsKey(name);
        }
    }

    /** The names subscribed to, in subscription order. */
    public List<String> subscriptionNames() {
        synchronized (lock) {
            return new ArrayList<>(subscriptions.keySet());
        }
    }

    int subscriptionCount() {
        synchronized (lock) {
            return subscriptions.size();
        }
    }

    // ---- state used by the faces ---------------------------------------------------------------

    StreamHub hub() {
        return hub;
    }

    String address() {
        return address;
    }

    /** Binance's {@code combined} property: wrap each message in {@code {"stream","data"}}. */
    boolean combined() {
        return combined;
    }

    void combined(boolean v) {
        combined = v;
    }

    /** The account authenticated with AUTH, or 0. */
    long accountId() {
        return accountId;
    }

    void accountId(long v) {
        accountId = v;
    }

    /** The upgrade request's query parameter {@code name}, or null. */
    String queryParameter(String name) {
        List<String> values = session.getUpgradeRequest().getParameterMap().get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The upgrade request's path. */
    String path() {
        return session.getUpgradeRequest().getRequestURI().getPath();
    }

    // ---- liveness and closing ------------------------------------------------------------------

    /**
     * Timer thread: pings when due, closes a connection whose ping went unanswered past the pong
     * timeout, and disconnects one that was closed but whose peer never completed the close
     * handshake (a client that does not read cannot receive the close frame either).
     */
    void tick(long now) {
        Session s = session;
        if (s == null) {
            return;
        }
        long closing = closeRequestedNanos;
        StreamConfig cfg = hub.config();
        if (closing != 0) {
            if (now - closing > cfg.pongTimeout().toNanos()) {
                s.disconnect();
                terminate();
            }
            return;
        }
        if (awaitingPong) {
            if (now - lastPingNanos > cfg.pongTimeout().toNanos()) {
                hub.pingTimedOut();
                closeNow(StreamCloseReason.PING_TIMEOUT, "no pong within " + cfg.pongTimeout().toMillis() + " ms");
            }
        } else if (now - lastPingNanos >= cfg.pingInterval().toNanos()) {
            lastPingNanos = now;
            awaitingPong = true;
            s.sendPing(ByteBuffer.allocate(0), Callback.NOOP);
        }
    }

    /** Closes with {@code reason}: nothing more is queued, the close frame follows what is in flight. */
    void close(StreamCloseReason reason, String detail) {
        closeNow(reason, detail);
    }

    private void closeNow(StreamCloseReason reason, String detail) {
        unsubscribeAll(); // a closing connection takes no more messages
        if (closeRequestedNanos == 0) {
            closeRequestedNanos = hub.nanoTime();
        }
        Session s = session;
        if (s != null && s.isOpen()) {
            s.close(reason.code(), reason.reason(detail), Callback.NOOP);
        }
    }

    /** Marks the connection closed, empties its queue and takes its subscriptions out of the hub. */
    private void unsubscribeAll() {
        List<Subscription> subs;
        synchronized (lock) {
            closed = true;
            queue.clear();
            subs = new ArrayList<>(subscriptions.values());
            subscriptions.clear();
        }
        for (Subscription sub : subs) {
            hub.unregister(sub);
        }
    }

    /** The connection is gone: unsubscribe everything and give its address slot back. Idempotent. */
    private void terminate() {
        unsubscribeAll();
        hub.closed(this);
    }
}
