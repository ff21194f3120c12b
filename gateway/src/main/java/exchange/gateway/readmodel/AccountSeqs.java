package exchange.gateway.readmodel;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * For each account, the sequence of the last engine event that touched it: its own commands'
 * events, and the trades in which it was the resting side. A read by an account waits until the
 * history database has applied at least this sequence, so a client reads its own writes (and the
 * fills of its resting orders) from the history database as soon as the engine has answered.
 *
 * <p>Written by the pipeline's results thread (the committed-events sink), read by request
 * threads. Pages of {@value #PAGE} accounts are allocated on first use; each value only grows.
 */
public final class AccountSeqs implements EventSink {
    private static final int PAGE_BITS = 12;
    private static final int PAGE = 1 << PAGE_BITS;

    private final AtomicReferenceArray<AtomicLongArray> pages;

    /** @param maxAccounts the largest account id the engine can assign (its {@code max_accounts}) */
    public AccountSeqs(int maxAccounts) {
        pages = new AtomicReferenceArray<>((maxAccounts >>> PAGE_BITS) + 1);
    }

    @Override
    public void onEvent(EngineEvent event) {
        touch(event.accountId, event.seq);
        touch(event.counterAccountId, event.seq);
    }


    private void touch(long accountId, long seq) {
        if (accountId <= 0) {
            return;
        }
        int page = (int) (accountId >>> PAGE_BITS);
        if (page >= pages.length()) {
            return; // beyond max_accounts: the engine assigns no such id
        }
        AtomicLongArray p = pages.get(page);
        if (p == null) {
            pages.compareAndSet(page, null, new AtomicLongArray(PAGE));
            p = pages.get(page);
        }
        p.lazySet((int) (accountId & (PAGE - 1)), seq);
    }

    /** The sequence of the last event that touched {@code accountId}; 0 if none since start. */
    public long lastSeq(long accountId) {
        if (accountId <= 0) {
            return 0;
        }
        int page = (int) (accountId >>> PAGE_BITS);
        if (page >= pages.length()) {
            return 0;
        }
        AtomicLongArray p = pages.get(page);
        return p == null ? 0 : p.get((int) (accountId & (PAGE - 1)));
    }
}
