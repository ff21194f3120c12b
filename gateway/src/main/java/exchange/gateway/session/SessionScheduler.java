package exchange.gateway.session;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives the engine's session from a {@link MarketCalendar}: decides when to publish
 * {@code SESSION_OPEN} and {@code SESSION_CLOSE} (through {@link SessionControl}) from an injected
 * clock, so tests step time by hand.
 *
 * <p><b>Reconcile.</b> {@link #reconcile(Instant)} is the whole policy; everything else only
 * decides when to call it. It brings the engine to where the calendar says it should be, in an
 * order that reads well in the journal:
 * <ol>
 * <li>if the engine is open on date D and D has no session any more, or {@code now} is at or after
 *     D's close: close D (one close, however many closes were missed while the process was down);</li>
 * <li>then, if the engine is closed and {@code now} lies inside a session S whose date is after the
 *     engine's date (or the engine has none yet): open S. Sessions missed entirely are skipped.</li>
 * </ol>
 * It never reopens a date the engine has already closed (the engine refuses it anyway), and it is
 * idempotent: calling it again at the same instant does nothing.
 *
 * <p><b>Thread.</b> {@link #start()} runs the catch-up reconcile on the caller's thread, so a
 * missed close is applied before the gateway accepts orders, then schedules further reconciles on
 * one daemon thread ({@code session-scheduler}) at the next open or close instant, and at least
 * every poll interval (default {@link #DEFAULT_POLL_INTERVAL}) so a jump of the wall clock is
 * noticed. A failing reconcile is logged and retried at the next tick; it never ends the thread.
 * {@link #stop()} ends it. Reconciles never run concurrently with each other.
 *
 * <p><b>Operator overrides</b> ({@code POST /v1/admin/session/open|close}) go to the engine
 * directly, not through this class; the engine serializes them with the scheduler's commands and
 * refuses whichever comes second, which {@link SessionControl} reports as {@code false}. Their
 * interplay with the calendar follows from the rules above:
 * <ul>
 * <li>an operator close during a session stays closed until the next session's open instant,
 *     because that date is already closed and is never reopened;</li>
 * <li>an operator open uses {@link #sessionForOperatorOpen}: the first session not yet closed whose
 *     date is after the engine's date. When the calendar is closed that is the next trading day,
 *     which then stays open through that day's scheduled close; the scheduler closes it there.</li>
 * <li>an engine open on a date the calendar no longer trades (an override added later) is closed
 *     at the next reconcile.</li>
 * </ul>
 */
public final class SessionScheduler implements AutoCloseable {

    /** How often the thread reconciles at the least, even when no transition is due. */
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
    /** Shortest accepted poll interval. */
    public static final Duration MIN_POLL_INTERVAL = Duration.ofMillis(1);
    /** Longest accepted poll interval. */
    public static final Duration MAX_POLL_INTERVAL = Duration.ofMinutes(1);
    /** How long {@link #stop()} waits for a reconcile in progress before interrupting it. */
    public static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    /** Name of the scheduler's thread. */
    public static final String THREAD_NAME = "session-scheduler";

    private static final Logger LOG = LoggerFactory.getLogger(SessionScheduler.class);
    private static final long MIN_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int STOPPED = 2;

    private final MarketCalendar calendar;
    private final SessionControl control;
    private final InstantSource clock;
    private final long pollIntervalNanos;
    private final ScheduledThreadPoolExecutor executor;
    private final Runnable tickTask = this::tick;
    private final Object reconcileLock = new Object();
    private final AtomicInteger state = new AtomicInteger(NEW);

    /** A scheduler polling every {@link #DEFAULT_POLL_INTERVAL}. */
    public SessionScheduler(MarketCalendar calendar, SessionControl control, InstantSource clock) {
        this(calendar, control, clock, DEFAULT_POLL_INTERVAL);
    }

    /**
     * @param clock        the wall clock; a {@link java.time.Clock} works too
     * @param pollInterval in [{@link #MIN_POLL_INTERVAL}, {@link #MAX_POLL_INTERVAL}]
     */
    public SessionScheduler(MarketCalendar calendar, SessionControl control, InstantSource clock,
                            Duration pollInterval) {
        this.calendar = Objects.requireNonNull(calendar, "calendar");
        this.control = Objects.requireNonNull(control, "control");
        this.clock = Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (pollInterval.compareTo(MIN_POLL_INTERVAL) < 0 || pollInterval.compareTo(MAX_POLL_INTERVAL) > 0) {
            throw new IllegalArgumentException("pollInterval " + pollInterval + " must lie in ["
                    + MIN_POLL_INTERVAL + ", " + MAX_POLL_INTERVAL + "]");
        }
        this.pollIntervalNanos = pollInterval.toNanos();
        this.executor = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        // Shutdown must drop the pending tick rather than wait for it.
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    public MarketCalendar calendar() {
        return calendar;
    }

    /**
     * Brings the engine in line with the calendar at {@code now} (see the class comment).
     *
     * @throws RuntimeException whatever {@link SessionControl} throws; nothing after it is attempted
     */
    public void reconcile(Instant now) {
        Objects.requireNonNull(now, "now");
        synchronized (reconcileLock) {
            SessionControl.State state = control.state();
            if (state.open()) {
                LocalDate date = state.sessionDate();
                Optional<TradingSession> session = calendar.session(date);
                if (session.isEmpty()) {
                    LOG.info("closing session {}: the {} calendar has no session that day", date, calendar.name());
                    report("close", date, control.close(date));
                    state = control.state();
                } else if (!now.isBefore(session.get().closesAt())) {
                    LOG.info("closing session {}: scheduled close {} reached at {}", date,
                            session.get().closesAt(), now);
                    report("close", date, control.close(date));
                    state = control.state();
                }
            }
            if (!state.open()) {
                LocalDate engineDate = state.sessionDate();
                Optional<TradingSession> current = calendar.sessionAt(now);
                if (current.isPresent() && (engineDate == null || current.get().date().isAfter(engineDate))) {
                    TradingSession session = current.get();
                    LOG.info("opening session {} ({} to {}) at {}", session.date(), session.opensAt(),
                            session.closesAt(), now);
                    report("open", session.date(), control.open(session));
                }
            }
        }
    }

    /**
     * The next instant strictly after {@code now} at which the calendar opens or closes a session:
     * the close of the session in progress, else the open of the next one.
     */
    public Instant nextTransitionAfter(Instant now) {
        TradingSession session = calendar.nextSessionAfter(now);
        return session.opensAt().isAfter(now) ? session.opensAt() : session.closesAt();
    }

    /**
     * The session an operator's "open now" should open: the first session that has not closed
     * yet at {@code now} and whose date is after {@code engineDate} (any, when null). Inside a
     * session the engine has not traded yet, that is the session in progress; otherwise the next
     * trading day after the engine's date (or after today, when that day has passed), whose
     * scheduled close is its calendar close.
     */
    public TradingSession sessionForOperatorOpen(LocalDate engineDate, Instant now) {
        return calendar.nextSessionToOpen(engineDate, now);
    }

    /**
     * Runs the catch-up reconcile on this thread, then starts the scheduler thread.
     *
     * @throws IllegalStateException when already started or stopped
     * @throws RuntimeException      when the catch-up fails; the scheduler is then stopped and the
     *                               gateway should not start
     */
    public void start() {
        if (!state.compareAndSet(NEW, RUNNING)) {
            throw new IllegalStateException("session scheduler already " + (state.get() == RUNNING ? "started" : "stopped"));
        }
        try {
            reconcile(clock.instant());
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        LOG.info("session scheduler started on the {} calendar ({})", calendar.name(), calendar.zone());
        scheduleNextTick();
    }

    /** Whether {@link #start()} succeeded and {@link #stop()} has not been called. */
    public boolean isRunning() {
        return state.get() == RUNNING;
    }

    /** Whether the scheduler thread has ended (true after {@link #stop()} returns, barring a stuck reconcile). */
    public boolean isTerminated() {
        return executor.isTerminated();
    }

    /**
     * Stops the thread: drops the pending tick and waits up to {@link #STOP_TIMEOUT} for a
     * reconcile in progress, then interrupts it. Idempotent.
     */
    public void stop() {
        state.set(STOPPED);
        executor.shutdown();
        try {
            if (!executor.awaitTermination(STOP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS)) {
                LOG.warn("session scheduler did not stop within {}; interrupting it", STOP_TIMEOUT);
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void tick() {
        try {
            reconcile(clock.instant());
        } catch (RuntimeException e) {
            LOG.error("session reconcile failed; retrying at the next tick", e);
        } catch (Error e) {
            LOG.error("session reconcile failed with an error; retrying at the next tick", e);
            throw e;
        } finally {
            scheduleNextTick();
        }
    }

    private void scheduleNextTick() {
        if (state.get() != RUNNING) {
            return;
        }
        Instant now = clock.instant();
        long delayNanos = pollIntervalNanos;
        try {
            long untilTransition = Duration.between(now, nextTransitionAfter(now)).toNanos();
            delayNanos = Math.max(MIN_DELAY_NANOS, Math.min(pollIntervalNanos, untilTransition));
        } catch (RuntimeException e) {
            LOG.error("cannot compute the next session transition after {}; polling", now, e);
        }
        try {
            executor.schedule(tickTask, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // stop() raced with this tick: the executor is shut down, nothing more to schedule.
        }
    }

    private static void report(String action, LocalDate date, boolean applied) {
        if (!applied) {
            LOG.info("engine refused the {} of session {} (already done, e.g. by an operator)", action, date);
        }
    }
}
