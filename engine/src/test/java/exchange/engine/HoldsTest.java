package exchange.engine;

import exchange.risk.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class HoldsTest {
    @Test
    void shouldHoldNotionalPlusTheFeeReserveRoundedUpWhenTheOrderBuys() {
        assertEquals(0, Holds.buyHold(0, 1_000_500, 59));
        assertEquals(100 * 10_000 + 200, Holds.buyHold(100, 10_000, 2));
        assertEquals(37 * 1_000_500 + 218_410, Holds.buyHold(37, 1_000_500, 59), "37 x 100.05 plus 0.59% rounded up");
    }

    @Test
    void shouldReportOverflowWhenTheHoldDoesNotFitInALong() {
        assertEquals(Money.OVERFLOW, Holds.buyHold(Long.MAX_VALUE / 2, 10_000, 0));
        assertEquals(Money.OVERFLOW, Holds.buyHold(-1, 10_000, 0));
    }
}
