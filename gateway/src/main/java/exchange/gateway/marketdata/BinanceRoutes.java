package exchange.gateway.marketdata;

import com.fasterxml.jackson.core.JsonGenerator;
import exchange.engine.SymbolConfig;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.http.HttpJson;
import exchange.gateway.http.RouteGroup;
import exchange.gateway.http.Routes;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataService;
import exchange.readside.marketdata.PublicTrade;
import exchange.readside.marketdata.SymbolSnapshot;
import exchange.readside.marketdata.Ticker;
import io.javalin.http.Context;
import io.javalin.http.Handler;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The Binance-compatible public market data (DESIGN section 4), so that unmodified Binance
 * clients pointed at us load markets and read books, trades, klines and tickers:
 * {@code /api/v3/ping}, {@code time}, {@code exchangeInfo}, {@code depth}, {@code trades},
 * {@code aggTrades}, {@code klines} (and {@code uiKlines}), {@code ticker/24hr},
 * {@code ticker/price}, {@code ticker/bookTicker}. Errors are Binance's
 * {@code {"code":-1121,"msg":"Invalid symbol."}} with HTTP 400 (429 and {@code -1003} when the
 * address's bucket is empty). No key; stateless; Jetty request threads.
 */
final class BinanceRoutes implements RouteGroup {
    static final int DEFAULT_DEPTH = 100;
    static final int MAX_DEPTH = 5_000;
    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1_000;
    private static final long HOUR_MILLIS = 3_600_000L;
    /** The largest id or epoch-ms parameter: epoch ms beyond it overflow the nanosecond clock (year 2262). */
    static final long MAX_PARAM = Long.MAX_VALUE / 1_000_000L - 1;

    private final MarketDataService marketData;
    private final MarketInfo info;
    private final AddressRateLimit rateLimit;
    private final EpochNanoClock clock;

    BinanceRoutes(MarketDataService marketData, MarketInfo info, AddressRateLimit rateLimit, EpochNanoClock clock) {
        this.marketData = marketData;
        this.info = info;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    /** A Binance error: HTTP status, Binance's code and message. */
    static final class BinanceError extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final int code;

        BinanceError(int status, int code, String msg) {
            super(msg, null, false, false);
            this.status = status;
            this.code = code;
        }
    }

    static BinanceError badParam(String name) {
        return new BinanceError(400, -1100, "Illegal characters found in parameter '" + name + "'; legal range is '^[0-9]{1,20}$'.");
    }

    static BinanceError missing(String name) {
        return new BinanceError(400, -1102, "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed.");
    }

    @Override
    public void register(Routes r) {
        r.get("/api/v3/ping", binance(ctx -> write(ctx, g -> {
            g.writeStartObject();
            g.writeEndObject();
        })));
        r.get("/api/v3/time", binance(ctx -> write(ctx, g -> {
            g.writeStartObject();
            g.writeNumberField("serverTime", BinanceJson.millis(clock.epochNanos()));
            g.writeEndObject();
        })));
        r.get("/api/v3/exchangeInfo", binance(this::exchangeInfo));
        r.get("/api/v3/depth", binance(this::depth));
        r.get("/api/v3/trades", binance(this::trades));
        r.get("/api/v3/aggTrades", binance(this::aggTrades));
        r.get("/api/v3/klines", binance(this::klines));
        r.get("/api/v3/uiKlines", binance(this::klines));
        r.get("/api/v3/ticker/24hr", binance(ctx -> tickers(ctx, (g, t) -> BinanceJson.ticker24hr(g, t,
                clock.epochNanos()))));
        r.get("/api/v3/ticker/price", binance(ctx -> tickers(ctx, BinanceJson::priceTicker)));
        r.get("/api/v3/ticker/bookTicker", binance(ctx -> tickers(ctx, BinanceJson::bookTicker)));
    }

    /** Rate limit, then the handler; a {@link BinanceError} becomes Binance's error body. */
    private Handler binance(Handler h) {
        return ctx -> {
            try {
                long wait = rateLimit.tryAcquire(ctx);
                if (wait > 0) {
                    ctx.header("Retry-After", Long.toString(wait));
                    throw new BinanceError(429, -1003, "Too many requests; current limit of this address is exceeded.");
                }
                h.handle(ctx);
            } catch (BinanceError e) {
                byte[] body = HttpJson.render(g -> {
                    g.writeStartObject();
                    g.writeNumberField("code", e.code);
                    g.writeStringField("msg", e.getMessage());
                    g.writeEndObject();
                });
                ctx.status(e.status).contentType("application/json").result(body);
            }
        };
    }

    private static void write(Context ctx, HttpJson.Body body) {
        ctx.status(200).contentType("application/json").result(HttpJson.render(body));
    }

    private SymbolSnapshot symbol(Context ctx) {
        String symbol = ctx.queryParam("symbol");
        if (symbol == null || symbol.isEmpty()) {
            throw missing("symbol");
        }
        SymbolSnapshot s = marketData.view().snapshot(symbol);
        if (s == null) {
            throw new BinanceError(400, -1121, "Invalid symbol.");
        }
        return s;
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String text = ctx.queryParam(name);
        if (text == null || text.isEmpty()) {
            return fallback;
        }
        // at most 18 digits: a 19-digit value may not fit a long, and every time parameter (epoch ms)
        // must still fit the engine's epoch-nanosecond clock when multiplied up
        long v = exchange.gateway.http.RequestParams.positiveInteger(text);
        if (v < 0 || v > MAX_PARAM) {
            throw badParam(name);
        }
        return v;
    }

    /** A limit: the default when absent, Binance's cap when larger (Binance truncates too). */
    private static int limitParam(Context ctx, int fallback, int max) {
        long v = longParam(ctx, "limit", fallback);
        if (v < 1) {
            throw badParam("limit");
        }
        return (int) Math.min(v, max);
    }

    /** The symbols of {@code symbol=X} or {@code symbols=["X","Y"]}; all (null) when neither. */
    private List<String> symbols(Context ctx) {
        String one = ctx.queryParam("symbol");
        String many = ctx.queryParam("symbols");
        if (one != null && many != null) {
            throw new BinanceError(400, -1101, "Parameter 'symbol' and 'symbols' cannot both be sent.");
        }
        if (one != null) {
            if (marketData.view().snapshot(one) == null) {
                throw new BinanceError(400, -1121, "Invalid symbol.");
            }
            return List.of(one);
        }
        if (many == null) {
            return null;
        }
        String t = many.trim();
        if (!t.startsWith("[") || !t.endsWith("]")) {
            throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
        }
        List<String> out = new ArrayList<>();
        for (String part : t.substring(1, t.length() - 1).split(",")) {
            String s = part.trim();
            if (s.length() < 2 || !s.startsWith("\"") || !s.endsWith("\"")) {
                throw new BinanceError(400, -1100, "Illegal characters found in parameter 'symbols'.");
            }
            s = s.substring(1, s.length() - 1);
            if (marketData.view().snapshot(s) == null) {
                throw new BinanceError(400, -1121, "Invalid symbol.");
            }
            out.add(s);
        }
        return out;
    }

    private void exchangeInfo(Context ctx) {
        List<String> wanted = symbols(ctx);
        String status = marketData.view().sessionOpen() ? "TRADING" : "BREAK";
        write(ctx, g -> {
            g.writeStartObject();
            g.writeStringField("timezone", "UTC");
            g.writeNumberField("serverTime", BinanceJson.millis(clock.epochNanos()));
            g.writeArrayFieldStart("rateLimits");
            g.writeEndArray();
            g.writeArrayFieldStart("exchangeFilters");
            g.writeEndArray();
            g.writeArrayFieldStart("symbols");
            for (SymbolConfig s : info.symbols()) {
                if (wanted == null || wanted.contains(s.symbol())) {
                    symbolInfo(g, s.symbol(), status);
                }
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /**
     * One symbol as Binance describes it. {@code PRICE_FILTER.tickSize} is a single number in
     * Binance's model: we give {@code 0.01}, valid at every price (below $1 our ladder also allows
     * {@code 0.0001}, which {@code /v1/markets} lists).
     */
    private void symbolInfo(JsonGenerator g, String symbol, String status) throws IOException {
        g.writeStartObject();
        g.writeStringField("symbol", symbol);
        g.writeStringField("status", status);
        g.writeStringField("baseAsset", symbol);
        g.writeNumberField("baseAssetPrecision", 8);
        g.writeStringField("quoteAsset", MarketInfo.QUOTE_ASSET);
        g.writeNumberField("quotePrecision", 8);
        g.writeNumberField("quoteAssetPrecision", 8);
        g.writeNumberField("baseCommissionPrecision", 8);
        g.writeNumberField("quoteCommissionPrecision", 8);
        g.writeArrayFieldStart("orderTypes");
        g.writeString("LIMIT");
        g.writeString("LIMIT_MAKER");
        g.writeEndArray();
        g.writeBooleanField("icebergAllowed", false);
        g.writeBooleanField("ocoAllowed", false);
        g.writeBooleanField("otoAllowed", false);
        g.writeBooleanField("quoteOrderQtyMarketAllowed", false);
        g.writeBooleanField("allowTrailingStop", false);
        g.writeBooleanField("cancelReplaceAllowed", false);
        g.writeBooleanField("isSpotTradingAllowed", true);
        g.writeBooleanField("isMarginTradingAllowed", false);
        g.writeArrayFieldStart("filters");
        g.writeStartObject();
        g.writeStringField("filterType", "PRICE_FILTER");
        g.writeStringField("minPrice", BinanceJson.decimal(MarketInfo.CENT_TICK));
        g.writeStringField("maxPrice", BinanceJson.decimal(info.maxPriceTicks()));
        g.writeStringField("tickSize", BinanceJson.decimal(MarketInfo.CENT_TICK));
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("filterType", "LOT_SIZE");
        g.writeStringField("minQty", BinanceJson.qty(1));
        g.writeStringField("maxQty", BinanceJson.qty(info.maxOrderQty()));
        g.writeStringField("stepSize", BinanceJson.qty(1));
        g.writeEndObject();
        g.writeStartObject();
        g.writeStringField("filterType", "NOTIONAL");
        g.writeStringField("minNotional", BinanceJson.decimal(0));
        g.writeBooleanField("applyMinToMarket", false);
        g.writeStringField("maxNotional", BinanceJson.decimal(info.maxOrderNotionalTicks()));
        g.writeBooleanField("applyMaxToMarket", false);
        g.writeNumberField("avgPriceMins", 0);
        g.writeEndObject();
        g.writeEndArray();
        g.writeArrayFieldStart("permissions");
        g.writeEndArray();
        g.writeArrayFieldStart("permissionSets");
        g.writeStartArray();
        g.writeString("SPOT");
        g.writeEndArray();
        g.writeEndArray();
        g.writeStringField("defaultSelfTradePreventionMode", "EXPIRE_TAKER");
        g.writeArrayFieldStart("allowedSelfTradePreventionModes");
        g.writeString("EXPIRE_TAKER");
        g.writeString("EXPIRE_MAKER");
        g.writeString("EXPIRE_BOTH");
        g.writeEndArray();
        g.writeEndObject();
    }

    private void depth(Context ctx) {
        SymbolSnapshot s = symbol(ctx);
        int limit = limitParam(ctx, DEFAULT_DEPTH, MAX_DEPTH);
        var book = s.book(limit);
        write(ctx, g -> {
            g.writeStartObject();
            g.writeNumberField("lastUpdateId", book.seq());
            BinanceJson.levels(g, "bids", book.bids());
            BinanceJson.levels(g, "asks", book.asks());
            g.writeEndObject();
        });
    }

    private void trades(Context ctx) {
        SymbolSnapshot s = symbol(ctx);
        List<PublicTrade> trades = marketData.recentTrades(s.symbol(), limitParam(ctx, DEFAULT_LIMIT, MAX_LIMIT));
        write(ctx, g -> {
            g.writeStartArray();
            for (PublicTrade t : trades) {
                BinanceJson.trade(g, t);
            }
            g.writeEndArray();
        });
    }

    /**
     * Binance's rules: {@code fromId} pages from that id; {@code startTime}/{@code endTime} (epoch
     * ms, at most an hour apart when both are given) bound by time; neither gives the most recent.
     */
    private void aggTrades(Context ctx) {
        SymbolSnapshot s = symbol(ctx);
        int limit = limitParam(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        long fromId = longParam(ctx, "fromId", -1);
        long start = longParam(ctx, "startTime", -1);
        long end = longParam(ctx, "endTime", -1);
        if (start >= 0 && end >= 0 && (end < start || end - start > HOUR_MILLIS)) {
            throw new BinanceError(400, -1127, "More than 1 hours between startTime and endTime.");
        }
        List<PublicTrade> trades;
        if (fromId < 0 && start < 0 && end < 0) {
            trades = marketData.recentTrades(s.symbol(), limit);
        } else {
            trades = marketData.trades(s.symbol(), Math.max(fromId, 0), start < 0 ? Long.MIN_VALUE : start * 1_000_000L,
                    end < 0 ? Long.MAX_VALUE : end * 1_000_000L + 999_999L, limit);
        }
        write(ctx, g -> {
            g.writeStartArray();
            for (PublicTrade t : trades) {
                BinanceJson.aggTrade(g, t);
            }
            g.writeEndArray();
        });
    }

    /** Binance's rules: with {@code startTime} the page begins there, else it ends at the newest (or {@code endTime}). */
    private void klines(Context ctx) {
        SymbolSnapshot s = symbol(ctx);
        String code = ctx.queryParam("interval");
        if (code == null || code.isEmpty()) {
            throw missing("interval");
        }
        CandleInterval interval = CandleInterval.ofCode(code)
                .orElseThrow(() -> new BinanceError(400, -1120, "Invalid interval."));
        int limit = limitParam(ctx, DEFAULT_LIMIT, MAX_LIMIT);
        long start = longParam(ctx, "startTime", -1);
        long end = longParam(ctx, "endTime", -1);
        if (start >= 0 && end >= 0 && end < start) {
            throw new BinanceError(400, -1023, "Start time is greater than end time.");
        }
        List<Candle> candles = marketData.candles(s.symbol(), interval,
                start < 0 ? Long.MIN_VALUE : interval.bucketStart(start * 1_000_000L),
                end < 0 ? Long.MAX_VALUE : end * 1_000_000L + 999_999L, limit, start >= 0);
        write(ctx, g -> {
            g.writeStartArray();
            for (Candle c : candles) {
                BinanceJson.kline(g, c);
            }
            g.writeEndArray();
        });
    }

    @FunctionalInterface
    private interface TickerWriter {
        void write(JsonGenerator g, Ticker t) throws IOException;
    }

    /** One object for {@code symbol=}, an array for {@code symbols=[...]} or for all symbols. */
    private void tickers(Context ctx, TickerWriter w) {
        boolean single = ctx.queryParam("symbol") != null;
        List<String> wanted = symbols(ctx);
        List<String> all = wanted != null ? wanted : marketData.view().symbols();
        write(ctx, g -> {
            if (single) {
                w.write(g, marketData.view().snapshot(all.get(0)).ticker());
                return;
            }
            g.writeStartArray();
            for (String s : all) {
                w.write(g, marketData.view().snapshot(s).ticker());
            }
            g.writeEndArray();
        });
    }
}
