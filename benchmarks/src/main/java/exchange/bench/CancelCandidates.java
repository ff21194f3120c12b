package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;

import java.util.SplittableRandom;

/**
 * Orders a generator last saw resting, to cancel later: a bounded pool in which a new order
 * replaces a random one once it is full, and a cancel takes a random one out. An order may have
 * filled since; its cancel is then refused, as a real client's would be. Not thread-safe.
 */
final class CancelCandidates {
    private final long[] orderIds;
    private final long[] accountIds;
    private int size;

    CancelCandidates(int capacity) {
        orderIds = new long[capacity];
        accountIds = new long[capacity];
    }

    boolean isEmpty() {
        return size == 0;
    }

    void remember(long orderId, long accountId, SplittableRandom random) {
        int k = size < orderIds.length ? size++ : random.nextInt(orderIds.length);
        orderIds[k] = orderId;
        accountIds[k] = accountId;
    }

    /** Makes {@code c} a cancel of a candidate drawn at random, which leaves the pool. */
    void cancelOne(Command c, SplittableRandom random) {
        int k = random.nextInt(size);
        c.type = CommandType.CANCEL_ORDER;
        c.orderId = orderIds[k];
        c.accountId = accountIds[k];
        size--;
        orderIds[k] = orderIds[size];
        accountIds[k] = accountIds[size];
    }
}
