package exchange.engine;

import exchange.engine.reference.ReferenceExchange;
import exchange.engine.testing.Diffs;
import exchange.risk.Account;
import exchange.risk.Ledger;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded randomized simulation: applies the same {@link OrderFlowGenerator} stream to the engine
 * and to the naive {@link ReferenceExchange} and, after every command, requires identical events,
 * result codes, order views and query results, identical balances per account, conservation of
 * cash and of every symbol's shares, no negative balance and no crossed book. Every
 * {@value #FULL_CHECK_EVERY} commands (and after each session command) it also recomputes every
 * account's holds from {@code exchange.openOrders()} with the rules' {@code R(leaves)} formula,
 * checks {@code qty = filled + leaves} on every open order and runs
 * {@code validateOpenState()}; at the end of a seed it runs {@code validateInternalState()} (which
 * also reads every order held) and compares every order ever placed: held by both, equal, or by
 * neither. The model holds orders by the idempotency window rule too, so every query (an order by
 * id or client id, a page of orders), every retry of a client order id and every cancel agree on
 * what has left the engine; each seed runs its own window size (0, 1, 2 and 5 sessions). Reference
 * quotes move the collar and the valuation of every account query, and fill resting orders
 * against the outside market on three symbols, with a trading account as liquidity provider.
 *
 * <p>The total number of commands comes from the system property {@code simulation.commands}
 * (1,000,000 by default, 10,000,000 under {@code -Psoak}), split over the seeds. A failure
 * names the seed, the command index, the command and the commands before it.
 */
@Timeout(value = 3, unit = TimeUnit.HOURS)
class ExchangeSimulationTest {
    private static final long TOTAL_COMMANDS = Long.getLong("simulation.commands", 1_000_000L);
    private static final int FULL_CHECK_EVERY = 50;
    private static final int HISTORY = 12;

    static Stream<Arguments> seeds() {
        return Stream.of(
                Arguments.of(1L, false, SelfTradePrevention.CANCEL_NEWEST, 5),
                Arguments.of(20_241_001L, false, SelfTradePrevention.CANCEL_OLDEST, 0),
                Arguments.of(0x5EED_CAFEL, false, SelfTradePrevention.CANCEL_BOTH, 1),
                Arguments.of(7_777_777L, true, SelfTradePrevention.CANCEL_NEWEST, 2),
                Arguments.of(-42L, true, SelfTradePrevention.CANCEL_OLDEST, 5));
    }

    @ParameterizedTest(name = "seed {0}, unbounded limits {1}, default STP {2}, idempotency sessions {3}")
    @MethodSource("seeds")
    @Timeout(value = 2, unit = TimeUnit.HOURS)
    void shouldAgreeWithReferenceModelAndKeepInvariantsAfterEveryCommand(long seed, boolean unbounded,
                                                                        SelfTradePrevention defaultStp,
                                                                        int idempotencySessions) {
        long commands = Math.max(1_000, TOTAL_COMMANDS / seeds().count());
        long started = System.nanoTime();
        Simulation sim = new Simulation(seed, OrderFlowGenerator.config(unbounded, defaultStp, idempotencySessions, true));
        sim.run(commands);
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("simulation seed=%d unbounded=%b stp=%s window=%d commands=%d time=%d ms trades=%d "
                        + "(against quotes %d, on rest %d) closes=%d held=%d reusedAfterEviction=%d%n", seed, unbounded,
                defaultStp, idempotencySessions, commands, millis, sim.eventCounts.getOrDefault(EventType.TRADE_EXECUTED, 0L),
                sim.fillsAgainstQuote, sim.fillsOnRest, sim.engine.closeCount(), sim.engine.heldOrderCount(),
                sim.reusedAfterEviction);
        if (commands >= 50_000) {
            sim.assertCoverage();
        }
    }

    /** One seeded run: the engine, the model, the generator and the checks. */
    static final class Simulation {
        final long seed;
        final ExchangeConfig config;
        final Exchange engine;
        final ReferenceExchange model;
        final OrderFlowGenerator generator;
        final String[] assets;
        final List<EngineEvent> engineEvents = new ArrayList<>();
        final List<EngineEvent> modelEvents = new ArrayList<>();
        /** The last commands applied (each a fresh instance the generator never touches again). */
        final ArrayDeque<Command> history = new ArrayDeque<>();
        final Map<ResultCode, Long> resultCounts = new EnumMap<>(ResultCode.class);
        final Map<EventType, Long> eventCounts = new EnumMap<>(EventType.class);
        final Set<ExpiryReason> expiryReasons = EnumSet.noneOf(ExpiryReason.class);
        /** "account/clientOrderId" of every order created, to spot an id used again after its order left. */
        final Set<String> clientIdsUsed = new java.util.HashSet<>();
        long reusedAfterEviction;
        /** Fills against the outside market when a quote arrived, and when an order came to rest. */
        long fillsAgainstQuote;
        long fillsOnRest;
        long index;

        Simulation(long seed, ExchangeConfig config) {
            this.seed = seed;
            this.config = config;
            this.engine = new Exchange(config);
            this.model = new ReferenceExchange(config);
            this.generator = new OrderFlowGenerator(seed, true);
            this.assets = config.assetNames();
        }

        void run(long commands) {
            for (Command c : generator.setup()) {
                step(c);
            }
            for (long i = 0; i < commands; i++) {
                step(generator.next());
            }
            try {
                fullChecks();
                engine.validateInternalState();
                compareEveryOrder();
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ": final checks failed after " + index + " commands", e);
            }
        }

        void step(Command c) {
            index++;
            Command m = new Command();
            m.copyInputFrom(c);
            engineEvents.clear();
            modelEvents.clear();
            try {
                engine.apply(c, e -> engineEvents.add(e.copy()));
                model.apply(m, e -> modelEvents.add(e.copy()));
                compareOutcome(c, m);
                cheapChecks(c);
                if (index % FULL_CHECK_EVERY == 0 || c.type == CommandType.SESSION_CLOSE
                        || c.type == CommandType.SESSION_OPEN) {
                    fullChecks();
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("seed " + seed + ", command #" + index + ": " + c
                        + "\n engine events: " + engineEvents + "\n model events:  " + modelEvents
                        + "\n previous commands (oldest first):\n  " + describeHistory(), e);
            }
            generator.observe(c, engineEvents);
            count(c);
            if (history.size() == HISTORY) {
                history.removeFirst();
            }
            history.addLast(c);
        }

        private String describeHistory() {
            StringBuilder sb = new StringBuilder();
            long i = index - history.size();
            for (Command h : history) {
                sb.append("#").append(i++).append(' ').append(h).append("\n  ");
            }
            return sb.toString();
        }

        private void count(Command c) {
            resultCounts.merge(c.result, 1L, Long::sum);
            if (c.type == CommandType.PLACE_ORDER && c.result != ResultCode.DUPLICATE && c.result != ResultCode.CONFLICT
                    && c.order.isPresent() && !clientIdsUsed.add(c.accountId + "/" + c.clientOrderId)) {
                reusedAfterEviction++;
            }
            for (EngineEvent e : engineEvents) {
                eventCounts.merge(e.type, 1L, Long::sum);
                if (e.type == EventType.TRADE_EXECUTED && e.venue != null) {
                    if (c.type == CommandType.REFERENCE_QUOTE) {
                        fillsAgainstQuote++;
                    } else {
                        fillsOnRest++;
                    }
                }
                if (e.expiryReason != null) {
                    expiryReasons.add(e.expiryReason);
                }
            }
        }

        private void compareOutcome(Command c, Command m) {
            assertEquals(modelEvents, engineEvents, "events");
            assertEquals(m.result, c.result, "result code");
            if (c.type.isJournaled()) {
                assertEquals(m.seq, c.seq, "seq");
            }
            Diffs.assertSameOrder(m.order, c.order, "order view (model expected, engine actual)");
            assertEquals(m.conflictFields, c.conflictFields, "conflict fields");
            assertEquals(m.resultAccountId, c.resultAccountId, "result account id");
            if (c.type == CommandType.QUERY_STATE && c.queryResult instanceof StateSummary s) {
                StateSummary expected = (StateSummary) m.queryResult;
                assertEquals(withHash(expected, s.stateHash()), s, "state summary");
            } else if (!c.type.isJournaled()) {
                // SESSION_CLOSE also hands back the engine's reconciliation report, which the rules do not cover
                assertEquals(m.queryResult, c.queryResult, "query result");
            }
        }

        private static StateSummary withHash(StateSummary s, long hash) {
            return new StateSummary(s.seq(), hash, s.accounts(), s.openOrders(), s.sessionOpen(), s.sessionDate(),
                    s.sessionClosesAtNanos(), s.cashTotal(), s.cashReserved(), s.feesCollected(), s.positions(),
                    s.heldOrders(), s.closeCount());
        }

        /** Cheap enough for every command: balances, conservation, top of book, the command's order. */
        private void cheapChecks(Command c) {
            Ledger ledger = engine.ledger();
            assertEquals(model.lastSeq(), engine.lastSeq(), "lastSeq");
            assertEquals(model.closeCount(), engine.closeCount(), "close count");
            assertEquals(model.windowStartCloseCount(), engine.windowStartCloseCount(), "window start");
            assertEquals(model.lastEvictionSeq(), engine.lastEvictionSeq(), "last eviction seq");
            assertEquals(model.heldOrderCount(), engine.heldOrderCount(), "orders held");
            assertEquals(model.isSessionOpen(), engine.isSessionOpen(), "session open");
            assertEquals(model.accountCount(), ledger.accountCount(), "account count");
            for (long a = 1; a <= ledger.accountCount(); a++) {
                Account acct = ledger.account(a);
                for (int i = 0; i < assets.length; i++) {
                    long total = acct.total(i);
                    long reserved = acct.reserved(i);
                    if (total != model.total(a, assets[i]) || reserved != model.reserved(a, assets[i])) {
                        throw new AssertionError("account " + a + " " + assets[i] + ": engine total/reserved "
                                + total + "/" + reserved + ", model " + model.total(a, assets[i]) + "/"
                                + model.reserved(a, assets[i]));
                    }
                    if (total < 0 || reserved < 0 || reserved > total) {
                        throw new AssertionError("negative balance: account " + a + " " + assets[i] + " total "
                                + total + " reserved " + reserved);
                    }
                }
            }
            for (int i = 0; i < assets.length; i++) {
                long fees = i == Ledger.CASH ? model.feesCollected() : 0;
                long sum = ledger.sumTotal(i) + ledger.feesCollected(i);
                long external = model.deposited(assets[i]) - model.withdrawn(assets[i]);
                if (sum != external || ledger.feesCollected(i) != fees) {
                    throw new AssertionError(assets[i] + " not conserved: accounts + fees = " + sum
                            + ", deposits - withdrawals = " + external + ", fees engine/model "
                            + ledger.feesCollected(i) + "/" + fees);
                }
            }
            for (String s : OrderFlowGenerator.SYMBOLS) {
                long bid = engine.bestBidTicks(s);
                long ask = engine.bestAskTicks(s);
                assertEquals(model.bestBidTicks(s), bid, s + " best bid");
                assertEquals(model.bestAskTicks(s), ask, s + " best ask");
                assertEquals(model.lastTradePriceTicks(s), engine.lastTradePriceTicks(s), s + " last trade");
                if (bid != 0 && ask != 0 && bid >= ask) {
                    throw new AssertionError(s + " book crossed: bid " + bid + " >= ask " + ask);
                }
            }
            if (c.order.isPresent()) {
                checkOrderShape(c.order);
            }
        }

        /** Holds recomputed from the open orders, every open order's shape, the engine's own checks. */
        void fullChecks() {
            engine.validateOpenState();
            List<OrderView> open = engine.openOrders();
            assertEquals(model.openOrders(), open, "open orders");
            assertEquals(open.size(), engine.openOrderCount(), "open order count");
            Ledger ledger = engine.ledger();
            long[][] holds = new long[ledger.accountCount() + 1][assets.length];
            for (OrderView v : open) {
                checkOrderShape(v);
                assertTrue(!v.status.isTerminal(), "terminal order listed as open: " + v);
                Account a = ledger.account(v.accountId);
                if (v.side == Side.BUY) {
                    long hold = buyHold(v.leavesQty, v.priceTicks, a.maxFeeBps());
                    assertEquals(hold, v.holdAmount, "hold of " + v);
                    holds[(int) v.accountId][Ledger.CASH] += hold;
                } else {
                    assertEquals(v.leavesQty, v.holdAmount, "hold of " + v);
                    holds[(int) v.accountId][ledger.assetIndex(v.symbol)] += v.leavesQty;
                }
            }
            for (long a = 1; a <= ledger.accountCount(); a++) {
                for (int i = 0; i < assets.length; i++) {
                    if (ledger.account(a).reserved(i) != holds[(int) a][i]) {
                        throw new AssertionError("account " + a + " reserves " + ledger.account(a).reserved(i) + " "
                                + assets[i] + " but its open orders hold " + holds[(int) a][i]);
                    }
                }
            }
        }

        /** {@code R(L) = L x limit + ceil(L x limit x maxFeeBps / 10,000)}, in plain long arithmetic. */
        private static long buyHold(long leaves, long limit, int maxFeeBps) {
            long notional = Math.multiplyExact(leaves, limit);
            long feeTimesBps = Math.multiplyExact(notional, (long) maxFeeBps);
            return notional + (feeTimesBps + 9_999) / 10_000;
        }

        private static void checkOrderShape(OrderView v) {
            if (v.status.isTerminal()) {
                if (v.leavesQty != 0 || v.holdAmount != 0) {
                    throw new AssertionError("terminal order with leaves or hold: " + v);
                }
                if (v.status == OrderStatus.FILLED && v.filledQty != v.qty) {
                    throw new AssertionError("filled order with qty != filled: " + v);
                }
            } else if (v.leavesQty <= 0 || v.qty != v.filledQty + v.leavesQty) {
                throw new AssertionError("open order breaks qty = filled + leaves, leaves > 0: " + v);
            }
        }

        /** Every order ever placed: held by both (and equal) or by neither. */
        private void compareEveryOrder() {
            OrderView e = new OrderView();
            OrderView m = new OrderView();
            long held = 0;
            for (long id = 1; id <= model.lastOrderId() + 1; id++) {
                boolean inEngine = engine.order(id, e);
                boolean inModel = model.order(id, m);
                assertEquals(inModel, inEngine, "order " + id + " held");
                if (inEngine) {
                    Diffs.assertSameOrder(m, e, "order " + id);
                    checkOrderShape(e);
                    held++;
                }
            }
            assertEquals(model.heldOrderCount(), held, "orders held");
            assertEquals(model.heldOrderCount(), engine.heldOrderCount(), "held order count");
        }

        /** The run exercised every path it is meant to, so a degenerate generator cannot pass quietly. */
        void assertCoverage() {
            Set<ResultCode> expected = EnumSet.of(ResultCode.OK, ResultCode.DUPLICATE, ResultCode.CONFLICT,
                    ResultCode.MARKET_CLOSED, ResultCode.UNKNOWN_SYMBOL, ResultCode.INVALID_CLIENT_ORDER_ID,
                    ResultCode.INVALID_QUANTITY, ResultCode.INVALID_PRICE, ResultCode.INVALID_TICK,
                    ResultCode.NOTIONAL_TOO_LARGE, ResultCode.PRICE_OUTSIDE_COLLAR, ResultCode.POST_ONLY_WOULD_TAKE,
                    ResultCode.INSUFFICIENT_BUYING_POWER, ResultCode.INSUFFICIENT_POSITION,
                    ResultCode.TOO_MANY_OPEN_ORDERS, ResultCode.ORDER_NOT_FOUND, ResultCode.TOO_LATE_TO_CANCEL,
                    ResultCode.ACCOUNT_NOT_FOUND, ResultCode.UNKNOWN_ASSET, ResultCode.INVALID_AMOUNT,
                    ResultCode.INVALID_TRANSFER_ID, ResultCode.INSUFFICIENT_FUNDS, ResultCode.INVALID_NAME,
                    ResultCode.TOO_MANY_ACCOUNTS, ResultCode.SESSION_ALREADY_OPEN, ResultCode.SESSION_ALREADY_CLOSED,
                    ResultCode.INVALID_SESSION_DATE, ResultCode.OVERFLOW, ResultCode.INVALID_COMMAND,
                    ResultCode.INVALID_QUOTE, ResultCode.TOO_MANY_VENUES);
            Set<ResultCode> missing = EnumSet.copyOf(expected);
            missing.removeAll(resultCounts.keySet());
            assertTrue(missing.isEmpty(), "seed " + seed + " never produced " + missing + "; counts " + resultCounts);
            Set<EventType> missingEvents = EnumSet.allOf(EventType.class);
            missingEvents.removeAll(eventCounts.keySet());
            assertTrue(missingEvents.isEmpty(), "seed " + seed + " never emitted " + missingEvents);
            Set<ExpiryReason> missingReasons = EnumSet.complementOf(EnumSet.of(ExpiryReason.NONE));
            missingReasons.removeAll(expiryReasons);
            assertTrue(missingReasons.isEmpty(), "seed " + seed + " never expired with " + missingReasons);
            assertTrue(engine.lastEvictionSeq() > 0, "seed " + seed + " never evicted an order");
            assertTrue(fillsAgainstQuote > 0 && fillsOnRest > 0, "seed " + seed + " filled " + fillsAgainstQuote
                    + " resting orders when a quote came and " + fillsOnRest + " when an order came to rest");
            assertTrue(reusedAfterEviction > 0, "seed " + seed + " never reused a client order id after its order left");
        }
    }
}
