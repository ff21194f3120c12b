package exchange.gateway.metrics;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.pipeline.CommandProcessor;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.ResultListener;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An opt-in trace of each command's path through the server (issue 21: where a slow order's time
 * goes). Off unless the JVM runs with {@code -Dexchange.path_trace=FILE}; then every point of
 * every command's path is stamped ({@link System#nanoTime}, the point, the command's gateway
 * timestamp as its key, the thread) into arrays allocated once at start-up, and written to FILE
 * as text when the JVM exits. When off, {@link #ON} is a constant false and every stamp is
 * compiled away. Recording stops, and counts what it dropped, once the arrays are full.
 *
 * <p>Thread safe: any thread stamps; a slot is claimed with one atomic increment.
 */
public final class PathTrace {
    /** Whether tracing is on (fixed at class initialisation). */
    public static final boolean ON = System.getProperty("exchange.path_trace") != null;

    /** The request reached the server (its connection became readable), from {@code RequestArrival}. */
    public static final byte ARRIVAL = 0;
    /** The order route began to submit the command (auth, rate limit and parsing done). */
    public static final byte SUBMIT = 1;
    /** The command was written into its claimed ring slot (publishing follows). */
    public static final byte TRANSLATED = 2;
    /** {@code tryPublish} returned on the request thread. */
    public static final byte PUBLISHED = 3;
    /** The journal thread began appending the command. */
    public static final byte JOURNAL_APPEND = 4;
    /** The journal thread finished the batch that ended with the command. */
    public static final byte JOURNAL_BATCH_END = 5;
    /** The engine thread began applying the command. */
    public static final byte ENGINE_START = 6;
    /** The engine thread finished applying it. */
    public static final byte ENGINE_END = 7;
    /** The results stage answered it (its result listener ran, its handler follows). */
    public static final byte RESULT = 8;
    /** The request thread that waited saw the result. */
    public static final byte SEEN_BY_WAITER = 9;
    /** The async answer's continuation began on a pool thread. */
    public static final byte ASYNC_CONTINUE = 10;
    /** Javalin completed the response. */
    public static final byte RESPONDED = 11;

    private static final String[] NAMES = {"arrival", "submit", "translated", "published", "journal_append",
        "journal_batch_end", "engine_start", "engine_end", "result", "seen_by_waiter", "async_continue", "responded"};
    private static final int CAPACITY = Integer.getInteger("exchange.path_trace.entries", 8_000_000);
    private static final long[] TIMES = new long[ON ? CAPACITY : 0];
    private static final long[] KEYS = new long[ON ? CAPACITY : 0];
    private static final byte[] POINTS = new byte[ON ? CAPACITY : 0];
    private static final int[] THREADS = new int[ON ? CAPACITY : 0];
    private static final AtomicInteger NEXT = new AtomicInteger();
    /** The key of the command the current thread translated last (request threads). */
    private static final ThreadLocal<long[]> LAST_KEY = ThreadLocal.withInitial(() -> new long[1]);

    static {
        if (ON) {
            Path file = Path.of(System.getProperty("exchange.path_trace"));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> write(file), "path-trace-writer"));
        }
    }

    private PathTrace() {
    }

    /** Stamps {@code point} of the command {@code key} now. */
    public static void stamp(byte point, long key) {
        stamp(point, key, System.nanoTime());
    }

    /** Stamps {@code point} of the command {@code key} at {@code nanoTime}. */
    public static void stamp(byte point, long key, long nanoTime) {
        int i = NEXT.getAndIncrement();
        if (i >= CAPACITY) {
            return;
        }
        TIMES[i] = nanoTime;
        KEYS[i] = key;
        POINTS[i] = point;
        THREADS[i] = (int) Thread.currentThread().getId();
    }

    /** The key of the command this thread's last {@link #keyed} translator wrote. */
    public static long lastKey() {
        return LAST_KEY.get()[0];
    }

    /** {@code t}, stamping {@link #TRANSLATED} and remembering the command's key for this thread. */
    public static <A> CommandTranslator<A> keyed(CommandTranslator<A> t) {
        return new CommandTranslator<>() {
            @Override
            public void translate(Command slot, A arg) {
                t.translate(slot, arg);
                LAST_KEY.get()[0] = slot.timestampNanos;
                stamp(TRANSLATED, slot.timestampNanos);
            }

            @Override
            public boolean writesEveryInputField() {
                return t.writesEveryInputField();
            }
        };
    }

    /** {@code p}, stamping each command's engine start and end. */
    public static CommandProcessor engine(CommandProcessor p) {
        return new CommandProcessor() {
            @Override
            public void process(Command command, EventSink events) {
                stamp(ENGINE_START, command.timestampNanos);
                p.process(command, events);
                stamp(ENGINE_END, command.timestampNanos);
            }

            @Override
            public void prefetch(Command[] commands, int from, int to) {
                p.prefetch(commands, from, to);
            }
        };
    }

    /** {@code j}, stamping each append and the end of each batch (keyed by its last command). */
    public static JournalPort journal(JournalPort j) {
        return new JournalPort() {
            private long last;

            @Override
            public void beginBatch() {
                j.beginBatch();
            }

            @Override
            public void append(Command command, long seq) {
                stamp(JOURNAL_APPEND, command.timestampNanos);
                last = command.timestampNanos;
                j.append(command, seq);
            }

            @Override
            public void endOfBatch() {
                j.endOfBatch();
                stamp(JOURNAL_BATCH_END, last);
            }

            @Override
            public void force() {
                j.force();
            }
        };
    }

    /** {@code l}, stamping each result. */
    public static ResultListener results(ResultListener l) {
        return c -> {
            stamp(RESULT, c.timestampNanos);
            l.onResult(c);
        };
    }

    private static void write(Path file) {
        int n = Math.min(NEXT.get(), CAPACITY);
        try (BufferedWriter w = Files.newBufferedWriter(file)) {
            w.write("# key point nanos thread; dropped " + Math.max(0, NEXT.get() - CAPACITY) + "\n");
            for (int i = 0; i < n; i++) {
                w.write(KEYS[i] + " " + NAMES[POINTS[i]] + " " + TIMES[i] + " " + THREADS[i] + "\n");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
