package exchange.gateway.session;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/**
 * One trading session of a {@link MarketCalendar}: the market is open during the half-open
 * interval {@code [opensAt, closesAt)} for the trading date {@code date}.
 *
 * <p>Invariants: no field is null and {@code opensAt} is strictly before {@code closesAt}.
 * {@code earlyClose} is true when the session closes before the calendar's regular close
 * (a rule such as the day after Thanksgiving, or an operator override).
 */
public record TradingSession(LocalDate date, Instant opensAt, Instant closesAt, boolean earlyClose) {

    public TradingSession {
        Objects.requireNonNull(date, "date");
        Objects.requireNonNull(opensAt, "opensAt");
        Objects.requireNonNull(closesAt, "closesAt");
        if (!opensAt.isBefore(closesAt)) {
            throw new IllegalArgumentException(
                    "session " + date + " must open before it closes: " + opensAt + " >= " + closesAt);
        }
    }

    /** True when {@code t} lies in {@code [opensAt, closesAt)}. */
    public boolean contains(Instant t) {
        return !t.isBefore(opensAt) && t.isBefore(closesAt);
    }
}
