package exchange.gateway.stream;

import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The streams of the listed symbols on both faces (DESIGN section 4), without snapshots (the
 * topic list under {@code MarketDataStreamCatalog}, which adds our face's snapshots).
 * Ours: {@code AAPL@trade}, {@code AAPL@depth}, {@code AAPL@kline_1s|1m|5m}, {@code AAPL@ticker};
 * Binance's: {@code aapl@trade}, {@code aapl@depth}, {@code aapl@depth@100ms},
 * {@code aapl@kline_1s|1m|5m}, {@code aapl@bookTicker}, {@code aapl@ticker}. Immutable.
 */
public final class SymbolStreamCatalog implements StreamCatalog {
    /** Our face's stream kinds, after {@code SYMBOL@}. */
    public static final List<String> V1_KINDS = List.of("trade", "depth", "kline_1s", "kline_1m", "kline_5m", "ticker");
    /** Binance's stream kinds, after {@code symbol@}. */
    public static final List<String> BINANCE_KINDS = List.of("trade", "depth", "depth@100ms", "kline_1s", "kline_1m",
            "kline_5m", "bookTicker", "ticker");

    private final Set<String> topics = new HashSet<>();

    public SymbolStreamCatalog(Iterable<String> symbols) {
        for (String symbol : symbols) {
            for (String kind : V1_KINDS) {
                topics.add(StreamTopics.v1(symbol + "@" + kind));
            }
            for (String kind : BINANCE_KINDS) {
                topics.add(StreamTopics.binance(symbol.toLowerCase(Locale.ROOT) + "@" + kind));
            }
        }
    }

    @Override
    public boolean exists(String topic) {
        return topics.contains(topic);
    }

    @Override
    public Snapshot snapshot(String topic) {
        return null;
    }
}
