package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The OpenAPI document as the tests read it: its operations ({@code "GET /v1/orders/{order_id}"}),
 * the path template a concrete path matches, and a check of a real answer against what the
 * operation documents for its status (a documented status, its media type, and its body valid
 * against the schema, problem {@code code}s included). Schemas are JSON Schema 2020-12 (OpenAPI
 * 3.1) and are validated by networknt's validator. Thread safe.
 */
final class OpenApiContract {
    static final String RESOURCE = "/exchange/gateway/http/openapi.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaRegistry SCHEMAS = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    private final JsonNode doc;
    private final Map<String, Pattern> templates = new ConcurrentHashMap<>();
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OpenApiContract(JsonNode doc) {
        this.doc = doc;
        doc.get("paths").fieldNames().forEachRemaining(t ->
                templates.put(t, Pattern.compile("^" + t.replaceAll("\\{[^/}]+}", "[^/]+") + "$")));
    }

    static OpenApiContract load() {
        try (InputStream in = OpenApiContract.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return new OpenApiContract(JSON.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode document() {
        return doc;
    }

    /** Every documented operation as {@code "METHOD /path/{template}"}. */
    Set<String> operations() {
        Set<String> ops = new LinkedHashSet<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames()
                .forEachRemaining(m -> ops.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return ops;
    }

    /** The operation node of {@code "METHOD /template"}, or null. */
    JsonNode operation(String op) {
        int space = op.indexOf(' ');
        JsonNode item = doc.get("paths").get(op.substring(space + 1));
        return item == null ? null : item.get(op.substring(0, space).toLowerCase(Locale.ROOT));
    }

    /** The documented template that {@code path} (without its query) matches, or null; literal segments win. */
    String template(String path) {
        String best = null;
        for (Map.Entry<String, Pattern> t : templates.entrySet()) {
            if (t.getValue().matcher(path).matches()
                    && (best == null || t.getKey().chars().filter(c -> c == '{').count()
                    < best.chars().filter(c -> c == '{').count())) {
                best = t.getKey();
            }
        }
        return best;
    }

    /** The problem codes any route may answer with {@code status} (the document's {@code x-any-route-problems}). */
    List<String> anyRouteCodes(int status) {
        List<String> codes = new ArrayList<>();
        JsonNode n = doc.get("x-any-route-problems").get(Integer.toString(status));
        if (n != null) {
            n.forEach(c -> codes.add(c.asText()));
        }
        return codes;
    }

    /**
     * What is wrong with answer {@code (status, contentType, body)} of operation {@code op} against the
     * document; empty when it conforms.
     */
    List<String> violations(String op, int status, String contentType, String body) {
        List<String> out = new ArrayList<>();
        JsonNode operation = operation(op);
        if (operation == null) {
            out.add(op + " is not documented");
            return out;
        }
        String media = contentType == null ? "" : contentType.split(";")[0].trim();
        if (media.equals("application/problem+json") && !anyRouteCodes(status).isEmpty()) {
            JsonNode problem = parse(body, out);
            if (problem != null && anyRouteCodes(status).contains(problem.path("code").asText())) {
                return out; // what any route may answer (a path Jetty cannot decode, a body over the limit, ...)
            }
        }
        JsonNode response = operation.get("responses").get(Integer.toString(status));
        if (response == null) {
            out.add(op + " answered " + status + ", which it does not document: " + abbreviate(body));
            return out;
        }
        JsonNode content = response.get("content");
        if (content == null) {
            return out;
        }
        JsonNode mediaNode = content.get(media);
        if (mediaNode == null) {
            out.add(op + " " + status + " answered " + contentType + "; documented: " + names(content));
            return out;
        }
        if (!media.contains("json")) {
            return out;
        }
        JsonNode instance = parse(body, out);
        if (instance == null) {
            out.add(op + " " + status + " body is not JSON: " + abbreviate(body));
            return out;
        }
        Schema schema = compiled.computeIfAbsent(op + " " + status + " " + media, k -> compile(mediaNode.get("schema")));
        for (Error e : schema.validate(instance)) {
            out.add(op + " " + status + ": " + e.getInstanceLocation() + " " + e.getMessage() + " in " + abbreviate(body));
        }
        return out;
    }

    /** Validates {@code instance} against a schema of the document (for its examples). */
    List<String> validate(JsonNode schemaNode, JsonNode instance) {
        List<String> out = new ArrayList<>();
        for (Error e : compile(schemaNode).validate(instance)) {
            out.add(e.getInstanceLocation() + " " + e.getMessage());
        }
        return out;
    }

    /** The schema as a root that carries the document's components, so that its $refs resolve. */
    private Schema compile(JsonNode schema) {
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("components", doc.get("components"));
        root.set("allOf", JSON.createArrayNode().add(schema));
        return SCHEMAS.getSchema(root);
    }

    private static JsonNode parse(String body, List<String> out) {
        try {
            return body == null || body.isEmpty() ? null : JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String names(JsonNode n) {
        List<String> names = new ArrayList<>();
        Iterator<String> it = n.fieldNames();
        it.forEachRemaining(names::add);
        return names.toString();
    }

    static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
