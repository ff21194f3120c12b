package exchange.gateway.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class AlwaysOpenCalendarTest {

    private final AlwaysOpenCalendar calendar = new AlwaysOpenCalendar();

    @Test
    void shouldOpenEveryDayFromMidnightToMidnightInUtcByDefault() {
        assertEquals(ZoneOffset.UTC, calendar.zone());
        TradingSession saturday = calendar.session(LocalDate.parse("2026-03-07")).orElseThrow();
        assertEquals(Instant.parse("2026-03-07T00:00:00Z"), saturday.opensAt());
        assertEquals(Instant.parse("2026-03-08T00:00:00Z"), saturday.closesAt());
        assertEquals(false, saturday.earlyClose());
    }

    @Test
    void shouldPlaceEveryInstantInTheSessionOfItsDate() {
        assertEquals(LocalDate.parse("2026-12-25"), calendar.sessionAt(Instant.parse("2026-12-25T23:59:59.999Z")).orElseThrow().date());
        assertEquals(LocalDate.parse("2026-12-26"), calendar.sessionAt(Instant.parse("2026-12-26T00:00:00Z")).orElseThrow().date());
        assertEquals(LocalDate.parse("2026-12-26"), calendar.nextSessionAfter(Instant.parse("2026-12-26T00:00:00Z")).date());
    }

    @Test
    void shouldMakeTheNextTradingDayTheNextCalendarDay() {
        assertEquals(LocalDate.parse("2027-01-01"), calendar.nextTradingDayAfter(LocalDate.parse("2026-12-31")));
    }

    @Test
    void shouldListBackToBackSessions() {
        List<TradingSession> sessions = calendar.sessionsBetween(LocalDate.parse("2026-02-27"), LocalDate.parse("2026-03-02"));
        assertEquals(4, sessions.size());
        for (int i = 1; i < sessions.size(); i++) {
            assertEquals(sessions.get(i - 1).closesAt(), sessions.get(i).opensAt());
        }
    }

    @Test
    void shouldFollowLocalMidnightInAZoneWithDaylightSaving() {
        AlwaysOpenCalendar newYork = new AlwaysOpenCalendar(ZoneId.of("America/New_York"));
        TradingSession springForward = newYork.session(LocalDate.parse("2026-03-08")).orElseThrow();
        assertEquals(Instant.parse("2026-03-08T05:00:00Z"), springForward.opensAt());
        assertEquals(Duration.ofHours(23), Duration.between(springForward.opensAt(), springForward.closesAt()));
    }
}
