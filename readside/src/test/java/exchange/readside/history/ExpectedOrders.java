package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.OrderStatus;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What the events say about every order ever numbered and every account's fills, independent of the
 * engine (which forgets) and of the history writer (which is under test): account, status, filled
 * quantity, and the close counts of the window rule ({@code docs/engine-rules.md}) from which it
 * tells which orders the engine must still hold.
 *
 * <p>Kept off the heap (direct buffers, {@value #RECORD_BYTES} bytes an order) so that the
 * simulation's heap figure is the engine's and the writer's, not this ledger's, which grows with
 * every order placed. One thread.
 */
final class ExpectedOrders {
    private static final int RECORD_BYTES = 32;
    private static final int CHUNK_ORDERS = 1 << 18;
    private static final int ACCOUNT = 0;
    private static final int FILLED = 8;
    private static final int CREATED_CLOSE = 16;
    private static final int ENDED_CLOSE = 20;
    private static final int STATUS = 24;
    private static final int LIVE = -1;
    private static final OrderStatus[] STATUSES = OrderStatus.values();

    private final List<ByteBuffer> chunks = new ArrayList<>();
    private long maxOrderId;
    private int closeCount;
    private final long[] fills;
    private final long[] filledQty;
    private long trades;

    ExpectedOrders(int accounts) {
        fills = new long[accounts + 1];
        filledQty = new long[accounts + 1];
    }

    void onEvent(EngineEvent e) {
        switch (e.type) {
            case ORDER_ACCEPTED -> entered(e.orderId, e.accountId, OrderStatus.NEW, e);
            case ORDER_REJECTED -> entered(e.orderId, e.accountId, OrderStatus.REJECTED, e);
            case TRADE_EXECUTED -> {
                filled(e.orderId, e.accountId, e.qty, e.leavesQty, e);
                filled(e.counterOrderId, e.counterAccountId, e.qty, e.counterLeavesQty, e);
                trades++;
            }
            case ORDER_CANCELED -> ended(e.orderId, OrderStatus.CANCELED, e);
            case ORDER_EXPIRED -> ended(e.orderId, OrderStatus.EXPIRED, e);
            case SESSION_CLOSED -> closeCount++;
            default -> {
            }
        }
    }

    private void entered(long orderId, long accountId, OrderStatus status, EngineEvent e) {
        if (orderId != maxOrderId + 1) {
            throw new AssertionError("order ids are dense: expected " + (maxOrderId + 1) + " but " + e);
        }
        if ((orderId - 1) / CHUNK_ORDERS >= chunks.size()) {
            chunks.add(ByteBuffer.allocateDirect(CHUNK_ORDERS * RECORD_BYTES));
        }
        maxOrderId = orderId;
        ByteBuffer b = chunk(orderId);
        int at = offset(orderId);
        b.putLong(at + ACCOUNT, accountId);
        b.putLong(at + FILLED, 0);
        b.putInt(at + CREATED_CLOSE, closeCount);
        b.putInt(at + ENDED_CLOSE, status == OrderStatus.REJECTED ? closeCount : LIVE);
        b.put(at + STATUS, (byte) status.ordinal());
    }

    private void filled(long orderId, long accountId, long qty, long leavesAfter, EngineEvent e) {
        requireLive(orderId, e);
        if (accountId(orderId) != accountId) {
            throw new AssertionError("order " + orderId + " belongs to account " + accountId(orderId) + ": " + e);
        }
        ByteBuffer b = chunk(orderId);
        int at = offset(orderId);
        b.putLong(at + FILLED, b.getLong(at + FILLED) + qty);
        if (leavesAfter == 0) {
            b.put(at + STATUS, (byte) OrderStatus.FILLED.ordinal());
            b.putInt(at + ENDED_CLOSE, closeCount);
        } else {
            b.put(at + STATUS, (byte) OrderStatus.PARTIALLY_FILLED.ordinal());
        }
        fills[(int) accountId]++;
        filledQty[(int) accountId] += qty;
    }

    private void ended(long orderId, OrderStatus status, EngineEvent e) {
        requireLive(orderId, e);
        ByteBuffer b = chunk(orderId);
        int at = offset(orderId);
        b.put(at + STATUS, (byte) status.ordinal());
        b.putInt(at + ENDED_CLOSE, closeCount);
    }

    private void requireLive(long orderId, EngineEvent e) {
        if (orderId < 1 || orderId > maxOrderId || endedCloseCount(orderId) != LIVE) {
            throw new AssertionError("order " + orderId + " is not live but the engine changes it: " + e);
        }
    }

    private ByteBuffer chunk(long orderId) {
        return chunks.get((int) ((orderId - 1) / CHUNK_ORDERS));
    }

    private static int offset(long orderId) {
        return (int) ((orderId - 1) % CHUNK_ORDERS) * RECORD_BYTES;
    }

    long maxOrderId() {
        return maxOrderId;
    }

    int closeCount() {
        return closeCount;
    }

    long trades() {
        return trades;
    }

    long accountId(long orderId) {
        return chunk(orderId).getLong(offset(orderId) + ACCOUNT);
    }

    long filledQty(long orderId) {
        return chunk(orderId).getLong(offset(orderId) + FILLED);
    }

    OrderStatus status(long orderId) {
        return STATUSES[chunk(orderId).get(offset(orderId) + STATUS)];
    }

    int createdCloseCount(long orderId) {
        return chunk(orderId).getInt(offset(orderId) + CREATED_CLOSE);
    }

    /** The close count when the order ended; {@code -1} while it is live. */
    int endedCloseCount(long orderId) {
        return chunk(orderId).getInt(offset(orderId) + ENDED_CLOSE);
    }

    /** The window rule: live, or {@code max(created, ended) >= W}, with {@code W = max(0, closeCount - sessions)}. */
    boolean held(long orderId, int idempotencySessions) {
        int ended = endedCloseCount(orderId);
        long windowStart = Math.max(0, closeCount - idempotencySessions);
        return ended == LIVE || Math.max(createdCloseCount(orderId), ended) >= windowStart;
    }

    /** Fills of the account so far (one per trade it took part in, each side counted). */
    long fills(long accountId) {
        return fills[(int) accountId];
    }

    long filledQtyOfAccount(long accountId) {
        return filledQty[(int) accountId];
    }

    /** Orders {@code orderId} of every status, counted. */
    long[] countByStatus() {
        long[] counts = new long[STATUSES.length];
        for (long id = 1; id <= maxOrderId; id++) {
            counts[status(id).ordinal()]++;
        }
        return counts;
    }
}
