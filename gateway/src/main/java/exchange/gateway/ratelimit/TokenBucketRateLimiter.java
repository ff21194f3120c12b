package exchange.gateway.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (the account behind an API key), refilled at {@code tokensPerSecond}
 * up to {@code burst} tokens. Implemented as the generic cell rate algorithm: each key keeps one
 * {@link AtomicLong}, its "theoretical arrival time" (TAT), and a request is a single
 * compare-and-set: checks take no lock and contend only on the same key.
 *
 * <p>With emission interval {@code T = 1s / tokensPerSecond} and tolerance {@code burst x T}, a
 * request at time {@code now} is allowed if {@code max(TAT, now) + T - now <= burst x T}; the
 * TAT then advances by {@code T}. A full bucket has {@code TAT <= now}. Time comes from an
 * injected monotonic nanosecond source so tests control it. Thread safe.
 */
public final class TokenBucketRateLimiter {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    /**
     * The outcome of one check.
     *
     * @param allowed          whether the request may proceed (one token taken)
     * @param limit            the bucket size (burst)
     * @param remaining        tokens left after this request
     * @param resetNanos       time until the bucket is full again
     * @param retryAfterNanos  when refused, time until one token is available; 0 when allowed
     */
    public record Decision(boolean allowed, long limit, long remaining, long resetNanos, long retryAfterNanos) {
        /** {@code nanos} rounded up to whole seconds, at least {@code min}. */
        public static long ceilSeconds(long nanos, long min) {
            return Math.max(min, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
        }
    }

    private final long intervalNanos;
    private final long burst;
    private final long toleranceNanos;
    private final LongSupplier nanoTime;
    private final ConcurrentHashMap<Long, AtomicLong> cells = new ConcurrentHashMap<>();

    /**
     * @param tokensPerSecond refill rate, in [1, 1e9]
     * @param burst           bucket size, at least 1
     * @param nanoTime        monotonic clock ({@code System::nanoTime} in production)
     */
    public TokenBucketRateLimiter(long tokensPerSecond, long burst, LongSupplier nanoTime) {
        if (tokensPerSecond < 1 || tokensPerSecond > NANOS_PER_SECOND) {
            throw new IllegalArgumentException("tokensPerSecond must be in [1, 1e9]");
        }
        if (burst < 1) {
            throw new IllegalArgumentException("burst must be >= 1");
        }
        this.intervalNanos = NANOS_PER_SECOND / tokensPerSecond;
        this.burst = burst;
        this.toleranceNanos = Math.multiplyExact(burst, intervalNanos);
        this.nanoTime = nanoTime;
    }

    /** Takes one token for {@code key} if one is available. */
    public Decision tryAcquire(long key) {
        long now = nanoTime.getAsLong();
        AtomicLong tat = cells.get(key);
        if (tat == null) {
            tat = cells.computeIfAbsent(key, k -> new AtomicLong(now));
        }
        while (true) {
            long current = tat.get();
            long next = Math.max(current, now) + intervalNanos;
            long ahead = next - now;
            if (ahead > toleranceNanos) {
                long remainingFull = Math.max(0, current - now);
                return new Decision(false, burst, 0, remainingFull, ahead - toleranceNanos);
            }
            if (tat.compareAndSet(current, next)) {
                return new Decision(true, burst, (toleranceNanos - ahead) / intervalNanos, ahead, 0);
            }
        }
    }

    /** Bucket size. */
    public long burst() {
        return burst;
    }

    /** Number of keys with a bucket. */
    public int trackedKeys() {
        return cells.size();
    }
}
