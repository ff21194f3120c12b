package exchange.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.HashMap;

/**
 * A trivial reference workload measured in the same run as the engine benchmarks: one
 * {@code HashMap.put} and one {@code get} on a warm 4,096-entry map with pre-boxed keys (so it
 * allocates nothing). Engine figures divided by this one compare runs taken under different
 * machine load, which matters on a shared 2-core box.
 */
@State(Scope.Thread)
public class BaselineBench extends BenchmarkDefaults {
    private static final int KEYS = 4_096;

    private final HashMap<Integer, Integer> map = new HashMap<>();
    private final Integer[] keys = new Integer[KEYS];
    private int next;

    @Setup
    public void fill() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = i * 7_919;
            map.put(keys[i], keys[i]);
        }
    }

    /** One put and one get of different keys; the op unit is the pair. */
    @Benchmark
    public Integer hashMapPutGet() {
        int i = next;
        next = (i + 1) & (KEYS - 1);
        map.put(keys[i], keys[(i + 17) & (KEYS - 1)]);
        return map.get(keys[(i + 1_031) & (KEYS - 1)]);
    }
}
