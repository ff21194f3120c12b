package exchange.engine;

import exchange.engine.testing.Diffs;
import exchange.engine.testing.InMemorySnapshot;
import exchange.risk.Account;
import exchange.risk.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is a deterministic function of its command stream (reference quotes and fills against
 * the outside market included): the same stream gives the same events and the same
 * {@link Exchange#stateHash()}, and a snapshot restores a state that has the same hash and
 * continues the stream exactly as the original does.
 */
@Timeout(120)
class DeterminismTest {
    private static final ExchangeConfig CONFIG = OrderFlowGenerator.config(false, SelfTradePrevention.CANCEL_NEWEST,
            ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS, true);

    /** A recorded stream: the commands' inputs and, per command, the events the recording engine emitted. */
    private record Recording(List<Command> commands, List<List<EngineEvent>> events, Exchange engine) {
    }

    /** Generates {@code n} commands (after the generator's setup) against a fresh engine and records them. */
    private static Recording record(long seed, int n) {
        Exchange engine = new Exchange(CONFIG);
        OrderFlowGenerator generator = new OrderFlowGenerator(seed, true);
        List<Command> commands = new ArrayList<>();
        List<List<EngineEvent>> events = new ArrayList<>();
        List<Command> stream = new ArrayList<>(generator.setup());
        for (int i = 0; i < stream.size() + n; i++) {
            Command c = i < stream.size() ? stream.get(i) : generator.next();
            Command input = new Command();
            input.copyInputFrom(c);
            List<EngineEvent> out = new ArrayList<>();
            engine.apply(c, e -> out.add(e.copy()));
            generator.observe(c, out);
            commands.add(input);
            events.add(out);
        }
        return new Recording(commands, events, engine);
    }

    /** Applies a fresh copy of {@code c} and returns its events. */
    private static List<EngineEvent> apply(Exchange engine, Command c) {
        Command copy = new Command();
        copy.copyInputFrom(c);
        List<EngineEvent> out = new ArrayList<>();
        engine.apply(copy, e -> out.add(e.copy()));
        return out;
    }

    @Test
    @Timeout(60)
    void shouldProduceIdenticalEventsAndStateHashWhenTheSameStreamIsAppliedTwice() {
        Recording first = record(99L, 30_000);
        assertTrue(first.events().stream().flatMap(List::stream)
                .anyMatch(e -> e.type == EventType.TRADE_EXECUTED && e.venue != null),
                "the stream fills against the outside market too");
        Exchange second = new Exchange(CONFIG);
        for (int i = 0; i < first.commands().size(); i++) {
            assertEquals(first.events().get(i), apply(second, first.commands().get(i)), "command #" + i);
        }
        assertEquals(first.engine().lastSeq(), second.lastSeq());
        assertEquals(first.engine().stateHash(), second.stateHash());
        assertEquals(first.engine().openOrders(), second.openOrders());
        second.validateInternalState();
    }

    @Test
    @Timeout(60)
    void shouldGiveTheSameEventsAndStateWhenBatchesOfCommandsArePrefetchedFirst() {
        Recording first = record(7L, 30_000);
        Exchange second = new Exchange(CONFIG);
        Random sizes = new Random(7L);
        int i = 0;
        while (i < first.commands().size()) {
            // batches as a replay reads them: later commands may cancel orders earlier ones create
            int n = Math.min(1 + sizes.nextInt(32), first.commands().size() - i);
            Command[] batch = new Command[n];
            for (int k = 0; k < n; k++) {
                batch[k] = new Command();
                batch[k].copyInputFrom(first.commands().get(i + k));
            }
            second.prefetch(batch, 0, n);
            for (int k = 0; k < n; k++, i++) {
                List<EngineEvent> out = new ArrayList<>();
                second.apply(batch[k], e -> out.add(e.copy()));
                assertEquals(first.events().get(i), out, "command #" + i);
            }
        }
        assertEquals(first.engine().stateHash(), second.stateHash());
        second.validateInternalState();
    }

    @Test
    @Timeout(60)
    void shouldReplayWithJournaledSequenceNumbersToTheSameState() {
        Recording first = record(4242L, 20_000);
        Exchange replica = new Exchange(CONFIG);
        long seq = 0;
        for (int i = 0; i < first.commands().size(); i++) {
            Command c = new Command();
            c.copyInputFrom(first.commands().get(i));
            if (c.type.isJournaled()) {
                c.seq = ++seq;
            }
            List<EngineEvent> out = new ArrayList<>();
            replica.apply(c, e -> out.add(e.copy()));
            assertEquals(first.events().get(i), out, "command #" + i);
        }
        assertEquals(first.engine().stateHash(), replica.stateHash());
    }

    @Test
    @Timeout(60)
    void shouldRestoreSnapshotWithTheSameHashAndContinueTheStreamIdentically() {
        Recording rec = record(7L, 40_000);
        List<Command> commands = rec.commands();
        Exchange original = new Exchange(CONFIG);
        int[] snapshotPoints = {0, 150, 5_000, 17_777, commands.size() - 1};
        int next = 0;
        int snapshots = 0;
        for (int i = 0; i < commands.size(); i++) {
            if (next < snapshotPoints.length && i >= snapshotPoints[next]) {
                while (next < snapshotPoints.length && snapshotPoints[next] <= i) {
                    next++;
                }
                snapshots++;
                Exchange restored = roundTrip(original);
                assertSameState(original, restored);
                // both continue the next stretch of the stream and must stay in lock step
                int end = Math.min(commands.size(), i + 2_000);
                for (int j = i; j < end; j++) {
                    assertEquals(apply(original, commands.get(j)), apply(restored, commands.get(j)),
                            "command #" + j + " after restoring the snapshot taken before #" + i);
                }
                assertSameState(original, restored);
                i = end - 1;
                continue;
            }
            apply(original, commands.get(i));
        }
        assertEquals(snapshotPoints.length, snapshots, "every snapshot point was used");
        assertEquals(rec.engine().stateHash(), original.stateHash(), "the stream itself was not disturbed");
    }

    @Test
    @Timeout(30)
    void shouldReachTheSameStateAndEventsWhenTheCallerSkipsTheOrderView() {
        Recording rec = record(13L, 20_000);
        Exchange skipping = new Exchange(CONFIG);
        for (int i = 0; i < rec.commands().size(); i++) {
            Command c = new Command();
            c.copyInputFrom(rec.commands().get(i));
            c.orderViewUnused = true;
            List<EngineEvent> out = new ArrayList<>();
            skipping.apply(c, e -> out.add(e.copy()));
            assertEquals(rec.events().get(i), out, "events of command #" + i);
            assertEquals(0, c.order.orderId, "no order view was filled for command #" + i);
        }
        assertEquals(rec.engine().stateHash(), skipping.stateHash());
    }

    @Test
    @Timeout(30)
    void shouldRestoreSnapshotTakenWhileTheMarketIsClosed() {
        Recording rec = record(11L, 3_000);
        Exchange original = rec.engine();
        Command close = new Command();
        close.type = CommandType.SESSION_CLOSE;
        close.timestampNanos = Long.MAX_VALUE / 2;
        original.apply(close, EventSink.NONE);
        Exchange restored = roundTrip(original);
        assertFalse(restored.isSessionOpen());
        assertSameState(original, restored);
        Command open = new Command();
        open.type = CommandType.SESSION_OPEN;
        open.sessionDate = original.sessionDate();
        open.timestampNanos = Long.MAX_VALUE / 2 + 1;
        assertEquals(apply(original, open), apply(restored, open), "the same session date is refused by both");
        assertEquals(ResultCode.INVALID_SESSION_DATE, lastResult(restored, open));
    }

    @Test
    @Timeout(10)
    void shouldRoundTripAnEmptyExchange() {
        Exchange empty = new Exchange(CONFIG);
        Exchange restored = roundTrip(empty);
        assertSameState(empty, restored);
        assertEquals(0, restored.lastSeq());
        assertEquals(0, restored.sessionDate());
    }

    @Test
    @Timeout(30)
    void shouldChangeStateHashWithStateButNotWithQueries() {
        Recording rec = record(5L, 2_000);
        Exchange engine = rec.engine();
        long before = engine.stateHash();
        for (CommandType q : new CommandType[] {CommandType.QUERY_STATE, CommandType.QUERY_SESSION, CommandType.QUERY_ACCOUNT,
            CommandType.QUERY_ORDERS, CommandType.QUERY_ORDER, CommandType.QUERY_ORDER_BY_CLIENT_ID}) {
            Command c = new Command();
            c.type = q;
            c.accountId = 1;
            c.orderId = 1;
            c.timestampNanos = Long.MAX_VALUE / 2;
            engine.apply(c, EventSink.NONE);
        }
        assertEquals(before, engine.stateHash(), "queries change nothing");
        Command deposit = new Command();
        deposit.type = CommandType.DEPOSIT;
        deposit.accountId = 1;
        deposit.asset = "USD";
        deposit.amount = 1;
        deposit.transferId = "hash-probe";
        deposit.timestampNanos = Long.MAX_VALUE / 2;
        engine.apply(deposit, EventSink.NONE);
        assertNotEquals(before, engine.stateHash(), "a one-unit deposit changes the hash");
    }

    private static ResultCode lastResult(Exchange engine, Command template) {
        Command c = new Command();
        c.copyInputFrom(template);
        engine.apply(c, EventSink.NONE);
        return c.result;
    }

    private static Exchange roundTrip(Exchange original) {
        long hash = original.stateHash();
        InMemorySnapshot snapshot = new InMemorySnapshot();
        original.writeSnapshot(snapshot);
        assertEquals(hash, original.stateHash(), "writing a snapshot changes nothing");
        assertTrue(snapshot.size() > 0);
        Exchange restored = Exchange.readSnapshot(CONFIG, snapshot);
        assertTrue(snapshot.fullyRead(), "readSnapshot consumed everything writeSnapshot wrote");
        restored.validateInternalState();
        return restored;
    }

    private static void assertSameState(Exchange expected, Exchange actual) {
        assertEquals(expected.stateHash(), actual.stateHash(), "state hash");
        assertEquals(expected.lastSeq(), actual.lastSeq(), "lastSeq");
        assertEquals(expected.isSessionOpen(), actual.isSessionOpen(), "session open");
        assertEquals(expected.sessionDate(), actual.sessionDate(), "session date");
        assertEquals(expected.sessionClosesAtNanos(), actual.sessionClosesAtNanos(), "session close");
        assertEquals(expected.summary(), actual.summary(), "summary");
        List<OrderView> open = expected.openOrders();
        List<OrderView> restoredOpen = actual.openOrders();
        assertEquals(open.size(), restoredOpen.size(), "open order count");
        for (int i = 0; i < open.size(); i++) {
            Diffs.assertSameOrder(open.get(i), restoredOpen.get(i), "open order " + open.get(i).orderId);
        }
        OrderView e = new OrderView();
        OrderView a = new OrderView();
        for (long id = 1; expected.order(id, e); id++) {
            assertTrue(actual.order(id, a), "order " + id + " survives the snapshot");
            Diffs.assertSameOrder(e, a, "order " + id);
        }
        for (String s : CONFIG.assetNames()) {
            if (!"USD".equals(s)) {
                assertEquals(expected.bestBidTicks(s), actual.bestBidTicks(s), s + " bid");
                assertEquals(expected.bestAskTicks(s), actual.bestAskTicks(s), s + " ask");
                assertEquals(expected.lastTradePriceTicks(s), actual.lastTradePriceTicks(s), s + " last");
            }
        }
        Ledger le = expected.ledger();
        Ledger la = actual.ledger();
        assertEquals(le.accountCount(), la.accountCount());
        for (long id = 1; id <= le.accountCount(); id++) {
            Account x = le.account(id);
            Account y = la.account(id);
            for (int i = 0; i < le.assetCount(); i++) {
                assertEquals(x.total(i), y.total(i), "account " + id + " total " + i);
                assertEquals(x.reserved(i), y.reserved(i), "account " + id + " reserved " + i);
            }
            assertEquals(x.feesPaid(), y.feesPaid());
            assertEquals(x.fillCount(), y.fillCount());
        }
        for (int i = 0; i < le.assetCount(); i++) {
            assertEquals(le.feesCollected(i), la.feesCollected(i));
            assertEquals(le.deposited(i), la.deposited(i));
            assertEquals(le.withdrawn(i), la.withdrawn(i));
        }
        assertEquals(le.transfers(), la.transfers(), "transfer ids survive (idempotency)");
    }
}
