package exchange.gateway.session;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * The demo calendar, "open at any hour": every calendar day of its zone is one session from local
 * midnight to the next local midnight, so sessions are back to back and the market is never
 * closed. The scheduler rolls it at midnight (close day D, then open D + 1), which runs the
 * end-of-day sweep once a day. Immutable.
 */
public final class AlwaysOpenCalendar implements MarketCalendar {

    /** The zone used when none is given. */
    public static final ZoneId DEFAULT_ZONE = ZoneOffset.UTC;

    private final ZoneId zone;

    /** Sessions in {@link #DEFAULT_ZONE} (UTC). */
    public AlwaysOpenCalendar() {
        this(DEFAULT_ZONE);
    }

    public AlwaysOpenCalendar(ZoneId zone) {
        this.zone = Objects.requireNonNull(zone, "zone");
    }

    @Override
    public String name() {
        return "always-open";
    }

    @Override
    public ZoneId zone() {
        return zone;
    }

    @Override
    public Optional<TradingSession> session(LocalDate date) {
        // atStartOfDay(zone) honours DST: a spring-forward day is 23 hours long, a fall-back day 25.
        return Optional.of(new TradingSession(date, date.atStartOfDay(zone).toInstant(),
                date.plusDays(1).atStartOfDay(zone).toInstant(), false));
    }

    @Override
    public LocalDate nextTradingDayAfter(LocalDate date) {
        return date.plusDays(1);
    }
}
