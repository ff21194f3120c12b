package exchange.gateway.stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.ArrayList;
import java.util.List;

/**
 * One client request on either face: {@code {"method":..., "params":[...], "id":...}}. The id rules
 * are Binance's: a 64-bit integer, an alphanumeric string of at most 36 characters, or null.
 */
record StreamRequest(String method, JsonNode params, JsonNode id) {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final int MAX_ID_LENGTH = 36;

    /** What is wrong with a request, before it could be answered by method. */
    enum Problem {
        INVALID_JSON,
        INVALID_REQUEST
    }

    /** A request that cannot be read; {@code id} is echoed when it was readable. */
    static final class Invalid extends Exception {
        final Problem problem;
        final JsonNode id;

        Invalid(Problem problem, String message, JsonNode id) {
            super(message, null, false, false);
            this.problem = problem;
            this.id = id;
        }
    }

    static StreamRequest parse(String text) throws Invalid {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new Invalid(Problem.INVALID_JSON, "expected a JSON object", NullNode.getInstance());
        }
        if (root == null || !root.isObject()) {
            throw new Invalid(Problem.INVALID_JSON, "expected a JSON object", NullNode.getInstance());
        }
        JsonNode id = root.get("id");
        if (id == null) {
            id = NullNode.getInstance();
        } else if (!validId(id)) {
            throw new Invalid(Problem.INVALID_REQUEST,
                    "request ID must be an unsigned integer or an alphanumeric string of at most 36 characters",
                    NullNode.getInstance());
        }
        JsonNode method = root.get("method");
        if (method == null || !method.isTextual()) {
            throw new Invalid(Problem.INVALID_REQUEST, "missing field `method`", id);
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isArray()) {
            throw new Invalid(Problem.INVALID_REQUEST, "`params` must be an array", id);
        }
        return new StreamRequest(method.textValue(), params == null || params.isNull() ? null : params, id);
    }

    private static boolean validId(JsonNode id) {
        if (id.isNull()) {
            return true;
        }
        if (id.isIntegralNumber()) {
            return id.canConvertToLong();
        }
        if (id.isTextual()) {
            String s = id.textValue();
            if (s.isEmpty() || s.length() > MAX_ID_LENGTH) {
                return false;
            }
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (!(ch >= '0' && ch <= '9' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z')) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }

    /** The params as stream names: a non-empty array of strings, else null. */
    List<String> names() {
        if (params == null || params.isEmpty()) {
            return null;
        }
        List<String> names = new ArrayList<>(params.size());
        for (JsonNode p : params) {
            if (!p.isTextual()) {
                return null;
            }
            names.add(p.textValue());
        }
        return names;
    }
}
