package exchange.gateway;

import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import exchange.gateway.ratelimit.TokenBucketRateLimiter.Decision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The per-key token bucket on a hand-stepped clock. */
@Timeout(10)
class TokenBucketRateLimiterTest {
    private static final long MS = 1_000_000L;

    private final AtomicLong now = new AtomicLong(-5_000 * MS); // nanoTime may be negative
    private final TokenBucketRateLimiter limiter = new TokenBucketRateLimiter(10, 3, now::get);

    @Test
    void shouldServeTheBurstThenRefuseWithTheTimeUntilTheNextToken() {
        assertEquals(2, limiter.tryAcquire(1).remaining());
        assertEquals(1, limiter.tryAcquire(1).remaining());
        Decision last = limiter.tryAcquire(1);
        assertTrue(last.allowed());
        assertEquals(0, last.remaining());
        assertEquals(300 * MS, last.resetNanos(), "three tokens at 10/s refill in 300 ms");

        Decision refused = limiter.tryAcquire(1);
        assertFalse(refused.allowed());
        assertEquals(0, refused.remaining());
        assertEquals(100 * MS, refused.retryAfterNanos());
        assertEquals(3, refused.limit());
    }

    @Test
    void shouldRefillOneTokenPerIntervalUpToTheBurst() {
        for (int i = 0; i < 3; i++) {
            assertTrue(limiter.tryAcquire(7).allowed());
        }
        assertFalse(limiter.tryAcquire(7).allowed());
        now.addAndGet(100 * MS);
        assertTrue(limiter.tryAcquire(7).allowed());
        assertFalse(limiter.tryAcquire(7).allowed());

        now.addAndGet(10_000 * MS); // a long pause refills only up to the burst
        int allowed = 0;
        while (limiter.tryAcquire(7).allowed()) {
            allowed++;
        }
        assertEquals(3, allowed);
    }

    @Test
    void shouldKeepOneBucketPerKey() {
        for (int i = 0; i < 3; i++) {
            limiter.tryAcquire(1);
        }
        assertFalse(limiter.tryAcquire(1).allowed());
        assertTrue(limiter.tryAcquire(2).allowed());
        assertEquals(2, limiter.trackedKeys());
    }

    @Test
    void shouldRoundWaitsUpToWholeSeconds() {
        assertEquals(1, Decision.ceilSeconds(1, 1));
        assertEquals(1, Decision.ceilSeconds(0, 1));
        assertEquals(0, Decision.ceilSeconds(0, 0));
        assertEquals(2, Decision.ceilSeconds(1_000_000_001L, 0));
    }

    @Test
    void shouldRefuseInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketRateLimiter(0, 1, now::get));
        assertThrows(IllegalArgumentException.class, () -> new TokenBucketRateLimiter(1, 0, now::get));
    }
}
