package exchange.gateway.session;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The US equities (NYSE) calendar: America/New_York, regular hours 09:30-16:00, closed on
 * weekends and on the NYSE holidays computed by rule, early closes at 13:00, plus operator
 * {@link CalendarOverride overrides} that take precedence over the rules. Immutable.
 *
 * <p>Holidays: New Year's Day (a Sunday is observed Monday; a Saturday is <em>not</em> observed
 * on the Friday before, which would fall in the old year), Martin Luther King Jr. Day (3rd Monday
 * of January), Washington's Birthday (3rd Monday of February), Good Friday (two days before
 * Gregorian Easter), Memorial Day (last Monday of May), Juneteenth (June 19, from
 * {@value #JUNETEENTH_FIRST_YEAR}), Independence Day (July 4), Labor Day (1st Monday of
 * September), Thanksgiving (4th Thursday of November) and Christmas (December 25). Juneteenth,
 * Independence Day and Christmas falling on a Saturday are observed on the Friday before, on a
 * Sunday on the Monday after.
 *
 * <p>Early closes at {@link #EARLY_CLOSE}: the day after Thanksgiving; December 24 when it is a
 * trading day; July 3 when it is a trading day and July 4 a weekday.
 *
 * <p>The rules are today's; earlier rule changes and one-off historical closures are not modelled
 * and belong in the overrides. Session instants are computed in the zone with
 * {@link java.time.ZonedDateTime}, so 09:30 stays 09:30 local across daylight-saving changes.
 */
public final class UsEquitiesCalendar implements MarketCalendar {

    public static final ZoneId ZONE = ZoneId.of("America/New_York");
    public static final LocalTime REGULAR_OPEN = LocalTime.of(9, 30);
    public static final LocalTime REGULAR_CLOSE = LocalTime.of(16, 0);
    public static final LocalTime EARLY_CLOSE = LocalTime.of(13, 0);
    /** First year the NYSE closed for Juneteenth. */
    public static final int JUNETEENTH_FIRST_YEAR = 2022;

    private final Map<LocalDate, CalendarOverride> overrides;

    /** The calendar by rule alone. */
    public UsEquitiesCalendar() {
        this(List.of());
    }

    /**
     * The rules plus {@code overrides}.
     *
     * @throws IllegalArgumentException naming the entry (1-based) and its date when two entries
     *                                  share a date, an early close falls on a day the rules
     *                                  already close, or its time is not strictly between the
     *                                  regular open and close
     */
    public UsEquitiesCalendar(List<CalendarOverride> overrides) {
        Map<LocalDate, CalendarOverride> byDate = new TreeMap<>();
        for (int i = 0; i < overrides.size(); i++) {
            CalendarOverride o = overrides.get(i);
            String entry = "calendar override entry " + (i + 1) + " (" + o.date() + " " + o.kind().jsonName() + "): ";
            if (byDate.putIfAbsent(o.date(), o) != null) {
                throw new IllegalArgumentException(entry + "another entry already overrides this date");
            }
            if (o.kind() == CalendarOverride.Kind.EARLY_CLOSE) {
                Optional<String> closure = ruleClosure(o.date());
                if (closure.isPresent()) {
                    throw new IllegalArgumentException(entry + "the rules already close this day ("
                            + closure.get() + "); only a trading day can close early");
                }
                if (!o.close().isAfter(REGULAR_OPEN) || !o.close().isBefore(REGULAR_CLOSE)) {
                    throw new IllegalArgumentException(entry + "close " + o.close() + " must be after "
                            + REGULAR_OPEN + " and before " + REGULAR_CLOSE);
                }
            }
        }
        this.overrides = Collections.unmodifiableMap(byDate);
    }

    /**
     * The rules plus the overrides in {@code file} (see {@link CalendarOverrides} for the format).
     *
     * @throws IllegalArgumentException naming the file and the entry when it is invalid
     */
    public static UsEquitiesCalendar withOverrides(Path file) {
        List<CalendarOverride> overrides = CalendarOverrides.load(file);
        try {
            return new UsEquitiesCalendar(overrides);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("calendar overrides " + file + ": " + e.getMessage(), e);
        }
    }

    /** The operator overrides in date order. */
    public List<CalendarOverride> overrides() {
        return List.copyOf(overrides.values());
    }

    @Override
    public String name() {
        return "us-equities";
    }

    @Override
    public ZoneId zone() {
        return ZONE;
    }

    @Override
    public Optional<TradingSession> session(LocalDate date) {
        CalendarOverride override = overrides.get(date);
        if (override != null) {
            return override.kind() == CalendarOverride.Kind.CLOSED
                    ? Optional.empty()
                    : Optional.of(session(date, override.close()));
        }
        if (ruleClosure(date).isPresent()) {
            return Optional.empty();
        }
        return Optional.of(session(date, ruleEarlyClose(date).isPresent() ? EARLY_CLOSE : REGULAR_CLOSE));
    }

    @Override
    public Optional<String> reason(LocalDate date) {
        CalendarOverride override = overrides.get(date);
        if (override != null) {
            return Optional.of(override.reason());
        }
        Optional<String> closure = ruleClosure(date);
        return closure.isPresent() ? closure : ruleEarlyClose(date);
    }

    private TradingSession session(LocalDate date, LocalTime close) {
        return new TradingSession(date, date.atTime(REGULAR_OPEN).atZone(ZONE).toInstant(),
                date.atTime(close).atZone(ZONE).toInstant(), close.isBefore(REGULAR_CLOSE));
    }

    /** Why the rules close {@code date} all day ("weekend" or the holiday's name), else empty. */
    public static Optional<String> ruleClosure(LocalDate date) {
        DayOfWeek dow = date.getDayOfWeek();
        if (dow == DayOfWeek.SATURDAY || dow == DayOfWeek.SUNDAY) {
            return Optional.of("weekend");
        }
        return Optional.ofNullable(holiday(date));
    }

    /** Why the rules close {@code date} at {@link #EARLY_CLOSE}, else empty (also for non-trading days). */
    public static Optional<String> ruleEarlyClose(LocalDate date) {
        if (ruleClosure(date).isPresent()) {
            return Optional.empty();
        }
        int year = date.getYear();
        if (date.equals(nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4).plusDays(1))) {
            return Optional.of("early close: day after Thanksgiving");
        }
        if (date.getMonth() == Month.DECEMBER && date.getDayOfMonth() == 24) {
            return Optional.of("early close: Christmas Eve");
        }
        if (date.getMonth() == Month.JULY && date.getDayOfMonth() == 3 && isWeekday(date.plusDays(1))) {
            return Optional.of("early close: day before Independence Day");
        }
        return Optional.empty();
    }

    /** The weekday holiday on {@code date} by rule, or null. */
    private static String holiday(LocalDate date) {
        int year = date.getYear();
        switch (date.getMonth()) {
            case JANUARY:
                if (date.equals(observedNoSaturday(LocalDate.of(year, 1, 1)))) {
                    return "New Year's Day";
                }
                if (date.equals(nthWeekday(year, Month.JANUARY, DayOfWeek.MONDAY, 3))) {
                    return "Martin Luther King Jr. Day";
                }
                return null;
            case FEBRUARY:
                return date.equals(nthWeekday(year, Month.FEBRUARY, DayOfWeek.MONDAY, 3)) ? "Washington's Birthday" : null;
            case MARCH:
            case APRIL:
                return date.equals(easterSunday(year).minusDays(2)) ? "Good Friday" : null;
            case MAY:
                return date.equals(LocalDate.of(year, 5, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY)))
                        ? "Memorial Day" : null;
            case JUNE:
                return year >= JUNETEENTH_FIRST_YEAR && date.equals(observed(LocalDate.of(year, 6, 19)))
                        ? "Juneteenth National Independence Day" : null;
            case JULY:
                return date.equals(observed(LocalDate.of(year, 7, 4))) ? "Independence Day" : null;
            case SEPTEMBER:
                return date.equals(nthWeekday(year, Month.SEPTEMBER, DayOfWeek.MONDAY, 1)) ? "Labor Day" : null;
            case NOVEMBER:
                return date.equals(nthWeekday(year, Month.NOVEMBER, DayOfWeek.THURSDAY, 4)) ? "Thanksgiving Day" : null;
            case DECEMBER:
                return date.equals(observed(LocalDate.of(year, 12, 25))) ? "Christmas Day" : null;
            default:
                return null;
        }
    }

    /** Saturday moves to the Friday before, Sunday to the Monday after. */
    private static LocalDate observed(LocalDate holiday) {
        switch (holiday.getDayOfWeek()) {
            case SATURDAY:
                return holiday.minusDays(1);
            case SUNDAY:
                return holiday.plusDays(1);
            default:
                return holiday;
        }
    }

    /** Sunday moves to the Monday after; a Saturday holiday is not observed (null). */
    private static LocalDate observedNoSaturday(LocalDate holiday) {
        return holiday.getDayOfWeek() == DayOfWeek.SATURDAY ? null : observed(holiday);
    }

    private static LocalDate nthWeekday(int year, Month month, DayOfWeek dow, int n) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, dow));
    }

    private static boolean isWeekday(LocalDate date) {
        return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
    }

    /** Easter Sunday of the Gregorian calendar (the anonymous "Meeus/Jones/Butcher" algorithm). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int month = (h + l - 7 * m + 114) / 31;
        int day = (h + l - 7 * m + 114) % 31 + 1;
        return LocalDate.of(year, month, day);
    }
}
