package exchange.gateway.session;

import java.time.LocalDate;
import java.time.LocalTime;
import java.util.Objects;

/**
 * An operator's ad-hoc change to one date of a calendar, taking precedence over its rules: the
 * market stays {@link Kind#CLOSED closed} all day (a national day of mourning, a storm), or it
 * closes early at {@code close} local time.
 *
 * <p>Invariants: {@code close} is present exactly for {@link Kind#EARLY_CLOSE}; {@code reason} is
 * not blank and at most {@link #MAX_REASON_LENGTH} characters. Whether the date and time make
 * sense for a given calendar is checked by that calendar (see {@link UsEquitiesCalendar}).
 */
public record CalendarOverride(LocalDate date, Kind kind, LocalTime close, String reason) {

    /** Longest accepted reason. */
    public static final int MAX_REASON_LENGTH = 200;

    /** What the override does to its date; {@link #jsonName()} is the spelling in the file. */
    public enum Kind {
        CLOSED("closed"),
        EARLY_CLOSE("early_close");

        private final String jsonName;

        Kind(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }
    }

    public CalendarOverride {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
        if (kind == Kind.EARLY_CLOSE && close == null) {
            throw new IllegalArgumentException("early_close on " + date + " needs a close time");
        }
        if (kind == Kind.CLOSED && close != null) {
            throw new IllegalArgumentException("closed on " + date + " must not have a close time");
        }
        if (reason.isBlank() || reason.length() > MAX_REASON_LENGTH) {
            throw new IllegalArgumentException("reason for " + date + " must be 1.." + MAX_REASON_LENGTH
                    + " characters and not blank");
        }
    }

    /** A whole-day closure. */
    public static CalendarOverride closed(LocalDate date, String reason) {
        return new CalendarOverride(date, Kind.CLOSED, null, reason);
    }

    /** An early close at {@code close} local time. */
    public static CalendarOverride earlyClose(LocalDate date, LocalTime close, String reason) {
        return new CalendarOverride(date, Kind.EARLY_CLOSE, close, reason);
    }
}
