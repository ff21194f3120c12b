package exchange.journal;

import exchange.engine.Command;
import exchange.engine.pipeline.JournalPort;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command journal: every state-changing command, encoded by {@link CommandCodec}, as one
 * document of a Chronicle Queue in {@code <dataDir>/journal} (roll cycle per
 * {@link JournalOptions}, default one file per UTC day).
 *
 * <p><b>Threads.</b> {@link #append}, {@link #endOfBatch} and {@link #force} run on the journal thread: the
 * Chronicle appender is created there on first use and is confined to it (a later thread may take
 * over only after a happens-before edge, such as the old one having been joined). {@link #bytesWritten},
 * {@link #lastAppendedSeq} and {@link #lastSyncedSeq} may be read from any thread (metrics).
 * {@link #close} runs after the journal thread has stopped.
 *
 * <p><b>Batches.</b> Between {@link #beginBatch} and {@link #endOfBatch} (the pipeline's journal
 * stage brackets each Disruptor batch so), appended commands are gathered into batch records of
 * up to {@link CommandCodec#MAX_RECORD_LENGTH} bytes, one Chronicle document each (see
 * {@link CommandCodec}): Chronicle's cost per document (lock, header, index) is then paid once
 * per ~10 commands instead of once per command. A batch of one command is written as a plain
 * record. Outside a batch, each {@link #append} writes its own document at once.
 *
 * <p><b>Durability.</b> In {@link DurabilityMode#PROCESS} a record is durable against a process
 * crash once it is in the mapped file: when {@link #append} returns outside a batch, and at the
 * latest when {@link #endOfBatch} (or {@link #force}) returns inside one; the pipeline releases
 * no result of a batch before its {@code endOfBatch}. In {@link DurabilityMode#SYNC},
 * {@link #endOfBatch} flushes every file the batch wrote with {@code fdatasync} (the kernel path
 * of {@code msync(MS_SYNC)}, but covering the whole file and throwing on failure), and the
 * directory after a roll created a new file. Why not Chronicle's own {@code appender.sync()}: it
 * is only a real {@code MS_SYNC} when the queue is built with {@code syncMode(SyncMode.SYNC)} (the
 * default {@code ASYNC} issues {@code MS_ASYNC}, which waits for nothing), it covers only the
 * appender's current mapped chunk, the file left behind by a roll is flushed later by a
 * background thread, and a failed {@code msync} is only logged (all seen with strace on 2026.4).
 * {@link #force} does the same flush on demand in either mode.
 *
 * <p><b>Invariants.</b> Appended sequences are contiguous from the last valid sequence of the
 * journal as opened; only journaled command types are appended; a torn tail found when opening
 * is voided by a synced marker before any new record (see {@link JournalReader}).
 */
public final class ChronicleJournal implements JournalPort, AutoCloseable {
    private final Path directory;
    private final DurabilityMode durability;
    private final SingleChronicleQueue queue;
    private final CommandCodec codec = new CommandCodec();

    private ExcerptAppender appender;
    private Thread appenderThread;
    private int currentCycle = Integer.MIN_VALUE;
    private File currentFile;
    /** Files that received records since the last sync but are no longer the appender's (rolls; rare). */
    private final List<File> rolledFiles = new ArrayList<>(2);
    private boolean newFileSinceSync;
    private boolean unsynced;
    private volatile long bytesWritten;
    private volatile long lastAppendedSeq;
    private volatile long lastSyncedSeq;
    /** The last sequence given to {@link #append}: ahead of {@link #lastAppendedSeq} while a batch record is open. */
    private long lastEncodedSeq;

    /** True between {@link #beginBatch} and {@link #endOfBatch}: appends gather into {@link #batch}. */
    private boolean batching;
    /** The open batch record: its header is written when it is framed; command records from {@code HEADER_LENGTH}. */
    private final byte[] batch = new byte[CommandCodec.MAX_RECORD_LENGTH];
    private int batchRecordsLength;
    private int batchCount;
    private long batchFirstSeq;
    private long batchFirstTimestampNanos;

    private ChronicleJournal(Path dataDir, JournalOptions options, RecoveryScan scan) {
        if (!scan.complete()) {
            throw new IllegalArgumentException("a journal can only be opened after a complete scan: " + scan);
        }
        this.directory = dataDir.resolve(JournalReader.DIRECTORY);
        this.durability = options.durability();
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
        this.queue = Queues.open(directory, options);
        try {
            if (queue.lastIndex() != scan.lastIndex()) {
                throw new IllegalStateException("journal " + directory + " changed since it was scanned: last index 0x"
                        + Long.toHexString(queue.lastIndex()) + ", scan saw 0x" + Long.toHexString(scan.lastIndex()));
            }
            if (scan.hasTornTail()) {
                voidTornTail(scan);
            }
        } catch (RuntimeException e) {
            queue.close();
            throw e;
        }
        this.lastAppendedSeq = scan.lastValidSeq();
        this.lastSyncedSeq = scan.lastValidSeq();
        this.lastEncodedSeq = scan.lastValidSeq();
    }

    /** Scans {@code <dataDir>/journal} (see {@link JournalReader}) and opens it for appending. */
    public static ChronicleJournal open(Path dataDir, JournalOptions options) {
        RecoveryScan scan;
        try (JournalReader reader = JournalReader.open(dataDir)) {
            scan = reader.scan();
        }
        return open(dataDir, options, scan);
    }

    /**
     * Opens {@code <dataDir>/journal} for appending after {@code scan}, the complete scan recovery
     * just made of it; a torn tail in the scan is voided first.
     */
    public static ChronicleJournal open(Path dataDir, JournalOptions options, RecoveryScan scan) {
        return new ChronicleJournal(dataDir, options, scan);
    }

    /** Writes the tail-dropped marker with a short-lived appender on this thread and syncs it. */
    private void voidTornTail(RecoveryScan scan) {
        int len = codec.encodeTailDropped(scan.lastValidSeq(), System.currentTimeMillis() * 1_000_000L,
                scan.firstDroppedIndex(), scan.lastDroppedIndex(), scan.droppedCount());
        try (ExcerptAppender a = queue.createAppender()) {
            try (DocumentContext dc = a.writingDocument()) {
                dc.wire().bytes().write(codec.buffer(), 0, len);
            }
            Queues.forceFile(a.currentFile().toPath());
        }
        Queues.forceDirectory(directory);
    }

    /** Appends from here to the next {@link #endOfBatch} may share documents (see the class comment). */
    @Override
    public void beginBatch() {
        batching = true;
    }

    /**
     * Appends {@code command} as engine sequence {@code seq}, which must be the last appended + 1:
     * at once, or inside a batch into the open batch record.
     *
     * @throws IllegalArgumentException if the command type is not journaled or a string is too long
     * @throws IllegalStateException    if {@code seq} does not continue the journal (fail-stop)
     */
    @Override
    public void append(Command command, long seq) {
        if (seq != lastEncodedSeq + 1) {
            throw new IllegalStateException("journal sequence gap: last appended " + lastEncodedSeq + ", asked to append "
                    + seq + " (" + command.type + ")");
        }
        int len = codec.encode(command, seq);
        lastEncodedSeq = seq;
        if (!batching) {
            write(codec.buffer(), 0, len);
            lastAppendedSeq = seq;
            return;
        }
        if (batchCount > 0 && CommandCodec.BATCH_OVERHEAD + batchRecordsLength + len > batch.length) {
            writeBatch();
        }
        if (batchCount == 0) {
            batchFirstSeq = seq;
            batchFirstTimestampNanos = command.timestampNanos;
        }
        System.arraycopy(codec.buffer(), 0, batch, CommandCodec.HEADER_LENGTH + batchRecordsLength, len);
        batchRecordsLength += len;
        batchCount++;
    }

    /** Writes the open batch record, if any: a plain record if it holds one command. */
    private void writeBatch() {
        if (batchCount == 0) {
            return;
        }
        if (batchCount == 1) {
            write(batch, CommandCodec.HEADER_LENGTH, batchRecordsLength);
        } else {
            write(batch, 0, codec.frameBatch(batch, batchRecordsLength, batchFirstSeq, batchFirstTimestampNanos));
        }
        batchRecordsLength = 0;
        batchCount = 0;
        lastAppendedSeq = lastEncodedSeq;
    }

    /** Writes {@code buf[off, off + len)} as one document. */
    private void write(byte[] buf, int off, int len) {
        ExcerptAppender a = appender();
        try (DocumentContext dc = a.writingDocument()) {
            dc.wire().bytes().write(buf, off, len);
        }
        int cycle = a.cycle();
        if (cycle != currentCycle) {
            if (currentFile != null && unsynced) {
                rolledFiles.add(currentFile);
            }
            currentCycle = cycle;
            currentFile = a.currentFile();
            newFileSinceSync = true;
        }
        unsynced = true;
        bytesWritten += len;
    }

    private ExcerptAppender appender() {
        Thread current = Thread.currentThread();
        if (appender == null) {
            appender = queue.createAppender();
            appenderThread = current;
        } else if (appenderThread != current) {
            // a hand-over (the pipeline's thread replaced); Chronicle would refuse the second thread
            appender.singleThreadedCheckReset();
            appenderThread = current;
        }
        return appender;
    }

    /**
     * Writes the open batch record and ends the batch; group commit: in {@code sync} mode,
     * flushes what this batch wrote before its results are released.
     */
    @Override
    public void endOfBatch() {
        writeBatch();
        batching = false;
        if (durability == DurabilityMode.SYNC && unsynced) {
            sync();
        }
    }

    /**
     * Makes every record appended so far durable on the device, whatever the mode: the same
     * {@code fdatasync} of each file written since the last sync (and of the directory after a
     * roll) as a {@code sync}-mode batch end, then {@link #lastSyncedSeq} = {@link #lastAppendedSeq}.
     * Nothing to do if nothing was appended since the last sync. Runs on the journal thread; the
     * pipeline calls it for a SNAPSHOT command, so a snapshot file is never ahead of the journal on disk.
     *
     * @throws java.io.UncheckedIOException if a sync fails (the records are then not known durable)
     */
    @Override
    public void force() {
        writeBatch();
        if (unsynced) {
            sync();
        }
    }

    private void sync() {
        for (File f : rolledFiles) {
            Queues.forceFile(f.toPath());
        }
        rolledFiles.clear();
        Queues.forceFile(currentFile.toPath());
        if (newFileSinceSync) {
            Queues.forceDirectory(directory);
            newFileSinceSync = false;
        }
        unsynced = false;
        lastSyncedSeq = lastAppendedSeq;
    }

    public DurabilityMode durability() {
        return durability;
    }

    /** The queue directory, {@code <dataDir>/journal}. */
    public Path directory() {
        return directory;
    }

    /** Bytes of records written since this journal was opened (batch headers included, Chronicle's own excluded). */
    public long bytesWritten() {
        return bytesWritten;
    }

    /** Sequence of the last command written to the queue (the journal's last valid one before the first append). */
    public long lastAppendedSeq() {
        return lastAppendedSeq;
    }

    /** Sequence of the last command flushed to the device by a sync, {@link #force} or {@link #close}. */
    public long lastSyncedSeq() {
        return lastSyncedSeq;
    }

    /** Flushes what was appended (in either mode: a clean shutdown leaves nothing in the page cache) and closes. */
    @Override
    public void close() {
        try {
            writeBatch();
            if (unsynced) {
                sync();
            }
        } finally {
            if (appender != null) {
                appender.singleThreadedCheckReset();
                appender.close();
            }
            queue.close();
        }
    }
}
