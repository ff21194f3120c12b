package exchange.engine.testing;

import exchange.engine.OrderView;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Field-by-field differences, for failure messages that say what differs rather than that something does. */
public final class Diffs {
    private Diffs() {
    }

    /** "field: expected -> actual" for every public instance field of OrderView that differs; empty if equal. */
    public static List<String> of(OrderView expected, OrderView actual) {
        List<String> out = new ArrayList<>();
        for (Field f : OrderView.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            try {
                Object e = f.get(expected);
                Object a = f.get(actual);
                if (!Objects.equals(e, a)) {
                    out.add(f.getName() + ": expected " + e + " but was " + a);
                }
            } catch (IllegalAccessException ex) {
                throw new IllegalStateException(ex);
            }
        }
        return out;
    }

    /** Fails naming the differing fields unless the two views are equal. */
    public static void assertSameOrder(OrderView expected, OrderView actual, String what) {
        if (!Objects.equals(expected, actual)) {
            throw new AssertionError(what + " differs: " + of(expected, actual) + "\n expected " + expected
                    + "\n actual   " + actual);
        }
    }
}
