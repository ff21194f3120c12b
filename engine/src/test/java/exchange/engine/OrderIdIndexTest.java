package exchange.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
