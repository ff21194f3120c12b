package exchange.gateway.quotes;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One entry of {@code quote_sources} (gateway/CONFIG.md): an outside venue speaking Binance's
 * public market-data format. The keys are fixed by issue 19 so deployments can rely on them;
 * {@code stale_after_ms} and {@code rest_requests_per_second} may be omitted (named defaults),
 * the others are required. Immutable and validated on construction; {@link #checkAgainst} adds
 * the checks that need the whole configuration (our symbols, names unique, venues per symbol).
 *
 * @param name                  the venue's name, journaled with each of its quotes and shown on trades
 * @param wsUrl                 WebSocket base: {@code ws://host:port} (combined streams at
 *                              {@code /stream?streams=}), or a URL ending in {@code /ws} for raw streams
 * @param restUrl               REST base: {@code http://host:port}; {@code /api/v3/ticker/bookTicker} is appended
 * @param symbols               the source's symbol (upper case, as Binance writes it in messages) to ours
 * @param staleAfterMillis      how long one of its quotes counts as the reference after it arrived
 * @param restRequestsPerSecond the token bucket's refill rate on REST calls (and its size: one second's worth)
 */
public record QuoteSourceConfig(String name, URI wsUrl, URI restUrl, Map<String, String> symbols,
                                long staleAfterMillis, int restRequestsPerSecond) {
    public static final long DEFAULT_STALE_AFTER_MILLIS = 5_000;
    public static final long MIN_STALE_AFTER_MILLIS = 100;
    public static final long MAX_STALE_AFTER_MILLIS = 3_600_000;
    public static final int DEFAULT_REST_REQUESTS_PER_SECOND = 5;
    public static final int MAX_REST_REQUESTS_PER_SECOND = 1_000;
    /** Longest name: the engine keeps at most this many characters of a venue. */
    public static final int MAX_NAME_LENGTH = 32;
    /** Symbols of one source: one WebSocket URL names two streams per symbol, one REST call asks for all. */
    public static final int MAX_SYMBOLS_PER_SOURCE = 200;
    public static final int MAX_SOURCES = 16;
    /** Venues the engine keeps per symbol (its {@code TOO_MANY_VENUES} limit). */
    public static final int MAX_SOURCES_PER_SYMBOL = 8;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1," + MAX_NAME_LENGTH + "}");
    /** Binance's symbol rule ({@code ^[A-Z0-9-_.]{1,20}$}), any case: streams name symbols in lower case. */
    private static final Pattern EXTERNAL_SYMBOL = Pattern.compile("[A-Za-z0-9_.-]{1,20}");
    private static final Set<String> KEYS = Set.of("name", "ws_url", "rest_url", "symbols", "stale_after_ms",
            "rest_requests_per_second");

    public QuoteSourceConfig {
        String at = "quote_sources[" + name + "]";
        require(name != null && NAME.matcher(name).matches(), "quote_sources: name must be 1.." + MAX_NAME_LENGTH
                + " characters of A-Z a-z 0-9 _ . -, was " + (name == null ? "missing" : "\"" + name + "\""));
        require(wsUrl != null && ("ws".equals(wsUrl.getScheme()) || "wss".equals(wsUrl.getScheme()))
                && wsUrl.getHost() != null && wsUrl.getRawQuery() == null,
                at + ".ws_url must be a ws:// or wss:// URL without a query, was " + wsUrl);
        require(restUrl != null && ("http".equals(restUrl.getScheme()) || "https".equals(restUrl.getScheme()))
                && restUrl.getHost() != null && restUrl.getRawQuery() == null,
                at + ".rest_url must be an http:// or https:// URL without a query, was " + restUrl);
        require(symbols != null && !symbols.isEmpty() && symbols.size() <= MAX_SYMBOLS_PER_SOURCE,
                at + ".symbols must map 1.." + MAX_SYMBOLS_PER_SOURCE + " of the source's symbols to ours");
        Map<String, String> upper = new LinkedHashMap<>();
        Set<String> ours = new HashSet<>();
        for (Map.Entry<String, String> e : symbols.entrySet()) {
            require(EXTERNAL_SYMBOL.matcher(e.getKey()).matches(), at + ".symbols: \"" + e.getKey()
                    + "\" is not a venue symbol (1..20 of A-Z 0-9 _ . -)");
            require(upper.put(e.getKey().toUpperCase(Locale.ROOT), e.getValue()) == null,
                    at + ".symbols names " + e.getKey() + " twice (symbols are compared ignoring case)");
            require(e.getValue() != null && ours.add(e.getValue()), at + ".symbols maps two of the source's symbols to "
                    + e.getValue() + ": one venue has one quote per symbol");
        }
        symbols = Collections.unmodifiableMap(upper);
        require(staleAfterMillis >= MIN_STALE_AFTER_MILLIS && staleAfterMillis <= MAX_STALE_AFTER_MILLIS,
                at + ".stale_after_ms must be in [" + MIN_STALE_AFTER_MILLIS + ", " + MAX_STALE_AFTER_MILLIS
                        + "], was " + staleAfterMillis);
        require(restRequestsPerSecond >= 1 && restRequestsPerSecond <= MAX_REST_REQUESTS_PER_SECOND,
                at + ".rest_requests_per_second must be in [1, " + MAX_REST_REQUESTS_PER_SECOND + "], was "
                        + restRequestsPerSecond);
    }

    /** The staleness limit journaled with each quote. */
    public long staleAfterNanos() {
        return staleAfterMillis * 1_000_000L;
    }

    /** Whether {@link #wsUrl} ends in {@code /ws}: raw streams, each message the bare payload. */
    public boolean rawStreams() {
        return wsUrl.getPath() != null && wsUrl.getPath().endsWith("/ws");
    }

    /**
     * The WebSocket URL of every symbol's {@code <symbol>@bookTicker} and {@code <symbol>@trade}
     * (lower-case symbols, as Binance names streams): {@code <ws_url>/stream?streams=a/b/...}, or
     * {@code <ws_url>/a/b/...} when the URL ends in {@code /ws}.
     */
    public URI streamUri() {
        StringBuilder joined = new StringBuilder();
        for (String external : symbols.keySet()) {
            String lower = external.toLowerCase(Locale.ROOT);
            joined.append(joined.length() == 0 ? "" : "/").append(lower).append("@bookTicker/").append(lower)
                    .append("@trade");
        }
        String base = wsUrl.toString();
        if (rawStreams()) {
            return URI.create(base + "/" + joined);
        }
        return URI.create((wsUrl.getPath() != null && wsUrl.getPath().endsWith("/stream") ? base : base + "/stream")
                + "?streams=" + joined);
    }

    /** {@code GET <rest_url>/api/v3/ticker/bookTicker?symbols=["A","B"]}: every symbol of the source in one call. */
    public URI bookTickerUri() {
        StringBuilder list = new StringBuilder("[");
        for (String external : symbols.keySet()) {
            list.append(list.length() == 1 ? "" : ",").append('"').append(external).append('"');
        }
        list.append(']');
        return URI.create(restUrl + "/api/v3/ticker/bookTicker?symbols="
                + URLEncoder.encode(list.toString(), StandardCharsets.UTF_8));
    }

    /**
     * The checks across sources and against the rest of the configuration: names unique, every
     * "ours" a configured symbol, at most {@link #MAX_SOURCES} sources and
     * {@link #MAX_SOURCES_PER_SYMBOL} per symbol (the engine would refuse the ninth venue's quotes).
     */
    public static void checkAgainst(List<QuoteSourceConfig> sources, Collection<String> configuredSymbols) {
        require(sources.size() <= MAX_SOURCES, "quote_sources: at most " + MAX_SOURCES + " sources");
        Set<String> names = new HashSet<>();
        Map<String, Integer> perSymbol = new HashMap<>();
        for (QuoteSourceConfig s : sources) {
            require(names.add(s.name()), "quote_sources: two sources are named " + s.name());
            for (String ours : s.symbols().values()) {
                require(configuredSymbols.contains(ours), "quote_sources[" + s.name() + "].symbols maps to " + ours
                        + ", which is not a configured symbol (" + new TreeSet<>(configuredSymbols) + ")");
                int n = perSymbol.merge(ours, 1, Integer::sum);
                require(n <= MAX_SOURCES_PER_SYMBOL, "quote_sources: more than " + MAX_SOURCES_PER_SYMBOL
                        + " sources quote " + ours);
            }
        }
    }

    /** Reads the {@code quote_sources} array; errors name the entry and the key. */
    public static List<QuoteSourceConfig> readAll(JsonNode array) {
        require(array != null && array.isArray(), "quote_sources must be an array");
        List<QuoteSourceConfig> out = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            String at = "quote_sources[" + i + "]";
            JsonNode s = array.get(i);
            require(s.isObject(), at + " must be a JSON object");
            for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
                String key = it.next();
                require(KEYS.contains(key), "unknown key " + at + "." + key + " (allowed: " + new TreeSet<>(KEYS) + ")");
            }
            JsonNode map = s.get("symbols");
            require(map != null && map.isObject(), at + ".symbols must be an object of the source's symbol to ours, "
                    + "e.g. {\"AAPLUSD\": \"AAPL\"}");
            Map<String, String> symbols = new LinkedHashMap<>();
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                require(e.getValue().isTextual(), at + ".symbols." + e.getKey() + " must be a string (our symbol)");
                symbols.put(e.getKey(), e.getValue().asText());
            }
            // the record's own checks name the entry by its name ("quote_sources[venue1].ws_url ...")
            out.add(new QuoteSourceConfig(text(s, "name", at), uri(s, "ws_url", at), uri(s, "rest_url", at), symbols,
                    s.has("stale_after_ms") ? integer(s, "stale_after_ms", at) : DEFAULT_STALE_AFTER_MILLIS,
                    s.has("rest_requests_per_second")
                            ? (int) Math.max(Integer.MIN_VALUE,
                                    Math.min(Integer.MAX_VALUE, integer(s, "rest_requests_per_second", at)))
                            : DEFAULT_REST_REQUESTS_PER_SECOND));
        }
        return List.copyOf(out);
    }

    private static String text(JsonNode parent, String key, String at) {
        JsonNode n = parent.get(key);
        require(n != null && n.isTextual(), at + "." + key + " must be a string");
        return n.asText();
    }

    private static URI uri(JsonNode parent, String key, String at) {
        String t = text(parent, key, at);
        try {
            URI u = new URI(t);
            // a trailing slash would give "//stream" and "//api"
            return t.endsWith("/") ? new URI(t.substring(0, t.length() - 1)) : u;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(at + "." + key + " is not a URL: " + t);
        }
    }

    private static long integer(JsonNode parent, String key, String at) {
        JsonNode n = parent.get(key);
        require(n != null && n.isIntegralNumber() && n.canConvertToLong(), at + "." + key + " must be an integer");
        return n.asLong();
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
