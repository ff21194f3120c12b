package exchange.bench;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventType;
import exchange.engine.Exchange;
import exchange.engine.ResultCode;
import exchange.engine.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.EnumMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PeerFlowGeneratorTest {
    private static final int FLOW = 100_000;

    @Test
    void shouldProduceEqualStreamsWhenSeedsAreEqual() {
        PeerFlowGenerator a = new PeerFlowGenerator(5);
        PeerFlowGenerator b = new PeerFlowGenerator(5);
        Command x = new Command();
        Command y = new Command();
        for (int i = 0; i < a.setupCommandCount() + 20_000; i++) {
            a.next(x);
            b.next(y);
            assertEquals(x.toString(), y.toString(), "command " + i);
        }
    }

    @Test
    void shouldKeepThePeerMixWithoutRejectionsWhenApplied() {
        PeerFlowGenerator g = new PeerFlowGenerator(42);
        Exchange exchange = new Exchange(PeerFlowGenerator.config());
        Command c = new Command();
        for (int i = 0; i < g.setupCommandCount(); i++) {
            g.next(c);
            exchange.apply(c, e -> { });
            assertEquals(ResultCode.OK, c.result, "set-up command " + c);
        }
        Map<EventType, Integer> events = new EnumMap<>(EventType.class);
        Map<ResultCode, Integer> places = new EnumMap<>(ResultCode.class);
        int cancels = 0;
        int iocs = 0;
        for (int i = 1; i <= FLOW; i++) {
            g.next(c);
            exchange.apply(c, e -> events.merge(e.type, 1, Integer::sum));
            if (c.type == CommandType.PLACE_ORDER) {
                places.merge(c.result, 1, Integer::sum);
                assertTrue(c.qty >= 1 && c.qty <= 100, "size " + c.qty);
                iocs += c.timeInForce == TimeInForce.IOC ? 1 : 0;
            } else {
                assertEquals(CommandType.CANCEL_ORDER, c.type, "flow commands are places and cancels");
                assertTrue(c.result == ResultCode.OK || c.result == ResultCode.TOO_LATE_TO_CANCEL, "cancel " + c);
                cancels++;
            }
        }
        exchange.validateInternalState();
        assertEquals(Map.of(ResultCode.OK, FLOW - cancels), places, "every order is accepted");
        assertTrue(Math.abs(cancels - FLOW * 0.30) < FLOW * 0.01, "30% cancels: " + cancels);
        assertTrue(Math.abs(iocs - FLOW * 0.05) < FLOW * 0.01, "5% IOC: " + iocs);
        assertTrue(events.getOrDefault(EventType.TRADE_EXECUTED, 0) > FLOW / 10, "events " + events);
    }
}
