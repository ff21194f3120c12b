package exchange.gateway.marketdata;

import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataListener;
import exchange.readside.marketdata.MarketDataUpdate;
import exchange.readside.marketdata.MarketDataUpdate.BookTickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Turns the market-data projection's updates into the WebSocket messages of both faces and
 * publishes them to the {@link StreamHub}: ours ({@link MarketJson#message}, topics
 * {@code v1:SYMBOL@kind} and the private {@code v1:orders:<accountId>}) and Binance's
 * ({@link BinanceJson}, topics {@code binance:symbol@kind}); Binance's {@code @depth@100ms} goes
 * through the {@link DepthConflator}.
 *
 * <p>Thread: the projector ({@code readside-marketdata}), which calls it after each commit, so a
 * snapshot any subscriber takes already reflects every message published here (the hub's
 * snapshot contract). Never blocks: the hub only enqueues. Each message is formatted once per
 * update and face, and not at all for a topic nobody subscribes to (one map lookup), which also
 * keeps the rebuild at start cheap. The topic names are built once per symbol at construction.
 */
public final class MarketDataPublisher implements MarketDataListener {
    private final StreamHub hub;
    private final DepthConflator depth100ms;
    private final LongSupplier epochNanosClock;
    private final Map<String, SymbolTopics> bySymbol = new HashMap<>();
    /** Order topics by account id; projector thread only, at most one entry per account. */
    private final Long2ObjectHashMap<String> orderTopics = new Long2ObjectHashMap<>();

    /**
     * @param epochNanosClock the clock that stamps commands: the event time ({@code E}) of Binance's
     *     kline and ticker events, and which reference quotes our ticker shows (and their age)
     */
    public MarketDataPublisher(StreamHub hub, List<String> symbols, DepthConflator depth100ms,
                               LongSupplier epochNanosClock) {
        this.hub = Objects.requireNonNull(hub, "hub");
        this.depth100ms = Objects.requireNonNull(depth100ms, "depth100ms");
        this.epochNanosClock = Objects.requireNonNull(epochNanosClock, "epochNanosClock");
        for (String s : symbols) {
            bySymbol.put(s, new SymbolTopics(s));
        }
    }

    @Override
    public void onUpdates(List<MarketDataUpdate> updates) {
        publishAll(updates, false);
    }

    /** Only while some connection subscribes to a stream (any topic, private order streams included). */
    @Override
    public boolean awaitsUpdates() {
        return hub.subscriptionCount() > 0;
    }

    /** Candle closes and stale reference quotes: see {@link StreamHub#publishByClock}. */
    @Override
    public void onClockUpdates(List<MarketDataUpdate> updates) {
        publishAll(updates, true);
    }

    private void publishAll(List<MarketDataUpdate> updates, boolean byClock) {
        long now = epochNanosClock.getAsLong();
        for (MarketDataUpdate u : updates) {
            if (u instanceof OrderUpdate o) {
                String topic = orderTopics.computeIfAbsent(o.accountId(), StreamTopics::v1Orders);
                if (hub.subscriberCount(topic) > 0) {
                    hub.publish(topic, o.seq(), MarketJson.message(o, now));
                }
            } else {
                publishPublic(u, now, byClock);
            }
        }
    }

    private void publishPublic(MarketDataUpdate u, long now, boolean byClock) {
        if (u instanceof TradeUpdate t) {
            SymbolTopics st = bySymbol.get(t.trade().symbol());
            v1(st.v1Trade, u, now, byClock);
            if (hub.subscriberCount(st.binanceTrade) > 0) {
                send(st.binanceTrade, u.seq(), BinanceJson.trade(t, t.trade().timeNanos()), byClock);
            }
        } else if (u instanceof DepthUpdate d) {
            SymbolTopics st = bySymbol.get(d.symbol());
            v1(st.v1Depth, u, now, byClock);
            if (hub.subscriberCount(st.binanceDepth) > 0) {
                send(st.binanceDepth, d.seq(), BinanceJson.depthUpdate(d, d.timeNanos()), byClock);
            }
            if (hub.subscriberCount(st.binanceDepth100ms) > 0) {
                depth100ms.add(d);
            }
        } else if (u instanceof CandleUpdate c) {
            SymbolTopics st = bySymbol.get(c.candle().symbol());
            int i = c.candle().interval().ordinal();
            v1(st.v1Kline[i], u, now, byClock);
            if (hub.subscriberCount(st.binanceKline[i]) > 0) {
                send(st.binanceKline[i], c.seq(), BinanceJson.kline(c, now), byClock);
            }
        } else if (u instanceof TickerUpdate t) {
            SymbolTopics st = bySymbol.get(t.ticker().symbol());
            v1(st.v1Ticker, u, now, byClock);
            if (t.referenceOnly()) {
                return; // Binance's tickers show no reference: nothing in them changed
            }
            if (hub.subscriberCount(st.binanceTicker) > 0) {
                send(st.binanceTicker, t.seq(), BinanceJson.ticker(t, now), byClock);
            }
            if (hub.subscriberCount(st.binanceMiniTicker) > 0) {
                send(st.binanceMiniTicker, t.seq(), BinanceJson.miniTicker(t, now), byClock);
            }
        } else if (u instanceof BookTickerUpdate b) {
            // our face has no book-ticker stream (its ticker carries bid and ask)
            SymbolTopics st = bySymbol.get(b.symbol());
            if (hub.subscriberCount(st.binanceBookTicker) > 0) {
                send(st.binanceBookTicker, b.seq(), BinanceJson.bookTicker(b), byClock);
            }
        }
    }

    private void v1(String topic, MarketDataUpdate u, long now, boolean byClock) {
        if (hub.subscriberCount(topic) > 0) {
            send(topic, u.seq(), MarketJson.message(u, now), byClock);
        }
    }

    private void send(String topic, long seq, String text, boolean byClock) {
        if (byClock) {
            hub.publishByClock(topic, seq, text);
        } else {
            hub.publish(topic, seq, text);
        }
    }

    /** One symbol's topic names on both faces, built once. */
    private static final class SymbolTopics {
        final String v1Trade;
        final String v1Depth;
        final String v1Ticker;
        final String[] v1Kline = new String[CandleInterval.values().length];
        final String binanceTrade;
        final String binanceDepth;
        final String binanceDepth100ms;
        final String binanceTicker;
        final String binanceMiniTicker;
        final String binanceBookTicker;
        final String[] binanceKline = new String[CandleInterval.values().length];

        SymbolTopics(String symbol) {
            String lower = StreamTopics.binanceSymbol(symbol);
            v1Trade = StreamTopics.v1(symbol + "@trade");
            v1Depth = StreamTopics.v1(symbol + "@depth");
            v1Ticker = StreamTopics.v1(symbol + "@ticker");
            binanceTrade = StreamTopics.binance(lower + "@trade");
            binanceDepth = StreamTopics.binance(lower + "@depth");
            binanceDepth100ms = StreamTopics.binance(lower + "@depth@100ms");
            binanceTicker = StreamTopics.binance(lower + "@ticker");
            binanceMiniTicker = StreamTopics.binance(lower + "@miniTicker");
            binanceBookTicker = StreamTopics.binance(lower + "@bookTicker");
            for (CandleInterval i : CandleInterval.values()) {
                v1Kline[i.ordinal()] = StreamTopics.v1(symbol + "@kline_" + i.code());
                binanceKline[i.ordinal()] = StreamTopics.binance(lower + "@kline_" + i.code());
            }
        }
    }
}
