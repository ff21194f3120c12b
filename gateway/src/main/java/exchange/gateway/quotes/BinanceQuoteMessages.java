package exchange.gateway.quotes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads what a Binance-format venue sends: WebSocket messages, raw ({@code /ws/<stream>}: the
 * payload itself) or combined ({@code /stream?streams=}: {@code {"stream":..,"data":{payload}}}),
 * and the REST {@code /api/v3/ticker/bookTicker} answer. Payloads understood:
 * <ul>
 *   <li>bookTicker {@code {"u":400900217,"s":"BNBUSDT","b":"25.35","B":"31.21","a":"25.36","A":"40.66"}}
 *       (an {@code "e":"bookTicker"} field, as some Binance streams add, is accepted too);</li>
 *   <li>trade {@code {"e":"trade","E":..,"s":"BNBBTC","t":12345,"p":"0.001","q":"100","T":..,"m":true}};</li>
 *   <li>REST {@code {"symbol":"LTCBTC","bidPrice":"4.0","bidQty":"431.0","askPrice":"4.000002","askQty":"9.0"}}
 *       or an array of them.</li>
 * </ul>
 * Prices and sizes must be JSON strings (a JSON number would have passed through a double);
 * anything else, or a missing field, is {@link #UNPARSEABLE}. Answers to requests
 * ({@code {"result":null,"id":1}}) and other events are {@link #IGNORED}. Stateless, thread safe.
 */
final class BinanceQuoteMessages {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What one message says. */
    sealed interface Message permits BookTicker, Trade, Other {
    }

    /** A venue's best bid and ask for one of its symbols; every value exactly as sent. */
    record BookTicker(String symbol, String bid, String bidQty, String ask, String askQty) implements Message {
    }

    /** One trade on the venue: its symbol and price as sent. */
    record Trade(String symbol, String price) implements Message {
    }

    /** A message carrying no quote: {@link #IGNORED} or {@link #UNPARSEABLE}. */
    enum Other implements Message {
        IGNORED,
        UNPARSEABLE
    }

    static final Other IGNORED = Other.IGNORED;
    static final Other UNPARSEABLE = Other.UNPARSEABLE;

    private BinanceQuoteMessages() {
    }

    /** One WebSocket text message, raw or in the combined envelope. */
    static Message parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return UNPARSEABLE;
        }
        if (root == null || !root.isObject()) {
            return UNPARSEABLE;
        }
        JsonNode data = root.get("data");
        if (root.has("stream") && data != null) {
            return data.isObject() ? payload(data) : UNPARSEABLE;
        }
        return payload(root);
    }

    /**
     * The REST bookTicker answer: one object or an array of them.
     *
     * @throws IllegalArgumentException if the body is not that shape (the whole answer is then unusable)
     */
    static List<BookTicker> parseRest(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        List<BookTicker> out = new ArrayList<>();
        if (root != null && root.isObject()) {
            out.add(restTicker(root));
        } else if (root != null && root.isArray()) {
            for (JsonNode n : root) {
                out.add(restTicker(n));
            }
        } else {
            throw new IllegalArgumentException("neither an object nor an array");
        }
        return out;
    }

    private static BookTicker restTicker(JsonNode n) {
        String symbol = text(n, "symbol");
        String bid = text(n, "bidPrice");
        String bidQty = text(n, "bidQty");
        String ask = text(n, "askPrice");
        String askQty = text(n, "askQty");
        if (symbol == null || bid == null || bidQty == null || ask == null || askQty == null) {
            throw new IllegalArgumentException("a ticker without symbol, bidPrice, bidQty, askPrice and askQty strings");
        }
        return new BookTicker(symbol, bid, bidQty, ask, askQty);
    }

    private static Message payload(JsonNode p) {
        JsonNode e = p.get("e");
        if (e != null) {
            if (!e.isTextual()) {
                return UNPARSEABLE;
            }
            return switch (e.asText()) {
                case "trade" -> trade(p);
                case "bookTicker" -> bookTicker(p);
                default -> IGNORED;
            };
        }
        if (p.has("s") && p.has("b") && p.has("a")) {
            return bookTicker(p);
        }
        if (p.has("result") || p.has("id")) {
            return IGNORED;
        }
        return UNPARSEABLE;
    }

    private static Message bookTicker(JsonNode p) {
        String symbol = text(p, "s");
        String bid = text(p, "b");
        String bidQty = text(p, "B");
        String ask = text(p, "a");
        String askQty = text(p, "A");
        if (symbol == null || bid == null || bidQty == null || ask == null || askQty == null) {
            return UNPARSEABLE;
        }
        return new BookTicker(symbol, bid, bidQty, ask, askQty);
    }

    private static Message trade(JsonNode p) {
        String symbol = text(p, "s");
        String price = text(p, "p");
        return symbol == null || price == null ? UNPARSEABLE : new Trade(symbol, price);
    }

    private static String text(JsonNode parent, String key) {
        JsonNode n = parent.get(key);
        return n != null && n.isTextual() ? n.asText() : null;
    }
}
