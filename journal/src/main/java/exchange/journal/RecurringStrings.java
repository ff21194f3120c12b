package exchange.journal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The strings a decoder sees again and again (symbols, assets), decoded once: a lookup by the
 * encoded bytes returns the same {@code String} instance every time, so a replay allocates no
 * string for them, and the engine's lookups by symbol hit a hash the string has already cached.
 *
 * <p>A small direct-mapped table: a slot holds the last string whose bytes hashed to it, and a
 * miss simply replaces it, so any number of distinct values stays correct and the memory bounded.
 * Confined to its decoder's thread.
 */
final class RecurringStrings {
    private static final int SLOTS = 64;

    private final byte[][] encoded = new byte[SLOTS][];
    private final String[] strings = new String[SLOTS];

    /** The string of {@code src[from, from + length)}, decoded as UTF-8. */
    String get(byte[] src, int from, int length) {
        int h = length;
        for (int i = from, end = from + length; i < end; i++) {
            h = 31 * h + src[i];
        }
        int slot = (h ^ (h >>> 7)) & (SLOTS - 1);
        byte[] known = encoded[slot];
        if (known != null && Arrays.equals(known, 0, known.length, src, from, from + length)) {
            return strings[slot];
        }
        String s = new String(src, from, length, StandardCharsets.UTF_8);
        encoded[slot] = Arrays.copyOfRange(src, from, from + length);
        strings[slot] = s;
        return s;
    }
}
