package exchange.readside.history;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.ExpiryReason;
import exchange.engine.Fill;
import exchange.engine.Holds;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The history queries over a small hand-written event stream that exercises the window rule: three
 * sessions, orders ending in each, a client order id used again after its order left the window
 * (as the engine on engine-live-state allows), fills on both sides of a trade.
 */
@Timeout(60)
class HistoryReaderTest {
    private static final long T0 = 1_800_000_000_000_000_000L;
    private static final long DAY = 86_400_000_000_000L;
    private static final long PX_100 = 1_000_000;

    @TempDir
    Path dataDir;

    private final List<EngineEvent> events = new ArrayList<>();
    private long seq;

    private EngineEvent event(EventType type) {
        EngineEvent e = new EngineEvent().reset(type, seq, T0 + seq * 1_000);
        events.add(e);
        return e;
    }

    private EngineEvent next(EventType type) {
        seq++;
        return event(type);
    }

    private void account(long id, int maker, int taker) {
        EngineEvent e = next(EventType.ACCOUNT_CREATED);
        e.accountId = id;
        e.name = "acct-" + id;
        e.apiKeyHash = "hash-" + id;
        e.makerFeeBps = maker;
        e.takerFeeBps = taker;
    }

    private void open(long day) {
        EngineEvent e = next(EventType.SESSION_OPENED);
        e.sessionDate = day;
        e.amount = day * DAY + 20 * 3_600_000_000_000L;
    }

    private EngineEvent order(EventType type, long orderId, long account, String clientId, String symbol, Side side,
                              long qty, long price, TimeInForce tif) {
        EngineEvent e = type == EventType.ORDER_ACCEPTED || type == EventType.ORDER_REJECTED ? next(type) : event(type);
        e.orderId = orderId;
        e.accountId = account;
        e.clientOrderId = clientId;
        e.symbol = symbol;
        e.side = side;
        e.qty = qty;
        e.priceTicks = price;
        e.timeInForce = tif;
        e.selfTradePrevention = SelfTradePrevention.DEFAULT;
        return e;
    }

    private void end(EventType type, long orderId, long account, String symbol, Side side, long qty, boolean newSeq) {
        EngineEvent e = newSeq ? next(type) : event(type);
        e.orderId = orderId;
        e.accountId = account;
        e.symbol = symbol;
        e.side = side;
        e.qty = qty;
        if (type == EventType.ORDER_EXPIRED) {
            e.expiryReason = ExpiryReason.END_OF_DAY;
        }
    }

    private void close(long day, int expired) {
        EngineEvent e = event(EventType.SESSION_CLOSED);
        e.sessionDate = day;
        e.qty = expired;
    }

    private long createdAt(long orderSeq) {
        return T0 + orderSeq * 1_000;
    }

    @BeforeEach
    void writeStream() {
        account(1, 10, 20);                                                          // seq 1
        account(2, 0, 5);                                                            // seq 2
        open(20_000);                                                                // seq 3
        order(EventType.ORDER_ACCEPTED, 1, 1, "c1", "AAPL", Side.BUY, 10, PX_100, TimeInForce.DAY)
                .amount = Holds.buyHold(10, PX_100, 20);                            // seq 4
        order(EventType.ORDER_ACCEPTED, 2, 2, "x1", "AAPL", Side.SELL, 10, PX_100 - 100, TimeInForce.GTC)
                .amount = 10;                                                        // seq 5
        EngineEvent t = event(EventType.TRADE_EXECUTED);
        t.tradeId = 1;
        t.symbol = "AAPL";
        t.priceTicks = PX_100;
        t.qty = 10;
        t.side = Side.SELL;
        t.orderId = 2;
        t.accountId = 2;
        t.counterOrderId = 1;
        t.counterAccountId = 1;
        t.takerFee = 500;
        t.makerFee = 1_000;
        order(EventType.ORDER_ACCEPTED, 3, 1, "c2", "MSFT", Side.SELL, 5, 2 * PX_100, TimeInForce.DAY)
                .amount = 5;                                                         // seq 6
        end(EventType.ORDER_CANCELED, 3, 1, "MSFT", Side.SELL, 5, true);             // seq 7
        order(EventType.ORDER_REJECTED, 4, 1, "c3", "ZZZ", Side.BUY, 1, PX_100, TimeInForce.DAY)
                .code = ResultCode.UNKNOWN_SYMBOL;                                   // seq 8
        seq++;                                                                       // seq 9: close
        close(20_000, 0);
        open(20_001);                                                                // seq 10
        order(EventType.ORDER_ACCEPTED, 5, 1, "c1", "AAPL", Side.SELL, 1, PX_100 + PX_100 / 2, TimeInForce.DAY)
                .amount = 1;                                                         // seq 11
        seq++;                                                                       // seq 12: close with sweep
        end(EventType.ORDER_EXPIRED, 5, 1, "AAPL", Side.SELL, 1, false);
        close(20_001, 1);
        open(20_002);                                                                // seq 13
        order(EventType.ORDER_ACCEPTED, 6, 1, "c4", "AAPL", Side.BUY, 3, PX_100 - 1_000, TimeInForce.GTC)
                .amount = Holds.buyHold(3, PX_100 - 1_000, 20);                     // seq 14
        try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
            events.forEach(journal::onEvent);
        }
    }

    private HistoryService history() throws InterruptedException {
        HistoryService h = HistoryService.open(TestDatabases.fresh(dataDir), () -> Long.MAX_VALUE).start();
        assertTrue(h.awaitSeq(14, Duration.ofSeconds(30)), () -> String.valueOf(h.failure()));
        return h;
    }

    private static List<Long> ids(List<OrderView> orders) {
        return orders.stream().map(o -> o.orderId).toList();
    }

    @Test
    void shouldShowOrdersWithTheirLifecycleFieldsWhenLookedUpById() throws Exception {
        try (HistoryService h = history()) {
            HistoryReader r = h.reader();
            OrderView filled = r.order(1, 1).orElseThrow();
            assertEquals(OrderStatus.FILLED, filled.status);
            assertEquals(10, filled.filledQty);
            assertEquals(0, filled.leavesQty);
            assertEquals(10 * PX_100, filled.filledNotional);
            assertEquals(0, filled.holdAmount);
            assertEquals(20_000, filled.sessionDate);
            assertEquals(20_000 * DAY + 20 * 3_600_000_000_000L, filled.expiresAtNanos, "a DAY order expires at the close");
            assertEquals(createdAt(4), filled.createdAtNanos);
            assertEquals(createdAt(5), filled.updatedAtNanos);
            assertEquals(5, filled.seq);
            assertEquals(Optional.empty(), r.order(2, 1), "another account's order");
            assertEquals(0, r.order(2, 2).orElseThrow().expiresAtNanos, "GTC: no expiry time");
            OrderView rejected = r.order(1, 4).orElseThrow();
            assertEquals(OrderStatus.REJECTED, rejected.status);
            assertEquals(ResultCode.UNKNOWN_SYMBOL, rejected.rejectReason);
            OrderView expired = r.order(1, 5).orElseThrow();
            assertEquals(ExpiryReason.END_OF_DAY, expired.expiryReason);
            assertEquals(12, expired.seq);
            OrderView live = r.order(1, 6).orElseThrow();
            assertEquals(OrderStatus.NEW, live.status);
            assertEquals(Holds.buyHold(3, PX_100 - 1_000, 20), live.holdAmount);
        }
    }

    @Test
    void shouldStoreTheRequestedSelfTradePreventionWhenTheEventCarriesIt() throws Exception {
        // applied directly: this branch's events codec does not carry the field yet (engine-live-state's does)
        HistoryDatabase db = HistoryDatabase.open(TestDatabases.fresh(dataDir.resolve("direct")));
        try (HistoryProjection p = new HistoryProjection(db, () -> 0L)) {
            for (EngineEvent e : events) {
                if (e.seq <= 4) {
                    p.apply(e);
                }
            }
            events.get(3).selfTradePrevention = SelfTradePrevention.CANCEL_BOTH;
            p.commit(4, HistoryProjection.NO_INDEX);
            p.caughtUp(4);   // a rebuild writes live orders once it has caught up
        }
        try (HistoryReader r = new HistoryReader(db, 1, Duration.ofSeconds(1))) {
            assertEquals(SelfTradePrevention.DEFAULT, r.order(1, 1).orElseThrow().selfTradePrevention);
        }
    }

    @Test
    void shouldReturnTheNewestOrderWhenAClientOrderIdWasUsedAgain() throws Exception {
        try (HistoryService h = history()) {
            assertEquals(5, h.reader().newestOrderByClientId(1, "c1").orElseThrow().orderId);
            assertEquals(3, h.reader().newestOrderByClientId(1, "c2").orElseThrow().orderId);
            assertEquals(Optional.empty(), h.reader().newestOrderByClientId(2, "c1"));
            assertEquals(Optional.empty(), h.reader().newestOrderByClientId(1, "nope"));
        }
    }

    @Test
    void shouldListOnlyOrdersOutsideTheWindowNewestFirstWhenAskedForEvictedOrders() throws Exception {
        try (HistoryService h = history()) {
            HistoryReader r = h.reader();
            Command.OrderFilter all = Command.OrderFilter.ALL;
            assertEquals(List.of(), ids(r.evictedOrders(1, all, null, 0, 0, 0, 0, 10)), "W = 0: the engine holds all");
            assertEquals(List.of(4L, 3L, 1L), ids(r.evictedOrders(1, all, null, 0, 0, 0, 1, 10)));
            assertEquals(List.of(5L, 4L, 3L, 1L), ids(r.evictedOrders(1, Command.OrderFilter.CLOSED, null, 0, 0, 0, 2, 10)));
            assertEquals(List.of(5L, 4L, 3L, 1L), ids(r.evictedOrders(1, all, null, 0, 0, 0, 9, 10)), "never the live one");
            assertEquals(List.of(), ids(r.evictedOrders(1, Command.OrderFilter.OPEN, null, 0, 0, 0, 9, 10)));
            assertEquals(List.of(2L), ids(r.evictedOrders(2, all, null, 0, 0, 0, 1, 10)));
        }
    }

    @Test
    void shouldFilterAndPageEvictedOrdersWhenSymbolTimesAndCursorAreGiven() throws Exception {
        try (HistoryService h = history()) {
            HistoryReader r = h.reader();
            Command.OrderFilter all = Command.OrderFilter.ALL;
            assertEquals(List.of(5L, 1L), ids(r.evictedOrders(1, all, "AAPL", 0, 0, 0, 2, 10)));
            assertEquals(List.of(5L, 4L, 3L), ids(r.evictedOrders(1, all, null, createdAt(4), 0, 0, 2, 10)),
                    "after is exclusive");
            assertEquals(List.of(3L, 1L), ids(r.evictedOrders(1, all, null, 0, createdAt(6), 0, 2, 10)),
                    "until is inclusive");
            assertEquals(List.of(5L), ids(r.evictedOrders(1, all, null, 0, 0, 0, 2, 1)));
            assertEquals(List.of(4L, 3L), ids(r.evictedOrders(1, all, null, 0, 0, 5, 2, 2)), "cursor is exclusive");
            assertEquals(List.of(1L), ids(r.evictedOrders(1, all, null, 0, 0, 3, 2, 2)));
        }
    }

    @Test
    void shouldListEachSidesFillWithItsClientOrderIdWhenATradeExecuted() throws Exception {
        try (HistoryService h = history()) {
            HistoryReader r = h.reader();
            long at = createdAt(5);
            assertEquals(List.of(new Fill(1, 1, "c1", "AAPL", Side.BUY, PX_100, 10, 1_000, true, at, 5, null)),
                    r.fills(1, null, 0, 0, 0, 10));
            assertEquals(List.of(new Fill(1, 2, "x1", "AAPL", Side.SELL, PX_100, 10, 500, false, at, 5, null)),
                    r.fills(2, "AAPL", 0, 0, 0, 10));
            assertEquals(List.of(), r.fills(1, "MSFT", 0, 0, 0, 10));
            assertEquals(List.of(), r.fills(1, null, at, 0, 0, 10), "after is exclusive");
            assertEquals(1, r.fills(1, null, 0, at, 0, 10).size(), "until is inclusive");
            assertEquals(List.of(), r.fills(1, null, 0, 0, 1, 10), "cursor is exclusive");
        }
    }

    @Test
    void shouldServeConcurrentQueriesWhenTheWriterIngestsMeanwhile() throws Exception {
        Flows.Run run = Flows.write(dataDir.resolve("busy"), 7L, 4_000);
        HistoryOptions options = TestDatabases.fresh(dataDir.resolve("busy")).withReadPoolSize(2);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (HistoryService h = HistoryService.open(options, () -> Long.MAX_VALUE).start()) {
            List<Future<Long>> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                long account = 1 + t;
                readers.add(pool.submit(() -> {
                    long seen = 0;
                    while (h.appliedSeq() < run.lastEventSeq() && h.failure() == null) {
                        seen += h.reader().fills(account, null, 0, 0, 0, 50).size();
                        seen += h.reader().evictedOrders(account, Command.OrderFilter.ALL, null, 0, 0, 0, 3, 50).size();
                        h.reader().order(account, 1 + seen % 500);
                    }
                    return seen;
                }));
            }
            assertTrue(h.awaitSeq(run.lastEventSeq(), Duration.ofSeconds(40)), String.valueOf(h.failure()));
            for (Future<Long> f : readers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
