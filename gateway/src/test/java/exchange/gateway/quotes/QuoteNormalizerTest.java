package exchange.gateway.quotes;

import exchange.gateway.quotes.BinanceQuoteMessages.BookTicker;
import exchange.gateway.quotes.BinanceQuoteMessages.Trade;
import exchange.gateway.quotes.QuoteNormalizer.LastPrice;
import exchange.gateway.quotes.QuoteNormalizer.Outcome;
import exchange.gateway.quotes.QuoteNormalizer.Quote;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class QuoteNormalizerTest {
    private static final long MAX_PRICE = 1_000_000L * 10_000;
    private static final long STALE = 5_000_000_000L;

    private final QuoteNormalizer n = new QuoteNormalizer(List.of("AAPLUSD", "PENNYUSD"), MAX_PRICE, STALE, 2_000, 3);

    private static BookTicker book(String s, String bid, String bidQty, String ask, String askQty) {
        return new BookTicker(s, bid, bidQty, ask, askQty);
    }

    private Quote accepted(Outcome o) {
        return assertInstanceOf(Quote.class, o);
    }

    @Test
    void shouldConvertExactlyRoundingTheBidDownTheAskUpAndSizesDown() {
        Quote q = accepted(n.bookTicker(book("AAPLUSD", "190.01999999", "12.9", "190.02000001",
                "3.99999999999999999999"), 0));
        assertEquals(0, q.slot());
        assertEquals(1_900_100, q.bidTicks(), "bid rounded down to the cent");
        assertEquals(1_900_300, q.askTicks(), "ask rounded up to the cent");
        assertEquals(12, q.bidQty());
        assertEquals(3, q.askQty());
        // no double on the way: 0.1 + 0.2 style values stay exact
        Quote exact = accepted(n.bookTicker(book("AAPLUSD", "190.30000000", "1", "190.31", "1"), 1));
        assertEquals(1_903_000, exact.bidTicks());
        assertEquals(1_903_100, exact.askTicks());
    }

    @Test
    void shouldUseTheHundredthOfACentGridBelowOneDollar() {
        Quote q = accepted(n.bookTicker(book("pennyusd", "0.12345", "100", "0.12346", "100"), 0));
        assertEquals(1, q.slot(), "symbols are matched ignoring case");
        assertEquals(1_234, q.bidTicks());
        assertEquals(1_235, q.askTicks());
        // an ask just under a dollar rounds up onto the dollar, which is on the cent grid (later than
        // the staleness limit, so the jump filter has no reference)
        Quote edge = accepted(n.bookTicker(new BookTicker("PENNYUSD", "0.99", "1", "0.99995", "1"), 2 * STALE));
        assertEquals(10_000, edge.askTicks());
    }

    @Test
    void shouldDropAndNameEveryKindOfBadQuote() {
        assertEquals(DropReason.UNKNOWN_SYMBOL, n.bookTicker(book("MSFTUSD", "1", "1", "2", "1"), 0));
        assertEquals(DropReason.UNPARSEABLE, n.bookTicker(book("AAPLUSD", "1e2", "1", "2", "1"), 0));
        assertEquals(DropReason.UNPARSEABLE, n.bookTicker(book("AAPLUSD", "190.", "1", "191", "1"), 0));
        assertEquals(DropReason.UNPARSEABLE, n.bookTicker(book("AAPLUSD", "190", "1", "19O", "1"), 0));
        assertEquals(DropReason.NON_POSITIVE, n.bookTicker(book("AAPLUSD", "0.00000000", "1", "190", "1"), 0));
        assertEquals(DropReason.NON_POSITIVE, n.bookTicker(book("AAPLUSD", "-190", "1", "190", "1"), 0));
        assertEquals(DropReason.NON_POSITIVE, n.bookTicker(book("AAPLUSD", "189", "0.5", "190", "1"), 0),
                "half a share floors to zero");
        assertEquals(DropReason.NON_POSITIVE, n.bookTicker(book("AAPLUSD", "189", "1", "190", "-3"), 0));
        assertEquals(DropReason.NON_POSITIVE, n.bookTicker(book("AAPLUSD", "0.00001", "1", "190", "1"), 0),
                "below the smallest tick is zero");
        assertEquals(DropReason.OUT_OF_RANGE, n.bookTicker(book("AAPLUSD", "189", "1", "1000000.01", "1"), 0));
        assertEquals(DropReason.OUT_OF_RANGE, n.bookTicker(book("AAPLUSD", "189", "99999999999999999999999", "190", "1"), 0));
        assertEquals(DropReason.CROSSED, n.bookTicker(book("AAPLUSD", "190.05", "1", "190.00", "1"), 0));
        assertEquals(DropReason.CROSSED, n.bookTicker(book("AAPLUSD", "190.005", "1", "190.0050", "1"), 0),
                "locked as quoted, even though rounding would have opened it");
        assertInstanceOf(Quote.class, n.bookTicker(book("AAPLUSD", "190.004", "1", "190.005", "1"), 0),
                "a spread under a tick is opened by the rounding, not crossed");
    }

    @Test
    void shouldDropASingleJumpButFollowAConfirmedMove() {
        accepted(n.bookTicker(book("AAPLUSD", "100.00", "1", "100.02", "1"), 0));
        assertEquals(DropReason.JUMP, n.bookTicker(book("AAPLUSD", "130.00", "1", "130.02", "1"), 1));
        accepted(n.bookTicker(book("AAPLUSD", "100.10", "1", "100.12", "1"), 2));
        // 19.9% is within the 20% limit
        accepted(n.bookTicker(book("AAPLUSD", "119.90", "1", "120.00", "1"), 3));
        // a move to a new level: dropped twice, taken the third time in a row
        assertEquals(DropReason.JUMP, n.bookTicker(book("AAPLUSD", "60.00", "1", "60.02", "1"), 4));
        assertEquals(DropReason.JUMP, n.bookTicker(book("AAPLUSD", "60.10", "1", "60.12", "1"), 5));
        Quote moved = accepted(n.bookTicker(book("AAPLUSD", "60.05", "1", "60.07", "1"), 6));
        assertEquals(600_500, moved.bidTicks());
        // the new level is now the reference
        accepted(n.bookTicker(book("AAPLUSD", "61.00", "1", "61.02", "1"), 7));
    }

    @Test
    void shouldNotFilterAfterTheReferenceWentStale() {
        accepted(n.bookTicker(book("AAPLUSD", "100.00", "1", "100.02", "1"), 0));
        assertEquals(DropReason.JUMP, n.bookTicker(book("AAPLUSD", "200.00", "1", "200.02", "1"), STALE));
        accepted(n.bookTicker(book("AAPLUSD", "200.00", "1", "200.02", "1"), STALE + 1));
    }

    @Test
    void shouldTakeTradePricesAndCheckThemAgainstTheQuote() {
        LastPrice first = assertInstanceOf(LastPrice.class, n.trade(new Trade("AAPLUSD", "50.019"), 0));
        assertEquals(500_100, first.priceTicks(), "no quote yet: no jump filter");
        accepted(n.bookTicker(book("AAPLUSD", "100.00", "1", "100.02", "1"), 0));
        assertEquals(1_000_100, assertInstanceOf(LastPrice.class, n.trade(new Trade("AAPLUSD", "100.01"), 1)).priceTicks());
        assertEquals(DropReason.JUMP, n.trade(new Trade("AAPLUSD", "150.00"), 2));
        assertEquals(DropReason.NON_POSITIVE, n.trade(new Trade("AAPLUSD", "0"), 3));
        assertEquals(DropReason.UNKNOWN_SYMBOL, n.trade(new Trade("XYZ", "1"), 4));
        assertEquals(DropReason.UNPARSEABLE, n.trade(new Trade("AAPLUSD", "abc"), 5));
    }

    @Test
    void shouldCompareDecimalsExactly() {
        assertEquals(0, DecimalText.compare("190.10", "190.1000"));
        assertEquals(0, DecimalText.compare("007.5", "7.50"));
        assertTrue(DecimalText.compare("10", "9.99999999") > 0);
        assertTrue(DecimalText.compare("0.00000001", "0") > 0);
        assertTrue(DecimalText.compare("190.0049", "190.005") < 0);
    }
}
