package exchange.gateway.metrics;

import exchange.engine.CommandType;
import exchange.engine.ResultCode;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Counters and histograms of the gateway, rendered in the Prometheus text exposition format
 * (version 0.0.4) for {@code GET /metrics}: commands by type and result, commands refused because
 * the ring was full, HTTP responses by status, request latency as a histogram per route, and
 * gauges read from suppliers at scrape time (ring remaining capacity, journal bytes), and labelled
 * families read the same way (one sample per quote source). Recording
 * is lock-free ({@link LongAdder}); any thread may record and scrape concurrently.
 */
public final class GatewayMetrics {
    /** Upper bounds of the latency histogram buckets, in seconds. */
    static final double[] LATENCY_BUCKETS_SECONDS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
    private static final long[] LATENCY_BUCKETS_NANOS = new long[LATENCY_BUCKETS_SECONDS.length];

    static {
        for (int i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
            LATENCY_BUCKETS_NANOS[i] = Math.round(LATENCY_BUCKETS_SECONDS[i] * 1e9);
        }
    }

    private static final CommandType[] TYPES = CommandType.values();
    private static final ResultCode[] RESULTS = ResultCode.values();

    private final LongAdder[][] commands = new LongAdder[TYPES.length][RESULTS.length];
    private final LongAdder[] ringFull = new LongAdder[TYPES.length];
    private final ConcurrentHashMap<Integer, LongAdder> responsesByStatus = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> latencyByRoute = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();

    private record Gauge(String help, LongSupplier value) {
    }

    /** A monotonically increasing count kept elsewhere, read at scrape time. */
    private record Counter(String help, LongSupplier value) {
    }

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    /** One sample of a labelled family: its rendered labels ({@link #labels}) and its value. */
    public record Sample(String labels, long value) {
    }

    /** A family of labelled samples read at scrape time (e.g. one per quote source), as counter or gauge. */
    private record Family(String help, String type, Supplier<List<Sample>> samples) {
    }

    private final Map<String, Family> families = new ConcurrentHashMap<>();

    /** Cumulative histogram buckets plus count and sum, as Prometheus expects. */
    private static final class Histogram {
        final LongAdder[] buckets = new LongAdder[LATENCY_BUCKETS_NANOS.length];
        final LongAdder count = new LongAdder();
        final LongAdder sumNanos = new LongAdder();

        Histogram() {
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = new LongAdder();
            }
        }

        void record(long nanos) {
            for (int i = 0; i < LATENCY_BUCKETS_NANOS.length; i++) {
                if (nanos <= LATENCY_BUCKETS_NANOS[i]) {
                    buckets[i].increment();
                    break;
                }
            }
            count.increment();
            sumNanos.add(nanos);
        }
    }

    public GatewayMetrics() {
        for (int t = 0; t < TYPES.length; t++) {
            ringFull[t] = new LongAdder();
            for (int r = 0; r < RESULTS.length; r++) {
                commands[t][r] = new LongAdder();
            }
        }
    }

    /** One command completed by the engine with {@code result}. */
    public void commandCompleted(CommandType type, ResultCode result) {
        if (type != null && result != null) {
            commands[type.ordinal()][result.ordinal()].increment();
        }
    }

    /** One command refused by the ring (full or stopped). */
    public void ringFull(CommandType type) {
        ringFull[type.ordinal()].increment();
    }

    /** One HTTP response with {@code status}, {@code nanos} after the request arrived, on {@code route}. */
    public void httpResponse(String route, int status, long nanos) {
        responsesByStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
        latencyByRoute.computeIfAbsent(route, r -> new Histogram()).record(Math.max(0, nanos));
    }

    /** Registers a gauge read at scrape time, e.g. the ring's remaining capacity. Names must be valid metric names. */
    public void gauge(String name, String help, LongSupplier value) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        gauges.put(name, new Gauge(help, value));
    }

    /**
     * Registers a counter read at scrape time (rendered as {@code TYPE counter}): a total kept by
     * another component, e.g. messages written to stream clients. Names end in {@code _total}.
     */
    public void counter(String name, String help, LongSupplier value) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*_total")) {
            throw new IllegalArgumentException("invalid counter name " + name);
        }
        counters.put(name, new Counter(help, value));
    }

    /**
     * Registers a family of counters read at scrape time, one sample per label set, e.g.
     * {@code exchange_quote_source_messages_total{source="venue1"}}. Names end in {@code _total}.
     */
    public void counterFamily(String name, String help, Supplier<List<Sample>> samples) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*_total")) {
            throw new IllegalArgumentException("invalid counter name " + name);
        }
        families.put(name, new Family(help, "counter", samples));
    }

    /** Registers a family of gauges read at scrape time, one sample per label set. */
    public void gaugeFamily(String name, String help, Supplier<List<Sample>> samples) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new IllegalArgumentException("invalid metric name " + name);
        }
        families.put(name, new Family(help, "gauge", samples));
    }

    /** Label pairs rendered for a {@link Sample}: {@code labels("source", "v1")} is {@code source="v1"}. */
    public static String labels(String... namesAndValues) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            sb.append(i == 0 ? "" : ",").append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1]))
                    .append('"');
        }
        return sb.toString();
    }

    /** Count of completed commands of {@code type} with {@code result} (tests, diagnostics). */
    public long commandCount(CommandType type, ResultCode result) {
        return commands[type.ordinal()][result.ordinal()].sum();
    }

    /** Count of commands of {@code type} refused because the ring was full. */
    public long ringFullCount(CommandType type) {
        return ringFull[type.ordinal()].sum();
    }

    /** Renders every metric in the Prometheus text format. */
    public String scrape() {
        StringBuilder sb = new StringBuilder(8192);
        sb.append("# HELP exchange_commands_total Commands completed by the engine, by type and result.\n");
        sb.append("# TYPE exchange_commands_total counter\n");
        for (int t = 0; t < TYPES.length; t++) {
            for (int r = 0; r < RESULTS.length; r++) {
                long n = commands[t][r].sum();
                if (n != 0) {
                    sb.append("exchange_commands_total{type=\"").append(lower(TYPES[t].name()))
                            .append("\",result=\"").append(lower(RESULTS[r].name())).append("\"} ").append(n).append('\n');
                }
            }
        }
        sb.append("# HELP exchange_commands_ring_full_total Commands refused because the ring was full (HTTP 503).\n");
        sb.append("# TYPE exchange_commands_ring_full_total counter\n");
        for (int t = 0; t < TYPES.length; t++) {
            long n = ringFull[t].sum();
            if (n != 0) {
                sb.append("exchange_commands_ring_full_total{type=\"").append(lower(TYPES[t].name())).append("\"} ")
                        .append(n).append('\n');
            }
        }
        sb.append("# HELP exchange_http_responses_total HTTP responses by status code.\n");
        sb.append("# TYPE exchange_http_responses_total counter\n");
        new TreeMap<>(responsesByStatus).forEach((status, n) -> sb.append("exchange_http_responses_total{status=\"")
                .append(status).append("\"} ").append(n.sum()).append('\n'));
        sb.append("# HELP exchange_http_request_duration_seconds HTTP request latency by route, from the request's arrival"
                + " (its wait for a request thread included) to its response.\n");
        sb.append("# TYPE exchange_http_request_duration_seconds histogram\n");
        new TreeMap<>(latencyByRoute).forEach((route, h) -> appendHistogram(sb, route, h));
        new TreeMap<>(counters).forEach((name, c) -> {
            sb.append("# HELP ").append(name).append(' ').append(c.help()).append('\n');
            sb.append("# TYPE ").append(name).append(" counter\n");
            sb.append(name).append(' ').append(c.value().getAsLong()).append('\n');
        });
        new TreeMap<>(families).forEach((name, f) -> {
            sb.append("# HELP ").append(name).append(' ').append(f.help()).append('\n');
            sb.append("# TYPE ").append(name).append(' ').append(f.type()).append('\n');
            for (Sample sample : f.samples().get()) {
                sb.append(name).append('{').append(sample.labels()).append("} ").append(sample.value()).append('\n');
            }
        });
        new TreeMap<>(gauges).forEach((name, g) -> {
            sb.append("# HELP ").append(name).append(' ').append(g.help()).append('\n');
            sb.append("# TYPE ").append(name).append(" gauge\n");
            sb.append(name).append(' ').append(g.value().getAsLong()).append('\n');
        });
        return sb.toString();
    }

    private static void appendHistogram(StringBuilder sb, String route, Histogram h) {
        String label = "route=\"" + escape(route) + "\"";
        long cumulative = 0;
        for (int i = 0; i < LATENCY_BUCKETS_SECONDS.length; i++) {
            cumulative += h.buckets[i].sum();
            sb.append("exchange_http_request_duration_seconds_bucket{").append(label).append(",le=\"")
                    .append(LATENCY_BUCKETS_SECONDS[i]).append("\"} ").append(cumulative).append('\n');
        }
        long count = h.count.sum();
        sb.append("exchange_http_request_duration_seconds_bucket{").append(label).append(",le=\"+Inf\"} ")
                .append(count).append('\n');
        sb.append("exchange_http_request_duration_seconds_sum{").append(label).append("} ")
                .append(h.sumNanos.sum() / 1e9).append('\n');
        sb.append("exchange_http_request_duration_seconds_count{").append(label).append("} ").append(count)
                .append('\n');
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
