package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class OrderFlowGeneratorTest {
    private static final int ACCOUNTS = 200;
    private static final int FLOW = 60_000;

    /** Every input field of a command, so two streams compare field by field. */
    private static String inputs(Command c) {
        return String.join("|", String.valueOf(c.type), Long.toString(c.seq), Long.toString(c.timestampNanos),
                Long.toString(c.accountId), c.name, c.apiKeyHash, Integer.toString(c.makerFeeBps),
                Integer.toString(c.takerFeeBps), c.asset, Long.toString(c.amount), c.transferId, c.clientOrderId,
                c.symbol, String.valueOf(c.side), Long.toString(c.qty), Long.toString(c.priceTicks),
                String.valueOf(c.timeInForce), Boolean.toString(c.postOnly), String.valueOf(c.selfTradePrevention),
                Long.toString(c.orderId), String.valueOf(c.orderFilter), Integer.toString(c.limit),
                Long.toString(c.sessionDate), Long.toString(c.sessionClosesAtNanos));
    }

    private static String[] stream(long seed, int n) {
        OrderFlowGenerator g = new OrderFlowGenerator(seed, ACCOUNTS);
        Command c = new Command();
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            g.next(c);
            out[i] = inputs(c);
        }
        return out;
    }

    @Test
    void shouldProduceEqualStreamsWhenSeedsAreEqual() {
        int n = new OrderFlowGenerator(7, ACCOUNTS).setupCommandCount() + FLOW;
        String[] first = stream(7, n);
        String[] second = stream(7, n);
        for (int i = 0; i < n; i++) {
            assertEquals(first[i], second[i], "command " + i);
        }
    }

    @Test
    void shouldProduceDifferentFlowsWhenSeedsDiffer() {
        int setup = new OrderFlowGenerator(7, ACCOUNTS).setupCommandCount();
        String[] a = stream(7, setup + 1_000);
        String[] b = stream(8, setup + 1_000);
        int differing = 0;
        for (int i = setup; i < a.length; i++) {
            differing += a[i].equals(b[i]) ? 0 : 1;
        }
        assertTrue(differing > 900, "flows of seeds 7 and 8 differ in only " + differing + " of 1000 commands");
    }

    @Test
    void shouldStampStrictlyIncreasingTimestampsWhenGenerating() {
        OrderFlowGenerator g = new OrderFlowGenerator(3, ACCOUNTS);
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < g.setupCommandCount() + 10_000; i++) {
            Command c = g.next();
            assertTrue(c.timestampNanos > previous, "timestamp of command " + i + " does not increase");
            previous = c.timestampNanos;
        }
    }

    @Test
    void shouldKeepExchangeValidAndExerciseTheMixWhenApplyingGeneratedFlow() {
        OrderFlowGenerator g = new OrderFlowGenerator(11, ACCOUNTS);
        Exchange exchange = new Exchange(OrderFlowGenerator.config());
        Map<EventType, Integer> events = new EnumMap<>(EventType.class);
        Map<ResultCode, Integer> places = new EnumMap<>(ResultCode.class);
        Map<ResultCode, Integer> cancels = new EnumMap<>(ResultCode.class);
        Command c = new Command();
        for (int i = 0; i < g.setupCommandCount(); i++) {
            g.next(c);
            exchange.apply(c, e -> { });
            assertEquals(ResultCode.OK, c.result, "set-up command " + c);
        }
        assertTrue(exchange.isSessionOpen(), "the set-up phase ends by opening the session");
        long placed = 0;
        for (int i = 1; i <= FLOW; i++) {
            g.next(c);
            exchange.apply(c, e -> events.merge(e.type, 1, Integer::sum));
            if (c.type == CommandType.PLACE_ORDER) {
                placed++;
                assertEquals(placed, c.order.orderId, "the generator's order-id prediction drifted at " + c);
                places.merge(c.result, 1, Integer::sum);
            } else {
                assertEquals(CommandType.CANCEL_ORDER, c.type, "flow commands are places and cancels");
                cancels.merge(c.result, 1, Integer::sum);
            }
            if (i % 10_000 == 0) {
                exchange.validateInternalState();
            }
        }
        exchange.validateInternalState();
        assertEquals(null, cancels.get(ResultCode.ORDER_NOT_FOUND), "cancels name the canceller's own orders");
        assertTrue(cancels.getOrDefault(ResultCode.OK, 0) > FLOW / 20, "cancels " + cancels);
        assertTrue(events.getOrDefault(EventType.TRADE_EXECUTED, 0) > FLOW / 10, "events " + events);
        assertTrue(events.getOrDefault(EventType.ORDER_EXPIRED, 0) > 0, "IOC/FOK remainders expire: " + events);
        for (ResultCode invalid : new ResultCode[] {ResultCode.INVALID_TICK, ResultCode.INVALID_QUANTITY,
                ResultCode.UNKNOWN_SYMBOL, ResultCode.PRICE_OUTSIDE_COLLAR}) {
            assertTrue(places.getOrDefault(invalid, 0) > 0, "no " + invalid + " among " + places);
        }
        int accepted = places.getOrDefault(ResultCode.OK, 0);
        assertTrue(accepted > placed * 9 / 10, "most orders are accepted: " + places);
        assertEquals(null, places.get(ResultCode.INSUFFICIENT_BUYING_POWER), "accounts are funded: " + places);
        assertEquals(null, places.get(ResultCode.INSUFFICIENT_POSITION), "accounts are funded: " + places);
        assertNotEquals(0, exchange.openOrderCount(), "passive orders rest");
    }
}
