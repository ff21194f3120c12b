package exchange.gateway.http;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Times in responses read exactly as {@link DateTimeFormatter#ISO_INSTANT} writes them. */
class HttpJsonTest {

    private static String iso(long epochNanos) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
    }

    @Test
    void shouldFormatInstantsAsIsoInstantDoes() {
        long[] edges = {1, 999_999_999L, 1_000_000_000L, 1_000_000L, 1_000L, 86_399_999_999_999L, 86_400_000_000_000L,
            951_782_400_000_000_000L /* 2000-02-29 */, 1_763_700_000_123_000_000L, 1_763_700_000_123_456_000L,
            1_763_700_000_123_456_789L, Long.MAX_VALUE, -1L, -1_000_000_000L, Long.MIN_VALUE};
        for (long t : edges) {
            assertEquals(iso(t), HttpJson.instant(t), "epoch nanos " + t);
        }
        SplittableRandom rnd = new SplittableRandom(42);
        for (int i = 0; i < 200_000; i++) {
            long t = rnd.nextLong();
            if (i % 3 == 0) {
                t = t / 1_000_000 * 1_000_000;
            } else if (i % 3 == 1) {
                t = t / 1_000 * 1_000;
            }
            if (t != 0) {
                assertEquals(iso(t), HttpJson.instant(t), "epoch nanos " + t);
            }
        }
    }

    @Test
    void shouldLeaveUnsetTimesNull() {
        assertNull(HttpJson.instant(0));
    }
}
