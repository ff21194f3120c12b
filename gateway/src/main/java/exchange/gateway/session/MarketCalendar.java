package exchange.gateway.session;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * When a market trades: at most one {@link TradingSession} per local date of {@link #zone()}.
 *
 * <p>Invariant every implementation keeps: a date's session lies within that local date, that is
 * {@code opensAt >= date 00:00} and {@code closesAt <= (date + 1) 00:00} in the zone. Sessions
 * therefore never overlap and are ordered like their dates; the default methods rely on it.
 *
 * <p>Implementations are immutable and thread safe: the scheduler thread and HTTP threads read
 * them concurrently.
 */
public interface MarketCalendar {

    /** Longest range {@link #sessionsBetween} accepts, in days (both ends counted). */
    int MAX_RANGE_DAYS = 366;

    /**
     * Longest run of consecutive dates without a session that the searches walk over before
     * giving up. Real calendars close at most a few days in a row; the bound turns a calendar
     * that never opens again into a clear error instead of an endless loop.
     */
    int MAX_CLOSED_RUN_DAYS = 400;

    /** A short stable name, such as {@code us-equities}. */
    String name();

    /** The time zone the trading dates and local hours are expressed in. */
    ZoneId zone();

    /** The session of {@code date}, or empty when the market does not open that day. */
    Optional<TradingSession> session(LocalDate date);

    /**
     * Why {@code date} has no session or closes early ("weekend", "Good Friday", an operator's
     * reason), or empty for a regular trading day.
     */
    default Optional<String> reason(LocalDate date) {
        return Optional.empty();
    }

    /**
     * The sessions of every date in {@code [startInclusive, endInclusive]}, in date order.
     *
     * @throws IllegalArgumentException when the end is before the start or the range spans more
     *                                  than {@link #MAX_RANGE_DAYS} days
     */
    default List<TradingSession> sessionsBetween(LocalDate startInclusive, LocalDate endInclusive) {
        Objects.requireNonNull(startInclusive, "startInclusive");
        Objects.requireNonNull(endInclusive, "endInclusive");
        if (endInclusive.isBefore(startInclusive)) {
            throw new IllegalArgumentException("end " + endInclusive + " is before start " + startInclusive);
        }
        long days = ChronoUnit.DAYS.between(startInclusive, endInclusive) + 1;
        if (days > MAX_RANGE_DAYS) {
            throw new IllegalArgumentException("range " + startInclusive + ".." + endInclusive + " spans " + days
                    + " days; at most " + MAX_RANGE_DAYS + " are allowed");
        }
        List<TradingSession> sessions = new ArrayList<>();
        for (LocalDate d = startInclusive; !d.isAfter(endInclusive); d = d.plusDays(1)) {
            session(d).ifPresent(sessions::add);
        }
        return sessions;
    }

    /** The session whose {@code [opensAt, closesAt)} contains {@code t}, or empty when closed at {@code t}. */
    default Optional<TradingSession> sessionAt(Instant t) {
        return session(t.atZone(zone()).toLocalDate()).filter(s -> s.contains(t));
    }

    /**
     * The first session that has not closed yet at {@code t} (its {@code closesAt > t}): the
     * session in progress at {@code t} if there is one, otherwise the next one to open. Note that
     * it is "current or next", not "opening strictly after {@code t}".
     *
     * @throws IllegalStateException when no session follows within {@link #MAX_CLOSED_RUN_DAYS} days
     */
    default TradingSession nextSessionAfter(Instant t) {
        LocalDate date = t.atZone(zone()).toLocalDate();
        Optional<TradingSession> today = session(date);
        if (today.isPresent() && today.get().closesAt().isAfter(t)) {
            return today.get();
        }
        // Sessions of earlier dates closed by local midnight, which is not after t; later dates
        // open at or after the next midnight, which is after t.
        LocalDate next = nextTradingDayAfter(date);
        return session(next).orElseThrow(() -> new IllegalStateException(
                name() + ": nextTradingDayAfter returned " + next + " which has no session"));
    }

    /**
     * The first date after {@code date} that has a session.
     *
     * @throws IllegalStateException when none lies within {@link #MAX_CLOSED_RUN_DAYS} days
     */
    default LocalDate nextTradingDayAfter(LocalDate date) {
        LocalDate d = date;
        for (int i = 0; i < MAX_CLOSED_RUN_DAYS; i++) {
            d = d.plusDays(1);
            if (session(d).isPresent()) {
                return d;
            }
        }
        throw new IllegalStateException(name() + ": no trading day within " + MAX_CLOSED_RUN_DAYS
                + " days after " + date);
    }

    /**
     * The session a market that last traded on {@code lastSessionDate} (null if never) opens next,
     * as of {@code now}: the first session not yet closed, but never one dated on or before the
     * last session date (that date's session is over, even if the calendar says it still runs).
     */
    default TradingSession nextSessionToOpen(LocalDate lastSessionDate, Instant now) {
        Objects.requireNonNull(now, "now");
        TradingSession session = nextSessionAfter(now);
        if (lastSessionDate != null && !session.date().isAfter(lastSessionDate)) {
            LocalDate next = nextTradingDayAfter(lastSessionDate);
            session = session(next).orElseThrow(() -> new IllegalStateException(
                    name() + ": next trading day " + next + " has no session"));
        }
        return session;
    }
}
