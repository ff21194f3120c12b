package exchange.gateway.stream;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection's subscription to one topic. Its mutable fields are guarded by the connection's
 * lock: the producer thread writes them through {@link StreamConnection#offer}, the Jetty thread
 * handling the SUBSCRIBE through {@link StreamConnection#releaseSnapshot}.
 */
final class Subscription {
    /** A topic message that arrived while the subscriber's snapshot was being taken. */
    record Held(long seq, String text, boolean byClock) {
        /** Not already in a snapshot at {@code snapshotSeq} (see {@link StreamHub#publishByClock}). */
        boolean after(long snapshotSeq) {
            return seq > snapshotSeq || (byClock && seq == snapshotSeq);
        }
    }

    final StreamConnection connection;
    final String topic;
    /** The stream's name as the client wrote it (listed, and used by Binance's combined envelope). */
    final String name;
    /**
     * Messages of the topic with a seq up to this one are already in the snapshot: skipped (those
     * the clock caused at exactly this seq are not, see {@link StreamHub#publishByClock}).
     */
    long skipThroughSeq = Long.MIN_VALUE;
    /** Non-null from registration until the snapshot is queued: messages wait here, in order. */
    List<Held> held = new ArrayList<>();

    Subscription(StreamConnection connection, String topic, String name) {
        this.connection = connection;
        this.topic = topic;
        this.name = name;
    }
}
