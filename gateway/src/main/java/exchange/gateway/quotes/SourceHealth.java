package exchange.gateway.quotes;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The health counters of one quote source, written by its adapter (WebSocket callbacks, the
 * scheduler, the results thread for engine answers) and read by {@code /metrics} and
 * {@code GET /v1/admin/sources} at any time. Counters only grow; all fields are safe to read
 * from any thread.
 */
public final class SourceHealth {
    /** Outcomes of a REST call, as counted. */
    public enum RestOutcome {
        OK,
        FAILED,
        THROTTLED
    }

    private volatile boolean connected;
    /** Monotonic time of the last text message from the source, {@link Long#MIN_VALUE} = none yet. */
    private volatile long lastMessageNanos = Long.MIN_VALUE;
    final LongAdder reconnects = new LongAdder();
    final LongAdder messages = new LongAdder();
    final LongAdder quotesPublished = new LongAdder();
    final LongAdder keepAlives = new LongAdder();
    final LongAdder ringFull = new LongAdder();
    final LongAdder engineRefused = new LongAdder();
    private final AtomicLongArray dropped = new AtomicLongArray(DropReason.values().length);
    private final AtomicLongArray rest = new AtomicLongArray(RestOutcome.values().length);

    void connected(boolean v) {
        connected = v;
    }

    void messageAt(long nanos) {
        lastMessageNanos = nanos;
        messages.increment();
    }

    void countDrop(DropReason reason) {
        dropped.incrementAndGet(reason.ordinal());
    }

    void countRest(RestOutcome outcome) {
        rest.incrementAndGet(outcome.ordinal());
    }

    public boolean connected() {
        return connected;
    }

    /** Monotonic nanos of the last message, {@link Long#MIN_VALUE} if none arrived yet. */
    public long lastMessageNanos() {
        return lastMessageNanos;
    }

    public long reconnects() {
        return reconnects.sum();
    }

    public long messages() {
        return messages.sum();
    }

    /** {@code reference_quote} commands the ring took, keep-alives included. */
    public long quotesPublished() {
        return quotesPublished.sum();
    }

    /** Of {@link #quotesPublished()}, the unchanged re-publications that keep a live quote fresh. */
    public long keepAlives() {
        return keepAlives.sum();
    }

    /** Publications the ring refused (full); the quote stayed pending for the next interval. */
    public long ringFull() {
        return ringFull.sum();
    }

    /** Published quotes the engine refused (e.g. {@code TOO_MANY_VENUES}); normally 0. */
    public long engineRefused() {
        return engineRefused.sum();
    }

    public long dropped(DropReason reason) {
        return dropped.get(reason.ordinal());
    }

    public long droppedTotal() {
        long n = 0;
        for (int i = 0; i < dropped.length(); i++) {
            n += dropped.get(i);
        }
        return n;
    }

    public long rest(RestOutcome outcome) {
        return rest.get(outcome.ordinal());
    }
}
