package exchange.bench;

import exchange.engine.Command;
import exchange.engine.Exchange;
import exchange.journal.ChronicleJournal;
import exchange.journal.CommandCodec;
import exchange.journal.DurabilityMode;
import exchange.journal.JournalOptions;
import exchange.journal.JournalReader;
import exchange.journal.RecoveryScan;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;

/**
 * The command journal on its own, on the generator's realistic commands (its set-up phase of
 * accounts, deposits and session open, then places and cancels):
 * <ul>
 *   <li>{@code append}: {@link ChronicleJournal#append} in {@link DurabilityMode#PROCESS} (in the
 *       memory-mapped file on return) into a fresh temporary directory per iteration, one command
 *       a batch: each is its own record, as for a lone client.</li>
 *   <li>{@code appendBatched}: the same commands appended {@link #BATCH} to a pipeline batch
 *       ({@code beginBatch}, appends, {@code endOfBatch}), so they share batch records as under
 *       load. Op unit: one command.</li>
 *   <li>{@code codecRoundTrip}: {@link CommandCodec} encode then decode (CRC32C both ways) of one
 *       command into a reused one.</li>
 *   <li>{@code scanJournal} / {@code replayJournal}: reading a journal of {@link #REPLAY_COMMANDS}
 *       commands and validating every record, alone, and applying each to a fresh
 *       {@link Exchange} as recovery without a snapshot does. Op unit: one command.
 *       {@code replayJournalDecodingAhead} replays with the decoder thread, as recovery does;
 *       {@code replayJournal}, on one thread, is its baseline.</li>
 * </ul>
 * Each benchmark takes only the state it needs, so per-invocation set-up never touches the
 * single-command benchmarks.
 */
public class JournalBench extends BenchmarkDefaults {
    static final int REPLAY_COMMANDS = 500_000;
    static final long SEED = 42;
    /** Commands a batch in {@code appendBatched}: about what a loaded pipeline's batches hold. */
    static final int BATCH = 16;
    private static final int CYCLE = 1 << 16;

    /** The first {@code n} commands of the seeded stream. */
    static Command[] stream(int n) {
        return new OrderFlowGenerator(SEED).next(n);
    }

    /** A PROCESS-mode journal in a temporary directory, new for each iteration. */
    @State(Scope.Thread)
    public static class AppendState {
        Command[] commands;
        Path dir;
        ChronicleJournal journal;
        long seq;

        @Setup(Level.Trial)
        public void generate() {
            commands = stream(CYCLE);
        }

        @Setup(Level.Iteration)
        public void open() {
            dir = TempDirs.create("bench-append");
            journal = ChronicleJournal.open(dir, JournalOptions.defaults().withDurability(DurabilityMode.PROCESS));
            seq = 0;
        }

        @TearDown(Level.Iteration)
        public void close() {
            journal.close();
            TempDirs.delete(dir);
        }
    }

    @State(Scope.Thread)
    public static class CodecState {
        final CommandCodec codec = new CommandCodec();
        final Command decoded = new Command();
        Command[] commands;
        int next;

        @Setup(Level.Trial)
        public void generate() {
            commands = stream(CYCLE);
        }
    }

    /** A journal of {@link #REPLAY_COMMANDS} commands written once; a fresh exchange per invocation. */
    @State(Scope.Thread)
    public static class ReplayState {
        final OrderBookBench.CountingSink sink = new OrderBookBench.CountingSink();
        Path dir;
        Exchange exchange;

        @Setup(Level.Trial)
        public void write() {
            Command[] commands = stream(REPLAY_COMMANDS);
            dir = TempDirs.create("bench-replay");
            try (ChronicleJournal j = ChronicleJournal.open(dir, JournalOptions.defaults())) {
                for (int i = 0; i < commands.length; i++) {
                    j.append(commands[i], i + 1);
                }
            }
        }

        @Setup(Level.Invocation)
        public void freshExchange() {
            exchange = null;
            System.gc(); // collect the previous replay's exchange here rather than inside a timed invocation
            exchange = new Exchange(OrderFlowGenerator.config());
        }

        @TearDown(Level.Trial)
        public void remove() {
            TempDirs.delete(dir);
        }
    }

    @Benchmark
    public long append(AppendState s) {
        long seq = ++s.seq;
        s.journal.append(s.commands[(int) seq & (CYCLE - 1)], seq);
        return seq;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long appendBatched(AppendState s) {
        ChronicleJournal journal = s.journal;
        journal.beginBatch();
        long seq = s.seq;
        for (int i = 0; i < BATCH; i++) {
            seq++;
            journal.append(s.commands[(int) seq & (CYCLE - 1)], seq);
        }
        journal.endOfBatch();
        s.seq = seq;
        return seq;
    }

    @Benchmark
    public boolean codecRoundTrip(CodecState s) {
        int i = ++s.next;
        int len = s.codec.encode(s.commands[i & (CYCLE - 1)], i);
        return s.codec.decode(s.codec.buffer(), 0, len, s.decoded);
    }

    @Benchmark
    @OperationsPerInvocation(REPLAY_COMMANDS)
    public RecoveryScan scanJournal(ReplayState s) {
        try (JournalReader reader = JournalReader.open(s.dir)) {
            return complete(reader.scan());
        }
    }

    @Benchmark
    @OperationsPerInvocation(REPLAY_COMMANDS)
    public RecoveryScan replayJournal(ReplayState s) {
        return replay(s, false);
    }

    @Benchmark
    @OperationsPerInvocation(REPLAY_COMMANDS)
    public RecoveryScan replayJournalDecodingAhead(ReplayState s) {
        return replay(s, true);
    }

    /** Replays as Recovery does: batches prefetched, order views not filled, events produced. */
    private static RecoveryScan replay(ReplayState s, boolean decodingAhead) {
        Exchange x = s.exchange;
        OrderBookBench.CountingSink sink = s.sink;
        JournalReader.CommandVisitor visitor = JournalReader.CommandVisitor.prefetching(x, c -> {
            c.orderViewUnused = true;
            x.apply(c, sink);
            return true;
        });
        try (JournalReader reader = JournalReader.open(s.dir)) {
            RecoveryScan scan = complete(decodingAhead ? reader.readDecodingAhead(0, Long.MAX_VALUE, visitor)
                    : reader.read(0, visitor));
            if (x.lastSeq() != REPLAY_COMMANDS) {
                throw new IllegalStateException("replay stopped at seq " + x.lastSeq());
            }
            return scan;
        }
    }

    private static RecoveryScan complete(RecoveryScan scan) {
        if (!scan.complete() || scan.lastValidSeq() != REPLAY_COMMANDS) {
            throw new IllegalStateException("journal did not read back whole: " + scan);
        }
        return scan;
    }
}
