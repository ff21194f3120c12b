package exchange.journal;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import exchange.engine.Command;
import net.openhft.chronicle.queue.ExcerptTailer;

import java.util.concurrent.locks.LockSupport;

/**
 * One {@link JournalReader#readDecodingAhead} pass: a {@code journal-decoder} thread reads,
 * checks and decodes records into batches of {@link #BATCH} commands on a ring of
 * {@link #BATCHES}; the calling thread takes them in order and shows them to the visitor. The
 * ring is the only hand-off: a batch's commands belong to the decoder until it publishes the
 * batch, then to the caller until it has visited them (the poller's sequence then frees the slot).
 *
 * <p>A replay spends most of its time in the engine, so the caller rarely waits; the decoder
 * waits for free batches by parking, never spinning, and stops when the journal ends, after the
 * first command past {@code toSeq}, on a failure (handed over in its batch, thrown by the caller
 * after the batches before it) or when the caller has stopped.
 */
final class DecodingThread {
    /** Commands per batch. */
    static final int BATCH = 256;
    /** Batches on the ring. */
    static final int BATCHES = 8;
    private static final long PARK_NANOS = 50_000;

    /** A ring slot: decoded commands and the scan as it stood after them. */
    private static final class Batch {
        final Command[] commands = new Command[BATCH];
        int count;
        /** The scan after this batch; complete only in the last batch of a read to the end. */
        RecoveryScan scan;
        /** True in the last batch the decoder publishes. */
        boolean last;
        /** Why decoding stopped early, thrown by the caller after the batches before this one. */
        Throwable failure;

        Batch() {
            for (int i = 0; i < BATCH; i++) {
                commands[i] = new Command();
            }
        }
    }

    private final JournalReader reader;
    private final long afterSeq;
    private final long toSeq;
    // the poller never waits through the ring's wait strategy; this one signals nothing on publish
    private final RingBuffer<Batch> ring = RingBuffer.createSingleProducer(Batch::new, BATCHES, new SleepingWaitStrategy());
    private final EventPoller<Batch> poller = ring.newPoller();
    private volatile boolean callerStopped;

    // the caller's side
    private final EventPoller.Handler<Batch> handler = this::visit;
    private JournalReader.CommandVisitor visitor;
    private RecoveryScan result;
    private Throwable failure;

    DecodingThread(JournalReader reader, long afterSeq, long toSeq) {
        this.reader = reader;
        this.afterSeq = afterSeq;
        this.toSeq = toSeq;
        ring.addGatingSequences(poller.getSequence());
    }

    /** Runs the pass: decodes on a new thread, visits on this one; returns the scan. */
    RecoveryScan run(JournalReader.CommandVisitor visitor) {
        this.visitor = visitor;
        Thread decoder = new Thread(this::decode, "journal-decoder");
        decoder.setDaemon(true);
        decoder.start();
        // an interrupt does not end a replay (half an exchange is no use); it is kept for the
        // caller, but cleared meanwhile, since parkNanos returns at once while it is set
        boolean interrupted = Thread.interrupted();
        try {
            while (result == null && failure == null) {
                EventPoller.PollState state = poller.poll(handler);
                if (state != EventPoller.PollState.PROCESSING) {
                    LockSupport.parkNanos(PARK_NANOS);
                    interrupted |= Thread.interrupted();
                }
            }
        } catch (Exception e) {
            failure = e;
        } finally {
            callerStopped = true;
            interrupted |= joinUninterruptibly(decoder);
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure instanceof RuntimeException r) {
            throw r;
        }
        if (failure instanceof Error err) {
            throw err;
        }
        if (failure != null) {
            throw new IllegalStateException("journal read failed", failure);
        }
        return result;
    }

    /** The caller's handling of one published batch; false once the pass has its outcome. */
    private boolean visit(Batch batch, long sequence, boolean endOfBatch) {
        if (!JournalReader.deliver(batch.commands, batch.count, visitor)) {
            result = batch.scan.partial();
            return false;
        }
        if (batch.failure != null) {
            failure = batch.failure;
            return false;
        }
        if (batch.last) {
            result = batch.scan;
            return false;
        }
        return true;
    }

    /** The decoder thread's loop. */
    private void decode() {
        long slot = claim();
        if (slot < 0) {
            return;
        }
        ExcerptTailer tailer;
        try {
            tailer = reader.tailer();
        } catch (Throwable t) {
            publishFailure(slot, t);
            return;
        }
        try (tailer) {
            JournalReader.Scan s = new JournalReader.Scan();
            while (true) {
                Batch b = ring.get(slot);
                try {
                    b.count = reader.fill(tailer, s, b.commands, afterSeq, toSeq);
                } catch (Throwable t) {
                    // as read() does: the commands decoded before the failure are not visited
                    publishFailure(slot, t);
                    return;
                }
                b.failure = null;
                b.last = s.atEnd || s.pastTo;
                b.scan = s.result(s.atEnd);
                ring.publish(slot);
                if (b.last) {
                    return;
                }
                slot = claim();
                if (slot < 0) {
                    return;
                }
            }
        }
    }

    private void publishFailure(long slot, Throwable t) {
        Batch b = ring.get(slot);
        b.count = 0;
        b.failure = t;
        b.last = true;
        ring.publish(slot);
    }

    /** The next free slot, or -1 once the caller has stopped. */
    private long claim() {
        while (!callerStopped) {
            try {
                return ring.tryNext();
            } catch (InsufficientCapacityException full) {
                LockSupport.parkNanos(PARK_NANOS);
            }
        }
        return -1;
    }

    /** Waits for {@code t} to end; returns whether this thread was interrupted meanwhile. */
    private static boolean joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }
}
