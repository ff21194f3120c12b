package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ResultCode;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.journal.BufferSnapshotOutput;
import exchange.journal.ChronicleJournal;
import exchange.journal.JournalOptions;
import exchange.journal.Recovery;
import exchange.journal.SnapshotStore;
import exchange.risk.Money;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * What the engine's live state costs (DESIGN section 9): heap per order, snapshot size and
 * restart time. One mode per figure:
 * <ul>
 *   <li>{@code heap [orders=1000000]}: heap used after full collections with the funded exchange
 *       alone, then with {@code orders} resting orders, then with the same orders cancelled (ended,
 *       held in the idempotency window), then after enough session closes for them to leave. Run
 *       it with {@code -Xmx512m} to show that a million resting orders fit.</li>
 *   <li>{@code resting DIR [orders=1000000]}: writes the funded set-up and {@code orders} resting
 *       orders through the real {@link ChronicleJournal} into {@code DIR}, then a snapshot through
 *       {@link SnapshotStore} at the last sequence (an empty journal tail).</li>
 *   <li>{@code sessions DIR [sessions=20] [commands=150000] [seed=42]}: the realistic flow
 *       ({@link OrderFlowGenerator}) through {@code sessions} sessions of {@code commands} flow
 *       commands each, journaled, with a session close (DAY orders expire, the window moves on), a
 *       snapshot and the next session's open after each.</li>
 *   <li>{@code restart DIR [toSeq=last]}: times a restart in this (fresh) JVM, as the server
 *       does it: {@link Recovery} from the newest snapshot at or before {@code toSeq} plus the
 *       journal after it; then, apart, the snapshot's own part (read + CRC-check, decode).</li>
 * </ul>
 * Resting orders: the generator's 1,000 funded accounts, six symbols, DAY limit orders 1 to 500
 * ticks away from the reference price (buys below, sells above, so none crosses), quantity 100,
 * client order ids {@code "r<n>"} (2 to 7 characters).
 */
public final class LiveStateHarness {
    private static final int PRICE_LEVELS = 500;
    private static final long DAY_NANOS = 86_400L * 1_000_000_000L;
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private LiveStateHarness() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "";
        switch (mode) {
            case "heap" -> heap(longArg(args, 1, 1_000_000));
            case "resting" -> resting(Path.of(args[1]), longArg(args, 2, 1_000_000));
            case "sessions" -> sessions(Path.of(args[1]), (int) longArg(args, 2, 20), longArg(args, 3, 150_000),
                    longArg(args, 4, 42));
            case "restart" -> restart(Path.of(args[1]), longArg(args, 2, Long.MAX_VALUE));
            default -> {
                System.err.println("usage: LiveStateHarness heap [orders] | resting DIR [orders]"
                        + " | sessions DIR [sessions] [commands] [seed] | restart DIR [toSeq]");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static long longArg(String[] args, int i, long otherwise) {
        return args.length > i ? Long.parseLong(args[i]) : otherwise;
    }

    // ---- heap ------------------------------------------------------------------------------------

    private static void heap(long orders) {
        OrderFlowGenerator generator = new OrderFlowGenerator(42);
        Exchange x = BenchSupport.preparedExchange(generator.next(generator.setupCommandCount()));
        Command c = new Command();
        long base = usedAfterFullGc();
        System.out.printf(Locale.ROOT, "max heap %,d MB; funded exchange, no orders: %,d bytes used%n",
                Runtime.getRuntime().maxMemory() >> 20, base);

        long t0 = System.nanoTime();
        long now = OrderFlowGenerator.START_NANOS;
        for (long i = 0; i < orders; i++) {
            now += 1_000;
            restingOrder(c, i, now, generator.accounts());
            BenchSupport.applyExpectingOk(x, c);
        }
        long placedNanos = System.nanoTime() - t0;
        check(x.openOrderCount() == orders, "not every order rests");
        long open = usedAfterFullGc();
        System.out.printf(Locale.ROOT, "%,d resting orders (placed in %.2f s): %,d bytes used, %,d MB; "
                        + "%.1f bytes per open order%n", x.openOrderCount(), placedNanos / 1e9, open, open >> 20,
                (double) (open - base) / orders);

        for (long i = 0; i < orders; i++) {
            now += 1_000;
            c.clear();
            c.type = CommandType.CANCEL_ORDER;
            c.timestampNanos = now;
            c.accountId = accountOf(i, generator.accounts());
            c.orderId = i + 1;
            BenchSupport.applyExpectingOk(x, c);
        }
        check(x.openOrderCount() == 0 && x.heldOrderCount() == orders, "cancelled orders are not held");
        long ended = usedAfterFullGc();
        System.out.printf(Locale.ROOT, "the same orders cancelled, held in the window (%,d held): %,d bytes used; "
                + "%.1f bytes per ended order%n", x.heldOrderCount(), ended, (double) (ended - base) / orders);

        int closes = x.config().idempotencySessions() + 1;
        for (int s = 1; s <= closes; s++) {
            now += 1_000;
            sessionClose(c, now);
            BenchSupport.applyExpectingOk(x, c);
            now += 1_000;
            sessionOpen(c, now, s);
            BenchSupport.applyExpectingOk(x, c);
        }
        long evicted = usedAfterFullGc();
        System.out.printf(Locale.ROOT, "after %d session closes (%,d held): %,d bytes used; %.1f bytes per order "
                + "that has left%n", closes, x.heldOrderCount(), evicted, (double) (evicted - base) / orders);
    }

    /** Heap in use after collections until it stops shrinking (G1 full GCs; at most ten). */
    private static long usedAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }

    /** Resting order {@code i} (engine order id {@code i + 1} on a fresh funded exchange): never crosses. */
    private static void restingOrder(Command c, long i, long nowNanos, int accounts) {
        int s = (int) (i % OrderFlowGenerator.SYMBOLS.length);
        long reference = OrderFlowGenerator.REFERENCE_PRICES[s];
        long tick = reference >= Money.SCALE ? Money.CENT : 1;
        long away = tick * (1 + (i / OrderFlowGenerator.SYMBOLS.length) % PRICE_LEVELS);
        boolean buy = (i / 7) % 2 == 0;
        c.clear();
        c.type = CommandType.PLACE_ORDER;
        c.timestampNanos = nowNanos;
        c.accountId = accountOf(i, accounts);
        c.clientOrderId = "r" + i;
        c.symbol = OrderFlowGenerator.SYMBOLS[s];
        c.side = buy ? Side.BUY : Side.SELL;
        c.qty = 100;
        c.priceTicks = buy ? reference - away : reference + away;
        c.timeInForce = TimeInForce.DAY;
    }

    private static long accountOf(long i, int accounts) {
        return 1 + i % accounts;
    }

    private static void sessionClose(Command c, long nowNanos) {
        c.clear();
        c.type = CommandType.SESSION_CLOSE;
        c.timestampNanos = nowNanos;
    }

    /** Opens the session {@code n} days after the generator's first one. */
    private static void sessionOpen(Command c, long nowNanos, int n) {
        c.clear();
        c.type = CommandType.SESSION_OPEN;
        c.timestampNanos = nowNanos;
        c.sessionDate = OrderFlowGenerator.SESSION_DATE + n;
        c.sessionClosesAtNanos = OrderFlowGenerator.CLOSES_AT_NANOS + n * DAY_NANOS;
    }

    // ---- snapshots: writing through the journal --------------------------------------------------

    /** An exchange whose every applied command is journaled, as the pipeline's journal stage does. */
    private static final class Journaled implements AutoCloseable {
        final Exchange exchange = new Exchange(OrderFlowGenerator.config());
        final ChronicleJournal journal;
        final SnapshotStore snapshots;
        long applied;

        Journaled(Path dir, int snapshotsKept) throws Exception {
            check(!Files.exists(dir.resolve("journal")), dir + " already holds a journal");
            Files.createDirectories(dir);
            journal = ChronicleJournal.open(dir, JournalOptions.defaults());
            snapshots = new SnapshotStore(dir, snapshotsKept);
        }

        ResultCode apply(Command c) {
            c.seq = 0;
            exchange.apply(c, EventSink.NONE);
            journal.append(c, c.seq);
            if ((++applied & 4095) == 0) {
                journal.endOfBatch();
            }
            return c.result;
        }

        void applyExpectingOk(Command c) {
            check(apply(c) == ResultCode.OK, "command failed: " + c);
        }

        /** Snapshot at the last applied sequence; returns its file's size. */
        long snapshot() throws Exception {
            journal.endOfBatch();
            journal.force();
            BufferSnapshotOutput out = new BufferSnapshotOutput();
            exchange.writeSnapshot(out);
            return Files.size(snapshots.write(exchange.lastSeq(), out));
        }

        @Override
        public void close() {
            journal.endOfBatch();
            journal.close();
        }
    }

    private static void resting(Path dir, long orders) throws Exception {
        OrderFlowGenerator generator = new OrderFlowGenerator(42);
        Command c = new Command();
        long t0 = System.nanoTime();
        try (Journaled j = new Journaled(dir, SnapshotStore.DEFAULT_RETAIN)) {
            for (int i = 0; i < generator.setupCommandCount(); i++) {
                generator.next(c);
                j.applyExpectingOk(c);
            }
            long now = OrderFlowGenerator.START_NANOS;
            for (long i = 0; i < orders; i++) {
                now += 1_000;
                restingOrder(c, i, now, generator.accounts());
                j.applyExpectingOk(c);
            }
            long bytes = j.snapshot();
            System.out.printf(Locale.ROOT, "%,d commands journaled in %.1f s; %,d open orders; snapshot at seq %,d: "
                            + "%,d bytes (%.1f bytes per open order); state hash %x%n", j.exchange.lastSeq(),
                    (System.nanoTime() - t0) / 1e9, j.exchange.openOrderCount(), j.exchange.lastSeq(), bytes,
                    (double) bytes / orders, j.exchange.stateHash());
        }
    }

    private static void sessions(Path dir, int sessions, long commandsPerSession, long seed) throws Exception {
        OrderFlowGenerator generator = new OrderFlowGenerator(seed);
        Command c = new Command();
        long t0 = System.nanoTime();
        try (Journaled j = new Journaled(dir, sessions + 1)) {
            for (int i = 0; i < generator.setupCommandCount(); i++) {
                generator.next(c);
                j.applyExpectingOk(c);
            }
            System.out.println("session  last seq     open orders  held orders  snapshot bytes  state hash");
            for (int s = 1; s <= sessions; s++) {
                for (long i = 0; i < commandsPerSession; i++) {
                    generator.next(c);
                    j.apply(c);
                }
                long now = c.timestampNanos;
                sessionClose(c, now + 1);
                j.applyExpectingOk(c);
                long bytes = j.snapshot();
                System.out.printf(Locale.ROOT, "%7d  %,11d  %,11d  %,11d  %,14d  %x%n", s, j.exchange.lastSeq(),
                        j.exchange.openOrderCount(), j.exchange.heldOrderCount(), bytes, j.exchange.stateHash());
                sessionOpen(c, now + 2, s);
                j.applyExpectingOk(c);
            }
            System.out.printf(Locale.ROOT, "%,d commands journaled in %.1f s%n", j.exchange.lastSeq(),
                    (System.nanoTime() - t0) / 1e9);
        }
    }

    // ---- restart ---------------------------------------------------------------------------------

    private static void restart(Path dir, long toSeq) throws Exception {
        ExchangeConfig config = OrderFlowGenerator.config();
        long jvmAgeMillis = ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        Recovery.Result r = Recovery.recoverReadOnly(dir, config, EventSink.NONE, toSeq);
        long recoveryNanos = System.nanoTime() - t0;
        check(r.snapshotFile() != null, "recovery used no snapshot");
        System.out.printf(Locale.ROOT, "restart (JVM %d ms old): %.3f s: snapshot %s (%,d bytes, seq %,d) + %,d "
                        + "journaled commands; %,d open orders, %,d held; state hash %x%n", jvmAgeMillis,
                recoveryNanos / 1e9, r.snapshotFile().getFileName(), Files.size(r.snapshotFile()), r.snapshotSeq(),
                r.commandsReplayed(), r.exchange().openOrderCount(), r.exchange().heldOrderCount(), r.stateHash());

        // the snapshot's own share, again (now warm): recovery also reads the whole journal linearly
        SnapshotStore store = new SnapshotStore(dir);
        SnapshotStore.SnapshotFile file = store.list().stream().filter(f -> f.path().equals(r.snapshotFile()))
                .findFirst().orElseThrow();
        long t1 = System.nanoTime();
        SnapshotStore.LoadedSnapshot loaded = store.load(file);
        long t2 = System.nanoTime();
        Exchange x = Exchange.readSnapshot(config, loaded.payload());
        long t3 = System.nanoTime();
        x.validateInternalState(); // decoding ends with the same check, and recovery runs it once more
        long t4 = System.nanoTime();
        check(x.stateHash() == r.stateHash(), "the snapshot alone reached a different state");
        long t5 = System.nanoTime();
        System.out.printf(Locale.ROOT, "  snapshot alone, second time: read + CRC-check %.3f s, decode (with one "
                + "validateInternalState) %.3f s; validateInternalState alone %.3f s, stateHash %.3f s%n",
                (t2 - t1) / 1e9, (t3 - t2) / 1e9, (t4 - t3) / 1e9, (t5 - t4) / 1e9);
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }
}
