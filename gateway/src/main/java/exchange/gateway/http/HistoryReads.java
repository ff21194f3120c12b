package exchange.gateway.http;

import exchange.engine.Command;
import exchange.engine.Fill;
import exchange.engine.OrderPage;
import exchange.engine.OrderView;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.gateway.readmodel.SessionStatus;
import exchange.readside.history.HistoryService;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;

/**
 * The history half of the order and fill reads: what the engine no longer holds comes from the
 * history database, and lists merge the two.
 *
 * <p><b>Read-your-writes by sequence.</b> Before it reads the database, a request waits until the
 * database has applied every event that touched the reading account (its own commands and the
 * trades against its resting orders, {@link AccountSeqs}), every event up to the last session
 * change ({@link SessionStatus}: the engine lets ended orders go at a close, so they are there) and every event recovered at start (so a
 * database rebuilt after a restart is not read half-built). The wait is bounded by
 * {@code history.read_wait_ms}; past it the answer is 503 {@code HISTORY_UNAVAILABLE} with
 * {@code Retry-After}.
 *
 * <p><b>Merging without gaps or duplicates.</b> The engine holds every live order and every
 * order whose creation or end falls in its idempotency window; the database is asked only for the
 * other orders: terminal ones whose creation and end both precede the window start the engine
 * reported with its page ({@link OrderPage#windowStartCloseCount()}). The two sets are disjoint
 * and together hold every order, whatever either side's progress since. Both come newest first
 * below the same cursor, so the merged page is the newest {@code limit} of their union.
 *
 * <p>Thread-safe: called by Jetty request threads, which may block here for the bounded wait.
 */
final class HistoryReads {
    private final HistoryService history;
    private final AccountSeqs accountSeqs;
    private final SessionStatus session;
    private final LongSupplier startSeq;
    private final Duration readWait;

    /** A page of a list and the token of the next one (null on the last page). */
    record Page<T>(List<T> rows, String nextPageToken) {
    }

    HistoryReads(HistoryService history, AccountSeqs accountSeqs, SessionStatus session, LongSupplier startSeq,
                 Duration readWait) {
        this.history = history;
        this.accountSeqs = accountSeqs;
        this.session = session;
        this.startSeq = startSeq;
        this.readWait = readWait;
    }

    /** The order {@code orderId} of the account from history, once it is current enough; empty if none. */
    Optional<OrderView> order(long accountId, long orderId) {
        awaitCurrent(accountId);
        return history.reader().order(accountId, orderId);
    }

    /** The account's newest order with {@code clientOrderId} from history; empty if none. */
    Optional<OrderView> orderByClientId(long accountId, String clientOrderId) {
        awaitCurrent(accountId);
        return history.reader().newestOrderByClientId(accountId, clientOrderId);
    }

    /**
     * The page of the account's orders: the engine's page (asked for {@code limit + 1} rows below
     * the same cursor) merged with the history database's rows the engine no longer holds.
     */
    Page<OrderView> orders(long accountId, OrderQuery q, OrderPage engine) {
        List<OrderView> fromHistory = List.of();
        // W = 0: no session close has let an order go yet, so the engine's page is the whole answer
        if (q.filter() != Command.OrderFilter.OPEN && engine.windowStartCloseCount() > 0) {
            awaitCurrent(accountId);
            fromHistory = history.reader().evictedOrders(accountId, q.filter(), q.symbol(), q.afterNanos(),
                    q.untilNanos(), q.beforeOrderId(), engine.windowStartCloseCount(), q.limit() + 1);
        }
        List<OrderView> fromEngine = engine.orders();
        List<OrderView> merged = new ArrayList<>(Math.min(q.limit() + 1, fromEngine.size() + fromHistory.size()));
        int e = 0;
        int h = 0;
        while (merged.size() <= q.limit() && (e < fromEngine.size() || h < fromHistory.size())) {
            boolean takeEngine = h >= fromHistory.size()
                    || (e < fromEngine.size() && fromEngine.get(e).orderId > fromHistory.get(h).orderId);
            merged.add(takeEngine ? fromEngine.get(e++) : fromHistory.get(h++));
        }
        return page(merged, q.limit(), PageToken.Kind.ORDERS, o -> o.orderId);
    }

    /** The page of the account's fills, all from the history database, newest first. */
    Page<Fill> fills(long accountId, FillQuery q) {
        awaitCurrent(accountId);
        List<Fill> rows = history.reader().fills(accountId, q.symbol(), q.afterNanos(), q.untilNanos(),
                q.beforeTradeId(), q.limit() + 1);
        return page(rows, q.limit(), PageToken.Kind.FILLS, Fill::tradeId);
    }

    private static <T> Page<T> page(List<T> rows, int limit, PageToken.Kind kind,
                                    java.util.function.ToLongFunction<T> id) {
        if (rows.size() <= limit) {
            return new Page<>(rows, null);
        }
        List<T> kept = List.copyOf(rows.subList(0, limit));
        return new Page<>(kept, PageToken.encode(kind, id.applyAsLong(kept.get(limit - 1))));
    }

    /** Waits until the database reflects what this account may already have seen; else 503. */
    private void awaitCurrent(long accountId) {
        long floor = Math.max(startSeq.getAsLong(),
                Math.max(accountSeqs.lastSeq(accountId), session.state().seq()));
        if (history.appliedSeq() >= floor) {
            return;
        }
        boolean current;
        try {
            current = history.awaitSeq(floor, readWait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            current = false;
        }
        if (!current) {
            throw ApiProblem.withHeaders(503, "HISTORY_UNAVAILABLE", "the history database is catching up (at seq "
                            + history.appliedSeq() + ", this read needs " + floor + "); retry shortly",
                    Map.of("Retry-After", Integer.toString(ExchangeHttpServer.HISTORY_UNAVAILABLE_RETRY_AFTER_SECONDS)));
        }
    }

    /** The filters of {@code GET /v1/orders}; {@code limit} is the page size asked for (already bounded). */
    record OrderQuery(Command.OrderFilter filter, String symbol, long afterNanos, long untilNanos, long beforeOrderId,
                      int limit) {
    }

    /** The filters of {@code GET /v1/account/fills}. */
    record FillQuery(String symbol, long afterNanos, long untilNanos, long beforeTradeId, int limit) {
    }
}
