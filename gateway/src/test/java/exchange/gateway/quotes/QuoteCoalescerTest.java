package exchange.gateway.quotes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class QuoteCoalescerTest {
    private static final long KEEP_ALIVE = 2_500_000_000L;

    /** What the coalescer asked to publish; refuses while {@code full}. */
    private static final class Recorder implements QuoteCoalescer.Sink {
        final List<long[]> published = new ArrayList<>();
        boolean full;
        int refused;

        @Override
        public boolean publish(int slot, long bid, long bidQty, long ask, long askQty, long last, boolean keepAlive) {
            if (full) {
                refused++;
                return false;
            }
            published.add(new long[] {slot, bid, bidQty, ask, askQty, last, keepAlive ? 1 : 0});
            return true;
        }
    }

    private final QuoteCoalescer c = new QuoteCoalescer(2, KEEP_ALIVE);
    private final Recorder sink = new Recorder();

    @Test
    void shouldTurnABurstIntoOneCommandCarryingTheLastQuote() {
        for (int i = 1; i <= 1_000; i++) {
            c.offerQuote(0, 100 + i, 5, 200 + i, 6, i);
        }
        c.offerLast(0, 150);
        assertEquals(1, c.collect(10, true, sink));
        assertArrayEquals(new long[] {0, 1_100, 5, 1_200, 6, 150, 0}, sink.published.get(0));
        assertEquals(0, c.collect(20, true, sink), "unchanged: nothing more to publish");
    }

    @Test
    void shouldPublishEachSymbolAtMostOncePerCollectAndOnlyChanges() {
        c.offerQuote(0, 100, 1, 101, 1, 0);
        c.offerQuote(1, 500, 1, 501, 1, 0);
        assertEquals(2, c.collect(0, true, sink));
        c.offerQuote(1, 500, 1, 501, 1, 1); // the same values again: not a change
        c.offerQuote(0, 99, 1, 101, 1, 1);
        assertEquals(1, c.collect(1, true, sink));
        assertEquals(0, sink.published.get(2)[0]);
        c.offerLast(1, 500); // a trade changes the quote's last price
        assertEquals(1, c.collect(2, true, sink));
        assertEquals(500, sink.published.get(3)[5]);
    }

    @Test
    void shouldRepublishAQuietQuoteOnlyWhileTheSourceConfirmsIt() {
        c.offerQuote(0, 100, 1, 101, 1, 0);
        assertEquals(1, c.collect(0, true, sink));
        assertEquals(0, c.collect(KEEP_ALIVE - 1, true, sink), "not due yet");
        assertEquals(1, c.collect(KEEP_ALIVE, true, sink), "due, and the source confirms it");
        assertEquals(1, sink.published.get(1)[6], "flagged as a keep-alive");
        assertEquals(0, c.collect(3 * KEEP_ALIVE, false, sink), "a silent source is not vouched for");
        assertEquals(0, c.collect(3 * KEEP_ALIVE, false, sink));
        assertEquals(1, c.collect(3 * KEEP_ALIVE + 1, true, sink), "confirmed again: due at once");
        assertEquals(0, c.collect(3 * KEEP_ALIVE + 2, true, sink), "and then not before the next period");
    }

    @Test
    void shouldKeepAQuoteTheRingRefusedForTheNextCollect() {
        c.offerQuote(0, 100, 1, 101, 1, 0);
        c.offerQuote(1, 500, 1, 501, 1, 0);
        sink.full = true;
        assertEquals(0, c.collect(0, true, sink));
        assertEquals(1, sink.refused, "stops at the first refusal");
        assertTrue(c.dirty(0) && c.dirty(1));
        c.offerQuote(0, 102, 1, 103, 1, 1);
        sink.full = false;
        assertEquals(2, c.collect(1, true, sink));
        assertEquals(102, sink.published.get(0)[1], "the latest value, not the refused one");
    }
}
