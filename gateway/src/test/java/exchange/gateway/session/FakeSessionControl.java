package exchange.gateway.session;

import java.time.Instant;
import java.time.InstantSource;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the engine's session state with the engine's rules: open is refused when open or
 * when the date is not after the last session's date, close is refused when closed. Records every
 * applied call with the clock's time. Thread safe (the scheduler thread and the test read it).
 */
final class FakeSessionControl implements SessionControl {

    /** One applied command: "open 2026-04-02" or "close 2026-04-02", and when it happened. */
    record Call(String action, LocalDate date, Instant at) {
        @Override
        public String toString() {
            return action + " " + date + " @" + at;
        }
    }

    private final InstantSource clock;
    private final List<Call> calls = new ArrayList<>();
    private final List<String> refusals = new ArrayList<>();
    private boolean open;
    private LocalDate sessionDate;
    private Instant closesAt;
    private int failuresToThrow;

    FakeSessionControl(InstantSource clock) {
        this.clock = clock;
    }

    /** Puts the engine in a given state, as a recovered journal would. */
    synchronized FakeSessionControl withState(boolean open, LocalDate sessionDate) {
        this.open = open;
        this.sessionDate = sessionDate;
        return this;
    }

    /** The next {@code n} open/close calls throw, as a full ring or a timeout would. */
    synchronized void failNext(int n) {
        failuresToThrow = n;
    }

    @Override
    public synchronized State state() {
        return new State(open, sessionDate);
    }

    synchronized boolean isOpen() {
        return open;
    }

    synchronized LocalDate sessionDate() {
        return sessionDate;
    }

    @Override
    public synchronized boolean open(TradingSession session) {
        maybeFail();
        if (open || (sessionDate != null && !session.date().isAfter(sessionDate))) {
            refusals.add("open " + session.date());
            return false;
        }
        open = true;
        sessionDate = session.date();
        closesAt = session.closesAt();
        calls.add(new Call("open", session.date(), clock.instant()));
        notifyAll();
        return true;
    }

    @Override
    public synchronized boolean close(LocalDate date) {
        maybeFail();
        if (!open) {
            refusals.add("close " + date);
            return false;
        }
        open = false;
        calls.add(new Call("close", date, clock.instant()));
        notifyAll();
        return true;
    }

    /** An operator's close, bypassing the scheduler. */
    synchronized void operatorClose() {
        if (open) {
            open = false;
            calls.add(new Call("close", sessionDate, clock.instant()));
        }
    }

    private void maybeFail() {
        if (failuresToThrow > 0) {
            failuresToThrow--;
            throw new IllegalStateException("simulated ring full");
        }
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<String> actions() {
        return calls.stream().map(c -> c.action() + " " + c.date()).toList();
    }

    synchronized List<String> refusals() {
        return List.copyOf(refusals);
    }

    synchronized Instant closesAt() {
        return closesAt;
    }

    /** Waits (bounded by the test's timeout) until {@code n} calls were applied. */
    synchronized void awaitCalls(int n) throws InterruptedException {
        while (calls.size() < n) {
            wait();
        }
    }
}
