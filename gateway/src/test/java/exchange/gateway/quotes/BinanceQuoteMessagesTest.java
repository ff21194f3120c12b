package exchange.gateway.quotes;

import exchange.gateway.quotes.BinanceQuoteMessages.BookTicker;
import exchange.gateway.quotes.BinanceQuoteMessages.Trade;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

@Timeout(10)
class BinanceQuoteMessagesTest {
    private static final String BOOK = "{\"u\":400900217,\"s\":\"BNBUSDT\",\"b\":\"25.35190000\",\"B\":\"31.21000000\","
            + "\"a\":\"25.36520000\",\"A\":\"40.66000000\"}";
    private static final String TRADE = "{\"e\":\"trade\",\"E\":1672515782136,\"s\":\"BNBBTC\",\"t\":12345,"
            + "\"p\":\"0.00100000\",\"q\":\"100.00000000\",\"T\":1672515782136,\"m\":true,\"M\":true}";

    @Test
    void shouldReadRawAndCombinedPayloads() {
        BookTicker expected = new BookTicker("BNBUSDT", "25.35190000", "31.21000000", "25.36520000", "40.66000000");
        assertEquals(expected, BinanceQuoteMessages.parse(BOOK));
        assertEquals(expected, BinanceQuoteMessages.parse("{\"stream\":\"bnbusdt@bookTicker\",\"data\":" + BOOK + "}"));
        assertEquals(expected, BinanceQuoteMessages.parse(BOOK.replace("{\"u\"", "{\"e\":\"bookTicker\",\"u\"")));
        assertEquals(new Trade("BNBBTC", "0.00100000"), BinanceQuoteMessages.parse(TRADE));
        assertEquals(new Trade("BNBBTC", "0.00100000"),
                BinanceQuoteMessages.parse("{\"stream\":\"bnbbtc@trade\",\"data\":" + TRADE + "}"));
    }

    @Test
    void shouldIgnoreAnswersAndOtherEventsAndRefuseTheRest() {
        assertEquals(BinanceQuoteMessages.IGNORED, BinanceQuoteMessages.parse("{\"result\":null,\"id\":1}"));
        assertEquals(BinanceQuoteMessages.IGNORED, BinanceQuoteMessages.parse("{\"e\":\"24hrTicker\",\"s\":\"X\"}"));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse("not json"));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse("[1,2]"));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse(""));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse("{\"hello\":1}"));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse(BOOK.replace("\"25.35190000\"", "25.3519")),
                "a price as a JSON number would have gone through a double");
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse(BOOK.replace(",\"A\":\"40.66000000\"", "")));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse("{\"stream\":\"x\",\"data\":[]}"));
        assertEquals(BinanceQuoteMessages.UNPARSEABLE, BinanceQuoteMessages.parse(TRADE.replace("\"p\"", "\"x\"")));
    }

    @Test
    void shouldReadTheRestAnswerAsOneObjectOrAnArray() {
        String one = "{\"symbol\":\"LTCBTC\",\"bidPrice\":\"4.00000000\",\"bidQty\":\"431.00000000\","
                + "\"askPrice\":\"4.00000200\",\"askQty\":\"9.00000000\"}";
        BookTicker t = new BookTicker("LTCBTC", "4.00000000", "431.00000000", "4.00000200", "9.00000000");
        assertEquals(List.of(t), BinanceQuoteMessages.parseRest(one));
        assertEquals(List.of(t, t), BinanceQuoteMessages.parseRest("[" + one + "," + one + "]"));
        assertThrows(IllegalArgumentException.class, () -> BinanceQuoteMessages.parseRest("{\"code\":-1121}"));
        assertThrows(IllegalArgumentException.class, () -> BinanceQuoteMessages.parseRest("<html>"));
        assertThrows(IllegalArgumentException.class, () -> BinanceQuoteMessages.parseRest("42"));
    }
}
