package exchange.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@link QuickBench}'s {@code book_ops_per_s}, measured in a JVM of its own. In the JVM that also
 * runs the engine and pipeline flows, the JIT compiles the order book's code for the mix those
 * flows bring, and the add-then-cancel loop measured there ran at 0.77x of what JMH's own fork
 * measures for the same code (2026-12-06: the same commit pair read 0.77x in QuickBench and
 * 1.23x in JMH); a child JVM that runs only this loop measures what JMH measures, within the
 * five-minute budget.
 */
final class QuickBookBench {
    private static final String PREFIX = "BOOK_OPS ";

    private QuickBookBench() {
    }

    /**
     * Runs {@code rounds + 1} rounds (the first a warm-up) in a child JVM with this JVM's flags and
     * class path, and returns the measured rounds' rates.
     */
    static double[] inChildJvm(int rounds) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(QuickBookBench.class.getName());
        cmd.add(Integer.toString(rounds));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        double[] rates = new double[rounds];
        int n = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(PREFIX) && n < rounds) {
                    rates[n++] = Double.parseDouble(line.substring(PREFIX.length()));
                } else if (!line.isBlank()) {
                    System.out.println("# book: " + line);
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || n != rounds) {
            throw new IllegalStateException("book_ops child JVM exited " + exit + " after " + n + " of " + rounds + " rounds");
        }
        return rates;
    }

    /** Child entry point: prints one {@code BOOK_OPS <rate>} line per measured round. */
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        OrderBookBench book = new OrderBookBench();
        book.ordersPerExchange = 1 << 16;
        book.prepare();
        for (int round = 0; round <= rounds; round++) {
            double rate = rate(book);
            if (round > 0) {
                System.out.printf(Locale.ROOT, "%s%.1f%n", PREFIX, rate);
            }
        }
    }

    /** Add-a-passive-order-then-cancel-it, 40 invocations of {@link OrderBookBench#PAIRS} pairs; ops/s. */
    static double rate(OrderBookBench book) {
        int invocations = 40;
        long nanos = 0;
        for (int i = 0; i < invocations; i++) {
            book.rebuildIfFull();
            long t = System.nanoTime();
            book.addPassiveThenCancel();
            nanos += System.nanoTime() - t;
        }
        return invocations * 2.0 * OrderBookBench.PAIRS / (nanos / 1e9);
    }
}
