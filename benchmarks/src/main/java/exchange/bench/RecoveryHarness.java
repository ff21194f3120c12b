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
 * end, then times (1) a full replay of the journal into a fresh engine, without snapshots, and
 * (2) a restart as the server does it: newest snapshot + the journal after it.
 *
 * <p>usage: {@code RecoveryHarness [commands=10000000] [tail=100000] [seed=42] [dir]} (a temp
 * directory, deleted afterwards, unless {@code dir} is given). A {@code dir} that already holds a
 * journal is measured as it is, without writing (so a profiler can be pointed at the reading
 * alone); the full replay's hash is then the expected one. Needs a large heap (-Xmx16g for 10M).
 */
public final class RecoveryHarness {
    private RecoveryHarness() {
    }

    public static void main(String[] args) throws Exception {
        long commands = args.length > 0 ? Long.parseLong(args[0]) : 10_000_000L;
        long tail = args.length > 1 ? Long.parseLong(args[1]) : 100_000L;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        Path dir = args.length > 3 ? Path.of(args[3]) : TempDirs.create("recovery-harness");
        boolean temporary = args.length <= 3;
        try {
            run(commands, tail, seed, dir);
        } finally {
            if (temporary) {
                TempDirs.delete(dir);
            }
        }
        System.exit(0);
    }

    private static void run(long commands, long tail, long seed, Path dir) throws Exception {
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

        // (1) full replay, no snapshot
        Exchange fresh = new Exchange(config);
        final Exchange replayTarget = fresh;
        long[] applied = {0};
        long replayStart = System.nanoTime();
        try (JournalReader reader = JournalReader.openReadOnly(dir)) {
            reader.read(0, JournalReader.CommandVisitor.prefetching(replayTarget, cmd -> {
                cmd.orderViewUnused = true; // as Recovery replays
                replayTarget.apply(cmd, EventSink.NONE);
                applied[0]++;
                return true;
            }));
        }
        long replayNanos = System.nanoTime() - replayStart;
        if (reuse) {
            expectedHash = fresh.stateHash();
        }
        check(fresh.stateHash() == expectedHash, "full replay reached a different state");
        System.out.printf(Locale.ROOT, "full replay: %,d commands in %.2f s = %,.0f commands/s%n", applied[0],
                replayNanos / 1e9, applied[0] / (replayNanos / 1e9));
        System.gc();

        fresh = null;
        System.gc();
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
