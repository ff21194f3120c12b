package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.type.LogicalType;

import java.io.IOException;
import java.util.List;

/**
 * Request bodies and their strict JSON binding. Unknown fields, duplicate keys, trailing content
 * and every scalar coercion are refused: a decimal must arrive as a JSON string ({@code "187.25"}),
 * a count as a JSON integer, a flag as a JSON boolean. The one exception is an order's
 * {@code qty} and {@code limit_price}, which the design makes lenient: they bind as
 * {@link NumberText}, the exact text of a number or string, read by {@link OrderNumbers}. Binding failures become 400 problems
 * naming the field ({@code MALFORMED_JSON}, {@code UNKNOWN_FIELD}, {@code INVALID_FIELD}); the
 * semantic checks of each field happen in the route groups ({@link RouteGroup}). Thread safe.
 */
public final class RequestBodies {
    /** {@code POST /v1/orders}; {@code qty} and {@code limit_price} are lenient numbers ({@link OrderNumbers}). */
    public record PlaceOrder(String clientOrderId, String symbol, String side, NumberText qty, NumberText limitPrice,
                             String timeInForce, Boolean postOnly, String selfTradePrevention) {
    }

    /** {@code POST /v1/admin/accounts}. */
    public record CreateAccount(String name, Integer makerFeeBps, Integer takerFeeBps) {
    }

    /** {@code POST /v1/admin/accounts/{id}/deposits} and {@code /withdrawals}. */
    public record Transfer(String asset, String amount, String transferId) {
    }

    /** {@code POST /v1/admin/session/open}; both fields optional. */
    public record SessionOpen(String sessionDate, String closesAt) {
    }

    private static final JsonMapper MAPPER = strictMapper();

    private final ObjectReader placeOrder = MAPPER.readerFor(PlaceOrder.class);
    private final ObjectReader createAccount = MAPPER.readerFor(CreateAccount.class);
    private final ObjectReader transfer = MAPPER.readerFor(Transfer.class);
    private final ObjectReader sessionOpen = MAPPER.readerFor(SessionOpen.class);

    static JsonMapper strictMapper() {
        JsonMapper m = JsonMapper.builder()
                .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .addModule(new SimpleModule("lenient-numbers").addDeserializer(NumberText.class,
                        new NumberText.Deserializer()))
                .build();
        m.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        // Jackson reads a blank string (" ", or control characters only) into a number or boolean
        // as null, which would make "post_only": " " or "maker_fee_bps": " " the default instead
        // of an error; no string may stand for a number or a boolean
        m.coercionConfigDefaults()
                .setAcceptBlankAsEmpty(false)
                .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
        return m;
    }

    public PlaceOrder placeOrder(byte[] body) {
        return read(placeOrder, body, false);
    }

    public CreateAccount createAccount(byte[] body) {
        return read(createAccount, body, false);
    }

    public Transfer transfer(byte[] body) {
        return read(transfer, body, false);
    }

    /** An empty body means "all defaults". */
    public SessionOpen sessionOpen(byte[] body) {
        SessionOpen s = read(sessionOpen, body, true);
        return s == null ? new SessionOpen(null, null) : s;
    }

    private static <T> T read(ObjectReader reader, byte[] body, boolean emptyAllowed) {
        if (body == null || body.length == 0 || isBlank(body)) {
            if (emptyAllowed) {
                return null;
            }
            throw ApiProblem.of(400, "MALFORMED_JSON", "the request body must be a JSON object");
        }
        T value;
        try {
            value = reader.readValue(body);
        } catch (UnrecognizedPropertyException e) {
            throw ApiProblem.field("UNKNOWN_FIELD", e.getPropertyName(), "unknown field '" + e.getPropertyName() + "'");
        } catch (JsonMappingException e) {
            String field = fieldOf(e);
            if (field == null) {
                throw ApiProblem.of(400, "MALFORMED_JSON", "the request body must be a JSON object");
            }
            throw ApiProblem.invalidField(field, "field '" + field + "' has the wrong JSON type or is out of range"
                    + " (decimals are strings such as \"187.25\", counts are integers, flags are booleans)");
        } catch (StreamReadException e) {
            String field = currentName(e.getProcessor());
            String detail = e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")
                    ? "duplicate field '" + field + "'" : "the request body is not valid JSON";
            throw ApiProblem.of(400, "MALFORMED_JSON", detail);
        } catch (JsonProcessingException e) {
            throw ApiProblem.of(400, "MALFORMED_JSON", "the request body is not valid JSON");
        } catch (IOException e) {
            throw ApiProblem.of(400, "MALFORMED_JSON", "the request body could not be read");
        }
        if (value == null) {
            throw ApiProblem.of(400, "MALFORMED_JSON", "the request body must be a JSON object");
        }
        return value;
    }

    private static String currentName(JsonParser p) {
        if (p == null) {
            return null;
        }
        try {
            return p.currentName();
        } catch (IOException e) {
            return null;
        }
    }

    private static String fieldOf(JsonMappingException e) {
        List<JsonMappingException.Reference> path = e.getPath();
        for (int i = path.size() - 1; i >= 0; i--) {
            if (path.get(i).getFieldName() != null) {
                return path.get(i).getFieldName();
            }
        }
        return null;
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\r' && b != '\n') {
                return false;
            }
        }
        return true;
    }
}
