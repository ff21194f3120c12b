package exchange.engine;

import exchange.risk.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class HoldsTest {
    @Test
    void shouldHoldWhatTheEngineHoldsWhenComputedOutsideIt() {
        long[] leaves = {0, 1, 37, 5_000, Long.MAX_VALUE / 2};
        long[] limits = {1, 8_000, 1_000_500, 10_000_000L * 10_000};
        int[] bps = {0, 1, 59, 1_000};
        for (long l : leaves) {
            for (long p : limits) {
                for (int b : bps) {
                    assertEquals(Exchange.buyHold(l, p, b), Holds.buyHold(l, p, b), l + " @ " + p + " bps " + b);
                }
            }
        }
        assertEquals(Money.OVERFLOW, Holds.buyHold(Long.MAX_VALUE / 2, 10_000, 0));
        assertEquals(100 * 10_000 + 200, Holds.buyHold(100, 10_000, 2));
    }
}
