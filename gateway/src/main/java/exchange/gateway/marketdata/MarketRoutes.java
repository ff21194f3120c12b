package exchange.gateway.marketdata;

import exchange.engine.SymbolConfig;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.http.ApiProblem;
import exchange.gateway.http.HttpJson;
import exchange.gateway.http.RequestParams;
import exchange.gateway.http.RouteGroup;
import exchange.gateway.http.Routes;
import exchange.readside.candle.Candle;
import exchange.readside.candle.CandleInterval;
import exchange.readside.marketdata.MarketDataService;
import exchange.readside.marketdata.PublicTrade;
import exchange.readside.marketdata.SymbolSnapshot;
import exchange.risk.Money;
import io.javalin.http.Context;

import java.util.List;
import java.util.Map;

import static exchange.gateway.http.RouteSupport.json;

/**
 * Our public market data (DESIGN section 4): {@code GET /v1/markets},
 * {@code /v1/markets/{symbol}/book?depth=N}, {@code /trades?limit=N},
 * {@code /candles?interval=1s|1m|5m&start_time&end_time&limit} and {@code /ticker}. No key; rate
 * limited per client address (429 {@code RATE_LIMITED} with {@code Retry-After}). An unlisted
 * symbol is 404 {@code UNKNOWN_SYMBOL}, a bad parameter 400 {@code INVALID_FIELD} naming it.
 * Every body carries the {@code seq} it reflects. Stateless; Jetty request threads.
 */
public final class MarketRoutes implements RouteGroup {
    public static final int DEFAULT_DEPTH = 100;
    public static final int MAX_DEPTH = 5_000;
    public static final int DEFAULT_TRADES = 100;
    public static final int MAX_TRADES = 1_000;
    public static final int DEFAULT_CANDLES = 500;
    public static final int MAX_CANDLES = 1_000;
    /** Longest wait of a read with {@code min_seq} for market data to catch up. */
    public static final long MIN_SEQ_WAIT_MILLIS = 2_000;

    private final MarketDataService marketData;
    private final MarketInfo info;
    private final AddressRateLimit rateLimit;
    private final EpochNanoClock clock;

    MarketRoutes(MarketDataService marketData, MarketInfo info, AddressRateLimit rateLimit, EpochNanoClock clock) {
        this.marketData = marketData;
        this.info = info;
        this.rateLimit = rateLimit;
        this.clock = clock;
    }

    @Override
    public void register(Routes r) {
        r.get("/v1/markets", this::markets);
        r.get("/v1/markets/{symbol}/book", this::book);
        r.get("/v1/markets/{symbol}/trades", this::trades);
        r.get("/v1/markets/{symbol}/candles", this::candles);
        r.get("/v1/markets/{symbol}/ticker", this::ticker);
    }

    private void limit(Context ctx) {
        long wait = rateLimit.tryAcquire(ctx);
        if (wait > 0) {
            throw ApiProblem.withHeaders(429, "RATE_LIMITED", "too many market-data requests from this address",
                    Map.of("Retry-After", Long.toString(wait)));
        }
    }

    private SymbolSnapshot snapshot(Context ctx) {
        limit(ctx);
        awaitMinSeq(ctx);
        String symbol = ctx.pathParam("symbol");
        SymbolSnapshot s = marketData.view().snapshot(symbol);
        if (s == null) {
            throw ApiProblem.of(404, "UNKNOWN_SYMBOL", "no listed symbol " + symbol);
        }
        return s;
    }

    /**
     * Read-your-writes: with {@code min_seq=S} (the {@code seq} of an ack) the read waits, at most
     * {@link #MIN_SEQ_WAIT_MILLIS} ms, until market data reflects S, else 503 {@code MARKET_DATA_BEHIND}.
     */
    private void awaitMinSeq(Context ctx) {
        String text = ctx.queryParam("min_seq");
        if (text == null) {
            return;
        }
        long seq = RequestParams.positiveInteger(text);
        if (seq < 0) {
            throw ApiProblem.invalidField("min_seq", "min_seq must be a non-negative integer");
        }
        try {
            if (!marketData.awaitSeq(seq, java.time.Duration.ofMillis(MIN_SEQ_WAIT_MILLIS))) {
                throw ApiProblem.withHeaders(503, "MARKET_DATA_BEHIND", "market data has not reached seq " + seq
                        + " yet", Map.of("Retry-After", "1"));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiProblem.forStatus(503);
        }
    }

    static int intParam(Context ctx, String name, int fallback, int max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return fallback;
        }
        long v = RequestParams.positiveInteger(text);
        if (v < 1 || v > max) {
            throw ApiProblem.invalidField(name, name + " must be an integer from 1 to " + max);
        }
        return (int) v;
    }

    private void markets(Context ctx) {
        limit(ctx);
        boolean open = marketData.view().sessionOpen();
        long seq = marketData.view().committedSeq();
        json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("markets");
            for (SymbolConfig s : info.symbols()) {
                g.writeStartObject();
                g.writeStringField("symbol", s.symbol());
                g.writeStringField("base_asset", s.symbol());
                g.writeStringField("quote_asset", MarketInfo.QUOTE_ASSET);
                g.writeStringField("status", open ? "open" : "closed");
                g.writeArrayFieldStart("tick_sizes");
                g.writeStartObject();
                g.writeStringField("from_price", Money.format(MarketInfo.SUB_DOLLAR_TICK));
                g.writeStringField("tick_size", Money.format(MarketInfo.SUB_DOLLAR_TICK));
                g.writeEndObject();
                g.writeStartObject();
                g.writeStringField("from_price", Money.format(MarketInfo.CENT_TICK_FROM));
                g.writeStringField("tick_size", Money.format(MarketInfo.CENT_TICK));
                g.writeEndObject();
                g.writeEndArray();
                g.writeNumberField("min_qty", 1);
                g.writeNumberField("max_qty", info.maxOrderQty());
                g.writeStringField("max_price", Money.format(info.maxPriceTicks()));
                g.writeStringField("max_notional", Money.format(info.maxOrderNotionalTicks()));
                MarketJson.price(g, "reference_price", s.referencePriceTicks());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("session");
            g.writeStringField("state", open ? "open" : "closed");
            MarketJson.nullable(g, "session_date", HttpJson.date(marketData.view().sessionDate()));
            g.writeEndObject();
            g.writeNumberField("seq", seq);
            g.writeEndObject();
        }));
    }

    private void book(Context ctx) {
        SymbolSnapshot s = snapshot(ctx);
        int depth = intParam(ctx, "depth", DEFAULT_DEPTH, MAX_DEPTH);
        json(ctx, 200, HttpJson.render(g -> MarketJson.book(g, s.book(depth))));
    }

    /** Newest first, as this API lists fills and orders. */
    private void trades(Context ctx) {
        SymbolSnapshot s = snapshot(ctx);
        int limit = intParam(ctx, "limit", DEFAULT_TRADES, MAX_TRADES);
        List<PublicTrade> trades = marketData.recentTrades(s.symbol(), limit);
        json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("symbol", s.symbol());
            g.writeNumberField("seq", s.seq());
            g.writeArrayFieldStart("trades");
            for (int i = trades.size() - 1; i >= 0; i--) {
                MarketJson.trade(g, trades.get(i));
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /**
     * Oldest first. With {@code start_time} the page starts there, else it ends at the newest
     * candle at or before {@code end_time}. An interval without trades has no candle.
     */
    private void candles(Context ctx) {
        SymbolSnapshot s = snapshot(ctx);
        String code = ctx.queryParam("interval");
        if (code == null) {
            throw ApiProblem.field("MISSING_FIELD", "interval", "interval is required: 1s, 1m or 5m");
        }
        CandleInterval interval = CandleInterval.ofCode(code)
                .orElseThrow(() -> ApiProblem.invalidField("interval", "interval must be 1s, 1m or 5m"));
        long start = RequestParams.timeParam(ctx, "start_time");
        long end = RequestParams.timeParam(ctx, "end_time");
        if (start != 0 && end != 0 && end < start) {
            throw ApiProblem.invalidField("end_time", "end_time must not be before start_time");
        }
        int limit = intParam(ctx, "limit", DEFAULT_CANDLES, MAX_CANDLES);
        List<Candle> candles = marketData.candles(s.symbol(), interval, start == 0 ? Long.MIN_VALUE : start,
                end == 0 ? Long.MAX_VALUE : end, limit, start != 0);
        json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("symbol", s.symbol());
            g.writeStringField("interval", interval.code());
            g.writeNumberField("seq", s.seq());
            g.writeArrayFieldStart("candles");
            for (Candle c : candles) {
                MarketJson.candle(g, c);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /** The ticker; its reference quotes count if fresh now, by the clock that stamps commands. */
    private void ticker(Context ctx) {
        SymbolSnapshot s = snapshot(ctx);
        long now = clock.epochNanos();
        json(ctx, 200, HttpJson.render(g -> MarketJson.ticker(g, s.ticker(), now)));
    }

    /** Both faces' route groups over one projection and one per-address bucket. */
    public static List<RouteGroup> groups(MarketDataService marketData, exchange.engine.ExchangeConfig config,
                                          exchange.gateway.ratelimit.TokenBucketRateLimiter perAddress,
                                          EpochNanoClock clock) {
        MarketInfo info = MarketInfo.of(config);
        AddressRateLimit limit = new AddressRateLimit(perAddress);
        return List.of(new MarketRoutes(marketData, info, limit, clock),
                new BinanceRoutes(marketData, info, limit, clock));
    }
}
