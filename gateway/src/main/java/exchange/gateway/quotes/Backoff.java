package exchange.gateway.quotes;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter: attempt {@code n} (from 0) waits a uniformly random time in
 * {@code [0, min(cap, base x 2^n)]}, so sources that lost their venue at the same moment do not
 * come back in step. Not thread safe: each adapter owns its own, used under its lock.
 */
final class Backoff {
    private final long baseNanos;
    private final long capNanos;
    private final RandomGenerator random;
    private int attempt;

    Backoff(long baseNanos, long capNanos, RandomGenerator random) {
        if (baseNanos <= 0 || capNanos < baseNanos) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        this.baseNanos = baseNanos;
        this.capNanos = capNanos;
        this.random = random;
    }

    /** The delay before the next attempt; each call counts one more failed attempt. */
    long nextDelayNanos() {
        long bound = boundNanos(attempt);
        if (attempt < 62) {
            attempt++;
        }
        return random.nextLong(bound + 1);
    }

    /** The upper bound of attempt {@code n}'s delay. */
    long boundNanos(int n) {
        if (n >= 62 || baseNanos > capNanos >> n) {
            return capNanos;
        }
        return Math.min(capNanos, baseNanos << n);
    }

    /** Back to the first attempt's bound (after a success). */
    void reset() {
        attempt = 0;
    }

    int attempts() {
        return attempt;
    }
}
