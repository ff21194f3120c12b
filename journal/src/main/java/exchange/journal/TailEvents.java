package exchange.journal;

import exchange.engine.EngineEvent;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Command-line tool behind {@code scripts/tail-events.sh}: prints the events queue as JSON lines
 * ({@link JsonLines}) and keeps following it until interrupted (Ctrl-C). It opens the queue
 * read-only, so it never writes to the exchange's data directory; started before the exchange
 * has written its first event, it waits for the queue to appear (or, with {@code --no-follow},
 * prints nothing).
 *
 * <pre>
 * TailEvents [--data-dir DIR] [--from-start | --from-seq N] [--no-follow]
 *   --data-dir DIR   the exchange's data directory (default ./data)
 *   --from-start     print every event from the first one (default: only new events)
 *   --from-seq N     print events from sequence N on
 *   --no-follow      exit at the end of the queue instead of waiting for more
 * </pre>
 * Exit status: 0 done or interrupted, 2 bad arguments, 1 the queue could not be read.
 */
public final class TailEvents {
    /** Longest pause between polls of an idle queue. */
    static final long MAX_IDLE_NANOS = 50_000_000L;

    private TailEvents() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, () -> Thread.currentThread().isInterrupted()));
    }

    /** Runs the tool; {@code stop} is polled while following. Returns the exit status. */
    static int run(String[] args, PrintStream out, PrintStream err, BooleanSupplier stop) {
        Path dataDir = Path.of("data");
        boolean fromStart = false;
        long fromSeq = -1;
        boolean follow = true;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, "--data-dir"));
                    case "--from-start" -> fromStart = true;
                    case "--from-seq" -> fromSeq = Long.parseLong(value(args, ++i, "--from-seq"));
                    case "--no-follow" -> follow = false;
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (fromStart && fromSeq >= 0) {
                throw new IllegalArgumentException("--from-start and --from-seq exclude each other");
            }
        } catch (IllegalArgumentException e) {
            err.println("tail-events: " + e.getMessage());
            err.println(usage());
            return 2;
        }
        if (!awaitQueue(dataDir, stop, follow)) {
            return 0;
        }
        try (EventTailer tailer = EventTailer.openReadOnly(dataDir)) {
            if (fromSeq >= 0) {
                tailer.fromSeq(fromSeq);
            } else if (fromStart) {
                tailer.fromStart();
            } else {
                tailer.toEnd();
            }
            follow(tailer, out, stop, follow);
            return 0;
        } catch (RuntimeException e) {
            err.println("tail-events: " + e.getMessage());
            return 1;
        }
    }

    /** Waits (when following) until {@code <dataDir>/events} holds a queue; false if it does not (yet). */
    private static boolean awaitQueue(Path dataDir, BooleanSupplier stop, boolean follow) {
        Path dir = dataDir.resolve(EventJournal.DIRECTORY);
        while (!Queues.holdsQueue(dir)) {
            if (!follow || stop.getAsBoolean()) {
                return false;
            }
            LockSupport.parkNanos(MAX_IDLE_NANOS);
        }
        return true;
    }

    private static void follow(EventTailer tailer, PrintStream out, BooleanSupplier stop, boolean follow) {
        EngineEvent event = new EngineEvent();
        StringBuilder line = new StringBuilder(512);
        long idleNanos = 0;
        while (!stop.getAsBoolean()) {
            if (tailer.next(event)) {
                line.setLength(0);
                JsonLines.appendEvent(line, event);
                out.println(line);
                idleNanos = 0;
                continue;
            }
            out.flush();
            if (!follow) {
                return;
            }
            // back off from 1 ms to MAX_IDLE_NANOS while idle: no busy spin on a 2-core box
            idleNanos = Math.min(MAX_IDLE_NANOS, Math.max(1_000_000L, idleNanos * 2));
            LockSupport.parkNanos(idleNanos);
        }
        out.flush();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static String usage() {
        return "usage: tail-events [--data-dir DIR] [--from-start | --from-seq N] [--no-follow]";
    }
}
