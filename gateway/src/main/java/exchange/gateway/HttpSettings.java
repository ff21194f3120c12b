package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code http} section of the config: how long the server waits on a client and how many it
 * holds, and where the admin endpoints listen. Each setting has a named default and is
 * validated once, here. Immutable.
 *
 * @param idleTimeoutMillis   a connection with no bytes moving either way for this long is closed
 *                            ({@code http.idle_timeout_ms})
 * @param headerTimeoutMillis a new connection must have sent a whole request head within this, or
 *                            it is closed: a slowloris client that trickles its headers byte by byte
 *                            keeps no connection longer than this ({@code http.header_timeout_ms})
 * @param requestTimeoutMillis a request waiting for its command's result this long is answered 503
 *                            ({@code http.request_timeout_ms})
 * @param queueTimeoutMillis  a request that waited this long between its bytes reaching the server
 *                            and its route starting (all request threads busy) is answered 503
 *                            {@code QUEUED_TOO_LONG} at once, its command never submitted
 *                            ({@code http.queue_timeout_ms})
 * @param maxConnections      open connections at most; a connection past it is closed as soon as it
 *                            is accepted, and the kernel's accept queue holds as many
 *                            ({@code http.max_connections})
 * @param adminLoopbackOnly   serve {@code /v1/admin/*} only on a second listener bound to
 *                            127.0.0.1 ({@code http.admin_loopback_only})
 * @param adminPort           that listener's port, 0 = any free one ({@code http.admin_port})
 * @param answerWaitMicros    how long a request thread waits (yielding) for its command's result
 *                            before handing the answer to the thread pool, when no other request
 *                            is in flight; 0 = never ({@code http.answer_wait_us})
 */
public record HttpSettings(long idleTimeoutMillis, long headerTimeoutMillis, long requestTimeoutMillis,
                           long queueTimeoutMillis, int maxConnections, boolean adminLoopbackOnly, int adminPort,
                           long answerWaitMicros) {
    public static final long DEFAULT_IDLE_TIMEOUT_MILLIS = 30_000;
    public static final long DEFAULT_HEADER_TIMEOUT_MILLIS = 10_000;
    public static final long DEFAULT_REQUEST_TIMEOUT_MILLIS = 30_000;
    /**
     * Far above what a request waits for a thread on a healthy server (microseconds to a few
     * milliseconds), and below the timeouts clients commonly give a request (10 s and up), so that
     * what is refused is what its client is about to give up on anyway.
     */
    public static final long DEFAULT_QUEUE_TIMEOUT_MILLIS = 5_000;
    public static final int DEFAULT_MAX_CONNECTIONS = 4_096;
    public static final boolean DEFAULT_ADMIN_LOOPBACK_ONLY = false;
    public static final int DEFAULT_ADMIN_PORT = 8081;
    /**
     * Above what a lone order's ring round trip takes when the stage threads must be woken (most
     * within 130 us, ~98% within 260 us on the 2-core test VM), and a fraction of the async
     * answer's own cost in a busy moment.
     */
    public static final long DEFAULT_ANSWER_WAIT_MICROS = 300;
    /** The most {@code http.answer_wait_us} allows: the wait must stay of the order of the pipeline's latency. */
    static final long MAX_ANSWER_WAIT_MICROS = 1_000;
    public static final HttpSettings DEFAULTS = new HttpSettings(DEFAULT_IDLE_TIMEOUT_MILLIS,
            DEFAULT_HEADER_TIMEOUT_MILLIS, DEFAULT_REQUEST_TIMEOUT_MILLIS, DEFAULT_QUEUE_TIMEOUT_MILLIS,
            DEFAULT_MAX_CONNECTIONS, DEFAULT_ADMIN_LOOPBACK_ONLY, DEFAULT_ADMIN_PORT, DEFAULT_ANSWER_WAIT_MICROS);

    private static final Set<String> KEYS = Set.of("idle_timeout_ms", "header_timeout_ms", "request_timeout_ms",
            "queue_timeout_ms", "max_connections", "admin_loopback_only", "admin_port", "answer_wait_us");
    private static final long MAX_TIMEOUT_MILLIS = 3_600_000;

    public HttpSettings {
        check("idle_timeout_ms", idleTimeoutMillis, 100, MAX_TIMEOUT_MILLIS);
        check("header_timeout_ms", headerTimeoutMillis, 100, MAX_TIMEOUT_MILLIS);
        check("request_timeout_ms", requestTimeoutMillis, 100, MAX_TIMEOUT_MILLIS);
        check("queue_timeout_ms", queueTimeoutMillis, 10, MAX_TIMEOUT_MILLIS);
        check("max_connections", maxConnections, 16, 1_000_000);
        check("admin_port", adminPort, 0, 65_535);
        check("answer_wait_us", answerWaitMicros, 0, MAX_ANSWER_WAIT_MICROS);
    }

    public HttpSettings withTimeouts(long idleMillis, long headerMillis, long requestMillis) {
        return new HttpSettings(idleMillis, headerMillis, requestMillis, queueTimeoutMillis, maxConnections,
                adminLoopbackOnly, adminPort, answerWaitMicros);
    }

    public HttpSettings withQueueTimeout(long millis) {
        return new HttpSettings(idleTimeoutMillis, headerTimeoutMillis, requestTimeoutMillis, millis, maxConnections,
                adminLoopbackOnly, adminPort, answerWaitMicros);
    }

    public HttpSettings withMaxConnections(int v) {
        return new HttpSettings(idleTimeoutMillis, headerTimeoutMillis, requestTimeoutMillis, queueTimeoutMillis, v,
                adminLoopbackOnly, adminPort, answerWaitMicros);
    }

    public HttpSettings withAdminLoopbackOnly(boolean only, int port) {
        return new HttpSettings(idleTimeoutMillis, headerTimeoutMillis, requestTimeoutMillis, queueTimeoutMillis,
                maxConnections, only, port, answerWaitMicros);
    }

    public HttpSettings withAnswerWait(long micros) {
        return new HttpSettings(idleTimeoutMillis, headerTimeoutMillis, requestTimeoutMillis, queueTimeoutMillis,
                maxConnections, adminLoopbackOnly, adminPort, micros);
    }

    /** Reads the {@code http} object of a config file; absent keys keep their defaults. */
    static HttpSettings read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("http must be a JSON object");
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("unknown key http." + key + " (allowed: " + new TreeSet<>(KEYS) + ")");
            }
        }
        boolean adminLoopbackOnly = DEFAULT_ADMIN_LOOPBACK_ONLY;
        if (node.has("admin_loopback_only")) {
            if (!node.get("admin_loopback_only").isBoolean()) {
                throw new IllegalArgumentException("http.admin_loopback_only must be true or false");
            }
            adminLoopbackOnly = node.get("admin_loopback_only").booleanValue();
        }
        return new HttpSettings(integer(node, "idle_timeout_ms", DEFAULT_IDLE_TIMEOUT_MILLIS),
                integer(node, "header_timeout_ms", DEFAULT_HEADER_TIMEOUT_MILLIS),
                integer(node, "request_timeout_ms", DEFAULT_REQUEST_TIMEOUT_MILLIS),
                integer(node, "queue_timeout_ms", DEFAULT_QUEUE_TIMEOUT_MILLIS),
                (int) integer(node, "max_connections", DEFAULT_MAX_CONNECTIONS), adminLoopbackOnly,
                (int) integer(node, "admin_port", DEFAULT_ADMIN_PORT),
                integer(node, "answer_wait_us", DEFAULT_ANSWER_WAIT_MICROS));
    }

    private static long integer(JsonNode node, String key, long fallback) {
        JsonNode n = node.get(key);
        if (n == null) {
            return fallback;
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt()) {
            throw new IllegalArgumentException("http." + key + " must be an integer");
        }
        return n.asLong();
    }

    private static void check(String key, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException("http." + key + " must be in [" + min + ", " + max + "], was " + v);
        }
    }
}
