package exchange.bench;

import exchange.engine.Command;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@link Exchange#apply} alone, on one thread, on the realistic flow ({@link OrderFlowGenerator})
 * and the peer-shaped flow ({@link PeerFlowGenerator}), alternated round by round: the two
 * {@code engine} figures of {@link QuickBench} without its pipeline runs, so that an A/B of an
 * engine change fits in one short measurement hold, and a JFR profile of the run sees nothing but
 * {@code apply} (and the flows' generation, before the first round).
 *
 * <p>usage: {@code ApplyHarness [rounds=5] [flow=500000] [peerFlow=1000000] [prefetch=0]}; prints
 * each round's commands per second (wall and per CPU-second of the thread), then the medians. A
 * flow of 0 commands is skipped (to profile the other alone). With {@code prefetch} N > 0 the
 * loop calls {@link Exchange#prefetch} on each next N commands before applying them, as the
 * pipeline's engine stage (N = 32) and a journal replay (64) do: {@code apply} as its callers
 * drive it; the figures' names then carry {@code _prefetchN}.
 */
public final class ApplyHarness {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    private ApplyHarness() {
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int flowSize = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int peerFlowSize = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        int prefetch = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        OrderFlowGenerator realistic = new OrderFlowGenerator(QuickBench.SEED);
        Command[] realisticSetup = realistic.next(realistic.setupCommandCount());
        Command[] realisticFlow = realistic.next(flowSize);
        PeerFlowGenerator peer = new PeerFlowGenerator(QuickBench.SEED);
        Command[] peerSetup = peer.next(peer.setupCommandCount());
        Command[] peerFlow = peer.next(peerFlowSize);
        double[][] rates = new double[4][rounds];
        for (int round = 0; round <= rounds; round++) {
            double[] r = flowSize == 0 ? new double[2] : run(OrderFlowGenerator.config(), realisticSetup, realisticFlow, prefetch);
            double[] p = peerFlowSize == 0 ? new double[2] : run(PeerFlowGenerator.config(), peerSetup, peerFlow, prefetch);
            if (round == 0) {
                continue;
            }
            rates[0][round - 1] = r[0];
            rates[1][round - 1] = r[1];
            rates[2][round - 1] = p[0];
            rates[3][round - 1] = p[1];
            System.out.printf(Locale.ROOT, "# round %d: engine %.3fM (%.3fM/cpu-s), peer %.3fM (%.3fM/cpu-s)%n",
                    round, r[0] / 1e6, r[1] / 1e6, p[0] / 1e6, p[1] / 1e6);
        }
        String[] names = {"engine_cmds_per_s", "engine_cmds_per_cpu_s", "peer_engine_cmds_per_s",
                "peer_engine_cmds_per_cpu_s"};
        for (int i = 0; i < names.length; i++) {
            if (prefetch > 0) {
                names[i] = names[i].replace("engine_", "engine_prefetch" + prefetch + "_");
            }
            double[] v = rates[i].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "RESULT %s=%.0f (%.3fM-%.3fM)%n", names[i], v[v.length / 2], v[0] / 1e6,
                    v[v.length - 1] / 1e6);
        }
    }

    /**
     * One fresh exchange through set-up and flow, each {@code prefetch} commands prefetched before
     * they are applied (0: none); returns {wall rate, CPU rate}.
     */
    private static double[] run(ExchangeConfig config, Command[] setup, Command[] flow, int prefetch) {
        System.gc();
        Exchange exchange = new Exchange(config);
        for (Command c : setup) {
            BenchSupport.applyExpectingOk(exchange, c);
        }
        OrderBookBench.CountingSink sink = new OrderBookBench.CountingSink();
        long cpu = CPU.getCurrentThreadCpuTime();
        long t = System.nanoTime();
        if (prefetch == 0) {
            for (Command c : flow) {
                c.seq = 0;
                exchange.apply(c, sink);
            }
        } else {
            for (int from = 0; from < flow.length; from += prefetch) {
                int to = Math.min(flow.length, from + prefetch);
                exchange.prefetch(flow, from, to);
                for (int i = from; i < to; i++) {
                    flow[i].seq = 0;
                    exchange.apply(flow[i], sink);
                }
            }
        }
        long wall = System.nanoTime() - t;
        long cpuNanos = CPU.getCurrentThreadCpuTime() - cpu;
        return new double[] {flow.length / (wall / 1e9), flow.length / (cpuNanos / 1e9)};
    }
}
