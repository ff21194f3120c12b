package exchange.readside.marketdata;

import exchange.engine.Side;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class TradeTapeTest {

    private static PublicTrade trade(long id) {
        return new PublicTrade("AAPL", id, 100, 1, Side.BUY, id, id + 1, id, id, null);
    }

    @Test
    void shouldKeepTheNewestTradesOldestFirstLikeABoundedDeque() {
        TradeTape tape = new TradeTape(3);
        ArrayDeque<PublicTrade> reference = new ArrayDeque<>();
        assertEquals(List.of(), tape.view());
        for (long id = 1; id <= 20; id++) {
            tape.add(trade(id));
            if (reference.size() == 3) {
                reference.removeFirst();
            }
            reference.addLast(trade(id));
            assertEquals(new ArrayList<>(reference), tape.view(), "after trade " + id);
            assertEquals(reference.size(), tape.size());
        }
    }

    @Test
    void shouldLeaveAnEarlierViewUnchangedWhenTradesFollow() {
        TradeTape tape = new TradeTape(4);
        List<List<PublicTrade>> views = new ArrayList<>();
        List<List<PublicTrade>> copies = new ArrayList<>();
        for (long id = 1; id <= 30; id++) {
            tape.add(trade(id));
            List<PublicTrade> v = tape.view();
            views.add(v);
            copies.add(List.copyOf(v));
        }
        // 30 trades through an array of 8 slots: the array was replaced several times meanwhile
        assertEquals(copies, views);
        assertEquals(List.of(trade(27), trade(28), trade(29), trade(30)), views.get(29));
        assertEquals(List.of(trade(1)), views.get(0));
    }

    @Test
    void shouldRefuseChangesThroughAView() {
        TradeTape tape = new TradeTape(2);
        tape.add(trade(1));
        List<PublicTrade> v = tape.view();
        assertThrows(UnsupportedOperationException.class, () -> v.add(trade(2)));
        assertThrows(UnsupportedOperationException.class, () -> v.set(0, trade(2)));
        assertThrows(IndexOutOfBoundsException.class, () -> v.get(1));
        assertTrue(v.subList(0, 1).contains(trade(1)));
    }
}
