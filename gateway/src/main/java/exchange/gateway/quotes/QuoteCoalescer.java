package exchange.gateway.quotes;

import java.util.Arrays;

/**
 * The latest quote of each symbol of one source, and what of it has been published: the
 * adapter's defence against a fast feed flooding the ring.
 *
 * <p>How it coalesces: every accepted quote and trade overwrites the symbol's latest values (last
 * value wins; nothing queues). The adapter calls {@link #collect} once per publish interval
 * (50 ms by default, a fixed delay between runs); each call publishes, per symbol, at most one
 * {@code reference_quote}, and only if the latest values differ from those last published. So a
 * source publishes at most {@code symbols / publish interval} commands a second however fast it
 * sends, and a burst of N updates in one interval becomes one command carrying the last.
 *
 * <p>Keep-alive: a live but quiet quote is published again, unchanged, once
 * {@code keepAliveNanos} (half the source's staleness limit) have passed since it was last
 * published, but only while the source still confirms it (the adapter passes
 * {@code confirmed}: connected, and a message from the source within the keep-alive period),
 * so the engine does not let a quote expire that the venue still stands by. A silent source is
 * not vouched for: its quotes expire in the engine on their journaled times.
 *
 * <p>A publish the ring refuses (full) leaves the symbol dirty for the next call, and the call
 * stops there: the ring will not have room for the next symbol either.
 *
 * <p>Not thread safe: the owning adapter calls it under its lock. Time is a parameter.
 */
final class QuoteCoalescer {
    /** Publishes one quote; false when the ring refused it. */
    @FunctionalInterface
    interface Sink {
        boolean publish(int slot, long bidTicks, long bidQty, long askTicks, long askQty, long lastTicks,
                        boolean keepAlive);
    }

    private static final int BID = 0;
    private static final int BID_QTY = 1;
    private static final int ASK = 2;
    private static final int ASK_QTY = 3;
    private static final int LAST = 4;
    private static final int FIELDS = 5;

    private final long keepAliveNanos;
    private final long[][] latest;
    private final long[][] published;
    private final boolean[] hasQuote;
    private final boolean[] everPublished;
    private final long[] publishedAtNanos;
    private final long[] quotedAtNanos;

    QuoteCoalescer(int symbols, long keepAliveNanos) {
        if (keepAliveNanos <= 0) {
            throw new IllegalArgumentException("keepAliveNanos must be positive");
        }
        this.keepAliveNanos = keepAliveNanos;
        this.latest = new long[symbols][FIELDS];
        this.published = new long[symbols][FIELDS];
        this.hasQuote = new boolean[symbols];
        this.everPublished = new boolean[symbols];
        this.publishedAtNanos = new long[symbols];
        this.quotedAtNanos = new long[symbols];
    }

    /** A newer quote for {@code slot}, received at {@code nowNanos}. */
    void offerQuote(int slot, long bidTicks, long bidQty, long askTicks, long askQty, long nowNanos) {
        long[] l = latest[slot];
        l[BID] = bidTicks;
        l[BID_QTY] = bidQty;
        l[ASK] = askTicks;
        l[ASK_QTY] = askQty;
        hasQuote[slot] = true;
        quotedAtNanos[slot] = nowNanos;
    }

    /** The venue's newer last trade price for {@code slot}; published with the next quote. */
    void offerLast(int slot, long lastTicks) {
        latest[slot][LAST] = lastTicks;
    }

    /** When the latest quote of {@code slot} was offered; {@link Long#MIN_VALUE} if never. */
    long quotedAtNanos(int slot) {
        return hasQuote[slot] ? quotedAtNanos[slot] : Long.MIN_VALUE;
    }

    /** Whether {@code slot} has a quote not yet published. */
    boolean dirty(int slot) {
        return hasQuote[slot] && (!everPublished[slot] || !Arrays.equals(latest[slot], published[slot]));
    }

    /**
     * Publishes each symbol whose latest quote changed, and each unchanged one due a keep-alive
     * while {@code confirmed}; stops at the first refusal.
     *
     * @return the commands published
     */
    int collect(long nowNanos, boolean confirmed, Sink sink) {
        int n = 0;
        for (int slot = 0; slot < latest.length; slot++) {
            boolean changed = dirty(slot);
            boolean keepAlive = !changed && hasQuote[slot] && confirmed
                    && nowNanos - publishedAtNanos[slot] >= keepAliveNanos;
            if (!changed && !keepAlive) {
                continue;
            }
            long[] l = latest[slot];
            if (!sink.publish(slot, l[BID], l[BID_QTY], l[ASK], l[ASK_QTY], l[LAST], keepAlive)) {
                return n;
            }
            System.arraycopy(l, 0, published[slot], 0, FIELDS);
            everPublished[slot] = true;
            publishedAtNanos[slot] = nowNanos;
            n++;
        }
        return n;
    }

    /** The latest values of {@code slot} (bid, bid qty, ask, ask qty, last), or null without a quote. */
    long[] latest(int slot) {
        return hasQuote[slot] ? latest[slot].clone() : null;
    }

    /** When {@code slot} was last published; {@link Long#MIN_VALUE} if never. */
    long publishedAtNanos(int slot) {
        return everPublished[slot] ? publishedAtNanos[slot] : Long.MIN_VALUE;
    }
}
