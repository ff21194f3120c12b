package exchange.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Binance's face: raw streams at {@code /ws} and {@code /ws/<stream>}, combined ones at
 * {@code /stream?streams=a/b} (each message wrapped as {@code {"stream":"a","data":{...}}}), with
 * Binance's live methods and answer shapes: {@code {"result":null,"id":1}},
 * {@code {"result":["aapl@trade"],"id":3}} and {@code {"error":{"code":2,"msg":"Invalid request: ..."},"id":1}}
 * (codes: 0 unknown property, 1 invalid value type, 2 invalid request, 3 invalid JSON). Stream names
 * are lowercase, as Binance's are. Stateless; one instance serves all connections.
 */
final class BinanceStreamFace implements StreamFace {
    static final String WS_PATH = "/ws";
    static final String STREAM_PATH = "/stream";
    private static final String METHODS = "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`";

    /**
     * The streams an upgrade URL names: {@code /ws/a} (or {@code /ws/a/b}) or {@code /stream?streams=a/b};
     * empty for a bare {@code /ws} or {@code /stream}.
     */
    static List<String> namesInUrl(String path, String streamsParameter) {
        String joined;
        if (path.startsWith(WS_PATH + "/")) {
            joined = path.substring(WS_PATH.length() + 1);
        } else {
            joined = streamsParameter == null ? "" : streamsParameter;
        }
        List<String> names = new ArrayList<>();
        for (String part : joined.split("/")) {
            if (!part.isEmpty()) {
                names.add(part);
            }
        }
        return new ArrayList<>(new LinkedHashSet<>(names));
    }

    /** The first of {@code names} that is no stream of the catalog, or null if all are. */
    static String firstUnknown(StreamCatalog catalog, List<String> names) {
        for (String name : names) {
            if (!catalog.exists(StreamTopics.binance(name))) {
                return name;
            }
        }
        return null;
    }

    @Override
    public void onOpen(StreamConnection c) {
        // validated at the upgrade (StreamServlet), so every name exists and they are within the limit
        List<String> names = namesInUrl(c.path(), c.queryParameter("streams"));
        if (!names.isEmpty()) {
            c.hub().subscribe(c, topics(names), names, () -> { });
        }
    }

    @Override
    public void onText(StreamConnection c, String text) {
        StreamRequest req;
        try {
            req = StreamRequest.parse(text);
        } catch (StreamRequest.Invalid e) {
            boolean json = e.problem == StreamRequest.Problem.INVALID_JSON;
            c.send(error(e.id, json ? 3 : 2, (json ? "Invalid JSON: " : "Invalid request: ") + e.getMessage()));
            return;
        }
        switch (req.method()) {
            case "SUBSCRIBE" -> subscribe(c, req);
            case "UNSUBSCRIBE" -> {
                List<String> names = req.names();
                if (names == null) {
                    c.send(error(req.id(), 2, "Invalid request: `params` must be a non-empty array of stream names"));
                } else {
                    c.hub().unsubscribe(c, names);
                    c.send(result(req.id(), null));
                }
            }
            case "LIST_SUBSCRIPTIONS" -> {
                ArrayNode names = StreamRequest.JSON.createArrayNode();
                c.subscriptionNames().forEach(names::add);
                c.send(result(req.id(), names));
            }
            case "SET_PROPERTY" -> setProperty(c, req);
            case "GET_PROPERTY" -> {
                JsonNode p = req.params();
                if (p == null || p.size() != 1 || !p.get(0).isTextual()) {
                    c.send(error(req.id(), 2, "Invalid request: property name must be a string"));
                } else if (!"combined".equals(p.get(0).textValue())) {
                    c.send(error(req.id(), 0, "Unknown property"));
                } else {
                    c.send(result(req.id(), BooleanNode.valueOf(c.combined())));
                }
            }
            default -> c.send(error(req.id(), 2, "Invalid request: unknown variant " + req.method()
                    + ", expected one of " + METHODS));
        }
    }

    private void subscribe(StreamConnection c, StreamRequest req) {
        List<String> names = req.names();
        if (names == null) {
            c.send(error(req.id(), 2, "Invalid request: `params` must be a non-empty array of stream names"));
            return;
        }
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(names));
        StreamHub hub = c.hub();
        String unknown = firstUnknown(hub.catalog(), wanted);
        if (unknown != null) {
            c.send(error(req.id(), 2, "Invalid request: unknown stream " + unknown));
            return;
        }
        int added = 0;
        for (String name : wanted) {
            if (!c.isSubscribed(name)) {
                added++;
            }
        }
        int max = hub.config().maxSubscriptionsPerConnection();
        if (c.subscriptionCount() + added > max) {
            c.send(error(req.id(), 2, "Invalid request: too many subscriptions (at most " + max + " per connection)"));
            return;
        }
        hub.subscribe(c, topics(wanted), wanted, () -> c.send(result(req.id(), null)));
    }

    private void setProperty(StreamConnection c, StreamRequest req) {
        JsonNode p = req.params();
        if (p == null || p.size() != 2 || !p.get(0).isTextual()) {
            c.send(error(req.id(), 2, "Invalid request: property name must be a string"));
        } else if (!"combined".equals(p.get(0).textValue())) {
            c.send(error(req.id(), 0, "Unknown property"));
        } else if (!p.get(1).isBoolean()) {
            c.send(error(req.id(), 1, "Invalid value type: expected Boolean"));
        } else {
            c.combined(p.get(1).booleanValue());
            c.send(result(req.id(), null));
        }
    }

    private static List<String> topics(List<String> names) {
        List<String> topics = new ArrayList<>(names.size());
        for (String name : names) {
            topics.add(StreamTopics.binance(name));
        }
        return topics;
    }

    static String result(JsonNode id, JsonNode result) {
        ObjectNode o = StreamRequest.JSON.createObjectNode();
        o.set("result", result);
        o.set("id", id);
        return o.toString();
    }

    static String error(JsonNode id, int code, String msg) {
        ObjectNode o = StreamRequest.JSON.createObjectNode();
        ObjectNode e = o.putObject("error");
        e.put("code", code);
        e.put("msg", msg);
        o.set("id", id);
        return o.toString();
    }
}
