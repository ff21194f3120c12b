package exchange.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class OrderIdIndexTest {
    @Test
    void shouldMapHeldIdsAcrossPagesAndForgetRemovedOnes() {
        OrderIdIndex index = new OrderIdIndex();
        int n = 3 * OrderIdIndex.PAGE_SIZE + 5;
        for (int id = 1; id <= n; id++) {
            index.put(id, id + 7);
        }
        assertEquals(n, index.size());
        for (int id = 1; id <= OrderIdIndex.PAGE_SIZE + 2; id++) {
            index.remove(id);
        }
        assertEquals(0, index.get(1));
        assertEquals(0, index.get(OrderIdIndex.PAGE_SIZE + 2));
        assertEquals(OrderIdIndex.PAGE_SIZE + 3 + 7, index.get(OrderIdIndex.PAGE_SIZE + 3));
        assertEquals(n + 7, index.get(n));
        assertEquals(n - OrderIdIndex.PAGE_SIZE - 2, index.size());
        index.put(5, 99); // a page released when its last order went comes back
        assertEquals(99, index.get(5));
    }

    @Test
    void shouldAnswerNotHeldWhenIdIsZeroNegativeOrFarAhead() {
        OrderIdIndex index = new OrderIdIndex();
        index.put(1, 1);
        assertEquals(0, index.get(0));
        assertEquals(0, index.get(-1));
        assertEquals(0, index.get(Long.MAX_VALUE));
        assertEquals(0, index.get(Long.MIN_VALUE));
        assertEquals(0, index.get(1L << 40));
        index.remove(1L << 40);
        index.remove(-3);
        assertEquals(1, index.size());
    }

    @Test
    void shouldHandOldSparsePagesToTheMapSoFewLongLivedOrdersKeepNoTableAlive() {
        OrderIdIndex index = new OrderIdIndex();
        int pages = 6;
        long n = (long) pages * OrderIdIndex.PAGE_SIZE;
        for (long id = 1; id <= n; id++) {
            index.put(id, (int) (id % 1_000_000) + 1);
        }
        // everything ends except every 1,000th order (a few GTC orders resting for weeks)
        for (long id = 1; id <= n; id++) {
            if (id % 1_000 != 0) {
                index.remove(id);
            }
        }
        long kept = n / 1_000;
        assertEquals(kept, index.size());
        assertTrue(index.capacity() <= 2L * OrderIdIndex.PAGE_SIZE,
                "only the two newest pages stay tables: " + index.capacity());
        assertTrue(index.sparseSize() > 0);
        for (long id = 1_000; id <= n; id += 1_000) {
            assertEquals((int) (id % 1_000_000) + 1, index.get(id), "id " + id);
        }
        assertEquals(0, index.get(999));
        // an old id put again (a restore) goes to the map and is found; removing it forgets it
        index.put(7, 42);
        assertEquals(42, index.get(7));
        index.remove(7);
        assertEquals(0, index.get(7));
        for (long id = 1_000; id <= n; id += 1_000) {
            index.remove(id);
        }
        assertEquals(0, index.size());
        assertEquals(0, index.sparseSize());
    }
}
