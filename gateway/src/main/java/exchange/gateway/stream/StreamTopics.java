package exchange.gateway.stream;

import java.util.Locale;

/**
 * Names of the hub's topics. A topic is face-qualified because each face carries its own JSON for
 * the same event (ours: snake_case with {@code seq}; Binance's: its field letters), so the producer
 * publishes each event once per face: {@code v1:AAPL@trade} and {@code binance:aapl@trade}. The
 * private order channel is bound to one account: {@code v1:orders:<accountId>}.
 */
public final class StreamTopics {
    public static final String V1_PREFIX = "v1:";
    public static final String BINANCE_PREFIX = "binance:";
    /** Our face's name of the private channel, as a client subscribes to it. */
    public static final String ORDERS = "orders";

    private StreamTopics() {
    }

    /** Our face's topic of stream {@code name}, e.g. {@code AAPL@depth}. */
    public static String v1(String name) {
        return V1_PREFIX + name;
    }

    /** The private order-update topic of one account. */
    public static String v1Orders(long accountId) {
        return V1_PREFIX + ORDERS + ":" + accountId;
    }

    /** Binance's topic of stream {@code name}, e.g. {@code aapl@depth@100ms}. */
    public static String binance(String name) {
        return BINANCE_PREFIX + name;
    }

    /** Binance's lowercase stream symbol of one of our symbols. */
    public static String binanceSymbol(String symbol) {
        return symbol.toLowerCase(Locale.ROOT);
    }
}
