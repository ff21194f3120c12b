package exchange.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

@Timeout(10)
class RecurringStringsTest {
    private final RecurringStrings strings = new RecurringStrings();

    private static byte[] framed(String s, int padding) {
        byte[] encoded = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[padding + encoded.length + 3];
        System.arraycopy(encoded, 0, out, padding, encoded.length);
        out[padding + encoded.length] = 'X'; // bytes after the string are not part of it
        return out;
    }

    private String read(String s, int padding) {
        return strings.get(framed(s, padding), padding, s.getBytes(StandardCharsets.UTF_8).length);
    }

    @Test
    void shouldReturnTheSameInstanceForTheSameBytesWhereverTheyLie() {
        String first = read("AAPL", 0);
        assertEquals("AAPL", first);
        assertSame(first, read("AAPL", 5));
        assertSame(first, read("AAPL", 17));
    }

    @Test
    void shouldDecodeEveryValueCorrectlyWhenThereAreMoreValuesThanSlots() {
        // 1,000 distinct values of few lengths evict each other from the 64 slots, and many share
        // a slot with a value of the same length: every answer must still be the value's own
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                String value = "SYM" + i;
                assertEquals(value, read(value, i % 7));
            }
        }
    }

    @Test
    void shouldTellApartValuesThatSharePrefixesOrLengths() {
        assertEquals("AB", read("AB", 0));
        assertEquals("ABC", read("ABC", 0));
        assertEquals("BA", read("BA", 0));
        assertEquals("", read("", 3));
        assertEquals("AB", read("AB", 1));
    }

    @Test
    void shouldDecodeUtf8() {
        assertEquals("€uro", read("€uro", 2));
        assertSame(read("€uro", 0), read("€uro", 4));
    }
}
