package exchange.bench;

import exchange.engine.Command;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.ExchangePipeline;
import exchange.engine.pipeline.ExchangeProcessor;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.PipelineConfig;
import exchange.engine.pipeline.WaitStrategyKind;
import exchange.journal.ChronicleJournal;
import exchange.journal.DurabilityMode;
import exchange.journal.JournalOptions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole in-process pipeline end to end: one producer thread publishes the generator's
 * realistic flow into an {@link ExchangePipeline} (ring, journal stage, engine stage running
 * {@link ExchangeProcessor}, results stage completing each command's future) as fast as the ring
 * accepts, parking while it is full. An invocation ends when the last command's future
 * completes, so the score is commands fully processed per second. Each invocation gets a fresh,
 * funded pipeline (and, with a journal, a fresh journal in a temporary directory) from the
 * untimed set-up. {@code journal=none} against {@code journal=process} is the journal's cost.
 * {@code -prof gc}'s bytes per op include building that fresh pipeline (its ring preallocates an
 * event buffer per slot); {@link LatencyHarness} reports the steady-state allocation per command.
 */
@State(Scope.Thread)
public class PipelineBench extends BenchmarkDefaults {
    static final int FLOW = 500_000;
    static final long SEED = 42;

    /** The pipeline's default ({@code PipelineConfig.DEFAULT_WAIT_STRATEGY}); pass {@code -p waitStrategy=...} to compare. */
    @Param({"BLOCKING_PARKING"})
    public WaitStrategyKind waitStrategy;

    /** {@code none} ({@link JournalPort#NONE}) or a {@link ChronicleJournal} in durability mode {@code process} or {@code sync}. */
    @Param({"none", "process"})
    public String journal;

    private Command[] setup;
    private Command[] flow;
    private ExchangePipeline pipeline;
    private Path journalDir;
    private ChronicleJournal chronicleJournal;

    @Setup(Level.Trial)
    public void generate() {
        OrderFlowGenerator generator = new OrderFlowGenerator(SEED);
        setup = generator.next(generator.setupCommandCount());
        flow = generator.next(FLOW);
    }

    @Setup(Level.Invocation)
    public void startPipeline() {
        System.gc(); // collect the previous invocation's exchange and ring here, not inside a timed one
        JournalPort port = JournalPort.NONE;
        if (!"none".equals(journal)) {
            journalDir = TempDirs.create("bench-pipeline");
            chronicleJournal = ChronicleJournal.open(journalDir,
                    JournalOptions.defaults().withDurability(DurabilityMode.parse(journal)));
            port = chronicleJournal;
        }
        pipeline = start(waitStrategy, port, setup, null);
        System.gc(); // move the new ring's preallocated slots out of the young generation before timing
    }

    @TearDown(Level.Invocation)
    public void stopPipeline() {
        pipeline.close(10, TimeUnit.SECONDS);
        pipeline = null;
        if (chronicleJournal != null) {
            chronicleJournal.close();
            chronicleJournal = null;
            TempDirs.delete(journalDir);
        }
    }

    @Benchmark
    @OperationsPerInvocation(FLOW)
    public CommandResult publishFlow() {
        return publishAll(pipeline, flow);
    }

    /**
     * A started pipeline over a fresh exchange, with {@code setup} applied through the ring.
     *
     * @param configure last changes to the configuration (listener, threads), or null
     */
    static ExchangePipeline start(WaitStrategyKind waitStrategy, JournalPort journal, Command[] setup,
                                  Consumer<PipelineConfig> configure) {
        return start(waitStrategy, journal, setup, configure, 0);
    }

    /** As above, with the engine's order store allocated for {@code reserveOrders} orders first. */
    static ExchangePipeline start(WaitStrategyKind waitStrategy, JournalPort journal, Command[] setup,
                                  Consumer<PipelineConfig> configure, int reserveOrders) {
        Exchange exchange = new Exchange(OrderFlowGenerator.config());
        exchange.reserveOrders(reserveOrders);
        PipelineConfig config = new PipelineConfig()
                .waitStrategy(waitStrategy)
                .journal(journal)
                .processor(new ExchangeProcessor(exchange, null));
        if (configure != null) {
            configure.accept(config);
        }
        ExchangePipeline p = new ExchangePipeline(config).start();
        publishAll(p, setup);
        if (exchange.lastSeq() != setup.length) {
            throw new IllegalStateException("set-up did not apply: seq " + exchange.lastSeq());
        }
        return p;
    }

    /**
     * Publishes every command and waits for the last one's result. Every command but the last is
     * answered to one counting handler (no object per command, as a batching client would); the
     * last one's future is what the caller waits on (results are delivered in ring order).
     */
    static CommandResult publishAll(ExchangePipeline p, Command[] commands) {
        BenchSupport.AnswerCounter counter = new BenchSupport.AnswerCounter();
        for (int i = 0; i < commands.length - 1; i++) {
            BenchSupport.publish(p, commands[i], counter);
        }
        CommandResult r = BenchSupport.publish(p, commands[commands.length - 1]).join();
        if (r.result() == null || r.result() == ResultCode.INVALID_COMMAND) {
            throw new IllegalStateException("last command was not applied: " + r);
        }
        if (counter.answered() != commands.length - 1 || counter.notApplied() != 0) {
            throw new IllegalStateException(counter.answered() + " of " + (commands.length - 1) + " answered, "
                    + counter.notApplied() + " not applied");
        }
        return r;
    }
}
