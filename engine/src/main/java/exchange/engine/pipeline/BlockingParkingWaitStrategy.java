package exchange.engine.pipeline;

import com.lmax.disruptor.AlertException;
import com.lmax.disruptor.Sequence;
import com.lmax.disruptor.SequenceBarrier;
import com.lmax.disruptor.WaitStrategy;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * A wait strategy for machines with fewer cores than busy threads. Disruptor's blocking
 * strategies block only until the producer cursor passes the wanted sequence; after that they
 * busy-spin until the upstream stages are done with it. In this pipeline the results stage waits
 * on the journal and engine stages, and on a 2-core box that spin took most of the CPU from the
 * request threads (JFR: ~70% of samples in {@code BlockingWaitStrategy.waitFor}).
 *
 * <p>Here a stage waiting for the producer blocks on a monitor, which a publisher signals only if
 * some stage is actually parked (as in {@code LiteBlockingWaitStrategy}); a stage waiting for
 * upstream stages spins briefly, then yields, then parks in short slices, so it gives the core
 * away instead of burning it.
 */
public final class BlockingParkingWaitStrategy implements WaitStrategy {
    /** Busy spins before yielding while an upstream stage finishes. */
    static final int SPINS = 30;
    /** Yields before parking. */
    static final int YIELDS = 3;
    /** Park slice while an upstream stage finishes (the OS rounds it up to its timer slack). */
    static final long PARK_NANOS = 20_000;

    private final Object mutex = new Object();
    private final AtomicBoolean signalNeeded = new AtomicBoolean(false);

    @Override
    public long waitFor(long sequence, Sequence cursor, Sequence dependentSequence, SequenceBarrier barrier)
            throws AlertException, InterruptedException {
        if (cursor.get() < sequence) {
            synchronized (mutex) {
                do {
                    signalNeeded.getAndSet(true);
                    if (cursor.get() >= sequence) {
                        break;
                    }
                    barrier.checkAlert();
                    mutex.wait();
                } while (cursor.get() < sequence);
            }
        }
        long available;
        int countdown = SPINS + YIELDS;
        while ((available = dependentSequence.get()) < sequence) {
            barrier.checkAlert();
            if (countdown > YIELDS) {
                countdown--;
                Thread.onSpinWait();
            } else if (countdown > 0) {
                countdown--;
                Thread.yield();
            } else {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
        return available;
    }

    @Override
    public void signalAllWhenBlocking() {
        if (signalNeeded.getAndSet(false)) {
            synchronized (mutex) {
                mutex.notifyAll();
            }
        }
    }
}
