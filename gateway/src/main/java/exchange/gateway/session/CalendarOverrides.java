package exchange.gateway.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the operator's calendar overrides file: a JSON array of entries
 * <pre>
 * [ {"date": "2026-03-02", "type": "closed", "reason": "National day of mourning"},
 *   {"date": "2026-03-03", "type": "early_close", "close": "12:00", "reason": "Systems upgrade"} ]
 * </pre>
 * {@code date} is ISO {@code yyyy-MM-dd}; {@code type} is {@code closed} or {@code early_close};
 * {@code close} ({@code HH:mm}, local time of the calendar's zone) is required for
 * {@code early_close} and refused for {@code closed}; {@code reason} is required. Unknown fields,
 * duplicate dates, more than {@link #MAX_ENTRIES} entries or a file over {@link #MAX_FILE_BYTES}
 * are refused. Every error is an {@link IllegalArgumentException} naming the source, the entry
 * (1-based) and its date, so the operator can fix the file; nothing is applied from a bad file.
 */
public final class CalendarOverrides {

    /** Most entries a file may hold. */
    public static final int MAX_ENTRIES = 1_000;
    /** Largest file accepted, in bytes. */
    public static final int MAX_FILE_BYTES = 1 << 20;

    private static final Set<String> FIELDS = Set.of("date", "type", "close", "reason");
    private static final DateTimeFormatter CLOSE_TIME =
            DateTimeFormatter.ofPattern("HH:mm").withResolverStyle(ResolverStyle.STRICT);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private CalendarOverrides() {
    }

    /** Reads and validates {@code file}. */
    public static List<CalendarOverride> load(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new IllegalArgumentException("calendar overrides " + file + ": " + size
                        + " bytes, at most " + MAX_FILE_BYTES + " are allowed");
            }
            return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("calendar overrides " + file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /**
     * Parses and validates {@code json}; {@code source} names it in error messages (a path, a
     * resource name).
     */
    public static List<CalendarOverride> parse(String json, String source) {
        if (json.length() > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("calendar overrides " + source + ": longer than "
                    + MAX_FILE_BYTES + " characters");
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("calendar overrides " + source + ": not valid JSON: "
                    + e.getOriginalMessage() + locationOf(e), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("calendar overrides " + source
                    + ": the top level must be a JSON array of entries");
        }
        if (root.size() > MAX_ENTRIES) {
            throw new IllegalArgumentException("calendar overrides " + source + ": " + root.size()
                    + " entries, at most " + MAX_ENTRIES + " are allowed");
        }
        List<CalendarOverride> overrides = new ArrayList<>(root.size());
        Map<LocalDate, Integer> entryByDate = new HashMap<>();
        for (int i = 0; i < root.size(); i++) {
            int entry = i + 1;
            CalendarOverride override = parseEntry(root.get(i), source, entry);
            Integer earlier = entryByDate.putIfAbsent(override.date(), entry);
            if (earlier != null) {
                throw new IllegalArgumentException(prefix(source, entry, override.date().toString())
                        + "date already given by entry " + earlier);
            }
            overrides.add(override);
        }
        return List.copyOf(overrides);
    }

    private static CalendarOverride parseEntry(JsonNode node, String source, int entry) {
        if (!node.isObject()) {
            throw new IllegalArgumentException(prefix(source, entry, null) + "must be a JSON object");
        }
        String dateText = text(node, "date", source, entry, null);
        LocalDate date;
        try {
            date = LocalDate.parse(dateText, DateTimeFormatter.ISO_LOCAL_DATE);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(prefix(source, entry, dateText)
                    + "\"date\" must be a valid yyyy-MM-dd date", e);
        }
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException(prefix(source, entry, dateText) + "unknown field \"" + name
                        + "\" (allowed: date, type, close, reason)");
            }
        }
        String type = text(node, "type", source, entry, dateText);
        String reason = text(node, "reason", source, entry, dateText);
        if (reason.isBlank() || reason.length() > CalendarOverride.MAX_REASON_LENGTH) {
            throw new IllegalArgumentException(prefix(source, entry, dateText) + "\"reason\" must be 1.."
                    + CalendarOverride.MAX_REASON_LENGTH + " characters and not blank");
        }
        boolean hasClose = node.has("close");
        if (CalendarOverride.Kind.CLOSED.jsonName().equals(type)) {
            if (hasClose) {
                throw new IllegalArgumentException(prefix(source, entry, dateText)
                        + "\"close\" is only allowed with type \"early_close\"");
            }
            return CalendarOverride.closed(date, reason);
        }
        if (CalendarOverride.Kind.EARLY_CLOSE.jsonName().equals(type)) {
            if (!hasClose) {
                throw new IllegalArgumentException(prefix(source, entry, dateText)
                        + "type \"early_close\" needs \"close\" (HH:mm)");
            }
            String closeText = text(node, "close", source, entry, dateText);
            LocalTime close;
            try {
                close = LocalTime.parse(closeText, CLOSE_TIME);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(prefix(source, entry, dateText) + "\"close\" must be HH:mm, got \""
                        + closeText + "\"", e);
            }
            return CalendarOverride.earlyClose(date, close, reason);
        }
        throw new IllegalArgumentException(prefix(source, entry, dateText)
                + "\"type\" must be \"closed\" or \"early_close\", got \"" + type + "\"");
    }

    private static String text(JsonNode node, String field, String source, int entry, String date) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException(prefix(source, entry, date) + "missing \"" + field + "\"");
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException(prefix(source, entry, date) + "\"" + field + "\" must be a string");
        }
        return value.asText();
    }

    private static String prefix(String source, int entry, String date) {
        return "calendar overrides " + source + ": entry " + entry + (date == null ? "" : " (" + date + ")") + ": ";
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
    }
}
