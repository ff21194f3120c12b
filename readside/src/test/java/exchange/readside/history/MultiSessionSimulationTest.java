package exchange.readside.history;

import exchange.engine.ExchangeConfig;
import exchange.engine.OrderStatus;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The read side over many sessions of a realistic flow, with the engine's default idempotency
 * window: a real {@code Exchange} writes every event to a real events queue that a
 * {@link HistoryService} tails into a real database (SQLite here; PostgreSQL with
 * {@code -Dexchange.history.test.jdbc-url}, see {@link TestDatabases}). After every close
 * ({@link HistorySimulation}): the report is stored and its batch check passes; every order ever
 * placed is in the database with its account, status and filled quantity, and those the engine
 * still holds read field for field as the engine shows them, while the engine holds exactly the
 * window's orders; every trade is in both sides' fills; a database rebuilt from the queue has the
 * same content. The heap after a full GC is recorded after each close; the soak run asserts it
 * stays flat.
 *
 * <p>Seeded: {@code -Dsimulation.seed=N} replays a run; a failure names its seed. The soak run's size
 * comes from {@code simulation.sessions} and {@code simulation.orders-per-session} (root pom,
 * {@code -Psoak}).
 */
class MultiSessionSimulationTest {
    private static final long DEFAULT_SEED = 20_241_015L;
    /**
     * Closes before the heap baseline: the window (5 sessions) is full from the 5th close on and GTC
     * orders live at most {@value SessionFlow#GTC_MAX_AGE_DAYS} days, so the engine's held set has
     * reached its steady size; one more close lets the JIT and the pools settle.
     */
    static final int HEAP_WARM_UP_SESSIONS = ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS + 1;
    private static final double HEAP_GROWTH_LIMIT = 1.2;

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void shouldKeepHistoryEqualToTheEngineAndToARebuildAfterEveryClose() throws Exception {
        long seed = seed();
        List<HistorySimulation.SessionFigures> figures = run(seed, 8, 2_500, 40);
        HistorySimulation.SessionFigures last = figures.get(figures.size() - 1);
        assertTrue(last.heldOrders() < last.ordersNumbered(), "seed " + seed + ": orders have left the engine");
    }

    @Test
    @Tag("soak")
    @Timeout(value = 6, unit = TimeUnit.HOURS)
    void shouldKeepTheEngineHeapFlatOverManyLargeSessions() throws Exception {
        long seed = seed();
        int sessions = Integer.getInteger("simulation.sessions", 20);
        int ordersPerSession = Integer.getInteger("simulation.orders-per-session", 200_000);
        assertTrue(sessions > HEAP_WARM_UP_SESSIONS, "the soak needs more than " + HEAP_WARM_UP_SESSIONS
                + " sessions to compare heap figures: " + sessions);
        List<HistorySimulation.SessionFigures> figures = run(seed, sessions, ordersPerSession,
                Math.max(40, ordersPerSession / 500));
        long baseline = figures.get(HEAP_WARM_UP_SESSIONS - 1).heapUsedBytes();
        long last = figures.get(figures.size() - 1).heapUsedBytes();
        assertTrue(last <= baseline * HEAP_GROWTH_LIMIT, String.format("seed %d: heap after session %d is %,d KiB,"
                        + " more than %.1fx the %,d KiB after session %d", seed, sessions, last / 1024,
                HEAP_GROWTH_LIMIT, baseline / 1024, HEAP_WARM_UP_SESSIONS));
        long heldBaseline = figures.get(HEAP_WARM_UP_SESSIONS - 1).heldOrders();
        long heldLast = figures.get(figures.size() - 1).heldOrders();
        assertTrue(heldLast <= heldBaseline * HEAP_GROWTH_LIMIT, "seed " + seed + ": held orders " + heldLast
                + " after the last session, " + heldBaseline + " after session " + HEAP_WARM_UP_SESSIONS);
    }

    private List<HistorySimulation.SessionFigures> run(long seed, int sessions, int ordersPerSession, int accounts)
            throws Exception {
        System.out.printf("[simulation] seed %d (-Dsimulation.seed=%d), %d sessions x %,d orders, %d accounts%n",
                seed, seed, sessions, ordersPerSession, accounts);
        try (HistorySimulation sim = new HistorySimulation(dir, seed, accounts)) {
            sim.run(sessions, ordersPerSession);
            assertTrue(sim.flow().reusedClientOrderIds() > 0 || sessions <= 7,
                    "client order ids reused after their order left the window");
            long[] byStatus = sim.expected().countByStatus();
            for (OrderStatus status : OrderStatus.values()) {
                assertTrue(byStatus[status.ordinal()] > 0, "the flow leaves some orders " + status + ": "
                        + java.util.Arrays.toString(byStatus));
            }
            return sim.figures();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("simulation failed with seed " + seed + " (rerun with -Dsimulation.seed=" + seed
                    + "): " + e.getMessage(), e);
        }
    }

    private static long seed() {
        return Long.getLong("simulation.seed", DEFAULT_SEED);
    }
}
