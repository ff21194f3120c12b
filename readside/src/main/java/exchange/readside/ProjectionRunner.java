package exchange.readside;

import exchange.engine.EngineEvent;
import exchange.journal.EventTailer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * Feeds one {@link Projection} from the events queue ({@code <dataDir>/events}) on its own thread,
 * named {@code readside-<name>}, in batches of whole commands, and tells other threads how far it
 * has got ({@link #appliedSeq()}, {@link #awaitSeq}).
 *
 * <p><b>Rebuild.</b> {@link #rebuilding()} is true from a start on an empty projection until the
 * first batch that drains the queue has been committed and {@link Projection#caughtUp} has
 * returned; waiters are released after that call, so a reader never queries a store still in its
 * bulk-load state.
 *
 * <p><b>Position.</b> It starts after {@link Projection#appliedSeq()}: at the stored queue index if
 * the projection keeps one and the event there has the stored sequence, else by a scan for the
 * sequence; an empty projection (applied seq 0) is rebuilt from the start of the queue. If the
 * queue does not exist yet, the runner waits for it.
 *
 * <p><b>Whole commands only.</b> A command's events share its sequence and are appended one by
 * one, so the runner holds back the events of the last sequence it read until it reads a higher
 * sequence, or until the queue runs dry and that sequence is at or below
 * {@code eventsCompleteThroughSeq} as read <em>before</em> the read that found the queue dry (the
 * live process supplies the sequence through which its pipeline has appended every event; a tool
 * over a finished queue passes {@code () -> Long.MAX_VALUE}). A commit therefore never splits a
 * command. A batch ends at the first whole command past {@code maxBatchEvents} events, or when the
 * queue is drained.
 *
 * <p><b>Never in the engine's way.</b> It only reads the queue (read-only mapping); a slow
 * projection just lags, the queue is the buffer. When there is nothing to read it parks, backing
 * off from 0.1 ms to {@code maxIdle} (no busy spin on a 2-core box); {@link #wakeUp()} and a new
 * {@link #awaitSeq} waiter end the pause at once.
 *
 * <p><b>Batch interval.</b> With a {@code batchInterval} above zero, a batch that drained the queue
 * is followed by a pause until that long after the batch began, while no reader waits in
 * {@link #awaitSeq} and {@link Projection#batchesMayWait()} says yes: a projection whose commit
 * costs more than its rows (the history database) then commits at most once per interval, not once
 * per command that trickles in, and one whose every batch costs a wake-up of this thread (market
 * data) is woken at most once per interval. A waiter, {@link #wakeUp()} and {@link #close()} end the
 * pause at once, so read-your-writes does not wait for it.
 *
 * <p><b>Fail-stop.</b> An exception from the projection or the queue stops the runner, is logged
 * at ERROR and kept in {@link #failure()}; no event is ever skipped. Waiters are released (false).
 *
 * <p><b>Threads.</b> {@link #start}, {@link #close} from the owner; every getter and
 * {@link #awaitSeq} from any thread; everything else on the runner thread. Invariant:
 * {@code appliedSeq} only grows, and every event at or below it is committed in the projection
 * (or had no events: see {@link #appliedSeq()}).
 */
public final class ProjectionRunner implements AutoCloseable {
    /** Events per batch, by default: about 50 ms of ingest, one transaction each. */
    public static final int DEFAULT_MAX_BATCH_EVENTS = 10_000;
    /** Largest accepted {@code maxBatchEvents}: a batch's rows are held in memory until its commit. */
    public static final int MAX_BATCH_EVENTS_LIMIT = 1_000_000;
    /** Longest pause between polls of a drained queue, by default. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofMillis(10);
    private static final long MIN_IDLE_NANOS = 100_000L;
    private static final Logger LOG = LoggerFactory.getLogger(ProjectionRunner.class);

    private final Projection projection;
    private final Path dataDir;
    private final LongSupplier eventsCompleteThroughSeq;
    private final int maxBatchEvents;
    private final long maxIdleNanos;
    private final long batchIntervalNanos;
    private final LongSupplier epochNanosClock;
    private final Thread thread;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();

    private volatile boolean stopRequested;
    private volatile boolean stopped;
    private volatile Throwable failure;
    private volatile boolean started;
    private volatile boolean closed;
    private volatile int waiters;
    /** True while the runner thread is about to park or parked: {@link #eventsAppended} unparks only then. */
    private volatile boolean idle;

    private volatile long appliedSeq;
    private volatile long queueLastSeq;
    /** Stamp of the oldest event read but not committed (epoch nanos), 0 if none. */
    private volatile long oldestUnappliedNanos;
    private volatile boolean rebuilding;
    private volatile long eventsApplied;
    private volatile long batches;
    private volatile long lastBatchEvents;

    // ---- runner thread only ------------------------------------------------------------------
    /** The events of {@link #pendingSeq} read so far, held back until the command is known whole. */
    private EngineEvent[] pending = newEvents(new EngineEvent[0], 64);
    private int pendingCount;
    private long pendingSeq;
    private long pendingIndex = Projection.NO_INDEX;
    private long committedSeq;
    /** Whether the last batch ended because the queue ran dry (not because it was full). */
    private boolean lastBatchDrained;

    /**
     * @param projection the projection, owned by the runner from now on (closed by {@link #close})
     * @param dataDir the exchange's data directory, holding {@code events/}
     * @param eventsCompleteThroughSeq the sequence through which every event has been appended
     *     (any thread may call it); {@code () -> Long.MAX_VALUE} for a finished queue
     * @param maxBatchEvents events per batch, 1..{@link #MAX_BATCH_EVENTS_LIMIT}
     * @param maxIdle longest pause between polls of a drained queue, 1 ms..1 s
     * @param epochNanosClock wall clock for {@link #lagMillis()}, epoch nanos (events carry such stamps)
     */
    public ProjectionRunner(Projection projection, Path dataDir, LongSupplier eventsCompleteThroughSeq,
                            int maxBatchEvents, Duration maxIdle, LongSupplier epochNanosClock) {
        this(projection, dataDir, eventsCompleteThroughSeq, maxBatchEvents, maxIdle, Duration.ZERO, epochNanosClock);
    }

    /**
     * A runner that, while no reader waits, starts a batch at most once per {@code batchInterval}
     * once it has caught up (see the class comment); the other parameters as above.
     *
     * @param batchInterval 0 (a batch as soon as events arrive) .. 1 s
     */
    public ProjectionRunner(Projection projection, Path dataDir, LongSupplier eventsCompleteThroughSeq,
                            int maxBatchEvents, Duration maxIdle, Duration batchInterval,
                            LongSupplier epochNanosClock) {
        this.projection = Objects.requireNonNull(projection, "projection");
        this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        this.eventsCompleteThroughSeq = Objects.requireNonNull(eventsCompleteThroughSeq, "eventsCompleteThroughSeq");
        this.epochNanosClock = Objects.requireNonNull(epochNanosClock, "epochNanosClock");
        if (maxBatchEvents < 1 || maxBatchEvents > MAX_BATCH_EVENTS_LIMIT) {
            throw new IllegalArgumentException("maxBatchEvents must be 1.." + MAX_BATCH_EVENTS_LIMIT + ": " + maxBatchEvents);
        }
        if (maxIdle.compareTo(Duration.ofMillis(1)) < 0 || maxIdle.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("maxIdle must be 1 ms..1 s: " + maxIdle);
        }
        this.maxBatchEvents = maxBatchEvents;
        if (batchInterval.isNegative() || batchInterval.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("batchInterval must be 0..1 s: " + batchInterval);
        }
        this.maxIdleNanos = maxIdle.toNanos();
        this.batchIntervalNanos = batchInterval.toNanos();
        this.committedSeq = projection.appliedSeq();
        if (committedSeq < 0) {
            throw new IllegalStateException(projection.name() + " reports applied seq " + committedSeq);
        }
        this.appliedSeq = committedSeq;
        this.pendingSeq = committedSeq;
        this.rebuilding = committedSeq == 0;
        this.thread = new Thread(this::run, "readside-" + projection.name());
        this.thread.setDaemon(true);
    }

    /** A runner with the default batch size and idle pause, on the system clock. */
    public ProjectionRunner(Projection projection, Path dataDir, LongSupplier eventsCompleteThroughSeq) {
        this(projection, dataDir, eventsCompleteThroughSeq, DEFAULT_MAX_BATCH_EVENTS, DEFAULT_MAX_IDLE,
                ProjectionRunner::systemEpochNanos);
    }

    /** Wall-clock epoch nanos (millisecond precision is enough for lag). */
    public static long systemEpochNanos() {
        return System.currentTimeMillis() * 1_000_000L;
    }

    /** Starts the runner thread; once only. */
    public synchronized ProjectionRunner start() {
        if (started || closed) {
            throw new IllegalStateException("runner " + thread.getName() + " already " + (closed ? "closed" : "started"));
        }
        started = true;
        thread.start();
        return this;
    }

    public String name() {
        return projection.name();
    }

    // ---- what other threads read -------------------------------------------------------------

    /**
     * The sequence through which every event is in the projection: committed there, or known to
     * have no events (the queue ran dry with the supplier at or past it).
     */
    public long appliedSeq() {
        return appliedSeq;
    }

    /**
     * Sequences not yet applied: the supplier's sequence (or, for a finished queue, the queue's last
     * sequence as of the last batch) minus {@link #appliedSeq()}, at least 0.
     */
    public long lagEvents() {
        long target = eventsCompleteThroughSeq.getAsLong();
        if (target == Long.MAX_VALUE) {
            target = queueLastSeq;
        }
        return Math.max(0, target - appliedSeq);
    }

    /** Now minus the stamp of the oldest event read but not yet committed, in ms; 0 when caught up. */
    public long lagMillis() {
        long oldest = oldestUnappliedNanos;
        return oldest == 0 ? 0 : Math.max(0, (epochNanosClock.getAsLong() - oldest) / 1_000_000L);
    }

    /** True from a start on an empty projection until it first caught up (see the class comment). */
    public boolean rebuilding() {
        return rebuilding;
    }

    public long eventsApplied() {
        return eventsApplied;
    }

    public long batches() {
        return batches;
    }

    public long lastBatchEvents() {
        return lastBatchEvents;
    }

    /** What stopped the runner, or null while it runs (or after a clean close). */
    public Throwable failure() {
        return failure;
    }

    /** True once the runner thread has ended (closed or failed). */
    public boolean isStopped() {
        return stopped;
    }

    /** Ends the runner's idle pause now (new events, or work for {@link Projection#housekeep}). */
    public void wakeUp() {
        LockSupport.unpark(thread);
    }

    /**
     * Tells the runner that events through a higher {@code eventsCompleteThroughSeq} were appended
     * (the producer calls it after raising that sequence, on every command): unparks the runner if it
     * is idle, so a command reaches the projection in microseconds instead of after up to
     * {@code maxIdle}. Cheap when the runner is busy: one volatile read, no system call.
     *
     * <p>No lost wake-up: the runner sets its idle flag, then reads the supplier before it parks; the
     * producer raises the supplier, then reads the flag (both volatile), so either the runner sees the
     * new sequence and does not park, or the producer sees the flag and unparks it.
     */
    public void eventsAppended() {
        if (idle) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Waits until {@link #appliedSeq()} reaches {@code seq} (read-your-writes), at most
     * {@code timeout}. Wakes the runner, so that it polls at once instead of after its idle pause.
     *
     * @return true once applied; false on timeout, or if the runner has stopped
     */
    public boolean awaitSeq(long seq, Duration timeout) throws InterruptedException {
        if (appliedSeq >= seq) {
            return true;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            waiters++;
            try {
                wakeUp();
                while (appliedSeq < seq) {
                    long left = deadline - System.nanoTime();
                    if (stopped || left <= 0) {
                        return false;
                    }
                    advanced.awaitNanos(left);
                }
                return true;
            } finally {
                waiters--;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops the runner thread at the end of its current batch (a batch is committed whole or not
     * at all), then closes the projection. Idempotent.
     */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        stopRequested = true;
        if (started) {
            wakeUp();
            boolean interrupted = false;
            while (true) {
                try {
                    thread.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        stopped = true;
        signalWaiters();
        projection.close();
    }

    // ---- the runner thread -------------------------------------------------------------------

    private void run() {
        try {
            EventTailer tailer = awaitQueue();
            if (tailer == null) {
                return;
            }
            try (tailer) {
                position(tailer);
                long idleNanos = 0;
                while (!stopRequested) {
                    long batchStart = System.nanoTime();
                    boolean read = runBatch(tailer);
                    projection.housekeep(committedSeq);
                    if (read) {
                        idleNanos = 0;
                        long pause = batchStart + batchIntervalNanos - System.nanoTime();
                        // caught up: gather what arrives for the rest of the interval into one
                        // batch; behind (the batch ended full), go on at once
                        if (pause > 0 && lastBatchDrained && waiters == 0 && !stopRequested
                                && projection.batchesMayWait()) {
                            LockSupport.parkNanos(this, pause);
                        }
                    } else {
                        idleNanos = Math.min(maxIdleNanos, Math.max(MIN_IDLE_NANOS, idleNanos * 2));
                        idle = true;
                        long complete = eventsCompleteThroughSeq.getAsLong();
                        // a finished queue (MAX_VALUE) is never "ahead": park, or this loop would spin
                        if (complete == Long.MAX_VALUE || complete <= appliedSeq) {
                            LockSupport.parkNanos(this, idleNanos);
                        }
                        idle = false;
                    }
                }
            }
            LOG.info("{} stopped at seq {}", thread.getName(), committedSeq);
        } catch (Throwable t) {
            failure = t;
            LOG.error("{} stopped by a failure at applied seq {}; no further event is applied", thread.getName(),
                    committedSeq, t);
        } finally {
            stopped = true;
            signalWaiters();
        }
    }

    /** Opens the events queue once it exists; null if the runner is stopped first. */
    private EventTailer awaitQueue() {
        boolean logged = false;
        while (!EventTailer.queueExists(dataDir)) {
            if (stopRequested) {
                return null;
            }
            if (!logged) {
                LOG.info("{} waiting for the events queue in {}", thread.getName(), dataDir);
                logged = true;
            }
            LockSupport.parkNanos(this, maxIdleNanos);
        }
        return EventTailer.openReadOnly(dataDir);
    }

    private void position(EventTailer tailer) {
        long seq = committedSeq;
        if (seq == 0) {
            LOG.info("{} building from the start of the events queue", thread.getName());
            tailer.fromStart();
            return;
        }
        long index = projection.appliedQueueIndex();
        EngineEvent probe = pending[0];
        if (index != Projection.NO_INDEX && tailer.moveToIndex(index) && tailer.next(probe) && probe.seq == seq) {
            LOG.info("{} resuming after seq {} at queue index 0x{}", thread.getName(), seq, Long.toHexString(index));
            return;
        }
        long last = tailer.lastSeq();
        if (last < seq) {
            LOG.warn("{}: the events queue ends at seq {}, before the projection's applied seq {};"
                    + " waiting for it to reach that point", thread.getName(), last, seq);
        } else {
            LOG.info("{} resuming after seq {}: scanning the events queue for it", thread.getName(), seq);
        }
        tailer.fromSeq(seq + 1);
    }

    /**
     * Reads and applies up to a batch of whole commands and commits them.
     *
     * @return true if any event was read
     */
    private boolean runBatch(EventTailer tailer) {
        int applied = 0;
        long throughSeq = committedSeq;
        long throughIndex = Projection.NO_INDEX;
        boolean read = false;
        long completeAtDrain = -1;
        while (applied < maxBatchEvents && !stopRequested) {
            ensurePendingCapacity();
            EngineEvent slot = pending[pendingCount];
            if (!tailer.next(slot)) {
                long complete = eventsCompleteThroughSeq.getAsLong();
                if (!tailer.next(slot)) {
                    completeAtDrain = complete;
                    break;
                }
            }
            read = true;
            long seq = slot.seq;
            if (seq <= committedSeq) {
                continue;   // at or before the resume point
            }
            if (pendingCount > 0 && seq == pendingSeq) {
                pendingCount++;
                pendingIndex = tailer.index();
                continue;
            }
            if (seq <= pendingSeq) {
                // an earlier seq, or more events of a command already applied as whole
                throw new IllegalStateException("events queue out of order: seq " + seq + " after seq " + pendingSeq
                        + " was applied (queue index 0x" + Long.toHexString(tailer.index()) + ")");
            }
            if (oldestUnappliedNanos == 0) {
                oldestUnappliedNanos = slot.timestampNanos;
            }
            if (pendingCount > 0) {
                // a higher seq: the held-back command is whole
                applied += applyPending(pendingCount);
                throughSeq = pendingSeq;
                throughIndex = pendingIndex;
                EngineEvent first = pending[0];
                pending[0] = slot;
                pending[pendingCount] = first;
            }
            pendingCount = 1;
            pendingSeq = seq;
            pendingIndex = tailer.index();
        }
        if (completeAtDrain >= 0 && pendingCount > 0 && pendingSeq <= completeAtDrain) {
            applied += applyPending(pendingCount);
            throughSeq = pendingSeq;
            throughIndex = pendingIndex;
            pendingCount = 0;
        }
        lastBatchDrained = completeAtDrain >= 0;
        boolean caughtUp = completeAtDrain >= 0 && pendingCount == 0;
        boolean advanced = throughSeq > committedSeq;
        if (advanced) {
            projection.commit(throughSeq, throughIndex);
            committedSeq = throughSeq;
            eventsApplied += applied;
            batches++;
            lastBatchEvents = applied;
            oldestUnappliedNanos = pendingCount > 0 ? pending[0].timestampNanos : 0;
        }
        if (read && eventsCompleteThroughSeq.getAsLong() == Long.MAX_VALUE) {
            queueLastSeq = tailer.lastSeq();
        }
        if (caughtUp) {
            projection.caughtUp(committedSeq);
            rebuilding = false;
        }
        if (advanced) {
            publish(throughSeq);
        }
        if (caughtUp && completeAtDrain != Long.MAX_VALUE) {
            // drained, and complete through that seq: the commands after the last event had none,
            // so the projection reflects them too
            publish(completeAtDrain);
        }
        return read;
    }

    /** Applies the first {@code count} held-back events (the ones of {@link #pendingSeq}). */
    private int applyPending(int count) {
        for (int i = 0; i < count; i++) {
            projection.apply(pending[i]);
        }
        return count;
    }

    private void ensurePendingCapacity() {
        if (pendingCount == pending.length) {
            pending = newEvents(pending, pending.length * 2);
        }
    }

    private static EngineEvent[] newEvents(EngineEvent[] old, int length) {
        EngineEvent[] a = Arrays.copyOf(old, length);
        for (int i = old.length; i < length; i++) {
            a[i] = new EngineEvent();
        }
        return a;
    }

    private void publish(long seq) {
        if (seq > appliedSeq) {
            appliedSeq = seq;
            signalWaiters();
        }
    }

    private void signalWaiters() {
        if (waiters > 0) {
            lock.lock();
            try {
                advanced.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return thread.getName() + "{applied=" + appliedSeq + ", events=" + eventsApplied + ", batches=" + batches + "}";
    }
}
