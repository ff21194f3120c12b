package exchange.readside;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.Side;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns some trades of a real engine flow into fills against the outside market (issue 19), of
 * exactly the shape the engine emits for them, so the read side can be tested on them before the
 * engine makes them: a command whose events are just {@code ORDER_ACCEPTED} of order X and one
 * {@code TRADE_EXECUTED} that fills X entirely (X never rested) becomes a reference quote command:
 * {@code REFERENCE_QUOTED} from two venues (the first at the trade's price, the second a tick
 * worse), then the trade with no taker order: {@code orderId} 0, {@code leavesQty} 0,
 * {@code venue} = the first venue, the taker's account as the liquidity provider. Every other
 * event stays as it was, so the engine's book, balances and reports still describe the rewritten
 * flow (the dropped order X is the only difference: it never existed).
 */
public final class ExternalFills {
    /** Seconds a rewritten flow's quotes stay fresh. */
    public static final long STALE_AFTER_NANOS = 5_000_000_000L;
    private static final long TICK = 100; // one cent in Money.SCALE ticks

    /** The rewritten flow and how many trades it turned into fills against the outside market. */
    public record Rewritten(List<EngineEvent> events, int externalFills) {
    }

    private ExternalFills() {
    }

    /**
     * Rewrites every {@code everyNth} eligible command of {@code events} (copies, in seq order),
     * alternating the venues {@code venueA} and {@code venueB} as the one that fills.
     */
    public static Rewritten rewrite(List<EngineEvent> events, int everyNth, String venueA, String venueB) {
        List<EngineEvent> out = new ArrayList<>(events.size());
        int eligible = 0;
        int rewritten = 0;
        int i = 0;
        while (i < events.size()) {
            int end = i + 1;
            while (end < events.size() && events.get(end).seq == events.get(i).seq) {
                end++;
            }
            List<EngineEvent> command = events.subList(i, end);
            if (eligible(command) && ++eligible % everyNth == 0) {
                boolean aFills = rewritten % 2 == 0;
                fillAgainstOutside(command.get(1), aFills ? venueA : venueB, aFills ? venueB : venueA, out);
                rewritten++;
            } else {
                for (EngineEvent e : command) {
                    out.add(e.copy());
                }
            }
            i = end;
        }
        return new Rewritten(List.copyOf(out), rewritten);
    }

    private static boolean eligible(List<EngineEvent> command) {
        if (command.size() != 2) {
            return false;
        }
        EngineEvent accepted = command.get(0);
        EngineEvent trade = command.get(1);
        return accepted.type == EventType.ORDER_ACCEPTED && trade.type == EventType.TRADE_EXECUTED
                && trade.orderId == accepted.orderId && trade.leavesQty == 0 && trade.venue == null;
    }

    private static void fillAgainstOutside(EngineEvent trade, String venue, String other, List<EngineEvent> out) {
        // the liquidity provider (the taker) sells at the venue's ask or buys at its bid
        boolean providerSells = trade.side == Side.SELL;
        long price = trade.priceTicks;
        out.add(quote(trade, venue, providerSells ? price - TICK : price, providerSells ? price : price + TICK,
                trade.qty));
        out.add(quote(trade, other, providerSells ? price - 2 * TICK : price - TICK,
                providerSells ? price + TICK : price + 2 * TICK, trade.qty + 1));
        EngineEvent fill = trade.copy();
        fill.orderId = 0;
        fill.leavesQty = 0;
        fill.venue = venue;
        out.add(fill);
    }

    private static EngineEvent quote(EngineEvent trade, String venue, long bid, long ask, long qty) {
        EngineEvent q = new EngineEvent().reset(EventType.REFERENCE_QUOTED, trade.seq, trade.timestampNanos);
        q.symbol = trade.symbol;
        q.venue = venue;
        q.bidPriceTicks = Math.max(TICK, bid);
        q.bidQty = qty;
        q.askPriceTicks = Math.max(2 * TICK, ask);
        q.askQty = qty;
        q.staleAfterNanos = STALE_AFTER_NANOS;
        return q;
    }
}
