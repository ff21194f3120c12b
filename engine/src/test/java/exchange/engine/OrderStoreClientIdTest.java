package exchange.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Client order ids kept as bytes in the store's slot regions: equality, hash and reuse at the edges. */
@Timeout(10)
class OrderStoreClientIdTest {
    private static final int WIDTH = 4;

    @Test
    void shouldCompareAndHashStoredBytesAsTheStringWouldAtEveryLength() {
        OrderStore store = new OrderStore(new String[] {"AAA"}, WIDTH);
        store.openAccount();
        int shorter = store.create(1, "ab", 0);
        int full = store.create(1, "~!zz", 0);
        assertTrue(store.clientIdEquals(shorter, "ab"));
        assertFalse(store.clientIdEquals(shorter, "a"), "a prefix of the stored id");
        assertFalse(store.clientIdEquals(shorter, "abc"), "the stored id is a prefix");
        assertFalse(store.clientIdEquals(full, "~!zz!"), "longer than the region");
        assertTrue(store.clientIdEquals(full, "~!zz"), "an id as wide as the region has no terminator");
        assertEquals("ab".hashCode(), store.clientIdHash(shorter));
        assertEquals("~!zz".hashCode(), store.clientIdHash(full));
        assertEquals("~!zz", store.clientId(full));
        assertEquals(2, store.clientIdLength(shorter));
        assertEquals(full, store.slotOfClientId(1, "~!zz"));
        assertEquals(0, store.slotOfClientId(1, "~!z"));
    }

    @Test
    void shouldLeaveNoTraceOfALongerIdInAReusedSlot() {
        OrderStore store = new OrderStore(new String[] {"AAA"}, WIDTH);
        store.openAccount();
        int slot = store.create(1, "wxyz", 0);
        store.markEnded(slot, OrderStatus.CANCELED, 0);
        assertEquals(1, store.evictEndedBefore(1));
        int reused = store.create(1, "q", 1);
        assertEquals(slot, reused, "the freed slot is taken again");
        assertEquals("q", store.clientId(reused));
        assertEquals("q".hashCode(), store.clientIdHash(reused));
        assertEquals(0, store.slotOfClientId(1, "wxyz"));
        store.markEnded(reused, OrderStatus.CANCELED, 1);
        store.validateInternalState(1, 1);
    }
}
