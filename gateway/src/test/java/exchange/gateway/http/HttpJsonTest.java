package exchange.gateway.http;

import exchange.engine.Fill;
import exchange.engine.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Times in responses read exactly as {@link DateTimeFormatter#ISO_INSTANT} writes them; fills as documented. */
@Timeout(60)
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

    @Test
    void shouldWriteTheProvidersFillWithoutAnOrderAndBothSidesVenueOfAFillAgainstTheOutsideMarket() {
        long at = 1_763_700_000_123_000_000L;
        List<Fill> fills = List.of(
                new Fill(8, 0, null, "AAPL", Side.SELL, 1_899_000, 25, 0, false, at, 13, "venue1"),
                new Fill(7, 3, "b1", "AAPL", Side.BUY, 1_900_000, 10, 250, true, at, 12, null));
        assertEquals("{\"fills\":[{\"trade_id\":8,\"order_id\":null,\"client_order_id\":null,\"symbol\":\"AAPL\","
                + "\"side\":\"sell\",\"price\":\"189.90\",\"qty\":25,\"fee\":\"0.00\",\"liquidity\":\"taker\","
                + "\"executed_at\":\"2025-11-21T04:40:00.123Z\",\"seq\":13,\"venue\":\"venue1\"},"
                + "{\"trade_id\":7,\"order_id\":3,\"client_order_id\":\"b1\",\"symbol\":\"AAPL\",\"side\":\"buy\","
                + "\"price\":\"190.00\",\"qty\":10,\"fee\":\"0.025\",\"liquidity\":\"maker\","
                + "\"executed_at\":\"2025-11-21T04:40:00.123Z\",\"seq\":12,\"venue\":null}],\"next_page_token\":null}",
                new String(HttpJson.fills(fills, null), StandardCharsets.UTF_8));
    }
}
