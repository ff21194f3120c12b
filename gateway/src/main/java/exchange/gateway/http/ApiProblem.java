package exchange.gateway.http;

import exchange.engine.OrderView;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An expected client-visible failure, answered as {@code application/problem+json} (RFC 9457):
 * {@code {"type","title","status","detail","code", ...}} plus the optional {@code field},
 * {@code fields} (conflicting fields of a reused id) and {@code order}. Thrown by request handlers
 * and mapped by {@link ExchangeHttpServer}; it carries no stack trace because it is not a bug.
 *
 * <p>{@code code} is a stable, upper-case string that clients may switch on; {@code detail} is
 * prose for people and may change.
 */
public final class ApiProblem extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String code;
    private final String title;
    private final String field;
    private final List<String> fields;
    private final transient OrderView order;
    private final Map<String, String> headers;

    private ApiProblem(int status, String code, String title, String detail, String field, List<String> fields,
                       OrderView order, Map<String, String> headers) {
        super(detail, null, false, false);
        this.status = status;
        this.code = code;
        this.title = title;
        this.field = field;
        this.fields = fields;
        this.order = order;
        this.headers = headers;
    }

    public static ApiProblem of(int status, String code, String detail) {
        return new ApiProblem(status, code, titleOf(status), detail, null, null, null, Map.of());
    }

    /**
     * The problem for a bare HTTP status that no handler of ours produced: Javalin's own 404, 405
     * and 413, and what Jetty refuses before any handler runs (a URI it cannot decode, a URI or
     * headers over its limits). A 5xx never says more than that an internal error occurred.
     */
    public static ApiProblem forStatus(int status) {
        return switch (status) {
            case 400 -> of(400, "BAD_REQUEST", "the request could not be read");
            case 404 -> of(404, "NOT_FOUND", "no such endpoint");
            case 405 -> of(405, "METHOD_NOT_ALLOWED", "method not allowed on this endpoint");
            case 413 -> of(413, "BODY_TOO_LARGE", "the request body is larger than the limit");
            case 414 -> of(414, "URI_TOO_LONG", "the request URI is longer than the limit");
            case 431 -> of(431, "HEADERS_TOO_LARGE", "the request headers are larger than the limit");
            default -> status >= 500
                    ? of(status, "INTERNAL_ERROR", "an internal error occurred")
                    : of(status, "HTTP_" + status, "the request was refused");
        };
    }

    /** 400 about one request field. */
    public static ApiProblem field(String code, String field, String detail) {
        return new ApiProblem(400, code, titleOf(400), detail, field, null, null, Map.of());
    }

    /** 400 {@code INVALID_FIELD}. */
    public static ApiProblem invalidField(String field, String detail) {
        return field("INVALID_FIELD", field, detail);
    }

    /** A problem that also carries the order it concerns (422 business rejects, 409 conflicts). */
    public static ApiProblem withOrder(int status, String code, String detail, OrderView order, List<String> fields) {
        return new ApiProblem(status, code, titleOf(status), detail, null, fields, order, Map.of());
    }

    /** A problem with extra response headers (Retry-After, rate-limit headers). */
    public static ApiProblem withHeaders(int status, String code, String detail, Map<String, String> headers) {
        return new ApiProblem(status, code, titleOf(status), detail, null, null, null,
                new LinkedHashMap<>(headers));
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    /** The offending request field, or null. */
    public String field() {
        return field;
    }

    /** Fields that differ from the original request of a reused id, or null. */
    public List<String> fields() {
        return fields;
    }

    /** The order concerned, or null. */
    public OrderView order() {
        return order;
    }

    public Map<String, String> headers() {
        return headers;
    }

    /** The problem {@code type} URI: a stable name per code. */
    public String type() {
        return typeOf(code);
    }

    static String typeOf(String code) {
        return "urn:exchange:problem:" + code.toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    static String titleOf(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "HTTP " + status;
        };
    }
}
