package exchange.gateway.stream;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits and timers of the WebSocket streaming layer, each with a named default, validated once at
 * construction (the {@code stream} object of the config file, gateway/CONFIG.md). Immutable.
 *
 * @param maxConnectionsPerAddress   open WebSocket connections one client address may hold; the next
 *                                   upgrade is refused with HTTP 429
 * @param maxSubscriptionsPerConnection streams one connection may be subscribed to (Binance: 1024)
 * @param inboundMessagesPerSecond   text messages a connection may send per second (Binance: 5); more
 *                                   closes it with {@link StreamCloseReason#RATE_LIMITED}
 * @param outboundQueueLength        messages waiting to be written to one connection; a connection whose
 *                                   queue is full is dropped ({@link StreamCloseReason#SLOW_CONSUMER})
 * @param pingInterval               how often the server pings each connection
 * @param pongTimeout                how long a ping may go unanswered before the connection is closed
 * @param idleTimeout                Jetty's idle timeout: no frame in either direction for this long
 * @param maxInboundMessageBytes     largest text message a client may send (larger closes with 1009)
 */
public record StreamConfig(int maxConnectionsPerAddress, int maxSubscriptionsPerConnection,
                           int inboundMessagesPerSecond, int outboundQueueLength, Duration pingInterval,
                           Duration pongTimeout, Duration idleTimeout, int maxInboundMessageBytes) {
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 300;
    public static final int DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION = 1024;
    public static final int DEFAULT_INBOUND_MESSAGES_PER_SECOND = 5;
    public static final int DEFAULT_OUTBOUND_QUEUE_LENGTH = 1024;
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(20);
    public static final Duration DEFAULT_PONG_TIMEOUT = Duration.ofSeconds(60);
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 4096;

    /** Upper bounds, so a typo in the config file cannot allocate or wait without limit. */
    public static final int MAX_CONNECTIONS_PER_ADDRESS = 100_000;
    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 65_536;
    public static final int MAX_INBOUND_MESSAGES_PER_SECOND = 10_000;
    public static final int MAX_OUTBOUND_QUEUE_LENGTH = 1_000_000;
    public static final Duration MIN_TIMER = Duration.ofMillis(10);
    public static final Duration MAX_TIMER = Duration.ofHours(24);
    public static final int MAX_MAX_INBOUND_MESSAGE_BYTES = 1 << 20;

    public StreamConfig {
        Objects.requireNonNull(pingInterval, "ping interval");
        Objects.requireNonNull(pongTimeout, "pong timeout");
        Objects.requireNonNull(idleTimeout, "idle timeout");
        require(maxConnectionsPerAddress >= 1 && maxConnectionsPerAddress <= MAX_CONNECTIONS_PER_ADDRESS,
                "stream.max_connections_per_address must be in [1, " + MAX_CONNECTIONS_PER_ADDRESS + "]");
        require(maxSubscriptionsPerConnection >= 1 && maxSubscriptionsPerConnection <= MAX_SUBSCRIPTIONS_PER_CONNECTION,
                "stream.max_subscriptions_per_connection must be in [1, " + MAX_SUBSCRIPTIONS_PER_CONNECTION + "]");
        require(inboundMessagesPerSecond >= 1 && inboundMessagesPerSecond <= MAX_INBOUND_MESSAGES_PER_SECOND,
                "stream.inbound_messages_per_second must be in [1, " + MAX_INBOUND_MESSAGES_PER_SECOND + "]");
        require(outboundQueueLength >= 1 && outboundQueueLength <= MAX_OUTBOUND_QUEUE_LENGTH,
                "stream.outbound_queue_length must be in [1, " + MAX_OUTBOUND_QUEUE_LENGTH + "]");
        require(inRange(pingInterval), "stream.ping_interval_ms must be in [10, 86400000]");
        require(inRange(pongTimeout), "stream.pong_timeout_ms must be in [10, 86400000]");
        require(inRange(idleTimeout), "stream.idle_timeout_ms must be in [10, 86400000]");
        require(maxInboundMessageBytes >= 256 && maxInboundMessageBytes <= MAX_MAX_INBOUND_MESSAGE_BYTES,
                "stream.max_inbound_message_bytes must be in [256, " + MAX_MAX_INBOUND_MESSAGE_BYTES + "]");
    }

    /** Every limit at its default. */
    public static StreamConfig defaults() {
        return new StreamConfig(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS, DEFAULT_MAX_SUBSCRIPTIONS_PER_CONNECTION,
                DEFAULT_INBOUND_MESSAGES_PER_SECOND, DEFAULT_OUTBOUND_QUEUE_LENGTH, DEFAULT_PING_INTERVAL,
                DEFAULT_PONG_TIMEOUT, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_INBOUND_MESSAGE_BYTES);
    }

    public StreamConfig withMaxConnectionsPerAddress(int v) {
        return new StreamConfig(v, maxSubscriptionsPerConnection, inboundMessagesPerSecond, outboundQueueLength,
                pingInterval, pongTimeout, idleTimeout, maxInboundMessageBytes);
    }

    public StreamConfig withMaxSubscriptionsPerConnection(int v) {
        return new StreamConfig(maxConnectionsPerAddress, v, inboundMessagesPerSecond, outboundQueueLength,
                pingInterval, pongTimeout, idleTimeout, maxInboundMessageBytes);
    }

    public StreamConfig withInboundMessagesPerSecond(int v) {
        return new StreamConfig(maxConnectionsPerAddress, maxSubscriptionsPerConnection, v, outboundQueueLength,
                pingInterval, pongTimeout, idleTimeout, maxInboundMessageBytes);
    }

    public StreamConfig withOutboundQueueLength(int v) {
        return new StreamConfig(maxConnectionsPerAddress, maxSubscriptionsPerConnection, inboundMessagesPerSecond, v,
                pingInterval, pongTimeout, idleTimeout, maxInboundMessageBytes);
    }

    /** Another ping interval and pong timeout. */
    public StreamConfig withPing(Duration interval, Duration timeout) {
        return new StreamConfig(maxConnectionsPerAddress, maxSubscriptionsPerConnection, inboundMessagesPerSecond,
                outboundQueueLength, interval, timeout, idleTimeout, maxInboundMessageBytes);
    }

    public StreamConfig withIdleTimeout(Duration v) {
        return new StreamConfig(maxConnectionsPerAddress, maxSubscriptionsPerConnection, inboundMessagesPerSecond,
                outboundQueueLength, pingInterval, pongTimeout, v, maxInboundMessageBytes);
    }

    public StreamConfig withMaxInboundMessageBytes(int v) {
        return new StreamConfig(maxConnectionsPerAddress, maxSubscriptionsPerConnection, inboundMessagesPerSecond,
                outboundQueueLength, pingInterval, pongTimeout, idleTimeout, v);
    }

    private static boolean inRange(Duration d) {
        return d.compareTo(MIN_TIMER) >= 0 && d.compareTo(MAX_TIMER) <= 0;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
