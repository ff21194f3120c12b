package exchange.bench;

import exchange.engine.Command;
import exchange.engine.Exchange;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link Exchange#apply} on the generator's realistic order flow (1,000 accounts, six symbols,
 * passive / crossing / IOC / FOK / cancel / invalid mix; see {@link OrderFlowGenerator}). The
 * flow is generated once per trial; each invocation replays all {@link #FLOW} commands on a
 * fresh exchange that the untimed per-invocation set-up builds and funds, so every replay sees
 * the same states and the set-up is never counted. The op unit is one applied command.
 */
@State(Scope.Thread)
public class RealisticFlowBench extends BenchmarkDefaults {
    /** Flow commands per invocation (a fraction of a second of work). */
    static final int FLOW = 500_000;
    static final long SEED = 42;

    private final OrderBookBench.CountingSink sink = new OrderBookBench.CountingSink();
    private Command[] setup;
    private Command[] flow;
    private Exchange exchange;

    @Setup(Level.Trial)
    public void generate() {
        OrderFlowGenerator generator = new OrderFlowGenerator(SEED);
        setup = generator.next(generator.setupCommandCount());
        flow = generator.next(FLOW);
    }

    @Setup(Level.Invocation)
    public void freshExchange() {
        exchange = null;
        System.gc(); // collect the previous replay's exchange here rather than inside a timed invocation
        exchange = BenchSupport.preparedExchange(setup);
    }

    @Benchmark
    @OperationsPerInvocation(FLOW)
    public long applyFlow() {
        Exchange x = exchange;
        for (Command c : flow) {
            c.seq = 0;
            x.apply(c, sink);
        }
        return sink.events;
    }
}
