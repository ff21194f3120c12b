package exchange.journal;

import exchange.engine.EngineEvent;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;

/**
 * Reads the events queue ({@code <dataDir>/events}) in order, from its start, from a sequence, or
 * from its end (only events written from now on), while the exchange may be appending to it from
 * another process. {@link #next} never blocks; callers poll with their own idle strategy.
 *
 * <p>A damaged record is skipped with a warning and counted ({@link #skippedRecords}): events are
 * derived data, regenerated exactly by replaying the command journal. A record that is intact but
 * not an event of this schema (wrong magic, version or type) throws
 * {@link JournalCorruptionException}. Confined to the thread that uses it.
 *
 * <p>A follower that keeps its own position (a read-side projection) resumes without scanning
 * the queue: it stores {@link #index()} of the last event it applied, and on restart calls
 * {@link #moveToIndex} and checks that the event read there has the sequence it stored (the
 * events queue may have been deleted and regenerated since, with other indexes).
 */
public final class EventTailer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventTailer.class);

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final EventCodec codec = new EventCodec();
    private final byte[] record = new byte[EventCodec.MAX_RECORD_LENGTH];
    private long minSeq;
    private long skippedRecords;
    private long lastIndex = NO_INDEX;
    /** Reads the queue's last record for {@link #lastSeq()}; created on first use. */
    private ExcerptTailer endTailer;
    private EngineEvent endEvent;

    /** What {@link #index()} returns before any event was read. */
    public static final long NO_INDEX = -1;

    private EventTailer(SingleChronicleQueue queue) {
        this.queue = queue;
        this.tailer = queue.createTailer();
    }

    /**
     * Opens the existing {@code <dataDir>/events} read-only, positioned at the start: nothing is
     * created or written, so tools (the replay tool, {@code tail-events}) leave a data directory as
     * they found it, and a follower sees a live exchange's new events as they are appended.
     *
     * @throws IllegalArgumentException if there is no events queue in {@code <dataDir>/events}
     */
    public static EventTailer openReadOnly(Path dataDir) {
        Path dir = dataDir.resolve(EventJournal.DIRECTORY);
        if (!Queues.holdsQueue(dir)) {
            throw new IllegalArgumentException("no events queue in " + dir);
        }
        return new EventTailer(Queues.openReadOnly(dir));
    }

    /** True if {@code <dataDir>/events} holds a queue, so that {@link #openReadOnly} can open it. */
    public static boolean queueExists(Path dataDir) {
        return Queues.holdsQueue(dataDir.resolve(EventJournal.DIRECTORY));
    }

    /** Reads from the first event. */
    public EventTailer fromStart() {
        tailer.toStart();
        minSeq = 0;
        return this;
    }

    /** Reads from the first event whose sequence is at least {@code seq} (skipping earlier ones as it goes). */
    public EventTailer fromSeq(long seq) {
        tailer.toStart();
        minSeq = seq;
        return this;
    }

    /**
     * Positions the reader at the record with Chronicle index {@code index}, so that the next
     * {@link #next} reads it (or, if it is damaged, the first intact event after it).
     *
     * @return false if the queue holds no record at that index; the position is then unspecified
     *     and the caller repositions with {@link #fromStart} or {@link #fromSeq}
     */
    public boolean moveToIndex(long index) {
        minSeq = 0;
        lastIndex = NO_INDEX;
        return index >= 0 && tailer.moveToIndex(index);
    }

    /** The Chronicle index of the event last returned by {@link #next}, or {@link #NO_INDEX}. */
    public long index() {
        return lastIndex;
    }

    /**
     * The sequence of the last intact event in the queue now, 0 if it holds none. Reads one record
     * (or a few, past damaged ones) from the end, with a second tailer: the read position of
     * {@link #next} does not move.
     */
    public long lastSeq() {
        if (endTailer == null) {
            endTailer = queue.createTailer();
            endTailer.direction(TailerDirection.BACKWARD);
            endEvent = new EngineEvent();
        }
        endTailer.toEnd();
        while (true) {
            try (DocumentContext dc = endTailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return 0;
                }
                int len = Queues.copyContent(dc.wire().bytes(), record);
                try {
                    if (len >= 0) {
                        codec.decode(record, 0, len, endEvent);
                        return endEvent.seq;
                    }
                } catch (JournalFormatException e) {
                    // damaged: look at the record before it, as next() would skip it
                }
            }
        }
    }

    /** Reads only events appended after this call. */
    public EventTailer toEnd() {
        tailer.toEnd();
        minSeq = 0;
        return this;
    }

    /**
     * Reads the next event into {@code into}.
     *
     * @return false if no further event is available yet
     */
    public boolean next(EngineEvent into) {
        while (true) {
            try (DocumentContext dc = tailer.readingDocument()) {
                if (!dc.isPresent()) {
                    return false;
                }
                Bytes<?> bytes = dc.wire().bytes();
                long offset = bytes.readPosition();
                int len = Queues.copyContent(bytes, record);
                try {
                    if (len < 0) {
                        throw new JournalFormatException(JournalFormatException.Reason.LENGTH_MISMATCH,
                                "event document of " + bytes.readRemaining() + " bytes exceeds " + EventCodec.MAX_RECORD_LENGTH);
                    }
                    codec.decode(record, 0, len, into);
                } catch (JournalFormatException e) {
                    if (!e.isDamage()) {
                        throw new JournalCorruptionException("not an event record of this build: " + e.getMessage(),
                                tailer.currentFile(), dc.index(), offset, -1, e);
                    }
                    skippedRecords++;
                    LOG.warn("skipping damaged event record at index 0x{} offset {} in {}: {}",
                            Long.toHexString(dc.index()), offset, tailer.currentFile(), e.getMessage());
                    continue;
                }
                if (into.seq >= minSeq) {
                    lastIndex = dc.index();
                    return true;
                }
            }
        }
    }

    /** The schema version of the event {@link #next} last returned ({@link EventCodec#lastDecodedVersion}). */
    public int lastRecordVersion() {
        return codec.lastDecodedVersion();
    }

    /** Damaged records skipped so far. */
    public long skippedRecords() {
        return skippedRecords;
    }

    @Override
    public void close() {
        if (endTailer != null) {
            endTailer.close();
        }
        tailer.close();
        queue.close();
    }
}
