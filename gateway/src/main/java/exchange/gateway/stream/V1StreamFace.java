package exchange.gateway.stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Our face, {@code WS /v1/stream}: SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS and AUTH, each answered
 * with its {@code id}: {@code {"id":1,"result":null}} or {@code {"id":1,"error":{"code":"...","msg":"..."}}}
 * with a stable {@link Code}. Stream names are {@code SYMBOL@kind} (uppercase symbols) and the
 * private {@code orders}, which needs AUTH first and is bound to the authenticated account (topic
 * {@code v1:orders:<accountId>}): no name reaches another account's orders. A SUBSCRIBE is all or
 * nothing: every name is checked before any is subscribed. Stateless; one instance serves all.
 */
final class V1StreamFace implements StreamFace {
    /** The error codes of our face. */
    enum Code {
        INVALID_JSON,
        INVALID_REQUEST,
        UNKNOWN_METHOD,
        UNKNOWN_STREAM,
        AUTH_REQUIRED,
        INVALID_API_KEY,
        ALREADY_AUTHENTICATED,
        TOO_MANY_SUBSCRIPTIONS
    }

    private final ToLongFunction<String> authenticate;

    /** {@code authenticate} maps an API key to its account id, 0 if unknown. */
    V1StreamFace(ToLongFunction<String> authenticate) {
        this.authenticate = authenticate;
    }

    @Override
    public void onOpen(StreamConnection connection) {
        // our face subscribes by request only
    }

    @Override
    public void onText(StreamConnection c, String text) {
        StreamRequest req;
        try {
            req = StreamRequest.parse(text);
        } catch (StreamRequest.Invalid e) {
            c.send(error(e.id, e.problem == StreamRequest.Problem.INVALID_JSON ? Code.INVALID_JSON : Code.INVALID_REQUEST,
                    e.getMessage()));
            return;
        }
        switch (req.method()) {
            case "SUBSCRIBE" -> subscribe(c, req);
            case "UNSUBSCRIBE" -> unsubscribe(c, req);
            case "LIST_SUBSCRIPTIONS" -> {
                ArrayNode names = StreamRequest.JSON.createArrayNode();
                c.subscriptionNames().forEach(names::add);
                c.send(result(req.id(), names));
            }
            case "AUTH" -> auth(c, req);
            default -> c.send(error(req.id(), Code.UNKNOWN_METHOD, "unknown method " + req.method()
                    + "; expected one of SUBSCRIBE, UNSUBSCRIBE, LIST_SUBSCRIPTIONS, AUTH"));
        }
    }

    private void subscribe(StreamConnection c, StreamRequest req) {
        List<String> names = req.names();
        if (names == null) {
            c.send(error(req.id(), Code.INVALID_REQUEST, "`params` must be a non-empty array of stream names"));
            return;
        }
        StreamHub hub = c.hub();
        List<String> wanted = new ArrayList<>(new LinkedHashSet<>(names));
        List<String> topics = new ArrayList<>(wanted.size());
        int added = 0;
        for (String name : wanted) {
            String topic;
            if (StreamTopics.ORDERS.equals(name)) {
                if (c.accountId() == 0) {
                    c.send(error(req.id(), Code.AUTH_REQUIRED, "the orders stream needs AUTH with an API key first"));
                    return;
                }
                topic = StreamTopics.v1Orders(c.accountId());
            } else {
                topic = StreamTopics.v1(name);
                if (!hub.catalog().exists(topic)) {
                    c.send(error(req.id(), Code.UNKNOWN_STREAM, "unknown stream " + name));
                    return;
                }
            }
            topics.add(topic);
            if (!c.isSubscribed(name)) {
                added++;
            }
        }
        int max = hub.config().maxSubscriptionsPerConnection();
        if (c.subscriptionCount() + added > max) {
            c.send(error(req.id(), Code.TOO_MANY_SUBSCRIPTIONS, "at most " + max + " subscriptions per connection"));
            return;
        }
        hub.subscribe(c, topics, wanted, () -> c.send(result(req.id(), null)));
    }

    private void unsubscribe(StreamConnection c, StreamRequest req) {
        List<String> names = req.names();
        if (names == null) {
            c.send(error(req.id(), Code.INVALID_REQUEST, "`params` must be a non-empty array of stream names"));
            return;
        }
        c.hub().unsubscribe(c, names);
        c.send(result(req.id(), null));
    }

    private void auth(StreamConnection c, StreamRequest req) {
        List<String> params = req.names();
        if (params == null || params.size() != 1) {
            c.send(error(req.id(), Code.INVALID_REQUEST, "`params` must be [\"<api_key>\"]"));
            return;
        }
        long account = authenticate.applyAsLong(params.get(0));
        if (account == 0) {
            c.send(error(req.id(), Code.INVALID_API_KEY, "unknown API key"));
        } else if (c.accountId() != 0 && c.accountId() != account) {
            c.send(error(req.id(), Code.ALREADY_AUTHENTICATED, "this connection is bound to another account"));
        } else {
            c.accountId(account);
            c.send(result(req.id(), null));
        }
    }

    static String result(JsonNode id, JsonNode result) {
        ObjectNode o = StreamRequest.JSON.createObjectNode();
        o.set("id", id);
        o.set("result", result);
        return o.toString();
    }

    static String error(JsonNode id, Code code, String msg) {
        ObjectNode o = StreamRequest.JSON.createObjectNode();
        o.set("id", id);
        ObjectNode e = o.putObject("error");
        e.put("code", code.name());
        e.put("msg", msg);
        return o.toString();
    }
}
