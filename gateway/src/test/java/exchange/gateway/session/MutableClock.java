package exchange.gateway.session;

import java.time.Instant;
import java.time.InstantSource;

/** A clock the test sets by hand; safe to read from the scheduler thread. */
final class MutableClock implements InstantSource {
    private volatile Instant now;

    MutableClock(Instant now) {
        this.now = now;
    }

    void set(Instant instant) {
        now = instant;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
