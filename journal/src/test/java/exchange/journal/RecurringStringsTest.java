package exchange.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

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
        // 1,000 distinct values evict each other from the 64 slots; every answer must still be right
        Map<String, String> firstSeen = new HashMap<>();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 1000; i++) {
                String value = "SYM" + i;
                String got = read(value, i % 7);
                assertEquals(value, got);
                firstSeen.putIfAbsent(value, got);
            }
        }
        assertEquals(1000, firstSeen.size());
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
