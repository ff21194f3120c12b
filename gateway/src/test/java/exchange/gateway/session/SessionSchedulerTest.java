package exchange.gateway.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class SessionSchedulerTest {

    private static final Duration POLL = Duration.ofHours(1);

    private final MarketCalendar us = new UsEquitiesCalendar();
    private final MutableClock clock = new MutableClock(ny("2026-03-02T00:00"));

    private static Instant ny(String localDateTime) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), UsEquitiesCalendar.ZONE).toInstant();
    }

    private static LocalDate date(String text) {
        return LocalDate.parse(text);
    }

    private static List<String> calls(FakeSessionControl control) {
        List<String> out = new ArrayList<>();
        for (FakeSessionControl.Call call : control.calls()) {
            out.add(call.action() + " " + call.date() + " @" + call.at());
        }
        return out;
    }

    /**
     * Steps the clock from {@code from} to {@code until}, reconciling at every transition the
     * scheduler announces and at least every {@link #POLL}, as the scheduler thread would.
     */
    private void drive(SessionScheduler scheduler, Instant from, Instant until) {
        Instant t = from;
        for (int steps = 0; !t.isAfter(until); steps++) {
            assertTrue(steps < 10_000, "the drive loop did not advance");
            clock.set(t);
            scheduler.reconcile(t);
            Instant transition = scheduler.nextTransitionAfter(t);
            assertTrue(transition.isAfter(t), "transition " + transition + " is not after " + t);
            Instant poll = t.plus(POLL);
            t = transition.isBefore(poll) ? transition : poll;
        }
    }

    @Test
    void shouldOpenAndCloseAtTheScheduledInstantsAcrossAWeekend() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(false, date("2026-03-11"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        drive(scheduler, ny("2026-03-12T08:00"), ny("2026-03-17T08:00"));

        assertEquals(List.of(
                "open 2026-03-12 @" + ny("2026-03-12T09:30"), "close 2026-03-12 @" + ny("2026-03-12T16:00"),
                "open 2026-03-13 @" + ny("2026-03-13T09:30"), "close 2026-03-13 @" + ny("2026-03-13T16:00"),
                "open 2026-03-16 @" + ny("2026-03-16T09:30"), "close 2026-03-16 @" + ny("2026-03-16T16:00")),
                calls(control));
        assertTrue(control.refusals().isEmpty(), control.refusals().toString());
    }

    @Test
    void shouldSkipGoodFridayAndPassTheSessionCloseToTheEngine() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-04-01"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        assertEquals(ny("2026-04-06T09:30"), scheduler.nextTransitionAfter(ny("2026-04-02T16:00")));
        drive(scheduler, ny("2026-04-01T12:00"), ny("2026-04-07T08:00"));

        assertEquals(List.of(
                "close 2026-04-01 @" + ny("2026-04-01T16:00"),
                "open 2026-04-02 @" + ny("2026-04-02T09:30"), "close 2026-04-02 @" + ny("2026-04-02T16:00"),
                "open 2026-04-06 @" + ny("2026-04-06T09:30"), "close 2026-04-06 @" + ny("2026-04-06T16:00")),
                calls(control));
        assertEquals(Instant.parse("2026-04-06T20:00:00Z"), control.closesAt());
    }

    @Test
    void shouldCloseAtOnePmOnAnEarlyCloseDay() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-11-27"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        scheduler.reconcile(ny("2026-11-27T12:59:59"));
        assertTrue(control.calls().isEmpty());
        assertEquals(ny("2026-11-27T13:00"), scheduler.nextTransitionAfter(ny("2026-11-27T12:59:59")));
        clock.set(ny("2026-11-27T13:00"));
        scheduler.reconcile(ny("2026-11-27T13:00"));
        assertEquals(List.of("close 2026-11-27"), control.actions());
    }

    @Test
    void shouldApplyAMissedCloseAtStartWhenTheProcessWasDownOverTheClose() {
        clock.set(ny("2026-03-10T18:00"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);
        try {
            scheduler.start();
            // start() returns only after the catch-up.
            assertEquals(List.of("close 2026-03-10 @" + ny("2026-03-10T18:00")), calls(control));
            assertFalse(control.isOpen());
            assertEquals(ny("2026-03-11T09:30"), scheduler.nextTransitionAfter(clock.instant()));
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void shouldCloseTheMissedSessionBeforeOpeningTodaysWhenRestartedDuringHours() {
        clock.set(ny("2026-03-11T10:00"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);
        try {
            scheduler.start();
            assertEquals(List.of("close 2026-03-10", "open 2026-03-11"), control.actions());
            assertEquals(ny("2026-03-11T16:00"), control.closesAt());
        } finally {
            scheduler.stop();
        }
    }

    @Test
    void shouldCloseOnceAndOpenOnlyTheCurrentSessionAfterSeveralMissedDays() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-09"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        clock.set(ny("2026-03-12T11:00"));
        scheduler.reconcile(clock.instant());

        assertEquals(List.of("close 2026-03-09", "open 2026-03-12"), control.actions());
    }

    @Test
    void shouldStayClosedAfterSeveralMissedDaysWhenRestartedOutsideHours() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-09"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        clock.set(ny("2026-03-12T19:00"));
        scheduler.reconcile(clock.instant());
        scheduler.reconcile(clock.instant());
        assertEquals(List.of("close 2026-03-09"), control.actions());

        clock.set(ny("2026-03-13T09:30"));
        scheduler.reconcile(clock.instant());
        assertEquals(List.of("close 2026-03-09", "open 2026-03-13"), control.actions());
    }

    @Test
    void shouldNotReopenADateAnOperatorClosedDuringItsSession() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        clock.set(ny("2026-03-10T14:00"));
        control.operatorClose();
        for (String t : List.of("2026-03-10T14:00:01", "2026-03-10T15:59", "2026-03-10T16:00", "2026-03-10T20:00",
                "2026-03-11T09:29:59")) {
            clock.set(ny(t));
            scheduler.reconcile(clock.instant());
        }
        assertEquals(List.of("close 2026-03-10"), control.actions());

        clock.set(ny("2026-03-11T09:30"));
        scheduler.reconcile(clock.instant());
        assertEquals(List.of("close 2026-03-10", "open 2026-03-11"), control.actions());
        assertTrue(control.refusals().isEmpty(), control.refusals().toString());
    }

    @Test
    void shouldNotReopenAClosedDateWhenRestartedInsideItsSession() {
        clock.set(ny("2026-03-10T11:00"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(false, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);
        scheduler.reconcile(clock.instant());
        assertTrue(control.calls().isEmpty());
        assertTrue(control.refusals().isEmpty());
    }

    @Test
    void shouldCloseAnOpenDateTheCalendarNoLongerTrades() {
        MarketCalendar withClosure = new UsEquitiesCalendar(
                List.of(CalendarOverride.closed(date("2026-03-02"), "Storm")));
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-02"));
        SessionScheduler scheduler = new SessionScheduler(withClosure, control, clock);

        clock.set(ny("2026-03-02T10:00"));
        scheduler.reconcile(clock.instant());

        assertEquals(List.of("close 2026-03-02"), control.actions());
        assertEquals(ny("2026-03-03T09:30"), scheduler.nextTransitionAfter(clock.instant()));
    }

    @Test
    void shouldOpenTheCurrentSessionForAnEngineThatNeverTraded() {
        FakeSessionControl control = new FakeSessionControl(clock);
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        clock.set(ny("2026-03-10T07:00"));
        scheduler.reconcile(clock.instant());
        assertTrue(control.calls().isEmpty());

        clock.set(ny("2026-03-10T12:00"));
        scheduler.reconcile(clock.instant());
        assertEquals(List.of("open 2026-03-10"), control.actions());
    }

    @Test
    void shouldRollTheDemoCalendarAtMidnight() {
        MarketCalendar demo = new AlwaysOpenCalendar();
        clock.set(Instant.parse("2026-03-10T12:00:00Z"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(demo, control, clock);

        assertEquals(Instant.parse("2026-03-11T00:00:00Z"), scheduler.nextTransitionAfter(clock.instant()));
        drive(scheduler, clock.instant(), Instant.parse("2026-03-12T12:00:00Z"));

        assertEquals(List.of(
                "close 2026-03-10 @2026-03-11T00:00:00Z", "open 2026-03-11 @2026-03-11T00:00:00Z",
                "close 2026-03-11 @2026-03-12T00:00:00Z", "open 2026-03-12 @2026-03-12T00:00:00Z"),
                calls(control));
        assertEquals(Instant.parse("2026-03-13T00:00:00Z"), control.closesAt());
    }

    @Test
    void shouldPickTheSessionForAnOperatorOpen() {
        SessionScheduler scheduler = new SessionScheduler(us, new FakeSessionControl(clock), clock);

        // Calendar closed (evening): the next trading day, skipping Good Friday and the weekend.
        assertEquals(date("2026-04-06"), scheduler.sessionForOperatorOpen(date("2026-04-02"), ny("2026-04-02T18:00")).date());
        // Operator closed today's session early: today cannot reopen, so the next trading day.
        assertEquals(date("2026-03-11"), scheduler.sessionForOperatorOpen(date("2026-03-10"), ny("2026-03-10T14:00")).date());
        // Before the open, today has not traded: today's session.
        assertEquals(date("2026-03-11"), scheduler.sessionForOperatorOpen(date("2026-03-10"), ny("2026-03-11T08:00")).date());
        // In hours, the engine behind (or never traded): the session in progress.
        assertEquals(date("2026-03-11"), scheduler.sessionForOperatorOpen(date("2026-03-09"), ny("2026-03-11T12:00")).date());
        assertEquals(date("2026-03-11"), scheduler.sessionForOperatorOpen(null, ny("2026-03-11T12:00")).date());
        // Down for days: a session that has not closed yet, never a past one.
        TradingSession afterOutage = scheduler.sessionForOperatorOpen(date("2026-03-09"), ny("2026-03-12T18:00"));
        assertEquals(date("2026-03-13"), afterOutage.date());
        assertEquals(ny("2026-03-13T16:00"), afterOutage.closesAt());
    }

    @Test
    void shouldKeepAnOperatorOpenedNextDayOpenUntilItsScheduledClose() {
        FakeSessionControl control = new FakeSessionControl(clock).withState(false, date("2026-03-10"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);
        clock.set(ny("2026-03-10T18:00"));
        control.open(scheduler.sessionForOperatorOpen(control.sessionDate(), clock.instant()));

        drive(scheduler, ny("2026-03-10T18:01"), ny("2026-03-11T20:00"));

        assertEquals(List.of("open 2026-03-11 @" + ny("2026-03-10T18:00"), "close 2026-03-11 @" + ny("2026-03-11T16:00")),
                calls(control));
    }

    @Test
    void shouldRetryAFailedReconcileOnTheNextTickWithoutEndingTheThread() throws InterruptedException {
        clock.set(ny("2026-03-10T07:00"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(false, date("2026-03-09"));
        SessionScheduler scheduler = new SessionScheduler(us, control, clock, Duration.ofMillis(5));
        try {
            scheduler.start();
            assertTrue(control.calls().isEmpty());
            control.failNext(2);
            clock.set(ny("2026-03-10T10:00")); // the thread notices the jump at its next poll
            control.awaitCalls(1);
            assertEquals(List.of("open 2026-03-10"), control.actions());
            assertTrue(scheduler.isRunning());
        } finally {
            scheduler.stop();
        }
        assertTrue(scheduler.isTerminated());
        assertFalse(scheduler.isRunning());
    }

    @Test
    void shouldFailStartAndStopWhenTheCatchUpFails() {
        clock.set(ny("2026-03-10T18:00"));
        FakeSessionControl control = new FakeSessionControl(clock).withState(true, date("2026-03-10"));
        control.failNext(1);
        SessionScheduler scheduler = new SessionScheduler(us, control, clock);

        assertThrows(IllegalStateException.class, scheduler::start);
        assertFalse(scheduler.isRunning());
        assertTrue(scheduler.isTerminated());
        assertThrows(IllegalStateException.class, scheduler::start);
    }

    @Test
    void shouldRefuseASecondStartAndOutOfRangePollIntervals() {
        SessionScheduler scheduler = new SessionScheduler(us, new FakeSessionControl(clock), clock);
        try {
            scheduler.start();
            assertThrows(IllegalStateException.class, scheduler::start);
        } finally {
            scheduler.stop();
        }
        assertThrows(IllegalArgumentException.class,
                () -> new SessionScheduler(us, new FakeSessionControl(clock), clock, Duration.ZERO));
        assertThrows(IllegalArgumentException.class,
                () -> new SessionScheduler(us, new FakeSessionControl(clock), clock, Duration.ofMinutes(2)));
    }
}
