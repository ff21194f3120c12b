package exchange.gateway.session;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class CalendarOverridesTest {

    private static final String VALID = """
            [
              {"date": "2026-03-02", "type": "closed", "reason": "National day of mourning"},
              {"date": "2026-03-03", "type": "early_close", "close": "12:00", "reason": "Systems upgrade"},
              {"date": "2026-11-27", "type": "closed", "reason": "Storm"},
              {"date": "2026-12-24", "type": "early_close", "close": "11:30", "reason": "Holiday schedule"}
            ]
            """;

    @Test
    void shouldApplyFileEntriesOverTheRulesWhenLoadedFromAFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("closures.json");
        Files.writeString(file, VALID);
        UsEquitiesCalendar calendar = UsEquitiesCalendar.withOverrides(file);

        assertTrue(calendar.session(LocalDate.parse("2026-03-02")).isEmpty());
        assertEquals("National day of mourning", calendar.reason(LocalDate.parse("2026-03-02")).orElseThrow());

        TradingSession early = calendar.session(LocalDate.parse("2026-03-03")).orElseThrow();
        assertTrue(early.earlyClose());
        assertEquals(Instant.parse("2026-03-03T17:00:00Z"), early.closesAt()); // 12:00 EST
        assertEquals(Instant.parse("2026-03-03T14:30:00Z"), early.opensAt());

        // Overrides win over the rules' early closes too.
        assertTrue(calendar.session(LocalDate.parse("2026-11-27")).isEmpty());
        assertEquals(Instant.parse("2026-12-24T16:30:00Z"),
                calendar.session(LocalDate.parse("2026-12-24")).orElseThrow().closesAt());

        // Dates without an entry follow the rules.
        assertFalse(calendar.session(LocalDate.parse("2026-03-04")).orElseThrow().earlyClose());
        assertEquals(LocalDate.parse("2026-03-03"), calendar.nextTradingDayAfter(LocalDate.parse("2026-02-27")));
        assertEquals(4, calendar.overrides().size());
    }

    @Test
    void shouldParseEveryFieldOfAnEntry() {
        List<CalendarOverride> overrides = CalendarOverrides.parse(VALID, "test");
        assertEquals(CalendarOverride.closed(LocalDate.parse("2026-03-02"), "National day of mourning"), overrides.get(0));
        assertEquals(CalendarOverride.earlyClose(LocalDate.parse("2026-03-03"), LocalTime.of(12, 0), "Systems upgrade"),
                overrides.get(1));
    }

    @Test
    void shouldLoadTheShippedExampleClosuresFile() throws IOException {
        String json;
        try (InputStream in = CalendarOverridesTest.class.getResourceAsStream("/calendar/us-equities-closures.json")) {
            assertTrue(in != null, "resource /calendar/us-equities-closures.json is missing");
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        UsEquitiesCalendar calendar = new UsEquitiesCalendar(CalendarOverrides.parse(json, "us-equities-closures.json"));
        assertTrue(calendar.session(LocalDate.parse("2025-01-09")).isEmpty());
        assertTrue(calendar.session(LocalDate.parse("2025-01-10")).isPresent());
    }

    private static String rejectMessage(String json) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UsEquitiesCalendar(CalendarOverrides.parse(json, "bad.json")));
        return e.getMessage();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected \"" + part + "\" in: " + message);
        }
    }

    @Test
    void shouldRejectAnUnknownTypeNamingTheEntry() {
        String message = rejectMessage("""
                [{"date": "2026-03-02", "type": "closed", "reason": "ok"},
                 {"date": "2026-03-05", "type": "half_day", "reason": "x"}]""");
        assertMentions(message, "bad.json", "entry 2", "2026-03-05", "\"type\"", "half_day");
    }

    @Test
    void shouldRejectAnInvalidDate() {
        assertMentions(rejectMessage("[{\"date\": \"2026-02-30\", \"type\": \"closed\", \"reason\": \"x\"}]"),
                "entry 1", "2026-02-30", "yyyy-MM-dd");
        assertMentions(rejectMessage("[{\"date\": \"03/02/2026\", \"type\": \"closed\", \"reason\": \"x\"}]"),
                "entry 1", "03/02/2026");
    }

    @Test
    void shouldRejectMissingOrMisplacedCloseTimes() {
        assertMentions(rejectMessage("[{\"date\": \"2026-03-05\", \"type\": \"early_close\", \"reason\": \"x\"}]"),
                "entry 1", "2026-03-05", "needs \"close\"");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-05\", \"type\": \"early_close\", \"close\": \"1pm\", \"reason\": \"x\"}]"),
                "entry 1", "HH:mm", "1pm");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-05\", \"type\": \"closed\", \"close\": \"13:00\", \"reason\": \"x\"}]"),
                "entry 1", "only allowed with type \"early_close\"");
    }

    @Test
    void shouldRejectAnEarlyCloseOutsideRegularHoursOrOnAClosedDay() {
        assertMentions(rejectMessage("[{\"date\": \"2026-03-05\", \"type\": \"early_close\", \"close\": \"16:00\", \"reason\": \"x\"}]"),
                "entry 1", "2026-03-05", "must be after 09:30 and before 16:00");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-05\", \"type\": \"early_close\", \"close\": \"09:00\", \"reason\": \"x\"}]"),
                "entry 1", "must be after 09:30");
        assertMentions(rejectMessage("[{\"date\": \"2026-04-03\", \"type\": \"early_close\", \"close\": \"12:00\", \"reason\": \"x\"}]"),
                "entry 1", "2026-04-03", "Good Friday");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-07\", \"type\": \"early_close\", \"close\": \"12:00\", \"reason\": \"x\"}]"),
                "entry 1", "weekend");
    }

    @Test
    void shouldRejectDuplicateDatesUnknownFieldsAndMissingReasons() {
        assertMentions(rejectMessage("""
                [{"date": "2026-03-02", "type": "closed", "reason": "a"},
                 {"date": "2026-03-02", "type": "closed", "reason": "b"}]"""), "entry 2", "2026-03-02", "entry 1");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-02\", \"type\": \"closed\", \"reason\": \"a\", \"note\": 1}]"),
                "entry 1", "unknown field \"note\"");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-02\", \"type\": \"closed\"}]"), "entry 1", "missing \"reason\"");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-02\", \"type\": \"closed\", \"reason\": \"  \"}]"),
                "entry 1", "\"reason\"");
        assertMentions(rejectMessage("[{\"type\": \"closed\", \"reason\": \"a\"}]"), "entry 1", "missing \"date\"");
        assertMentions(rejectMessage("[{\"date\": 20260302, \"type\": \"closed\", \"reason\": \"a\"}]"),
                "entry 1", "\"date\" must be a string");
    }

    @Test
    void shouldRejectMalformedJsonAndAWrongTopLevel() {
        assertMentions(rejectMessage("[{\"date\": \"2026-03-02\", \"type\": \"closed\""), "bad.json", "not valid JSON", "line 1");
        assertMentions(rejectMessage("{\"date\": \"2026-03-02\"}"), "bad.json", "JSON array");
        assertMentions(rejectMessage("[\"2026-03-02\"]"), "entry 1", "JSON object");
        assertMentions(rejectMessage("[{\"date\": \"2026-03-02\", \"date\": \"2026-03-03\", \"type\": \"closed\", \"reason\": \"a\"}]"),
                "bad.json", "not valid JSON");
    }

    @Test
    void shouldNameTheFileWhenItsEntriesContradictTheRules(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("closures.json");
        Files.writeString(file, "[{\"date\": \"2026-12-25\", \"type\": \"early_close\", \"close\": \"12:00\", \"reason\": \"x\"}]");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> UsEquitiesCalendar.withOverrides(file));
        assertMentions(e.getMessage(), file.toString(), "entry 1", "2026-12-25", "Christmas Day");
    }
}
