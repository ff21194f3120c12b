package exchange.gateway.marketdata;

import com.fasterxml.jackson.core.JsonGenerator;
import exchange.gateway.http.HttpJson;
import exchange.readside.candle.Candle;
import exchange.readside.marketdata.BookLevel;
import exchange.readside.marketdata.MarketDataUpdate.BookTickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import exchange.readside.marketdata.PublicTrade;
import exchange.readside.marketdata.Ticker;
import exchange.risk.Money;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Binance's public market-data JSON, field for field: the REST bodies of {@code /api/v3/...} and
 * the WebSocket events ({@code trade}, {@code depthUpdate}, {@code kline}, {@code 24hrTicker},
 * {@code bookTicker}). Decimals are strings with 8 fraction digits as Binance writes them
 * ({@code "190.00000000"}), quantities too (whole shares), times are epoch milliseconds, ids and
 * counts numbers. Pure functions; any thread.
 */
public final class BinanceJson {
    private BinanceJson() {
    }

    /** Money ticks (4 decimals) as Binance's 8-decimal string. */
    static String decimal(long ticks) {
        long whole = Math.abs(ticks / Money.SCALE);
        long frac = Math.abs(ticks % Money.SCALE);
        String f = Long.toString(frac);
        return (ticks < 0 ? "-" : "") + whole + "." + "0000".substring(f.length()) + f + "0000";
    }

    /** Whole shares as Binance's 8-decimal string. */
    static String qty(long shares) {
        return shares + ".00000000";
    }

    static long millis(long epochNanos) {
        return Math.floorDiv(epochNanos, 1_000_000L);
    }

    // ---- WebSocket events --------------------------------------------------------------------------------

    /** {@code <symbol>@trade}: {@code {"e":"trade","E","s","t","p","q","T","m","M"}}. */
    public static String trade(TradeUpdate u, long eventTimeNanos) {
        PublicTrade t = u.trade();
        return text(g -> {
            g.writeStartObject();
            g.writeStringField("e", "trade");
            g.writeNumberField("E", millis(eventTimeNanos));
            g.writeStringField("s", t.symbol());
            g.writeNumberField("t", t.tradeId());
            g.writeStringField("p", decimal(t.priceTicks()));
            g.writeStringField("q", qty(t.qty()));
            g.writeNumberField("T", millis(t.timeNanos()));
            g.writeBooleanField("m", t.buyerIsMaker());
            g.writeBooleanField("M", true);
            g.writeEndObject();
        });
    }

    /**
     * {@code <symbol>@depth}: {@code {"e":"depthUpdate","E","s","U","u","b","a"}} with {@code U} =
     * the diff's first sequence and {@code u} its last, so Binance's local-book procedure works.
     */
    public static String depthUpdate(DepthUpdate d, long eventTimeNanos) {
        return text(g -> {
            g.writeStartObject();
            g.writeStringField("e", "depthUpdate");
            g.writeNumberField("E", millis(eventTimeNanos));
            g.writeStringField("s", d.symbol());
            g.writeNumberField("U", d.firstSeq());
            g.writeNumberField("u", d.seq());
            levels(g, "b", d.bids());
            levels(g, "a", d.asks());
            g.writeEndObject();
        });
    }

    /** {@code <symbol>@kline_<interval>}: {@code {"e":"kline","E","s","k":{t,T,s,i,f,L,o,c,h,l,v,n,x,q,V,Q,B}}}. */
    public static String kline(CandleUpdate u, long eventTimeNanos) {
        Candle c = u.candle();
        return text(g -> {
            g.writeStartObject();
            g.writeStringField("e", "kline");
            g.writeNumberField("E", millis(eventTimeNanos));
            g.writeStringField("s", c.symbol());
            g.writeObjectFieldStart("k");
            g.writeNumberField("t", millis(c.openTimeNanos()));
            g.writeNumberField("T", millis(c.closeTimeNanos()));
            g.writeStringField("s", c.symbol());
            g.writeStringField("i", c.interval().code());
            g.writeNumberField("f", c.firstTradeId());
            g.writeNumberField("L", c.lastTradeId());
            g.writeStringField("o", decimal(c.openTicks()));
            g.writeStringField("c", decimal(c.closeTicks()));
            g.writeStringField("h", decimal(c.highTicks()));
            g.writeStringField("l", decimal(c.lowTicks()));
            g.writeStringField("v", qty(c.volume()));
            g.writeNumberField("n", c.tradeCount());
            g.writeBooleanField("x", c.closed());
            g.writeStringField("q", decimal(c.quoteVolumeTicks()));
            g.writeStringField("V", qty(c.takerBuyVolume()));
            g.writeStringField("Q", decimal(c.takerBuyQuoteVolumeTicks()));
            g.writeStringField("B", "0");
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code <symbol>@ticker}: the {@code 24hrTicker} event (over the session, see {@link #ticker24hr}). */
    public static String ticker(TickerUpdate u, long eventTimeNanos) {
        Ticker t = u.ticker();
        return text(g -> {
            g.writeStartObject();
            g.writeStringField("e", "24hrTicker");
            g.writeNumberField("E", millis(eventTimeNanos));
            g.writeStringField("s", t.symbol());
            g.writeStringField("p", decimal(change(t)));
            g.writeStringField("P", changePercent(t));
            g.writeStringField("w", decimal(t.vwapTicks()));
            g.writeStringField("x", decimal(t.prevCloseTicks()));
            g.writeStringField("c", decimal(t.lastTicks()));
            g.writeStringField("Q", qty(t.lastQty()));
            g.writeStringField("b", decimal(t.bidTicks()));
            g.writeStringField("B", qty(t.bidQty()));
            g.writeStringField("a", decimal(t.askTicks()));
            g.writeStringField("A", qty(t.askQty()));
            g.writeStringField("o", decimal(t.openTicks()));
            g.writeStringField("h", decimal(t.highTicks()));
            g.writeStringField("l", decimal(t.lowTicks()));
            g.writeStringField("v", qty(t.volume()));
            g.writeStringField("q", decimal(t.quoteVolumeTicks()));
            g.writeNumberField("O", millis(t.sessionOpenedAtNanos()));
            g.writeNumberField("C", millis(eventTimeNanos));
            g.writeNumberField("F", t.tradeCount() == 0 ? -1 : t.firstTradeId());
            g.writeNumberField("L", t.tradeCount() == 0 ? -1 : t.lastTradeId());
            g.writeNumberField("n", t.tradeCount());
            g.writeEndObject();
        });
    }

    /** {@code <symbol>@bookTicker}: {@code {"u","s","b","B","a","A"}}, {@code u} = the sequence. */
    public static String bookTicker(BookTickerUpdate b) {
        return text(g -> {
            g.writeStartObject();
            g.writeNumberField("u", b.seq());
            g.writeStringField("s", b.symbol());
            g.writeStringField("b", decimal(b.bidTicks()));
            g.writeStringField("B", qty(b.bidQty()));
            g.writeStringField("a", decimal(b.askTicks()));
            g.writeStringField("A", qty(b.askQty()));
            g.writeEndObject();
        });
    }

    // ---- REST objects -----------------------------------------------------------------------------------

    static void levels(JsonGenerator g, String name, List<BookLevel> levels) throws IOException {
        g.writeArrayFieldStart(name);
        for (BookLevel l : levels) {
            g.writeStartArray();
            g.writeString(decimal(l.priceTicks()));
            g.writeString(qty(l.qty()));
            g.writeEndArray();
        }
        g.writeEndArray();
    }

    /** {@code /api/v3/trades} element. */
    static void trade(JsonGenerator g, PublicTrade t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", t.tradeId());
        g.writeStringField("price", decimal(t.priceTicks()));
        g.writeStringField("qty", qty(t.qty()));
        g.writeStringField("quoteQty", decimal(Math.multiplyExact(t.priceTicks(), t.qty())));
        g.writeNumberField("time", millis(t.timeNanos()));
        g.writeBooleanField("isBuyerMaker", t.buyerIsMaker());
        g.writeBooleanField("isBestMatch", true);
        g.writeEndObject();
    }

    /** {@code /api/v3/aggTrades} element: one trade per aggregate ({@code f == l == a}). */
    static void aggTrade(JsonGenerator g, PublicTrade t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("a", t.tradeId());
        g.writeStringField("p", decimal(t.priceTicks()));
        g.writeStringField("q", qty(t.qty()));
        g.writeNumberField("f", t.tradeId());
        g.writeNumberField("l", t.tradeId());
        g.writeNumberField("T", millis(t.timeNanos()));
        g.writeBooleanField("m", t.buyerIsMaker());
        g.writeBooleanField("M", true);
        g.writeEndObject();
    }

    /** {@code /api/v3/klines} element: Binance's 12-element array. */
    static void kline(JsonGenerator g, Candle c) throws IOException {
        g.writeStartArray();
        g.writeNumber(millis(c.openTimeNanos()));
        g.writeString(decimal(c.openTicks()));
        g.writeString(decimal(c.highTicks()));
        g.writeString(decimal(c.lowTicks()));
        g.writeString(decimal(c.closeTicks()));
        g.writeString(qty(c.volume()));
        g.writeNumber(millis(c.closeTimeNanos()));
        g.writeString(decimal(c.quoteVolumeTicks()));
        g.writeNumber(c.tradeCount());
        g.writeString(qty(c.takerBuyVolume()));
        g.writeString(decimal(c.takerBuyQuoteVolumeTicks()));
        g.writeString("0");
        g.writeEndArray();
    }

    /**
     * {@code /api/v3/ticker/24hr} object. Our figures cover the current (or last) trading session,
     * not a rolling 24 hours: {@code openTime} is when the session opened, {@code closeTime} now.
     */
    static void ticker24hr(JsonGenerator g, Ticker t, long nowNanos) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", t.symbol());
        g.writeStringField("priceChange", decimal(change(t)));
        g.writeStringField("priceChangePercent", changePercent(t));
        g.writeStringField("weightedAvgPrice", decimal(t.vwapTicks()));
        g.writeStringField("prevClosePrice", decimal(t.prevCloseTicks()));
        g.writeStringField("lastPrice", decimal(t.lastTicks()));
        g.writeStringField("lastQty", qty(t.lastQty()));
        g.writeStringField("bidPrice", decimal(t.bidTicks()));
        g.writeStringField("bidQty", qty(t.bidQty()));
        g.writeStringField("askPrice", decimal(t.askTicks()));
        g.writeStringField("askQty", qty(t.askQty()));
        g.writeStringField("openPrice", decimal(t.openTicks()));
        g.writeStringField("highPrice", decimal(t.highTicks()));
        g.writeStringField("lowPrice", decimal(t.lowTicks()));
        g.writeStringField("volume", qty(t.volume()));
        g.writeStringField("quoteVolume", decimal(t.quoteVolumeTicks()));
        g.writeNumberField("openTime", millis(t.sessionOpenedAtNanos()));
        g.writeNumberField("closeTime", millis(nowNanos));
        g.writeNumberField("firstId", t.tradeCount() == 0 ? -1 : t.firstTradeId());
        g.writeNumberField("lastId", t.tradeCount() == 0 ? -1 : t.lastTradeId());
        g.writeNumberField("count", t.tradeCount());
        g.writeEndObject();
    }

    static void priceTicker(JsonGenerator g, Ticker t) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", t.symbol());
        g.writeStringField("price", decimal(t.lastTicks()));
        g.writeEndObject();
    }

    static void bookTicker(JsonGenerator g, Ticker t) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", t.symbol());
        g.writeStringField("bidPrice", decimal(t.bidTicks()));
        g.writeStringField("bidQty", qty(t.bidQty()));
        g.writeStringField("askPrice", decimal(t.askTicks()));
        g.writeStringField("askQty", qty(t.askQty()));
        g.writeEndObject();
    }

    /** Last minus the session's open; 0 before the session's first trade. */
    private static long change(Ticker t) {
        return t.openTicks() == 0 ? 0 : t.lastTicks() - t.openTicks();
    }

    /** The change in percent of the open, 3 decimals as Binance writes it. */
    private static String changePercent(Ticker t) {
        if (t.openTicks() == 0) {
            return "0.000";
        }
        return new java.math.BigDecimal(change(t)).movePointRight(2)
                .divide(java.math.BigDecimal.valueOf(t.openTicks()), 3, java.math.RoundingMode.HALF_UP).toPlainString();
    }

    private static String text(HttpJson.Body body) {
        return new String(HttpJson.render(body), StandardCharsets.UTF_8);
    }
}
