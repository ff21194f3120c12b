package exchange.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The idempotency index: lookups after growth, and removal without tombstones. */
@Timeout(30)
class ClientOrderIdIndexTest {
    /** Client ids by slot, as the order store keeps them. */
    private final List<String> keys = new ArrayList<>();
    private final ClientOrderIdIndex.Keys bySlot = (slot, clientOrderId) -> clientOrderId.equals(keys.get(slot));

    private int slotFor(String key) {
        keys.add(key);
        return keys.size() - 1;
    }

    @Test
    void shouldFindEveryIdAfterGrowingAndMissUnknownOnes() {
        keys.add(null); // slot 0 is never used
        ClientOrderIdIndex index = new ClientOrderIdIndex();
        // "Aa" and "BB" have the same String hash, as do their concatenations: full collisions
        for (String k : new String[] {"AaAa", "AaBB", "BBAa", "BBBB"}) {
            index.put(k.hashCode(), slotFor(k));
        }
        for (int i = 0; i < 10_000; i++) {
            String k = "order-" + i;
            index.put(k.hashCode(), slotFor(k));
        }
        assertEquals(keys.size() - 1, index.size());
        for (int slot = 1; slot < keys.size(); slot++) {
            assertEquals(slot, index.get(keys.get(slot), bySlot), keys.get(slot));
        }
        assertEquals(ClientOrderIdIndex.MISSING, index.get("order-10000", bySlot));
        assertEquals(ClientOrderIdIndex.MISSING, index.get("AaAaAa", bySlot));
    }

    @Test
    void shouldAgreeWithAHashMapUnderRandomPutsAndRemovesWithCollidingKeys() {
        keys.add(null);
        Random rnd = new Random(20_241_001L);
        ClientOrderIdIndex index = new ClientOrderIdIndex();
        Map<String, Integer> expected = new HashMap<>();
        // few distinct strings, many sharing a String hash, so probe runs are long and wrap around
        String[] alphabet = {"Aa", "BB", "C#", "Db"};
        for (int step = 0; step < 40_000; step++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 3; i++) {
                sb.append(alphabet[rnd.nextInt(alphabet.length)]);
            }
            sb.append(rnd.nextInt(40));
            String key = sb.toString();
            Integer slot = expected.get(key);
            if (slot == null) {
                int s = slotFor(key);
                index.put(key.hashCode(), s);
                expected.put(key, s);
            } else if (rnd.nextInt(3) != 0) {
                index.remove(key.hashCode(), slot);
                expected.remove(key);
            }
            if (step % 997 == 0) {
                assertAgrees(index, expected);
            }
        }
        assertAgrees(index, expected);
        for (Map.Entry<String, Integer> e : List.copyOf(expected.entrySet())) {
            index.remove(e.getKey().hashCode(), e.getValue());
        }
        assertEquals(0, index.size());
    }

    private void assertAgrees(ClientOrderIdIndex index, Map<String, Integer> expected) {
        assertEquals(expected.size(), index.size());
        for (int slot = 1; slot < keys.size(); slot++) {
            String key = keys.get(slot);
            Integer held = expected.get(key);
            int want = held != null && held == slot ? slot : held != null ? held : ClientOrderIdIndex.MISSING;
            assertEquals(want, index.get(key, bySlot), key);
        }
    }

    @Test
    void shouldKeepItsCapacityWhenIdsComeAndGoAtASteadyCount() {
        keys.add(null);
        ClientOrderIdIndex index = new ClientOrderIdIndex();
        int[] window = new int[100];
        for (int i = 0; i < window.length; i++) {
            String k = "w" + i;
            window[i] = slotFor(k);
            index.put(k.hashCode(), window[i]);
        }
        int capacity = index.capacity();
        for (int i = window.length; i < 50_000; i++) {
            int oldest = window[i % window.length];
            index.remove(keys.get(oldest).hashCode(), oldest);
            String k = "w" + i;
            window[i % window.length] = slotFor(k);
            index.put(k.hashCode(), window[i % window.length]);
        }
        assertEquals(window.length, index.size());
        assertEquals(capacity, index.capacity(), "no tombstones, no growth");
    }

    @Test
    void shouldRefuseToRemoveAnEntryItDoesNotHold() {
        keys.add(null);
        ClientOrderIdIndex index = new ClientOrderIdIndex(4);
        int slot = slotFor("x");
        index.put("x".hashCode(), slot);
        assertThrows(IllegalStateException.class, () -> index.remove("x".hashCode(), slot + 1));
        assertThrows(IllegalStateException.class, () -> index.remove("y".hashCode(), slot));
    }
}
