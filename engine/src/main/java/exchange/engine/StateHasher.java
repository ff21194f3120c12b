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

    StateHasher add(String s) {
        if (s == null) {
            return add(-1L);
        }
        add(s.length());
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return this;
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
