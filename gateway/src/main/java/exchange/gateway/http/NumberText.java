package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;

import java.io.IOException;

/**
 * A request field that may arrive as a JSON number or as a JSON string holding one ({@code 10}
 * or {@code "10"}, {@code 187.25} or {@code "187.25"}), kept as the exact text the client sent:
 * a JSON number's own token text, never a {@code double} Jackson made of it. What the text may
 * hold is decided by the field's parser ({@link OrderNumbers}). Immutable.
 *
 * @param text   the number's characters as sent (for a string, its content)
 * @param quoted whether it arrived as a JSON string
 */
public record NumberText(String text, boolean quoted) {
    /**
     * Binds {@link NumberText}: a number token keeps its text, a string its content; any other
     * token (boolean, array, object) is a type error that names the field. JSON null binds to
     * null, so a required field answers {@code MISSING_FIELD} as the others do.
     */
    static final class Deserializer extends StdDeserializer<NumberText> {
        Deserializer() {
            super(NumberText.class);
        }

        @Override
        public NumberText deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
            return switch (p.currentToken()) {
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> new NumberText(p.getText(), false);
                case VALUE_STRING -> new NumberText(p.getText(), true);
                default -> (NumberText) ctx.handleUnexpectedToken(NumberText.class, p);
            };
        }
    }
}
