package exchange.gateway.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class UsEquitiesCalendarTest {

    private final UsEquitiesCalendar calendar = new UsEquitiesCalendar();

    private static Instant ny(String localDateTime) {
        return ZonedDateTime.of(LocalDateTime.parse(localDateTime), UsEquitiesCalendar.ZONE).toInstant();
    }

    private void assertClosed(String date) {
        assertTrue(calendar.session(LocalDate.parse(date)).isEmpty(), date + " should be closed");
    }

    private void assertRegular(String date) {
        TradingSession s = calendar.session(LocalDate.parse(date)).orElseThrow(() -> new AssertionError(date + " should trade"));
        assertEquals(ny(date + "T09:30"), s.opensAt());
        assertEquals(ny(date + "T16:00"), s.closesAt());
        assertFalse(s.earlyClose());
    }

    private void assertEarlyClose(String date) {
        TradingSession s = calendar.session(LocalDate.parse(date)).orElseThrow(() -> new AssertionError(date + " should trade"));
        assertEquals(ny(date + "T09:30"), s.opensAt());
        assertEquals(ny(date + "T13:00"), s.closesAt());
        assertTrue(s.earlyClose());
    }

    @Test
    void shouldCloseOnGoodFridayJuneteenthAndObservedIndependenceDayIn2026() {
        assertClosed("2026-04-03");
        assertClosed("2026-06-19");
        assertClosed("2026-07-03"); // July 4, 2026 is a Saturday
        assertEquals("Good Friday", calendar.reason(LocalDate.parse("2026-04-03")).orElseThrow());
        assertEquals("Independence Day", calendar.reason(LocalDate.parse("2026-07-03")).orElseThrow());
    }

    @Test
    void shouldCloseEarlyAfterThanksgivingAndOnChristmasEve() {
        assertEarlyClose("2026-11-27");
        assertEarlyClose("2026-12-24");
        assertEarlyClose("2025-07-03"); // July 4, 2025 is a Friday
        assertClosed("2026-11-26");
    }

    @Test
    void shouldCloseOnChristmasEveWhenChristmasFallsOnSaturday() {
        assertClosed("2027-12-24");
        assertEquals("Christmas Day", calendar.reason(LocalDate.parse("2027-12-24")).orElseThrow());
    }

    @Test
    void shouldCloseTheMondayAfterWhenChristmasFallsOnSunday() {
        assertClosed("2022-12-26");
        assertRegular("2022-12-23");
    }

    @Test
    void shouldNotCloseTheFridayBeforeWhenNewYearFallsOnSaturday() {
        assertRegular("2027-12-31");
        assertClosed("2028-01-01");
        assertRegular("2028-01-03");
    }

    @Test
    void shouldObserveNewYearOnMondayWhenItFallsOnSunday() {
        assertClosed("2023-01-02");
    }

    @Test
    void shouldCloseOnMartinLutherKingDay() {
        assertClosed("2026-01-19");
        assertRegular("2026-01-12");
    }

    @Test
    void shouldObserveJuneteenthOnlyFrom2022() {
        assertRegular("2021-06-18"); // June 19, 2021 was a Saturday, before the NYSE observed it
        assertClosed("2027-06-18"); // June 19, 2027 is a Saturday
        assertClosed("2022-06-20"); // June 19, 2022 was a Sunday
    }

    @Test
    void shouldKeepTheOpenAtNineThirtyLocalAcrossDaylightSavingChanges() {
        // DST starts 2026-03-08 and ends 2026-11-01.
        TradingSession beforeSpring = calendar.session(LocalDate.parse("2026-03-06")).orElseThrow();
        TradingSession afterSpring = calendar.session(LocalDate.parse("2026-03-09")).orElseThrow();
        assertEquals(Instant.parse("2026-03-06T14:30:00Z"), beforeSpring.opensAt());
        assertEquals(Instant.parse("2026-03-09T13:30:00Z"), afterSpring.opensAt());

        TradingSession beforeFall = calendar.session(LocalDate.parse("2026-10-30")).orElseThrow();
        TradingSession afterFall = calendar.session(LocalDate.parse("2026-11-02")).orElseThrow();
        assertEquals(Instant.parse("2026-10-30T13:30:00Z"), beforeFall.opensAt());
        assertEquals(Instant.parse("2026-11-02T14:30:00Z"), afterFall.opensAt());
        // Same local time, one hour apart in UTC on either side of each change.
        assertEquals(Duration.ofHours(1), Duration.between(afterSpring.opensAt(), beforeSpring.opensAt().plus(Duration.ofDays(3))));
        assertEquals(Duration.ofHours(1), Duration.between(beforeFall.opensAt().plus(Duration.ofDays(3)), afterFall.opensAt()));
        assertEquals(LocalTime.of(9, 30), afterSpring.opensAt().atZone(UsEquitiesCalendar.ZONE).toLocalTime());
        assertEquals(LocalTime.of(9, 30), afterFall.opensAt().atZone(UsEquitiesCalendar.ZONE).toLocalTime());
    }

    @Test
    void shouldCloseOnWeekends() {
        assertClosed("2026-03-07");
        assertClosed("2026-03-08");
        assertEquals("weekend", calendar.reason(LocalDate.parse("2026-03-07")).orElseThrow());
        assertTrue(calendar.reason(LocalDate.parse("2026-03-10")).isEmpty());
    }

    @Test
    void shouldMatchTheNyseHolidayAndEarlyCloseListFor2027() {
        List<LocalDate> holidays = new ArrayList<>();
        List<LocalDate> earlyCloses = new ArrayList<>();
        for (LocalDate d = LocalDate.of(2027, 1, 1); d.getYear() == 2027; d = d.plusDays(1)) {
            boolean weekday = d.getDayOfWeek() != DayOfWeek.SATURDAY && d.getDayOfWeek() != DayOfWeek.SUNDAY;
            var session = calendar.session(d);
            if (weekday && session.isEmpty()) {
                holidays.add(d);
            }
            if (session.isPresent() && session.get().earlyClose()) {
                earlyCloses.add(d);
            }
            assertFalse(!weekday && session.isPresent(), d + " is a weekend day with a session");
        }
        assertEquals(List.of("2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18",
                        "2027-07-05", "2027-09-06", "2027-11-25", "2027-12-24").stream().map(LocalDate::parse).toList(),
                holidays);
        assertEquals(List.of(LocalDate.parse("2027-11-26")), earlyCloses);
    }

    @Test
    void shouldComputeGregorianEaster() {
        assertEquals(LocalDate.parse("2024-03-31"), UsEquitiesCalendar.easterSunday(2024));
        assertEquals(LocalDate.parse("2025-04-20"), UsEquitiesCalendar.easterSunday(2025));
        assertEquals(LocalDate.parse("2026-04-05"), UsEquitiesCalendar.easterSunday(2026));
        assertEquals(LocalDate.parse("2038-04-25"), UsEquitiesCalendar.easterSunday(2038));
        assertEquals(LocalDate.parse("2285-03-22"), UsEquitiesCalendar.easterSunday(2285));
    }

    @Test
    void shouldListSessionsAcrossAHolidayWeek() {
        List<TradingSession> week = calendar.sessionsBetween(LocalDate.parse("2026-11-22"), LocalDate.parse("2026-11-29"));
        assertEquals(List.of("2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27").stream().map(LocalDate::parse).toList(),
                week.stream().map(TradingSession::date).toList());
        assertFalse(week.get(0).earlyClose());
        assertTrue(week.get(3).earlyClose());
        assertEquals(ny("2026-11-27T13:00"), week.get(3).closesAt());
    }

    @Test
    void shouldRefuseRangesLongerThan366DaysOrReversed() {
        assertEquals(251, calendar.sessionsBetween(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-01-01")).size());
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> calendar.sessionsBetween(LocalDate.parse("2026-01-01"), LocalDate.parse("2027-01-02")));
        assertTrue(tooLong.getMessage().contains("367 days"), tooLong.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> calendar.sessionsBetween(LocalDate.parse("2026-01-02"), LocalDate.parse("2026-01-01")));
    }

    @Test
    void shouldFindTheSessionContainingAnInstantWithACloseThatIsExclusive() {
        LocalDate date = LocalDate.parse("2026-03-10");
        assertEquals(date, calendar.sessionAt(ny("2026-03-10T09:30")).orElseThrow().date());
        assertEquals(date, calendar.sessionAt(ny("2026-03-10T15:59:59.999")).orElseThrow().date());
        assertTrue(calendar.sessionAt(ny("2026-03-10T16:00")).isEmpty());
        assertTrue(calendar.sessionAt(ny("2026-03-10T09:29:59")).isEmpty());
        assertTrue(calendar.sessionAt(ny("2026-03-07T12:00")).isEmpty());
    }

    @Test
    void shouldReturnTheSessionInProgressOrTheNextOneFromNextSessionAfter() {
        assertEquals(LocalDate.parse("2026-03-10"), calendar.nextSessionAfter(ny("2026-03-10T12:00")).date());
        assertEquals(LocalDate.parse("2026-03-10"), calendar.nextSessionAfter(ny("2026-03-10T00:00")).date());
        assertEquals(LocalDate.parse("2026-03-11"), calendar.nextSessionAfter(ny("2026-03-10T16:00")).date());
        // Thursday after the close: Good Friday and the weekend are skipped.
        assertEquals(LocalDate.parse("2026-04-06"), calendar.nextSessionAfter(ny("2026-04-02T16:30")).date());
    }

    @Test
    void shouldSkipHolidaysAndWeekendsForTheNextTradingDay() {
        assertEquals(LocalDate.parse("2026-04-06"), calendar.nextTradingDayAfter(LocalDate.parse("2026-04-02")));
        assertEquals(LocalDate.parse("2026-01-20"), calendar.nextTradingDayAfter(LocalDate.parse("2026-01-16")));
        assertEquals(LocalDate.parse("2027-12-27"), calendar.nextTradingDayAfter(LocalDate.parse("2027-12-23")));
    }
}
