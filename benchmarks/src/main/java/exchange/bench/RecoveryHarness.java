package exchange.bench;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.journal.BufferSnapshotOutput;
import exchange.journal.ChronicleJournal;
import exchange.journal.JournalOptions;
import exchange.journal.JournalReader;
import exchange.journal.Recovery;
import exchange.journal.SnapshotStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Measures recovery on a realistic journal (issue: replay speed and restart time): writes
 * {@code commands} seeded order-flow commands through the real {@link ChronicleJournal}
 * ({@code process} mode) while applying them, takes a snapshot {@code tail} commands before the
 * end, then times (1) full replays of the journal into a fresh engine, without snapshots, and
 * (2) a restart as the server does it: newest snapshot + the journal after it.
 *
 * <p>The full replays come in {@code rounds}, each one replay by the single-threaded reader (the
 * baseline) and one by the reader with a decoder thread, which recovery and the replay tool use, in
 * alternating order; each round prints their ratio. The first replay of all is a cold start, as a
 * replay tool or a restarting server sees it; later rounds show the speed once the code is
 * compiled and the heap touched. Each replay also prints the time of its first
 * {@value #WARM_UP_COMMANDS} commands apart from the rate of the rest: in a cold JVM the first
 * million carry the JIT's warm-up (C2 compiling the engine on the other core, classes loading),
 * after which a cold replay runs as fast as a warm one.
 *
 * <p>usage: {@code RecoveryHarness [commands=10000000] [tail=100000] [seed=42] [dir|-] [rounds=1]
 * [first=single|decoder]} (a temp directory, deleted afterwards, unless {@code dir} is given;
 * {@code first} is the reader of the first, cold replay). A {@code dir} that already holds a
 * journal is measured as it is, without writing (so a profiler can be pointed at the reading
 * alone); the full replay's hash is then the expected one. Needs a large heap (-Xmx16g for 10M).
 */
public final class RecoveryHarness {
    /** The head of each replay timed apart from the rest. */
    private static final long WARM_UP_COMMANDS = 1_000_000;

    private RecoveryHarness() {
    }

    public static void main(String[] args) throws Exception {
        long commands = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long tail = args.length > 1 ? Long.parseLong(args[1]) : 100_000L;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        Path dir = args.length > 3 && !args[3].equals("-") ? Path.of(args[3]) : TempDirs.create("recovery-harness");
        boolean temporary = args.length <= 3 || args[3].equals("-");
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 1;
        boolean decoderFirst = args.length > 5 && parseFirst(args[5]);
        try {
            run(commands, tail, seed, dir, rounds, decoderFirst);
        } finally {
            if (temporary) {
                TempDirs.delete(dir);
            }
        }
        System.exit(0);
    }

    private static boolean parseFirst(String reader) {
        return switch (reader) {
            case "single" -> false;
            case "decoder" -> true;
            default -> throw new IllegalArgumentException("first reader must be single or decoder, not " + reader);
        };
    }

    private static void run(long commands, long tail, long seed, Path dir, int rounds, boolean decoderFirstInRoundOne)
            throws Exception {
        ExchangeConfig config = OrderFlowGenerator.config();
        boolean reuse = Files.isDirectory(dir.resolve("journal"));
        long expectedHash = reuse ? 0 : write(config, commands, tail, seed, dir);
        List<SnapshotStore.SnapshotFile> snapshots = new SnapshotStore(dir).list();
        Path snapshotFile = snapshots.isEmpty() ? null : snapshots.get(0).path();
        System.gc();

        // (0) the journal alone: read, CRC-check and decode every record, apply nothing
        long scanStart = System.nanoTime();
        long[] scanned = {0};
        try (JournalReader reader = JournalReader.openReadOnly(dir)) {
            reader.read(0, cmd -> {
                scanned[0] += cmd.seq;
                return true;
            });
        }
        long scanNanos = System.nanoTime() - scanStart;
        System.out.printf(Locale.ROOT, "journal read + decode alone: %.2f s = %,.0f commands/s%n", scanNanos / 1e9,
                commands / (scanNanos / 1e9));
        check(scanned[0] != 0, "scan");

        // (1) full replays, no snapshot: rounds of the single-threaded reader (the baseline) and of the
        // reader with a decoder thread (what recovery and the replay tool use), alternated in one JVM;
        // the first round is a cold start (code not yet compiled, heap not yet touched)
        for (int round = 1; round <= rounds; round++) {
            // the order alternates, so that neither reader always runs on the warmer JVM
            boolean decoderFirst = decoderFirstInRoundOne == (round % 2 == 1);
            Replayed first = fullReplay(config, dir, decoderFirst, round);
            if (expectedHash == 0) {
                expectedHash = first.stateHash;
            }
            Replayed second = fullReplay(config, dir, !decoderFirst, round);
            check(first.stateHash == expectedHash && second.stateHash == expectedHash, "full replay reached a different state");
            double ratio = decoderFirst ? first.commandsPerSecond / second.commandsPerSecond
                    : second.commandsPerSecond / first.commandsPerSecond;
            System.out.printf(Locale.ROOT, "  round %d: decoder thread / single thread = %.2f%n", round, ratio);
        }
        // where a restart spends its time, phase by phase
        long t0 = System.nanoTime();
        SnapshotStore.LoadedSnapshot loaded = new SnapshotStore(dir).loadNewestValid().orElseThrow();
        long t1 = System.nanoTime();
        Exchange fromSnapshot = Exchange.readSnapshot(config, loaded.payload());
        long t2 = System.nanoTime();
        long hash = fromSnapshot.stateHash();
        long t3 = System.nanoTime();
        System.out.printf(Locale.ROOT, "restart phases: read + CRC-check snapshot %.2f s, decode %.2f s, state hash %.2f s%n",
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, (t3 - t2) / 1e9);
        check(hash != 0, "hash");
        loaded = null;
        fromSnapshot = null;
        System.gc();

        // (2) restart: newest snapshot + journal tail, as the server recovers
        long restartStart = System.nanoTime();
        Recovery.Result r = Recovery.recoverReadOnly(dir, config, EventSink.NONE, Long.MAX_VALUE);
        long restartNanos = System.nanoTime() - restartStart;
        check(r.stateHash() == expectedHash, "snapshot recovery reached a different state");
        check(snapshotFile != null && snapshotFile.equals(r.snapshotFile()), "recovery did not use the snapshot");
        System.out.printf(Locale.ROOT, "restart from snapshot (seq %,d) + %,d journaled commands: %.2f s%n",
                r.snapshotSeq(), r.commandsReplayed(), restartNanos / 1e9);
    }

    private record Replayed(double commandsPerSecond, long stateHash) {
    }

    /** Replays the whole journal into a fresh engine, with or without the decoder thread. */
    private static Replayed fullReplay(ExchangeConfig config, Path dir, boolean decodingAhead, int round) {
        Exchange target = new Exchange(config);
        long[] applied = {0};
        long[] warmedUpAt = {0};
        JournalReader.CommandVisitor visitor = JournalReader.CommandVisitor.prefetching(target, cmd -> {
            cmd.orderViewUnused = true; // as Recovery replays
            target.apply(cmd, EventSink.NONE);
            if (++applied[0] == WARM_UP_COMMANDS) {
                warmedUpAt[0] = System.nanoTime();
            }
            return true;
        });
        long start = System.nanoTime();
        try (JournalReader reader = JournalReader.openReadOnly(dir)) {
            if (decodingAhead) {
                reader.readDecodingAhead(0, Long.MAX_VALUE, visitor);
            } else {
                reader.read(0, visitor);
            }
        }
        long end = System.nanoTime();
        long nanos = end - start;
        double rate = applied[0] / (nanos / 1e9);
        System.out.printf(Locale.ROOT, "full replay, round %d, %s: %,d commands in %.2f s = %,.0f commands/s%n", round,
                decodingAhead ? "decoder thread" : "single thread ", applied[0], nanos / 1e9, rate);
        if (applied[0] > WARM_UP_COMMANDS) {
            double rest = (end - warmedUpAt[0]) / 1e9;
            System.out.printf(Locale.ROOT, "  first %,d commands in %.2f s; the other %,d at %,.0f commands/s%n",
                    WARM_UP_COMMANDS, (warmedUpAt[0] - start) / 1e9, applied[0] - WARM_UP_COMMANDS,
                    (applied[0] - WARM_UP_COMMANDS) / rest);
        }
        Replayed r = new Replayed(rate, target.stateHash());
        System.gc();
        return r;
    }

    /** Writes the journal and the snapshot {@code tail} commands before its end; returns the final state hash. */
    private static long write(ExchangeConfig config, long commands, long tail, long seed, Path dir) throws Exception {
        OrderFlowGenerator flow = new OrderFlowGenerator(seed);
        Files.createDirectories(dir);
        long writeStart = System.nanoTime();
        long snapshotSeq = Math.max(1, commands - tail);
        long snapshotBytes = 0;
        Exchange writer = new Exchange(config);
        Command c = new Command();
        try (ChronicleJournal journal = ChronicleJournal.open(dir, JournalOptions.defaults())) {
            for (long i = 1; i <= commands; i++) {
                flow.next(c);
                writer.apply(c, EventSink.NONE);
                journal.append(c, c.seq);
                if ((i & 4095) == 0) {
                    journal.endOfBatch();
                }
                if (i == snapshotSeq) {
                    journal.force();
                    BufferSnapshotOutput out = new BufferSnapshotOutput();
                    writer.writeSnapshot(out);
                    snapshotBytes = out.length();
                    new SnapshotStore(dir).write(writer.lastSeq(), out);
                }
            }
            journal.endOfBatch();
        }
        System.out.printf(Locale.ROOT, "wrote %,d commands (%,d open orders at the end) in %.1f s; journal %,d bytes; "
                        + "snapshot at seq %,d: %,d bytes%n", commands, writer.openOrderCount(),
                (System.nanoTime() - writeStart) / 1e9, sizeOf(dir.resolve("journal")), snapshotSeq, snapshotBytes);
        return writer.stateHash();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static long sizeOf(Path dir) throws Exception {
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
