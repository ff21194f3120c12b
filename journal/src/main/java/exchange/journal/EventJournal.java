package exchange.journal;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The events queue ({@code <dataDir>/events}): every engine event, encoded by {@link EventCodec},
 * as one Chronicle document, for audit and for tools that follow the exchange ({@link TailEvents}).
 * It is derived data: the command journal is the source of truth and replaying it regenerates
 * every event, so this queue is never synced and a damaged record in it is skipped by readers.
 *
 * <p><b>Replay is idempotent.</b> When opened, it reads the last sequence it holds and how many
 * events it holds for that sequence; events offered again at or before that point (recovery
 * replaying the journal through this sink) are skipped, so after a crash between two events of
 * one command only the missing ones are appended. Events of commands covered by a snapshot are
 * not replayed, so an events queue deleted or behind the snapshot stays behind.
 *
 * <p><b>Threads.</b> {@link #onEvent} runs on one thread at a time (the engine thread; before it
 * starts, the recovering thread); a change of thread is accepted only with a happens-before edge
 * between the two (such as starting the engine thread). Counters may be read from any thread.
 */
public final class EventJournal implements EventSink, AutoCloseable {
    /** The events queue's directory name under the data directory. */
    public static final String DIRECTORY = "events";
    private static final Logger LOG = LoggerFactory.getLogger(EventJournal.class);

    private final SingleChronicleQueue queue;
    private final EventCodec codec = new EventCodec();
    private ExcerptAppender appender;
    private Thread appenderThread;

    /** Events at or before (resumeSeq, resumeCount) are already in the queue. */
    private long resumeSeq;
    private long resumeCount;
    private long seenAtResumeSeq;
    private volatile long lastSeq;
    private volatile long bytesWritten;
    private volatile long skippedDuplicates;

    private EventJournal(SingleChronicleQueue queue) {
        this.queue = queue;
        findResumePoint();
        this.lastSeq = resumeSeq;
    }

    /** Opens (creating if needed) {@code <dataDir>/events}; only the roll cycle of {@code options} applies. */
    public static EventJournal open(Path dataDir, JournalOptions options) {
        Path dir = dataDir.resolve(DIRECTORY);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return new EventJournal(Queues.open(dir, options));
    }

    private void findResumePoint() {
        EngineEvent e = new EngineEvent();
        byte[] record = new byte[EventCodec.MAX_RECORD_LENGTH];
        try (ExcerptTailer t = queue.createTailer()) {
            t.direction(TailerDirection.BACKWARD).toEnd();
            while (true) {
                try (DocumentContext dc = t.readingDocument()) {
                    if (!dc.isPresent()) {
                        return;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    int len = Queues.copyContent(bytes, record);
                    try {
                        if (len < 0) {
                            throw new JournalFormatException(JournalFormatException.Reason.LENGTH_MISMATCH,
                                    "event document of " + bytes.readRemaining() + " bytes");
                        }
                        codec.decode(record, 0, len, e);
                    } catch (JournalFormatException x) {
                        LOG.warn("events queue: skipping unreadable record at index 0x{} in {}: {}",
                                Long.toHexString(dc.index()), t.currentFile(), x.getMessage());
                        continue;
                    }
                    if (resumeCount == 0) {
                        resumeSeq = e.seq;
                    } else if (e.seq != resumeSeq) {
                        return;
                    }
                    resumeCount++;
                }
            }
        }
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (resumeCount > 0 && event.seq <= resumeSeq) {
            if (event.seq < resumeSeq || seenAtResumeSeq++ < resumeCount) {
                skippedDuplicates++;
                return;
            }
        }
        int len = codec.encode(event);
        ExcerptAppender a = appender();
        try (DocumentContext dc = a.writingDocument()) {
            dc.wire().bytes().write(codec.buffer(), 0, len);
        }
        bytesWritten += len;
        lastSeq = event.seq;
    }

    private ExcerptAppender appender() {
        Thread current = Thread.currentThread();
        if (appender == null) {
            appender = queue.createAppender();
            appenderThread = current;
        } else if (appenderThread != current) {
            appender.singleThreadedCheckReset();
            appenderThread = current;
        }
        return appender;
    }

    /** Sequence of the last event in the queue (written now or found when opened), 0 if none. */
    public long lastSeq() {
        return lastSeq;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    /** Events offered again by a replay and skipped because the queue already held them. */
    public long skippedDuplicates() {
        return skippedDuplicates;
    }

    @Override
    public void close() {
        if (appender != null) {
            appender.singleThreadedCheckReset();
            appender.close();
        }
        queue.close();
    }
}
