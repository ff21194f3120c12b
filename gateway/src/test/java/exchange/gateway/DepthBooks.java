package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Books as the stream tests compare them: price (a plain decimal string, "190.5") to total
 * quantity per side, from our REST book, from Binance's {@code /api/v3/depth}, or from the
 * engine's own open orders ({@code GET /v1/orders?status=open} of every account: what the engine
 * holds, not what the projection says).
 */
final class DepthBooks {
    static final ObjectMapper JSON = new ObjectMapper();

    /** One side of a book, best first. */
    record Book(TreeMap<BigDecimal, Long> bids, TreeMap<BigDecimal, Long> asks) {
        static Book empty() {
            return new Book(new TreeMap<>(Comparator.reverseOrder()), new TreeMap<>());
        }

        /** Sets a level to {@code qty} (0 removes it). */
        void set(boolean bid, BigDecimal price, long qty) {
            TreeMap<BigDecimal, Long> side = bid ? bids : asks;
            if (qty == 0) {
                side.remove(price.stripTrailingZeros());
            } else {
                side.put(price.stripTrailingZeros(), qty);
            }
        }

        @Override
        public String toString() {
            return "bids " + bids + " asks " + asks;
        }
    }

    private DepthBooks() {
    }

    static JsonNode parse(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** Our REST book object (or a v1 snapshot's data): {@code {"bids":[{"price","qty","orders"}],...}}. */
    static Book fromV1(JsonNode book) {
        Book b = Book.empty();
        applyV1(b, book);
        return b;
    }

    /** Applies a v1 depth diff's (or snapshot's) levels, {@code qty} 0 = gone. */
    static void applyV1(Book b, JsonNode data) {
        for (JsonNode l : data.get("bids")) {
            b.set(true, new BigDecimal(l.get("price").asText()), l.get("qty").asLong());
        }
        for (JsonNode l : data.get("asks")) {
            b.set(false, new BigDecimal(l.get("price").asText()), l.get("qty").asLong());
        }
    }

    /** Applies Binance's {@code [["price","qty"],...]} levels of {@code /api/v3/depth} or a depthUpdate. */
    static void applyBinance(Book b, JsonNode bids, JsonNode asks) {
        for (JsonNode l : bids) {
            b.set(true, new BigDecimal(l.get(0).asText()), new BigDecimal(l.get(1).asText()).longValueExact());
        }
        for (JsonNode l : asks) {
            b.set(false, new BigDecimal(l.get(0).asText()), new BigDecimal(l.get(1).asText()).longValueExact());
        }
    }

    /** The engine's book of {@code symbol}: every listed account's open orders, leaves summed per price. */
    static Book engineBook(ApiClient api, Collection<String> apiKeys, String symbol) {
        Book b = Book.empty();
        for (String key : apiKeys) {
            String token = null;
            do {
                ApiClient.Response r = api.get("/v1/orders?status=open&limit=500&symbol=" + symbol
                        + (token == null ? "" : "&page_token=" + token), key);
                assertEquals(200, r.status(), r.raw());
                for (JsonNode o : r.json().get("orders")) {
                    boolean bid = o.get("side").asText().equals("buy");
                    BigDecimal price = new BigDecimal(o.get("limit_price").asText()).stripTrailingZeros();
                    Map<BigDecimal, Long> side = bid ? b.bids() : b.asks();
                    side.merge(price, o.get("leaves_qty").asLong(), Long::sum);
                }
                JsonNode next = r.json().get("next_page_token");
                token = next == null || next.isNull() ? null : next.asText();
            } while (token != null);
        }
        return b;
    }
}
