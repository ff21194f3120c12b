package exchange.gateway.marketdata;

import com.fasterxml.jackson.core.JsonGenerator;
import exchange.gateway.http.HttpJson;
import exchange.readside.candle.Candle;
import exchange.readside.marketdata.BookLevel;
import exchange.readside.marketdata.BookSnapshot;
import exchange.readside.marketdata.MarketDataUpdate;
import exchange.readside.marketdata.MarketDataUpdate.BookTickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.CandleUpdate;
import exchange.readside.marketdata.MarketDataUpdate.DepthUpdate;
import exchange.readside.marketdata.MarketDataUpdate.OrderUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TickerUpdate;
import exchange.readside.marketdata.MarketDataUpdate.TradeUpdate;
import exchange.readside.marketdata.PublicTrade;
import exchange.readside.marketdata.Reference;
import exchange.readside.marketdata.ReferenceQuote;
import exchange.readside.marketdata.Ticker;
import exchange.risk.Money;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * Our market-data JSON (DESIGN section 4): snake_case, prices and amounts as decimal strings,
 * quantities as integers, times as ISO-8601 UTC instants, {@code seq} on every document. The same
 * objects appear in the REST bodies and, wrapped as {@code {"stream","seq","data"}}, in the
 * WebSocket messages ({@link #message}), so REST and WS show a candle or a trade identically.
 * The ticker's reference fields depend on when it is served: the caller passes its wall clock
 * ({@code nowNanos}, the clock that stamps commands). Pure functions; any thread.
 */
public final class MarketJson {
    private MarketJson() {
    }

    // ---- WebSocket messages ------------------------------------------------------------------------

    /**
     * The {@code /v1/stream} message of an update: {@code {"stream":"AAPL@trade","seq":S,"data":{...}}}.
     * Streams: {@code SYMBOL@trade}, {@code SYMBOL@depth} (data: {@code first_seq}, {@code seq},
     * changed levels, qty 0 = gone), {@code SYMBOL@kline_1s|1m|5m}, {@code SYMBOL@ticker},
     * {@code SYMBOL@book_ticker} and the private {@code orders}.
     *
     * @param nowNanos the wall clock, epoch nanos: which reference quotes a ticker shows, and their age
     */
    public static String message(MarketDataUpdate u, long nowNanos) {
        return new String(HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("stream", streamOf(u));
            g.writeNumberField("seq", u.seq());
            g.writeFieldName("data");
            data(g, u, nowNanos);
            g.writeEndObject();
        }), StandardCharsets.UTF_8);
    }

    /** The stream an update belongs to (ours). */
    public static String streamOf(MarketDataUpdate u) {
        if (u instanceof TradeUpdate t) {
            return t.trade().symbol() + "@trade";
        } else if (u instanceof DepthUpdate d) {
            return d.symbol() + "@depth";
        } else if (u instanceof CandleUpdate c) {
            return c.candle().symbol() + "@kline_" + c.candle().interval().code();
        } else if (u instanceof TickerUpdate t) {
            return t.ticker().symbol() + "@ticker";
        } else if (u instanceof BookTickerUpdate b) {
            return b.symbol() + "@book_ticker";
        }
        return "orders";
    }

    private static void data(JsonGenerator g, MarketDataUpdate u, long nowNanos) throws IOException {
        if (u instanceof TradeUpdate t) {
            trade(g, t.trade());
        } else if (u instanceof DepthUpdate d) {
            g.writeStartObject();
            g.writeStringField("symbol", d.symbol());
            g.writeNumberField("first_seq", d.firstSeq());
            g.writeNumberField("seq", d.seq());
            g.writeStringField("time", HttpJson.instant(d.timeNanos()));
            levels(g, "bids", d.bids());
            levels(g, "asks", d.asks());
            g.writeEndObject();
        } else if (u instanceof CandleUpdate c) {
            candle(g, c.candle());
        } else if (u instanceof TickerUpdate t) {
            ticker(g, t.ticker(), nowNanos);
        } else if (u instanceof BookTickerUpdate b) {
            g.writeStartObject();
            g.writeStringField("symbol", b.symbol());
            g.writeNumberField("seq", b.seq());
            price(g, "bid", b.bidTicks());
            g.writeNumberField("bid_qty", b.bidQty());
            price(g, "ask", b.askTicks());
            g.writeNumberField("ask_qty", b.askQty());
            g.writeEndObject();
        } else {
            order(g, (OrderUpdate) u);
        }
    }

    // ---- objects shared by REST and WS ---------------------------------------------------------------

    /** A trade: {@code venue} is the quote source of a fill against the outside market, null for our book's. */
    static void trade(JsonGenerator g, PublicTrade t) throws IOException {
        g.writeStartObject();
        g.writeNumberField("trade_id", t.tradeId());
        g.writeStringField("symbol", t.symbol());
        g.writeStringField("price", Money.format(t.priceTicks()));
        g.writeNumberField("qty", t.qty());
        g.writeStringField("taker_side", t.takerSide().name().toLowerCase(Locale.ROOT));
        g.writeStringField("executed_at", HttpJson.instant(t.timeNanos()));
        g.writeNumberField("seq", t.seq());
        nullable(g, "venue", t.venue());
        g.writeEndObject();
    }

    static void candle(JsonGenerator g, Candle c) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", c.symbol());
        g.writeStringField("interval", c.interval().code());
        g.writeStringField("open_time", HttpJson.instant(c.openTimeNanos()));
        g.writeStringField("close_time", HttpJson.instant(c.closeTimeNanos()));
        g.writeStringField("open", Money.format(c.openTicks()));
        g.writeStringField("high", Money.format(c.highTicks()));
        g.writeStringField("low", Money.format(c.lowTicks()));
        g.writeStringField("close", Money.format(c.closeTicks()));
        g.writeNumberField("volume", c.volume());
        g.writeStringField("quote_volume", Money.format(c.quoteVolumeTicks()));
        g.writeNumberField("trade_count", c.tradeCount());
        g.writeStringField("vwap", Money.format(c.vwapTicks()));
        g.writeNumberField("first_trade_id", c.firstTradeId());
        g.writeNumberField("last_trade_id", c.lastTradeId());
        g.writeBooleanField("closed", c.closed());
        g.writeEndObject();
    }

    /**
     * The ticker, with the composite reference at {@code nowNanos}: {@code reference_bid} /
     * {@code reference_ask} with their size, venue and age in ms, each null when no venue's quote
     * is fresh then.
     */
    static void ticker(JsonGenerator g, Ticker t, long nowNanos) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", t.symbol());
        g.writeNumberField("seq", t.seq());
        g.writeStringField("session_state", t.sessionOpen() ? "open" : "closed");
        nullable(g, "session_date", HttpJson.date(t.sessionDate()));
        price(g, "last", t.lastTicks());
        g.writeNumberField("last_qty", t.lastQty());
        nullable(g, "last_trade_at", HttpJson.instant(t.lastTradeAtNanos()));
        price(g, "bid", t.bidTicks());
        g.writeNumberField("bid_qty", t.bidQty());
        price(g, "ask", t.askTicks());
        g.writeNumberField("ask_qty", t.askQty());
        price(g, "open", t.openTicks());
        price(g, "high", t.highTicks());
        price(g, "low", t.lowTicks());
        g.writeNumberField("volume", t.volume());
        g.writeStringField("quote_volume", Money.format(t.quoteVolumeTicks()));
        g.writeNumberField("trade_count", t.tradeCount());
        price(g, "vwap", t.vwapTicks());
        price(g, "prev_close", t.prevCloseTicks());
        Reference r = t.reference(nowNanos);
        referenceSide(g, "reference_bid", r.bid(), r.bid() == null ? 0 : r.bid().bidTicks(),
                r.bid() == null ? 0 : r.bid().bidQty(), nowNanos);
        referenceSide(g, "reference_ask", r.ask(), r.ask() == null ? 0 : r.ask().askTicks(),
                r.ask() == null ? 0 : r.ask().askQty(), nowNanos);
        g.writeEndObject();
    }

    private static void referenceSide(JsonGenerator g, String name, ReferenceQuote q, long ticks, long qty,
                                      long nowNanos) throws IOException {
        if (q == null) {
            g.writeNullField(name);
            g.writeNullField(name + "_qty");
            g.writeNullField(name + "_venue");
            g.writeNullField(name + "_age_ms");
            return;
        }
        g.writeStringField(name, Money.format(ticks));
        g.writeNumberField(name + "_qty", qty);
        g.writeStringField(name + "_venue", q.venue());
        g.writeNumberField(name + "_age_ms", q.ageMillis(nowNanos));
    }

    /**
     * An order update; {@code order_id} is null for the liquidity provider's side of a fill against
     * the outside market, which has no order.
     */
    static void order(JsonGenerator g, OrderUpdate o) throws IOException {
        g.writeStartObject();
        if (o.orderId() == 0) {
            g.writeNullField("order_id");
        } else {
            g.writeNumberField("order_id", o.orderId());
        }
        nullable(g, "client_order_id", o.clientOrderId());
        g.writeNumberField("account_id", o.accountId());
        nullable(g, "symbol", o.symbol());
        nullable(g, "side", o.side() == null ? null : o.side().name().toLowerCase(Locale.ROOT));
        g.writeStringField("status", o.status().name().toLowerCase(Locale.ROOT));
        g.writeNumberField("qty", o.qty());
        g.writeNumberField("filled_qty", o.filledQty());
        g.writeNumberField("leaves_qty", o.leavesQty());
        g.writeStringField("limit_price", Money.format(o.priceTicks()));
        nullable(g, "time_in_force", o.timeInForce() == null ? null : o.timeInForce().name().toLowerCase(Locale.ROOT));
        nullable(g, "reason", o.reason());
        g.writeStringField("updated_at", HttpJson.instant(o.timeNanos()));
        g.writeNumberField("seq", o.seq());
        if (o.fill() == null) {
            g.writeNullField("fill");
        } else {
            g.writeObjectFieldStart("fill");
            g.writeNumberField("trade_id", o.fill().tradeId());
            g.writeNumberField("qty", o.fill().qty());
            g.writeStringField("price", Money.format(o.fill().priceTicks()));
            g.writeStringField("fee", Money.format(o.fill().feeTicks()));
            g.writeStringField("liquidity", o.fill().liquidity());
            nullable(g, "venue", o.fill().venue());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    static void book(JsonGenerator g, BookSnapshot b) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", b.symbol());
        g.writeNumberField("seq", b.seq());
        levels(g, "bids", b.bids());
        levels(g, "asks", b.asks());
        g.writeEndObject();
    }

    private static void levels(JsonGenerator g, String name, List<BookLevel> levels) throws IOException {
        g.writeArrayFieldStart(name);
        for (BookLevel l : levels) {
            g.writeStartObject();
            g.writeStringField("price", Money.format(l.priceTicks()));
            g.writeNumberField("qty", l.qty());
            g.writeNumberField("orders", l.orderCount());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A price, or null when there is none (0: no trade yet, empty side). */
    static void price(JsonGenerator g, String name, long ticks) throws IOException {
        if (ticks == 0) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Money.format(ticks));
        }
    }

    static void nullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
