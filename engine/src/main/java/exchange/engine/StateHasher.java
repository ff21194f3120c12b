package exchange.engine;

/**
 * A deterministic 64-bit running hash over longs and strings (FNV-1a-style absorption with a
 * SplitMix64 finaliser per value). Not cryptographic: it detects divergence between two runs.
 */
final class StateHasher {
    private long h = 0xcbf29ce484222325L;

    StateHasher add(long v) {
        h ^= mix(v);
        h *= 0x100000001b3L;
        return this;
    }

    /**
     * Adds a string by its length and {@link String#hashCode()}, whose value the JDK specifies
     * (so it is the same on every JVM) and caches in the string.
     */
    StateHasher add(String s) {
        if (s == null) {
            return add(-1L);
        }
        return add(((long) s.length() << 32) ^ (s.hashCode() & 0xFFFFFFFFL));
    }

    long value() {
        return mix(h);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
