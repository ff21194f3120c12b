package exchange.engine;

import exchange.engine.testing.InMemorySnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The state hash keeps each page's hash lanes until the page is written again. These tests hold
 * that a hash computed with those caches, after any mix of writes, equals one computed from
 * scratch over the same content.
 */
class StateHashCacheTest {
    private static long hash(PagedLongs store, long lastId) {
        StateHasher h = new StateHasher();
        store.hashInto(h, lastId);
        return h.value();
    }

    /** A store of {@code lastId} records of two fields whose values are {@code id * 10 + field}, plus {@code bump} at one field. */
    private static PagedLongs filled(long lastId, long bumpedId, long bump) {
        PagedLongs store = new PagedLongs(2);
        for (long id = 1; id <= lastId; id++) {
            store.ensure(id);
            store.set(id, 0, id * 10);
            store.set(id, 1, id * 10 + 1);
        }
        if (bump != 0) {
            store.add(bumpedId, 1, bump);
        }
        return store;
    }

    @Test
    void shouldRehashAPageWrittenAfterItWasHashed() {
        long lastId = 3L * PagedLongs.PAGE_SIZE + 5; // four pages, the last partly used
        PagedLongs store = filled(lastId, 0, 0);
        long before = hash(store, lastId);
        assertEquals(before, hash(store, lastId), "nothing written: the cached lanes give the same hash");

        store.add(7, 1, 3); // page 0, long after it was hashed
        long afterAdd = hash(store, lastId);
        assertNotEquals(before, afterAdd);
        assertEquals(hash(filled(lastId, 7, 3), lastId), afterAdd, "as if hashed from scratch");

        store.set(2L * PagedLongs.PAGE_SIZE + 1, 0, 42); // page 2
        PagedLongs fresh = filled(lastId, 7, 3);
        fresh.set(2L * PagedLongs.PAGE_SIZE + 1, 0, 42);
        assertEquals(hash(fresh, lastId), hash(store, lastId));

        // new records extend the last page: its span grows, so it is hashed again
        store.ensure(lastId + 1);
        store.set(lastId + 1, 0, 1);
        fresh.ensure(lastId + 1);
        fresh.set(lastId + 1, 0, 1);
        assertEquals(hash(fresh, lastId + 1), hash(store, lastId + 1));
    }

    @Test
    @Timeout(120)
    void shouldGiveTheSameStateHashWhetherTheEngineIsHashedOftenOrOnce() {
        ExchangeConfig config = OrderFlowGenerator.config(false);
        OrderFlowGenerator generator = new OrderFlowGenerator(11L);
        Exchange often = new Exchange(config);
        Exchange once = new Exchange(config);
        int n = 0;
        for (Command c : generator.setup()) {
            applyBoth(c, often, once, generator);
            n++;
        }
        // enough commands for several pages of orders and of client order ids, with fills and
        // cancels of old orders landing on pages hashed long before
        for (int i = 0; i < 150_000; i++, n++) {
            applyBoth(generator.next(), often, once, generator);
            if (i % 1_009 == 0) {
                often.stateHash();
            }
        }
        assertEquals(once.stateHash(), often.stateHash(), "after " + n + " commands");
        InMemorySnapshot snapshot = new InMemorySnapshot();
        often.writeSnapshot(snapshot);
        assertEquals(Exchange.readSnapshot(config, snapshot).stateHash(), often.stateHash(),
                "a restored copy, hashed from scratch, agrees");
    }

    private static void applyBoth(Command c, Exchange often, Exchange once, OrderFlowGenerator generator) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        List<EngineEvent> events = new ArrayList<>();
        often.apply(c, e -> events.add(e.copy()));
        once.apply(copy, EventSink.NONE);
        generator.observe(c, events);
    }
}
