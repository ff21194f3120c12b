package exchange.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's seeded simulation flow ({@link OrderFlowGenerator}, package-private in the engine's
 * test jar) opened to the read-side tests: many accounts, every time in force, self-trade modes,
 * cancels, rejections, transfers (some refused) and many sessions opened and closed. Applies
 * {@code commands} commands (after the set-up) to a fresh {@link Exchange}, handing every event to
 * {@code sink} and every end-of-day report to {@code reports}. Same seed, same events.
 */
public final class SeededFlow {
    private SeededFlow() {
    }

    /**
     * The simulation's settings with an idempotency window wider than any flow here, so that the
     * engine still holds every order at the end and a test can compare each one with the database.
     */
    public static ExchangeConfig config() {
        return OrderFlowGenerator.config(false, SelfTradePrevention.CANCEL_NEWEST, ExchangeConfig.MAX_IDEMPOTENCY_SESSIONS);
    }

    public static Exchange run(long seed, int commands, EventSink sink, List<ReconciliationReport> reports) {
        Exchange exchange = new Exchange(config());
        OrderFlowGenerator generator = new OrderFlowGenerator(seed);
        List<EngineEvent> events = new ArrayList<>();
        EventSink both = e -> {
            sink.onEvent(e);
            events.add(e.copy());
        };
        for (Command c : generator.setup()) {
            apply(exchange, generator, c, both, events, reports);
        }
        for (int i = 0; i < commands; i++) {
            apply(exchange, generator, generator.next(), both, events, reports);
        }
        return exchange;
    }

    private static void apply(Exchange exchange, OrderFlowGenerator generator, Command c, EventSink sink,
                              List<EngineEvent> events, List<ReconciliationReport> reports) {
        events.clear();
        exchange.apply(c, sink);
        generator.observe(c, events);
        if (c.queryResult instanceof ReconciliationReport r) {
            reports.add(r);
        }
    }
}
