package exchange.engine;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client order id arena and the idempotency index that looks ids up in it. */
class ClientIdStorageTest {

    @Test
    void shouldReturnEachIdByItsRefAcrossPageBoundaries() {
        ClientIdArena arena = new ClientIdArena();
        List<String> ids = new ArrayList<>();
        List<Long> refs = new ArrayList<>();
        // ~3 MiB of ids of varying length: several pages, so some ids meet a page end
        for (int i = 0; i < 60_000; i++) {
            String id = "c" + i + "-".repeat(i % ClientIdArena.MAX_LENGTH / 8) + "~!";
            ids.add(id);
            refs.add(arena.append(id));
        }
        String longest = "x".repeat(ClientIdArena.MAX_LENGTH);
        ids.add(longest);
        refs.add(arena.append(longest));
        for (int i = 0; i < ids.size(); i++) {
            long ref = refs.get(i);
            assertEquals(ids.get(i), arena.get(ref));
            assertEquals(ids.get(i).hashCode(), arena.hashCode(ref), "hash of " + ids.get(i));
            assertTrue(arena.equalsId(ref, ids.get(i)));
            assertFalse(arena.equalsId(ref, ids.get(i) + "x"));
            assertFalse(arena.equalsId(ref, "y" + ids.get(i).substring(1)));
        }
    }

    @Test
    void shouldFindEveryIdAfterGrowingAndMissUnknownOnes() {
        List<String> keys = new ArrayList<>();
        ClientOrderIdIndex.Keys byOrderId = new ClientOrderIdIndex.Keys() {
            @Override
            public boolean clientIdEquals(long orderId, String clientOrderId) {
                return keys.get((int) orderId).equals(clientOrderId);
            }

            @Override
            public int clientIdHashCode(long orderId) {
                return keys.get((int) orderId).hashCode();
            }
        };
        ClientOrderIdIndex index = new ClientOrderIdIndex();
        keys.add(null); // order ids start at 1
        // "Aa" and "BB" have the same String hash, as do their concatenations: full collisions
        String[] colliding = {"AaAa", "AaBB", "BBAa", "BBBB"};
        for (String k : colliding) {
            keys.add(k);
            index.put(k.hashCode(), keys.size() - 1);
        }
        for (int i = 0; i < 10_000; i++) {
            keys.add("order-" + i);
            index.put(byOrderId.clientIdHashCode(keys.size() - 1), keys.size() - 1);
        }
        assertEquals(keys.size() - 1, index.size());
        for (int id = 1; id < keys.size(); id++) {
            assertEquals(id, index.get(keys.get(id), byOrderId), keys.get(id));
        }
        assertEquals(ClientOrderIdIndex.MISSING, index.get("order-10000", byOrderId));
        assertEquals(ClientOrderIdIndex.MISSING, index.get("AaAaAa", byOrderId));
    }

    @Test
    void shouldHoldTheExpectedNumberOfIdsWhenPresized() {
        ClientOrderIdIndex index = new ClientOrderIdIndex(1_000);
        ClientOrderIdIndex.Keys keys = new ClientOrderIdIndex.Keys() {
            @Override
            public boolean clientIdEquals(long orderId, String clientOrderId) {
                return clientOrderId.equals("k" + orderId);
            }

            @Override
            public int clientIdHashCode(long orderId) {
                return ("k" + orderId).hashCode();
            }
        };
        for (long id = 1; id <= 1_000; id++) {
            index.put(keys.clientIdHashCode(id), id);
        }
        for (long id = 1; id <= 1_000; id++) {
            assertEquals(id, index.get("k" + id, keys));
        }
    }
}
