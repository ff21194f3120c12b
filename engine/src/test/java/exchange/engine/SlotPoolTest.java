package exchange.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The slot pool under the order store: reuse before growth, clean records, packed links. */
@Timeout(10)
class SlotPoolTest {
    @Test
    void shouldReuseTheLastFreedSlotBeforeTakingANewOneAndHandItOutClean() {
        SlotPool pool = new SlotPool(3, 2, 4);
        int a = pool.take();
        int b = pool.take();
        int c = pool.take();
        assertEquals(1, a, "slot 0 means none and is never handed out");
        pool.set(b, 0, 42);
        pool.bytes(b)[pool.byteBase(b) + 3] = 7;
        pool.free(b);
        pool.free(c);
        assertEquals(7, pool.bytes(b)[pool.byteBase(b) + 3], "bytes are the owner's: freeing keeps them");
        assertEquals(c, pool.take(), "last freed first");
        int again = pool.take();
        assertEquals(b, again);
        assertEquals(0, pool.get(again, 0), "a reused record is cleared");
        assertEquals(3, pool.highWater());
        assertEquals(3, pool.inUse());
        assertEquals(4, pool.take());
        pool.validateFreeList();
    }

    @Test
    void shouldGrowByWholePagesOnlyWhenEverySlotIsInUse() {
        SlotPool pool = new SlotPool(2, 1, 64);
        assertEquals(0, pool.capacity());
        for (int i = 0; i < SlotPool.PAGE_SIZE - 1; i++) {
            pool.take();
        }
        assertEquals(SlotPool.PAGE_SIZE - 1, pool.capacity());
        pool.free(7);
        pool.take();
        assertEquals(SlotPool.PAGE_SIZE - 1, pool.capacity(), "the freed slot was enough");
        int next = pool.take();
        assertEquals(SlotPool.PAGE_SIZE, next);
        assertEquals(2 * SlotPool.PAGE_SIZE - 1, pool.capacity());
    }

    @Test
    void shouldPackTwoSlotNumbersInALinkField() {
        SlotPool pool = new SlotPool(2, 1, 64);
        int s = pool.take();
        pool.setLinks(s, 0, Integer.MAX_VALUE, 5);
        assertEquals(Integer.MAX_VALUE, pool.prev(s, 0));
        assertEquals(5, pool.next(s, 0));
        pool.setNext(s, 0, 9);
        pool.setPrev(s, 0, 3);
        assertEquals(3, pool.prev(s, 0));
        assertEquals(9, pool.next(s, 0));
        assertThrows(ArithmeticException.class, () -> {
            pool.set(s, 1, Long.MAX_VALUE);
            pool.add(s, 1, 1);
        });
    }

    @Test
    void shouldKeepEachSlotsBytesApartAndBytePagesUnderHalfAG1Region() {
        for (int width : new int[] {1, 64, 256, 4096}) {
            SlotPool pool = new SlotPool(2, 1, width);
            int last = 0;
            for (int i = 0; i < 3 * SlotPool.PAGE_SIZE; i++) {
                int s = pool.take();
                java.util.Arrays.fill(pool.bytes(s), pool.byteBase(s), pool.byteBase(s) + width, (byte) s);
                if (last != 0) {
                    assertEquals((byte) last, pool.bytes(last)[pool.byteBase(last) + width - 1],
                            "slot " + s + " of width " + width + " overlaps its neighbour");
                }
                last = s;
                assertTrue(pool.bytes(s).length <= SlotPool.MAX_BYTE_PAGE, "byte page of " + pool.bytes(s).length);
            }
        }
    }
}
