package exchange.gateway.quotes.sim;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import exchange.risk.Money;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.websocket.WsHandlerType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A simulated outside venue on loopback, serving Binance's public market-data format for the
 * quote adapters (issue 19) to connect to in demos, tests and benchmarks: WebSocket
 * {@code /ws/<stream>[/<stream>...]} (raw) and {@code /stream?streams=a/b} (combined) with
 * {@code <symbol>@bookTicker} and {@code <symbol>@trade}, REST {@code GET /api/v3/ticker/bookTicker}
 * ({@code symbol=X}, {@code symbols=["X","Y"]} or all) and {@code GET /api/v3/ping}. Quotes come
 * from a seeded random walk ({@link SimMarket}) at {@code rate} updates a second across the
 * symbols (in turn), each symbol's tenth update followed by a trade.
 *
 * <p><b>Control API, simulator only</b> (not part of any venue's format), for tests and demos:
 * <ul>
 *   <li>{@code POST /sim/quote {"symbol","bid","ask","bid_qty"?,"ask_qty"?,"silent"?}}: pin a
 *       symbol's quote (the walk leaves it alone) and send it, unless {@code silent} (then only
 *       REST shows it: a message the adapter missed);</li>
 *   <li>{@code POST /sim/release {"symbol"}}: the walk resumes from the pinned quote;</li>
 *   <li>{@code POST /sim/rate {"rate"}}: updates a second (0 = the feed goes silent);</li>
 *   <li>{@code POST /sim/drop}: cut every WebSocket connection without a close handshake;</li>
 *   <li>{@code POST /sim/send {"stream","text"}}: send a text as it is to the stream's subscribers;</li>
 *   <li>{@code POST /sim/burst {"symbol","count"}}: {@code count} walk steps of one symbol at once;
 *       answers the last quote sent;</li>
 *   <li>{@code POST /sim/rest-failures {"count","status","retry_after"?}}: the next {@code count}
 *       bookTicker calls answer {@code status} (with {@code Retry-After} seconds if given);</li>
 *   <li>{@code GET /sim/stats}: connections open, WebSocket connects, messages sent, REST calls.</li>
 * </ul>
 *
 * <p>{@code scripts/quote-sim.sh [--port N] [--seed S] [--symbols AAPLUSD:190.00,...] [--rate R]}.
 * Threads: a small Jetty pool and the feed thread, which sleeps between batches (never spins).
 */
public final class QuoteSimulator implements AutoCloseable {
    public static final int DEFAULT_PORT = 9001;
    public static final int DEFAULT_RATE = 100;
    /** Every this many quote updates, one trade. */
    public static final int TRADE_EVERY = 10;
    /** The demo configuration's symbols, as a venue quoting them in dollars names them. */
    public static final String DEFAULT_SYMBOLS = "AAPLUSD:190.00,MSFTUSD:420.00,GOOGLUSD:170.00,AMZNUSD:185.00,"
            + "TSLAUSD:250.00";
    static final String USAGE = "usage: quote-sim [--port N] [--seed S] [--symbols SYM:PRICE,...] [--rate UPDATES_PER_SECOND]";
    private static final long FEED_PAUSE_NANOS = 2_000_000;
    private static final int MAX_RATE = 1_000_000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SimMarket market;
    private final SimStreams streams = new SimStreams();
    private final Javalin app;
    private final Thread feed;
    private final long seed;
    private final AtomicLong restCalls = new AtomicLong();
    private final AtomicInteger restFailures = new AtomicInteger();
    private volatile int restFailureStatus = 503;
    private volatile long restRetryAfterSeconds;
    private volatile int rate;
    private volatile boolean running = true;

    /** The simulator's settings: its port (0 = any free one), seed, symbols with start prices in ticks, and rate. */
    public record Settings(int port, long seed, Map<String, Long> symbols, int rate) {
        public Settings {
            symbols = new LinkedHashMap<>(symbols);
            if (symbols.isEmpty() || rate < 0 || rate > MAX_RATE || port < 0 || port > 65_535) {
                throw new IllegalArgumentException("need symbols, a rate in [0, " + MAX_RATE + "] and a port");
            }
        }
    }

    private QuoteSimulator(Settings s) {
        this.seed = s.seed();
        this.market = new SimMarket(s.symbols(), s.seed());
        this.rate = s.rate();
        QueuedThreadPool pool = new QueuedThreadPool(16, 2);
        pool.setName("quote-sim-http");
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = pool;
            config.routes.addWsHandler(WsHandlerType.WEBSOCKET, "/ws/<streams>", ws -> streams.configure(ws, false));
            config.routes.addWsHandler(WsHandlerType.WEBSOCKET, "/stream", ws -> streams.configure(ws, true));
            config.routes.get("/api/v3/ping", ctx -> ctx.json(Map.of()));
            config.routes.get("/api/v3/ticker/bookTicker", this::bookTicker);
            config.routes.post("/sim/quote", this::pin);
            config.routes.post("/sim/release", ctx -> {
                market.release(symbol(body(ctx)));
                ctx.json(Map.of("released", true));
            });
            config.routes.post("/sim/rate", ctx -> {
                JsonNode b = body(ctx);
                int r = b.path("rate").asInt(-1);
                if (!b.path("rate").isInt() || r < 0 || r > MAX_RATE) {
                    throw new BadRequest("rate must be an integer in [0, " + MAX_RATE + "]");
                }
                rate = r;
                ctx.json(Map.of("rate", r));
            });
            config.routes.post("/sim/drop", ctx -> ctx.json(Map.of("dropped", streams.dropAll())));
            config.routes.post("/sim/send", ctx -> {
                JsonNode b = body(ctx);
                if (!b.path("stream").isTextual() || !b.path("text").isTextual()) {
                    throw new BadRequest("stream and text must be strings");
                }
                ctx.json(Map.of("sent_to", streams.sendRaw(b.get("stream").asText(), b.get("text").asText())));
            });
            config.routes.post("/sim/burst", this::burst);
            config.routes.post("/sim/rest-failures", this::restFailures);
            config.routes.get("/sim/stats", ctx -> ctx.json(Map.of("connections", streams.open(),
                    "ws_connects", streams.connects(), "messages_sent", streams.messagesSent(),
                    "rest_calls", restCalls.get(), "rate", rate, "seed", seed)));
            config.routes.exception(BadRequest.class, (e, ctx) -> ctx.status(400).json(Map.of("error", e.getMessage())));
        });
        this.feed = new Thread(this::runFeed, "quote-sim-feed");
        feed.setDaemon(true);
    }

    /** Starts serving on {@code 127.0.0.1} and starts the feed. */
    public static QuoteSimulator start(Settings settings) {
        QuoteSimulator sim = new QuoteSimulator(settings);
        sim.app.start("127.0.0.1", settings.port());
        sim.feed.start();
        return sim;
    }

    public int port() {
        return app.port();
    }

    public long seed() {
        return seed;
    }

    /** REST bookTicker calls served so far (failed ones included). */
    public long restCalls() {
        return restCalls.get();
    }

    /** WebSocket connections accepted so far. */
    public long wsConnects() {
        return streams.connects();
    }

    public int openConnections() {
        return streams.open();
    }

    /** Updates a second from now on (0 = silent). */
    public void rate(int updatesPerSecond) {
        if (updatesPerSecond < 0 || updatesPerSecond > MAX_RATE) {
            throw new IllegalArgumentException("rate must be in [0, " + MAX_RATE + "]");
        }
        rate = updatesPerSecond;
    }

    @Override
    public void close() {
        running = false;
        feed.interrupt();
        try {
            feed.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
    }

    // ---- the feed ----------------------------------------------------------------------------------

    /** Sends the updates due at the current rate, then sleeps a couple of milliseconds; never spins. */
    private void runFeed() {
        List<String> symbols = market.symbols();
        long sent = 0;
        int currentRate = rate;
        long since = System.nanoTime();
        int next = 0;
        while (running) {
            if (rate != currentRate) {
                currentRate = rate;
                since = System.nanoTime();
                sent = 0;
            }
            long due = (System.nanoTime() - since) / 1_000 * currentRate / 1_000_000;
            if (due - sent > currentRate) {
                sent = due - currentRate; // fallen more than a second behind: skip rather than burst
            }
            for (; sent < due && running; sent++) {
                String symbol = symbols.get(next);
                next = (next + 1) % symbols.size();
                SimMarket.Quote q = market.step(symbol);
                if (q != null) {
                    sendQuote(q);
                    if ((sent / symbols.size()) % TRADE_EVERY == TRADE_EVERY - 1) { // every tenth round
                        sendTrade(market.trade(symbol));
                    }
                }
            }
            LockSupport.parkNanos(FEED_PAUSE_NANOS);
        }
    }

    private void sendQuote(SimMarket.Quote q) {
        String lower = q.symbol().toLowerCase(Locale.ROOT);
        streams.publish(lower + "@bookTicker", "{\"u\":" + System.nanoTime() + ",\"s\":\"" + q.symbol() + "\",\"b\":\""
                + decimal(q.bidTicks()) + "\",\"B\":\"" + q.bidQty() + ".00000000\",\"a\":\"" + decimal(q.askTicks())
                + "\",\"A\":\"" + q.askQty() + ".00000000\"}");
    }

    private void sendTrade(SimMarket.Trade t) {
        long now = System.currentTimeMillis();
        streams.publish(t.symbol().toLowerCase(Locale.ROOT) + "@trade", "{\"e\":\"trade\",\"E\":" + now + ",\"s\":\""
                + t.symbol() + "\",\"t\":" + t.id() + ",\"p\":\"" + decimal(t.priceTicks()) + "\",\"q\":\"" + t.qty()
                + ".00000000\",\"T\":" + now + ",\"m\":" + t.buyerMaker() + ",\"M\":true}");
    }

    /** Ticks as Binance writes prices: 8 decimals. */
    static String decimal(long ticks) {
        long abs = Math.abs(ticks);
        String f = Long.toString(abs % Money.SCALE);
        return (ticks < 0 ? "-" : "") + abs / Money.SCALE + "." + "0000".substring(f.length()) + f + "0000";
    }

    // ---- REST ----------------------------------------------------------------------------------------

    private void bookTicker(Context ctx) {
        restCalls.incrementAndGet();
        if (restFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            if (restRetryAfterSeconds > 0) {
                ctx.header("Retry-After", Long.toString(restRetryAfterSeconds));
            }
            ctx.status(restFailureStatus).json(Map.of("code", -1003, "msg", "simulated failure"));
            return;
        }
        String one = ctx.queryParam("symbol");
        String many = ctx.queryParam("symbols");
        if (one != null) {
            if (!market.knows(one)) {
                ctx.status(400).json(Map.of("code", -1121, "msg", "Invalid symbol."));
                return;
            }
            ctx.json(restTicker(market.quote(one)));
            return;
        }
        List<SimMarket.Quote> quotes;
        if (many != null) {
            JsonNode names = parse(many);
            if (!names.isArray()) {
                ctx.status(400).json(Map.of("code", -1100, "msg", "Illegal characters found in parameter 'symbols'."));
                return;
            }
            quotes = new java.util.ArrayList<>();
            for (JsonNode n : names) {
                if (!market.knows(n.asText())) {
                    ctx.status(400).json(Map.of("code", -1121, "msg", "Invalid symbol."));
                    return;
                }
                quotes.add(market.quote(n.asText()));
            }
        } else {
            quotes = market.quotes();
        }
        ctx.json(quotes.stream().map(QuoteSimulator::restTicker).toList());
    }

    private static Map<String, String> restTicker(SimMarket.Quote q) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("symbol", q.symbol());
        m.put("bidPrice", decimal(q.bidTicks()));
        m.put("bidQty", q.bidQty() + ".00000000");
        m.put("askPrice", decimal(q.askTicks()));
        m.put("askQty", q.askQty() + ".00000000");
        return m;
    }

    // ---- control ------------------------------------------------------------------------------------

    private void pin(Context ctx) {
        JsonNode b = body(ctx);
        String symbol = symbol(b);
        long bid = price(b, "bid");
        long ask = price(b, "ask");
        long bidQty = b.has("bid_qty") ? b.path("bid_qty").asLong(-1) : 100;
        long askQty = b.has("ask_qty") ? b.path("ask_qty").asLong(-1) : 100;
        if (bidQty < 0 || askQty < 0) {
            throw new BadRequest("bid_qty and ask_qty must be whole numbers");
        }
        // crossed or zero quotes are allowed on purpose: tests send bad quotes through here
        SimMarket.Quote q = market.pin(symbol, bid, bidQty, ask, askQty);
        if (!b.path("silent").asBoolean(false)) {
            sendQuote(q);
        }
        ctx.json(restTicker(q));
    }

    private void burst(Context ctx) {
        JsonNode b = body(ctx);
        String symbol = symbol(b);
        int count = b.path("count").asInt(0);
        if (count < 1 || count > 1_000_000) {
            throw new BadRequest("count must be in [1, 1000000]");
        }
        market.release(symbol);
        SimMarket.Quote last = null;
        for (int i = 0; i < count; i++) {
            last = market.step(symbol);
            sendQuote(last);
        }
        ctx.json(restTicker(last));
    }

    private void restFailures(Context ctx) {
        JsonNode b = body(ctx);
        int count = b.path("count").asInt(-1);
        int status = b.path("status").asInt(503);
        if (count < 0 || status < 400 || status > 599) {
            throw new BadRequest("count must be >= 0 and status an HTTP error status");
        }
        restFailureStatus = status;
        restRetryAfterSeconds = Math.max(0, b.path("retry_after").asLong(0));
        restFailures.set(count);
        ctx.json(Map.of("count", count, "status", status));
    }

    private JsonNode body(Context ctx) {
        JsonNode n = parse(ctx.body());
        if (!n.isObject()) {
            throw new BadRequest("the body must be a JSON object");
        }
        return n;
    }

    private String symbol(JsonNode b) {
        String s = b.path("symbol").asText("");
        if (!market.knows(s)) {
            throw new BadRequest("unknown symbol " + s + " (known: " + market.symbols() + ")");
        }
        return s;
    }

    private static long price(JsonNode b, String key) {
        JsonNode n = b.get(key);
        boolean negative = n != null && n.isTextual() && n.asText().startsWith("-");
        long v = n == null || !n.isTextual() ? Money.OVERFLOW : Money.parse(negative ? n.asText().substring(1) : n.asText(),
                Money.SCALE_DIGITS);
        if (v == Money.OVERFLOW) {
            throw new BadRequest(key + " must be a decimal string such as \"190.25\"");
        }
        return negative ? -v : v;
    }

    private static JsonNode parse(String text) {
        try {
            return JSON.readTree(text == null || text.isEmpty() ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw new BadRequest("malformed JSON");
        }
    }

    /** A control request the simulator refuses: 400 with {"error"}. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message, null, false, false);
        }
    }

    // ---- main ---------------------------------------------------------------------------------------

    public static void main(String[] args) {
        Settings settings;
        try {
            settings = parseArgs(args);
        } catch (IllegalArgumentException e) {
            System.err.println("quote-sim: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        QuoteSimulator sim = start(settings);
        System.out.println("quote simulator listening on http://127.0.0.1:" + sim.port() + " and ws://127.0.0.1:"
                + sim.port() + "  (seed " + settings.seed() + ", symbols " + settings.symbols().keySet() + ", "
                + settings.rate() + " updates/s)");
        Runtime.getRuntime().addShutdownHook(new Thread(sim::close, "quote-sim-shutdown"));
    }

    static Settings parseArgs(String[] args) {
        int port = DEFAULT_PORT;
        long seed = System.nanoTime();
        String symbols = DEFAULT_SYMBOLS;
        int rate = DEFAULT_RATE;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String v = args[++i];
            try {
                switch (flag) {
                    case "--port" -> port = Integer.parseInt(v);
                    case "--seed" -> seed = Long.parseLong(v);
                    case "--symbols" -> symbols = v;
                    case "--rate" -> rate = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown argument " + flag);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " needs a number, got " + v);
            }
        }
        return new Settings(port, seed, parseSymbols(symbols), rate);
    }

    /** {@code AAPLUSD:190.00,MSFTUSD:420.00} (a symbol without a price starts at 100.00). */
    public static Map<String, Long> parseSymbols(String text) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            String[] kv = part.trim().split(":", 2);
            String name = kv[0].toUpperCase(Locale.ROOT);
            if (!name.matches("[A-Z0-9_.-]{1,20}")) {
                throw new IllegalArgumentException("not a venue symbol: " + kv[0]);
            }
            long ticks = kv.length == 2 ? Money.parse(kv[1], Money.SCALE_DIGITS) : 100 * Money.SCALE;
            if (ticks == Money.OVERFLOW || ticks < 2 * Money.CENT) {
                throw new IllegalArgumentException("start price of " + name + " must be a decimal of at least 0.02");
            }
            out.put(name, ticks);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--symbols names no symbol");
        }
        return out;
    }
}
