package exchange.engine;

import exchange.engine.testing.Diffs;
import exchange.engine.testing.ExchangeDriver;
import exchange.engine.testing.InMemorySnapshot;
import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static exchange.engine.testing.ExchangeDriver.DAY_ONE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the engine keeps, seen from outside the rules: a snapshot taken after evictions restores
 * (into fresh slots) the same state as the live engine and as a full replay, and goes on the same;
 * and a long run of sessions holds a flat number of orders in a flat number of slots. Nothing here
 * is timed.
 */
@Timeout(60)
class OrderRetentionTest {

    /** Applies a copy of {@code c} and returns copies of its events. */
    private static List<EngineEvent> apply(Exchange engine, Command c) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        List<EngineEvent> out = new ArrayList<>();
        engine.apply(copy, e -> out.add(e.copy()));
        return out;
    }

    @Test
    @Timeout(60)
    void shouldChangeNoEventNorStateHashButOnlyCapacityWhenTheStoreIsReservedUpFront() {
        ExchangeConfig config = OrderFlowGenerator.config(false, SelfTradePrevention.CANCEL_NEWEST, 1);
        OrderFlowGenerator generator = new OrderFlowGenerator(47L);
        Exchange plain = new Exchange(config);
        Exchange reserved = new Exchange(config);
        reserved.reserveOrders(20_000);
        assertTrue(reserved.orderSlotCapacity() >= 20_000, "pages for 20,000 orders allocated up front");
        assertEquals(0, reserved.orderSlotHighWater(), "no slot taken");
        assertEquals(plain.stateHash(), reserved.stateHash());
        int capacity = reserved.orderSlotCapacity();
        List<Command> commands = new ArrayList<>(generator.setup());
        for (int i = 0; i < 20_000; i++) {
            commands.add(generator.next());
        }
        for (Command c : commands) {
            Command copy = new Command();
            copy.copyInputFrom(c);
            List<EngineEvent> expected = apply(plain, c);
            assertEquals(expected, apply(reserved, copy), () -> "events of " + c);
            generator.observe(c, expected);
        }
        assertEquals(plain.stateHash(), reserved.stateHash());
        reserved.validateInternalState();
        assertTrue(reserved.orderSlotHighWater() <= capacity, "the flow fit in the reservation");
        assertEquals(capacity, reserved.orderSlotCapacity(), "so the store allocated no page while it ran");
    }

    @Test
    @Timeout(60)
    void shouldRestoreASnapshotTakenAfterEvictionsToTheStateOfTheLiveEngineAndOfAFullReplay() {
        ExchangeConfig config = OrderFlowGenerator.config(false, SelfTradePrevention.CANCEL_NEWEST, 1);
        OrderFlowGenerator generator = new OrderFlowGenerator(31L);
        Exchange live = new Exchange(config);
        List<Command> commands = new ArrayList<>(generator.setup());
        for (Command c : commands) {
            generator.observe(c, apply(live, c));
        }
        // run until several closes have evicted orders and slots have been freed and reused
        while (live.closeCount() < 12 || live.lastEvictionSeq() == 0 || live.isSessionOpen()) {
            Command c = generator.next();
            commands.add(c);
            generator.observe(c, apply(live, c));
        }
        assertTrue(live.orderSlotHighWater() > live.heldOrderCount(), "the live store has free slots to reuse");

        InMemorySnapshot snapshot = new InMemorySnapshot();
        live.writeSnapshot(snapshot);
        Exchange restored = Exchange.readSnapshot(config, snapshot);
        assertTrue(snapshot.fullyRead());
        assertEquals(restored.heldOrderCount(), restored.orderSlotHighWater(), "restored into fresh, compact slots");
        Exchange replayed = new Exchange(config);
        for (Command c : commands) {
            apply(replayed, c);
        }
        assertSameState(live, restored);
        assertSameState(live, replayed);

        // all three go on alike through more sessions, evictions and reused slots
        for (int i = 0; i < 6_000; i++) {
            Command c = generator.next();
            List<EngineEvent> expected = apply(live, c);
            generator.observe(c, expected);
            assertEquals(expected, apply(restored, c), "restored, command " + i + ": " + c);
            assertEquals(expected, apply(replayed, c), "replayed, command " + i + ": " + c);
        }
        assertTrue(live.closeCount() > 20);
        assertSameState(live, restored);
        assertSameState(live, replayed);
        restored.validateInternalState();
    }

    private static void assertSameState(Exchange expected, Exchange actual) {
        assertEquals(expected.stateHash(), actual.stateHash(), "state hash");
        assertEquals(expected.summary(), actual.summary());
        assertEquals(expected.closeCount(), actual.closeCount());
        assertEquals(expected.windowStartCloseCount(), actual.windowStartCloseCount());
        assertEquals(expected.lastEvictionSeq(), actual.lastEvictionSeq());
        assertEquals(expected.heldOrderCount(), actual.heldOrderCount());
        OrderView e = new OrderView();
        OrderView a = new OrderView();
        for (long id = 1; id <= expected.lastSeq(); id++) {
            assertEquals(expected.order(id, e), actual.order(id, a), "order " + id + " held");
            Diffs.assertSameOrder(e, a, "order " + id);
        }
    }

    @Test
    @Timeout(60)
    void shouldHoldAFlatNumberOfOrdersInAFlatNumberOfSlotsOverManySessions() {
        int window = 2;
        Exchange engine = new Exchange(ExchangeConfig.builder().symbol("AAPL", 0).priceCollarBps(0)
                .gtcMaxAgeDays(36_500).idempotencySessions(window).build());
        ExchangeDriver x = new ExchangeDriver(Venue.of(engine));
        long[] accounts = new long[4];
        for (int i = 0; i < accounts.length; i++) {
            accounts[i] = x.newAccount("trader-" + i, 0, 0);
            x.fund(accounts[i], "USD", 1_000_000_000L);
            x.fund(accounts[i], "AAPL", 1_000_000L);
        }
        int perSession = 25;
        long keeper = 0;
        long heldAtWarmup = 0;
        int highWaterAtWarmup = 0;
        int capacityAtWarmup = 0;
        int indexCapacityAtWarmup = 0;
        long idMapCapacityAtWarmup = 0;
        for (int session = 0; session < 200; session++) {
            assertEquals(ResultCode.OK, x.openSession(DAY_ONE + session).code());
            if (session == 0) {
                // one GTC order rests through every session: held for good, never in the way of reuse
                keeper = x.order(accounts[0]).gtc().buy(1, "1.00").place().orderId();
            }
            for (int i = 0; i < perSession; i++) {
                long a = accounts[i % accounts.length];
                long b = accounts[(i + 1) % accounts.length];
                switch (i % 5) {
                    case 0 -> {           // a trade: both orders fill
                        x.sell(a, 2, "10.00");
                        x.buy(b, 2, "10.00");
                    }
                    case 1 -> x.cancel(a, x.buy(a, 1, "9.00").orderId());
                    case 2 -> x.buy(a, 1, "9.50");            // a day order the close expires
                    case 3 -> x.buy(a, 0, "9.00");            // rejected
                    default -> x.order(a).ioc().sell(1, "11.00").place(); // expires unfilled
                }
            }
            x.closeSession();
            if (session == 20) {
                heldAtWarmup = engine.heldOrderCount();
                highWaterAtWarmup = engine.orderSlotHighWater();
                capacityAtWarmup = engine.orderSlotCapacity();
                indexCapacityAtWarmup = engine.store.account(accounts[0]).byClientOrderId.capacity();
                idMapCapacityAtWarmup = engine.store.slotById.capacity();
            }
            if (session >= 20) {
                assertEquals(heldAtWarmup, engine.heldOrderCount(), "held orders after close " + engine.closeCount());
                assertEquals(highWaterAtWarmup, engine.orderSlotHighWater(), "slots after close " + engine.closeCount());
            }
        }
        engine.validateInternalState();
        // every session adds 30 orders; the window holds those of the last `window` sessions, and the keeper
        assertEquals(window * 30L + 1, engine.heldOrderCount());
        assertEquals(capacityAtWarmup, engine.orderSlotCapacity());
        assertEquals(indexCapacityAtWarmup, engine.store.account(accounts[0]).byClientOrderId.capacity());
        assertEquals(idMapCapacityAtWarmup, engine.store.slotById.capacity());
        assertTrue(engine.orderSlotHighWater() <= (window + 1) * 30 + 1,
                "the most orders held at once: the window plus the session under way");
        OrderView v = new OrderView();
        assertTrue(engine.order(keeper, v));
        assertEquals(OrderStatus.NEW, v.status);
        assertTrue(engine.store.lastOrderId() > 200L * 30, "while ids went on growing");
    }
}
