package exchange.gateway.stream;

/**
 * One wire protocol over the hub (ours at {@code /v1/stream}, Binance's at {@code /ws} and
 * {@code /stream}): it reads a client's requests and answers them. Called on the Jetty thread that
 * delivers the connection's frames, one message at a time per connection.
 */
interface StreamFace {
    /** The connection is open; subscribe to whatever the upgrade URL named. */
    void onOpen(StreamConnection connection);

    /** One text message from the client (already within the rate limit). */
    void onText(StreamConnection connection, String text);
}
