package exchange.risk;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(10)
class MoneyTest {

    @Test
    @Timeout(5)
    void shouldParseDecimalsAtScaleFour() {
        assertEquals(1_872_500L, Money.parse("187.25", 4));
        assertEquals(1L, Money.parse("0.0001", 4));
        assertEquals(1_000_000L, Money.parse("100", 4));
        assertEquals(0L, Money.parse("0", 4));
        assertEquals(123_400L, Money.parse("12.34", 2));
        assertEquals(10_000L, Money.parse("1.0000", 4));
        assertEquals(50_000L, Money.parse("005.0", 4));
    }

    @Test
    @Timeout(5)
    void shouldRejectMoreDecimalsThanAllowed() {
        assertEquals(Money.OVERFLOW, Money.parse("0.00001", 4));
        assertEquals(Money.OVERFLOW, Money.parse("1.234", 2));
        assertEquals(Money.OVERFLOW, Money.parse("1.5", 0));
    }

    @Test
    @Timeout(5)
    void shouldRejectValuesThatOverflowALong() {
        // Long.MAX_VALUE / 10_000 = 922337203685477.5807
        assertEquals(Long.MAX_VALUE, Money.parse("922337203685477.5807", 4));
        assertEquals(Money.OVERFLOW, Money.parse("922337203685477.5808", 4));
        assertEquals(Money.OVERFLOW, Money.parse("922337203685478", 4));
        assertEquals(Money.OVERFLOW, Money.parse("99999999999999999999999", 4));
    }

    @Test
    @Timeout(5)
    void shouldRejectNegativeAndSignedValues() {
        assertEquals(Money.OVERFLOW, Money.parse("-1", 4));
        assertEquals(Money.OVERFLOW, Money.parse("-0.01", 4));
        assertEquals(Money.OVERFLOW, Money.parse("+1", 4));
    }

    @Test
    @Timeout(5)
    void shouldRejectJunk() {
        for (String junk : new String[] {null, "", ".", "1.", ".5", "1..2", "1.2.3", "abc", "1e3", " 1", "1 ",
            "1,000", "0x10", "١", "12a", "1.0a"}) {
            assertEquals(Money.OVERFLOW, Money.parse(junk, 4), "input " + junk);
        }
        assertEquals(Money.OVERFLOW, Money.parse("1".repeat(41), 4), "longer than 40 chars");
    }

    @Test
    @Timeout(5)
    void shouldFormatWithAtLeastTwoFractionDigits() {
        assertEquals("187.25", Money.format(1_872_500L));
        assertEquals("0.0001", Money.format(1L));
        assertEquals("100.00", Money.format(1_000_000L));
        assertEquals("0.00", Money.format(0L));
        assertEquals("1.501", Money.format(15_010L));
        assertEquals("0.123", Money.format(1_230L));
        assertEquals("-1.50", Money.format(-15_000L));
        assertEquals("922337203685477.5807", Money.format(Long.MAX_VALUE));
        assertEquals("-922337203685477.5808", Money.format(Long.MIN_VALUE));
    }

    @Test
    @Timeout(5)
    void shouldRoundTripFormatAndParseForNonNegativeValues() {
        long[] values = {0, 1, 9, 10, 99, 100, 101, 9_999, 10_000, 10_001, 1_872_500, 123_456_789L, Long.MAX_VALUE};
        for (long v : values) {
            assertEquals(v, Money.parse(Money.format(v), 4), "value " + v);
        }
    }

    @Test
    @Timeout(5)
    void shouldAppendFormattedValueToBuilder() {
        StringBuilder sb = new StringBuilder("price=");
        Money.appendTo(sb, 2_500L);
        assertEquals("price=0.25", sb.toString());
    }

    @Test
    @Timeout(5)
    void shouldDetectOverflowInCheckedArithmetic() {
        assertEquals(6L, Money.multiplyOrOverflow(2, 3));
        assertEquals(0L, Money.multiplyOrOverflow(0, Long.MAX_VALUE));
        assertEquals(Money.OVERFLOW, Money.multiplyOrOverflow(Long.MAX_VALUE, 2));
        assertEquals(Money.OVERFLOW, Money.multiplyOrOverflow(1L << 32, 1L << 31));
        assertEquals(Money.OVERFLOW, Money.multiplyOrOverflow(-1, 5));
        assertEquals(Money.OVERFLOW, Money.multiplyOrOverflow(5, -1));
        assertEquals(Long.MAX_VALUE, Money.addOrOverflow(Long.MAX_VALUE - 1, 1));
        assertEquals(Money.OVERFLOW, Money.addOrOverflow(Long.MAX_VALUE, 1));
        assertEquals(Money.OVERFLOW, Money.addOrOverflow(-1, 1));
    }
}
