package exchange.gateway.quotes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class BackoffTest {
    @Test
    void shouldDoubleTheBoundUpToTheCapWithFullJitter() {
        long seed = System.nanoTime();
        Backoff b = new Backoff(100, 1_000, new SplittableRandom(seed));
        assertEquals(100, b.boundNanos(0));
        assertEquals(200, b.boundNanos(1));
        assertEquals(800, b.boundNanos(3));
        assertEquals(1_000, b.boundNanos(4));
        assertEquals(1_000, b.boundNanos(200), "no overflow for a long outage");
        long max = 0;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < 1_000; i++) {
            long bound = b.boundNanos(b.attempts());
            long d = b.nextDelayNanos();
            assertTrue(d >= 0 && d <= bound, "seed " + seed + ": " + d + " outside [0, " + bound + "]");
            max = Math.max(max, d);
            min = Math.min(min, d);
        }
        assertTrue(max > 900 && min < 100, "seed " + seed + ": full jitter spreads over [0, cap], saw " + min + ".." + max);
        b.reset();
        assertEquals(0, b.attempts());
        assertTrue(b.nextDelayNanos() <= 100);
    }
}
