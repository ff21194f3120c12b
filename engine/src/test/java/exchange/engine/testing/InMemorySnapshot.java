package exchange.engine.testing;

import exchange.engine.state.SnapshotInput;
import exchange.engine.state.SnapshotOutput;

import java.util.ArrayList;
import java.util.List;

/**
 * A snapshot held in memory as the typed sequence of values the engine wrote. Reading checks each
 * value's type, so a reader that reads in a different order or with a different type than the
 * writer wrote fails at once instead of restoring garbage; {@link #fullyRead()} tells whether the
 * reader consumed everything.
 */
public final class InMemorySnapshot implements SnapshotOutput, SnapshotInput {
    private final List<Object> values = new ArrayList<>();
    private int readIndex;

    /** A marker for a written null string (a list cannot tell "null string" from "no value" otherwise). */
    private static final Object NULL_STRING = new Object();

    @Override
    public void putLong(long v) {
        values.add(v);
    }

    @Override
    public void putInt(int v) {
        values.add(v);
    }

    @Override
    public void putByte(byte v) {
        values.add(v);
    }

    @Override
    public void putString(String s) {
        values.add(s == null ? NULL_STRING : s);
    }

    @Override
    public long getLong() {
        return next(Long.class);
    }

    @Override
    public int getInt() {
        return next(Integer.class);
    }

    @Override
    public byte getByte() {
        return next(Byte.class);
    }

    @Override
    public String getString() {
        Object v = nextRaw();
        if (v == NULL_STRING) {
            return null;
        }
        if (!(v instanceof String s)) {
            throw new IllegalStateException("value " + (readIndex - 1) + " is " + describe(v) + ", read as String");
        }
        return s;
    }

    /** Number of values written. */
    public int size() {
        return values.size();
    }

    public boolean fullyRead() {
        return readIndex == values.size();
    }

    /** Overwrites value {@code index} with the int {@code v}: to forge another format number in a test. */
    public void setInt(int index, int v) {
        if (!(values.get(index) instanceof Integer)) {
            throw new IllegalStateException("value " + index + " is " + describe(values.get(index)) + ", not an int");
        }
        values.set(index, v);
    }

    /** Drops the last {@code n} values written: to forge an older format without a trailing section. */
    public void removeLast(int n) {
        values.subList(values.size() - n, values.size()).clear();
    }

    /** Starts reading from the first value again. */
    public void rewind() {
        readIndex = 0;
    }

    private <T> T next(Class<T> type) {
        Object v = nextRaw();
        if (!type.isInstance(v)) {
            throw new IllegalStateException("value " + (readIndex - 1) + " is " + describe(v) + ", read as "
                    + type.getSimpleName());
        }
        return type.cast(v);
    }

    private Object nextRaw() {
        if (readIndex >= values.size()) {
            throw new IllegalStateException("read past the end of the snapshot (" + values.size() + " values)");
        }
        return values.get(readIndex++);
    }

    private static String describe(Object v) {
        return v == NULL_STRING ? "a null String" : v.getClass().getSimpleName() + " " + v;
    }
}
