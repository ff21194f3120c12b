package exchange.risk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class FeesTest {

    @Test
    @Timeout(5)
    void shouldFloorChargedFee() {
        // 1.0001 dollars at 10 bps = 0.00100001 dollars = 10.0010 units -> 10
        assertEquals(10L, Fees.charged(10_001L, 10));
        assertEquals(0L, Fees.charged(999L, 10)); // 0.999 units
        assertEquals(1L, Fees.charged(1_000L, 10)); // exactly 1 unit
        assertEquals(0L, Fees.charged(123_456L, 0));
    }

    @Test
    @Timeout(5)
    void shouldCeilReservedFee() {
        assertEquals(11L, Fees.reserved(10_001L, 10));
        assertEquals(1L, Fees.reserved(999L, 10));
        assertEquals(1L, Fees.reserved(1_000L, 10));
        assertEquals(1L, Fees.reserved(1L, 1));
        assertEquals(0L, Fees.reserved(0L, 1000));
        assertEquals(0L, Fees.reserved(123_456L, 0));
    }

    @Test
    @Timeout(5)
    void shouldReserveAtLeastWhatIsChargedForEveryNotional() {
        for (long notional = 0; notional < 30_000; notional += 7) {
            for (int bps : new int[] {0, 1, 3, 10, 25, 999, 1000}) {
                long charged = Fees.charged(notional, bps);
                long reserved = Fees.reserved(notional, bps);
                assertTrue(reserved >= charged && reserved - charged <= 1, notional + " @ " + bps);
            }
        }
    }

    @Test
    @Timeout(5)
    void shouldReturnOverflowInsteadOfWrapping() {
        assertEquals(Money.OVERFLOW, Fees.charged(Long.MAX_VALUE, 20_000), "a fee above Long.MAX");
        assertEquals(Money.OVERFLOW, Fees.reserved(Long.MAX_VALUE, 10_001));
        assertEquals(Money.OVERFLOW, Fees.charged(-1, 10));
        assertEquals(Long.MAX_VALUE / Fees.BPS, Fees.charged(Long.MAX_VALUE, 1));
    }

    @Test
    @Timeout(5)
    void shouldComputeFeesWhoseIntermediateProductWouldOverflow() {
        // notional x bps overflows a long here, the fee itself does not
        assertEquals(Long.MAX_VALUE / Fees.BPS * 2 + (Long.MAX_VALUE % Fees.BPS) * 2 / Fees.BPS,
                Fees.charged(Long.MAX_VALUE, 2));
        assertEquals(1_844_674_407_370_956L, Fees.reserved(Long.MAX_VALUE, 2), "rounded up");
        assertEquals(800_000_000_000_000_000L, Fees.reserved(8_000_000_000_000_000_000L, 1_000));
        assertEquals(Fees.charged(Long.MAX_VALUE / 2, 3), Long.MAX_VALUE / 2 / Fees.BPS * 3
                + (Long.MAX_VALUE / 2 % Fees.BPS) * 3 / Fees.BPS);
    }

    @Test
    @Timeout(5)
    void shouldNotWrapReservedFeeWhenTheProductIsNearLongMax() {
        // notional x bps fits in a long, but adding the rounding term (BPS - 1) must not wrap.
        long reserved = Fees.reserved(Long.MAX_VALUE, 1);
        assertTrue(reserved == Money.OVERFLOW || reserved == Long.MAX_VALUE / Fees.BPS + 1,
                "got " + reserved);
    }
}
