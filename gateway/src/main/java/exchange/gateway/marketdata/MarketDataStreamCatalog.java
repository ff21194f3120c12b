package exchange.gateway.marketdata;

import exchange.gateway.http.HttpJson;
import exchange.gateway.stream.StreamCatalog;
import exchange.gateway.stream.StreamTopics;
import exchange.gateway.stream.SymbolStreamCatalog;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataProjection;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataView;
import exchange.readside.marketdata.SymbolSnapshot;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The stream catalog backed by the market-data projection: the topics of {@link SymbolStreamCatalog}
 * and what a new subscriber of our face gets first, read from {@link MarketDataView}:
 * <ul>
 *   <li>{@code SYMBOL@depth}: the whole book (up to {@link MarketDataProjection#MAX_SNAPSHOT_LEVELS}
 *       levels a side) as {@code {"stream":"AAPL@depth","seq":S,"snapshot":true,"data":<the REST
 *       book object>}}; the diffs that follow start after {@code S};</li>
 *   <li>{@code SYMBOL@kline_<i>}: the open candle, as a kline message, if the series ever traded;</li>
 *   <li>{@code SYMBOL@ticker}: the ticker, as a ticker message.</li>
 * </ul>
 * Trades and the private orders channel start with the next message. Binance's face gets no
 * snapshot, as on Binance: its clients fetch {@code /api/v3/depth} and align on {@code U}/{@code u}.
 *
 * <p>Any Jetty thread. Consistency: the projector publishes after it committed the view, so a view
 * snapshot taken now reflects every message already published (the {@link StreamCatalog} contract).
 */
public final class MarketDataStreamCatalog implements StreamCatalog {
    private final MarketDataView view;
    private final SymbolStreamCatalog topics;
    private final LongSupplier epochNanosClock;

    /** @param epochNanosClock the clock that stamps commands: which reference quotes a ticker snapshot shows */
    public MarketDataStreamCatalog(MarketDataView view, LongSupplier epochNanosClock) {
        this.view = Objects.requireNonNull(view, "view");
        this.topics = new SymbolStreamCatalog(view.symbols());
        this.epochNanosClock = Objects.requireNonNull(epochNanosClock, "epochNanosClock");
    }

    @Override
    public boolean exists(String topic) {
        return topics.exists(topic);
    }

    @Override
    public Snapshot snapshot(String topic) {
        if (!topic.startsWith(StreamTopics.V1_PREFIX)) {
            return null;
        }
        String name = topic.substring(StreamTopics.V1_PREFIX.length());
        int at = name.indexOf('@');
        if (at < 0) {
            return null; // orders:<accountId>
        }
        SymbolSnapshot s = view.snapshot(name.substring(0, at));
        if (s == null) {
            return null;
        }
        String kind = name.substring(at + 1);
        if (kind.equals("depth")) {
            return new Snapshot(s.seq(), List.of(depthSnapshot(name, s)));
        }
        if (kind.equals("ticker")) {
            return new Snapshot(s.seq(),
                    List.of(MarketJson.message(new TickerUpdate(s.ticker()), epochNanosClock.getAsLong())));
        }
        for (CandleInterval i : CandleInterval.values()) {
            if (kind.equals("kline_" + i.code())) {
                Candle current = s.current(i);
                return current == null ? new Snapshot(s.seq(), List.of())
                        : new Snapshot(s.seq(), List.of(MarketJson.message(new CandleUpdate(s.seq(), current),
                                epochNanosClock.getAsLong())));
            }
        }
        return null;
    }

    private static String depthSnapshot(String stream, SymbolSnapshot s) {
        return new String(HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("stream", stream);
            g.writeNumberField("seq", s.seq());
            g.writeBooleanField("snapshot", true);
            g.writeFieldName("data");
            MarketJson.book(g, s.book(MarketDataProjection.MAX_SNAPSHOT_LEVELS));
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
    }
}
