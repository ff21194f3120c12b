package exchange.gateway.stream;

/**
 * Why the server closes a stream connection: the WebSocket close code and a reason whose first
 * word is stable (clients may match it); the rest of the reason says which limit.
 */
public enum StreamCloseReason {
    /** The connection's outbound queue filled: it reads slower than messages arrive. */
    SLOW_CONSUMER(1008),
    /** More inbound messages per second than allowed. */
    RATE_LIMITED(1008),
    /** A ping went unanswered for longer than the pong timeout. */
    PING_TIMEOUT(1001),
    /** The server is stopping. */
    SHUTDOWN(1001);

    private final int code;

    StreamCloseReason(int code) {
        this.code = code;
    }

    /** The WebSocket close status code. */
    public int code() {
        return code;
    }

    /** The close frame's reason text: this name, a colon and {@code detail} (short: a close reason is at most 123 bytes). */
    public String reason(String detail) {
        return name() + ": " + detail;
    }
}
