package exchange.gateway.quotes;

import java.time.Duration;

/**
 * The adapters' timers and limits that are not part of a source's configuration, each with a named
 * default (users need not touch them; tests and benchmarks shorten them). Immutable, validated on
 * construction.
 *
 * @param publishInterval   how often each source's changed quotes are published: at most one
 *                          {@code reference_quote} per source and symbol per interval
 * @param backoffBase       first reconnect delay bound; the bound doubles per failed attempt
 * @param backoffCap        largest reconnect (and REST retry) delay bound
 * @param pingInterval      how often the adapter pings its WebSocket
 * @param readTimeout       no frame at all (message, ping, pong) for this long: the connection is
 *                          taken for dead, aborted and reconnected
 * @param connectTimeout    WebSocket opening handshake and REST connect limit
 * @param restTimeout       one REST call's limit
 * @param restRetryBase     first REST retry delay bound (5xx, I/O); doubles per failure up to backoffCap
 * @param jumpLimitBps      a quote whose mid moved more than this from the last accepted mid is dropped
 * @param jumpConfirmations that many consecutive quotes agreeing on the new level are taken as a real move
 */
public record QuoteTuning(Duration publishInterval, Duration backoffBase, Duration backoffCap, Duration pingInterval,
                          Duration readTimeout, Duration connectTimeout, Duration restTimeout, Duration restRetryBase,
                          int jumpLimitBps, int jumpConfirmations) {
    public static final Duration DEFAULT_PUBLISH_INTERVAL = Duration.ofMillis(50);
    public static final Duration DEFAULT_BACKOFF_BASE = Duration.ofMillis(250);
    public static final Duration DEFAULT_BACKOFF_CAP = Duration.ofSeconds(30);
    /** Binance closes a connection whose pings go unanswered for a minute; we ping far more often. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REST_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_REST_RETRY_BASE = Duration.ofMillis(500);
    /** 20%: no listed stock moves that much between two quotes; a bad print does. */
    public static final int DEFAULT_JUMP_LIMIT_BPS = 2_000;
    public static final int DEFAULT_JUMP_CONFIRMATIONS = 3;

    public QuoteTuning {
        positive(publishInterval, "publishInterval");
        positive(backoffBase, "backoffBase");
        positive(backoffCap, "backoffCap");
        positive(pingInterval, "pingInterval");
        positive(readTimeout, "readTimeout");
        positive(connectTimeout, "connectTimeout");
        positive(restTimeout, "restTimeout");
        positive(restRetryBase, "restRetryBase");
        if (backoffCap.compareTo(backoffBase) < 0 || readTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("backoffCap must be >= backoffBase and readTimeout > pingInterval");
        }
        if (jumpLimitBps < 1 || jumpConfirmations < 1) {
            throw new IllegalArgumentException("jumpLimitBps and jumpConfirmations must be at least 1");
        }
    }

    public static QuoteTuning defaults() {
        return new QuoteTuning(DEFAULT_PUBLISH_INTERVAL, DEFAULT_BACKOFF_BASE, DEFAULT_BACKOFF_CAP,
                DEFAULT_PING_INTERVAL, DEFAULT_READ_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_REST_TIMEOUT,
                DEFAULT_REST_RETRY_BASE, DEFAULT_JUMP_LIMIT_BPS, DEFAULT_JUMP_CONFIRMATIONS);
    }

    public QuoteTuning withPublishInterval(Duration v) {
        return new QuoteTuning(v, backoffBase, backoffCap, pingInterval, readTimeout, connectTimeout, restTimeout,
                restRetryBase, jumpLimitBps, jumpConfirmations);
    }

    public QuoteTuning withBackoff(Duration base, Duration cap) {
        return new QuoteTuning(publishInterval, base, cap, pingInterval, readTimeout, connectTimeout, restTimeout,
                base, jumpLimitBps, jumpConfirmations);
    }

    public QuoteTuning withPing(Duration interval, Duration timeout) {
        return new QuoteTuning(publishInterval, backoffBase, backoffCap, interval, timeout, connectTimeout, restTimeout,
                restRetryBase, jumpLimitBps, jumpConfirmations);
    }

    private static void positive(Duration d, String name) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
