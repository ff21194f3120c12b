package exchange.gateway.stream;

import java.util.List;

/**
 * Which topics exist and what a new subscriber of a topic is sent first. The hub asks it on the
 * Jetty thread handling a SUBSCRIBE (or an upgrade naming streams), never on the producer thread;
 * implementations must be safe to call from several such threads at once.
 *
 * <p>Contract with the producer: a snapshot reflects at least every message already passed to
 * {@link StreamHub#publish} for that topic (the projection updates its state before it publishes).
 * The hub then drops the topic's messages with {@code seq <= snapshot.seq()} for that subscriber, so
 * snapshot plus later messages are exact: nothing missing, nothing twice.
 */
public interface StreamCatalog {
    /** Whether {@code topic} (a {@link StreamTopics} name) can be subscribed to. */
    boolean exists(String topic);

    /** What to send a new subscriber of {@code topic} before its messages, or null for nothing. */
    Snapshot snapshot(String topic);

    /** Messages sent on subscribe, reflecting the topic up to and including {@code seq}. */
    record Snapshot(long seq, List<String> messages) {
        public Snapshot {
            messages = List.copyOf(messages);
        }
    }
}
