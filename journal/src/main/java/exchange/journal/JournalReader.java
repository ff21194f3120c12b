package exchange.journal;

import exchange.engine.Command;
import exchange.engine.Exchange;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the command journal ({@code <dataDir>/journal}) in order from its first record,
 * validating every record (framing, CRC32C) and that sequences are contiguous (each is the
 * previous + 1), and hands the commands after a given sequence to a visitor.
 *
 * <h2>Damage and what it means</h2>
 * Chronicle itself heals a write torn by a process crash: a document whose header was never
 * completed is invisible to readers and is overwritten by the next append (verified with a child
 * JVM halted mid-document). What Chronicle cannot see is a complete document with damaged
 * content: after an OS crash in {@code process} mode some of its pages may not have reached the
 * disk, or the disk corrupted it. The reader classifies such records:
 * <ul>
 *   <li><b>Torn tail</b>: one or more damaged records with nothing valid after them. Dropped:
 *       the scan reports how many, where, and the last valid sequence.</li>
 *   <li><b>Mid-journal corruption</b>: a damaged record followed by a valid command, a sequence
 *       gap or repeat, or an intact record this build cannot read (unknown version or type).
 *       Throws {@link JournalCorruptionException} naming the file, index, offset and sequence.</li>
 * </ul>
 *
 * <h2>How a torn tail is truncated</h2>
 * Chronicle Queue has no API to truncate a queue, and rewriting a live cycle file behind its
 * index and write-position header is unsafe. Instead, before the first new append,
 * {@link ChronicleJournal} writes (and fsyncs) a <em>tail-dropped marker</em>: a journal record
 * of type {@link CommandCodec#TYPE_TAIL_DROPPED} naming the exact index range of the damaged
 * records and the last valid sequence. New records go after the marker. The reader honours a
 * marker only if it covers exactly the damaged records seen since the last valid one, so the
 * journal still reads as: valid records, voided damage, valid records continuing the sequence.
 *
 * <p>A reader is confined to the thread that created it, except that during
 * {@link #readDecodingAhead} its decoding state is used by that pass's decoder thread alone (the
 * caller's thread then only visits). It allocates nothing per record but the decoded strings.
 * Reading is linear from the first record (sequences are not indexed), so the whole journal is
 * validated on every recovery.
 */
public final class JournalReader implements AutoCloseable {
    /** The journal's directory name under the data directory. */
    public static final String DIRECTORY = "journal";

    /**
     * Receives each valid command in order. The reader decodes up to {@link #LOOKAHEAD} commands
     * at a time, shows them all to {@link #ahead}, then hands them one by one to
     * {@link #onCommand}; a command instance is reused once its {@code onCommand} has returned.
     */
    @FunctionalInterface
    public interface CommandVisitor {
        /**
         * @return false to stop reading (the scan is then marked incomplete; it may cover up to
         *     {@link #LOOKAHEAD} - 1 records after this one, already decoded)
         */
        boolean onCommand(Command command);

        /**
         * Shown each batch of decoded commands, {@code commands[from, to)}, before the first of
         * them goes to {@code onCommand} (a replay prefetches here what applying them will read,
         * so that their cache misses overlap).
         */
        default void ahead(Command[] commands, int from, int to) {
        }

        /**
         * A visitor that hands each command to {@code visitor} and has {@code exchange} prefetch
         * every batch ({@link Exchange#prefetch}): what a replay into {@code exchange} wants.
         */
        static CommandVisitor prefetching(Exchange exchange, CommandVisitor visitor) {
            return new CommandVisitor() {
                @Override
                public boolean onCommand(Command command) {
                    return visitor.onCommand(command);
                }

                @Override
                public void ahead(Command[] commands, int from, int to) {
                    exchange.prefetch(commands, from, to);
                }
            };
        }
    }

    /** How many decoded commands the reader holds ahead of the visitor. */
    public static final int LOOKAHEAD = 64;

    private final SingleChronicleQueue queue;
    private final CommandCodec codec = new CommandCodec();
    private final byte[] record = new byte[CommandCodec.MAX_RECORD_LENGTH];
    private final Command[] pending = new Command[LOOKAHEAD];
    /** The command records of the batch record in {@link #record} not yet read: {@code [batchPos, batchEnd)}. */
    private int batchPos;
    private int batchEnd;
    private long batchIndex;
    private File batchFile;
    private long batchOffset;

    private JournalReader(SingleChronicleQueue queue) {
        this.queue = queue;
        for (int i = 0; i < LOOKAHEAD; i++) {
            pending[i] = new Command();
        }
    }

    /** Opens {@code <dataDir>/journal}; a missing journal reads as empty. */
    public static JournalReader open(Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        return new JournalReader(Files.isDirectory(dir) ? Queues.open(dir, JournalOptions.defaults()) : null);
    }

    /**
     * Opens {@code <dataDir>/journal} read-only, for tools that must leave a data directory as they
     * found it (the replay tool): nothing is created or written. A missing or empty journal
     * directory reads as empty.
     */
    public static JournalReader openReadOnly(Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        return new JournalReader(Queues.holdsQueue(dir) ? Queues.openReadOnly(dir) : null);
    }

    /** Validates the whole journal without visiting commands. */
    public RecoveryScan scan() {
        return read(Long.MAX_VALUE, c -> true);
    }

    /**
     * Reads and validates every record, calling {@code visitor} for each valid command whose
     * sequence is greater than {@code afterSeq} (0 = all).
     *
     * @throws JournalCorruptionException on damage before the tail, a sequence gap or repeat, or an
     *     intact record this build cannot read
     */
    public RecoveryScan read(long afterSeq, CommandVisitor visitor) {
        return read(afterSeq, Long.MAX_VALUE, visitor);
    }

    /**
     * As {@link #read(long, CommandVisitor)}, but only up to {@code toSeq}: reading stops at the
     * first command after it (the scan is then incomplete), and no record after that one is read,
     * so damage further on does not matter.
     */
    public RecoveryScan read(long afterSeq, long toSeq, CommandVisitor visitor) {
        if (queue == null) {
            return RecoveryScan.empty();
        }
        Scan s = new Scan();
        try (ExcerptTailer tailer = tailer()) {
            while (!s.atEnd && !s.pastTo) {
                int count = fill(tailer, s, pending, afterSeq, toSeq);
                if (!deliver(pending, count, visitor)) {
                    return s.result(false);
                }
            }
            return s.result(!s.pastTo);
        }
    }

    /**
     * As {@link #read(long, long, CommandVisitor)}, but records are read, checked and decoded on a
     * second thread ({@code journal-decoder}) while the caller's thread runs the visitor, which
     * then only applies. The visitor sees the same commands in the same order, on the caller's
     * thread, and a failure is thrown after the commands before it, as by {@code read}; a visitor
     * that stops early finds the scan covering up to {@link DecodingThread#BATCH} - 1 records after
     * its stop. For long replays on a machine with a core to spare.
     */
    public RecoveryScan readDecodingAhead(long afterSeq, long toSeq, CommandVisitor visitor) {
        if (queue == null) {
            return RecoveryScan.empty();
        }
        return new DecodingThread(this, afterSeq, toSeq).run(visitor);
    }

    /** Opens a tailer at the journal's first record, for {@link #fill}. */
    ExcerptTailer tailer() {
        batchPos = 0; // a pass that stopped inside a batch record left the rest of it here
        batchEnd = 0;
        ExcerptTailer tailer = queue.createTailer();
        tailer.toStart();
        return tailer;
    }

    /**
     * Reads records into {@code into[0, count)} until it holds {@code into.length} commands after
     * {@code afterSeq}, the journal ends ({@link Scan#atEnd}) or a command after {@code toSeq} is
     * read ({@link Scan#pastTo}; that one is not counted).
     */
    int fill(ExcerptTailer tailer, Scan s, Command[] into, long afterSeq, long toSeq) {
        int count = 0;
        while (count < into.length) {
            Command c = into[count];
            int outcome = readOne(tailer, s, c);
            if (outcome == END) {
                s.atEnd = true;
                break;
            }
            if (outcome == COMMAND && c.seq > afterSeq) {
                if (c.seq > toSeq) {
                    s.pastTo = true;
                    break;
                }
                count++;
            }
        }
        return count;
    }

    /**
     * Shows {@code commands[0, count)} to the visitor, {@link #LOOKAHEAD} at a time to
     * {@link CommandVisitor#ahead} and then one by one; false if the visitor stopped.
     */
    static boolean deliver(Command[] commands, int count, CommandVisitor visitor) {
        for (int from = 0; from < count; from += LOOKAHEAD) {
            int to = Math.min(count, from + LOOKAHEAD);
            visitor.ahead(commands, from, to);
            for (int i = from; i < to; i++) {
                if (!visitor.onCommand(commands[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final int END = 0;
    private static final int COMMAND = 1;
    private static final int OTHER = 2;

    /**
     * Reads the next record (the next in the open batch record, else the next document) and
     * updates the scan; returns END, COMMAND (decoded into {@code command}) or OTHER.
     */
    private int readOne(ExcerptTailer tailer, Scan s, Command command) {
        if (batchPos < batchEnd) {
            return nextInBatch(s, command);
        }
        try (DocumentContext dc = tailer.readingDocument()) {
            if (!dc.isPresent()) {
                return END;
            }
            long index = dc.index();
            Bytes<?> bytes = dc.wire().bytes();
            long offset = bytes.readPosition();
            s.lastIndex = index;
            int len = Queues.copyContent(bytes, record);
            boolean isCommand;
            try {
                if (len < 0) {
                    throw new JournalFormatException(JournalFormatException.Reason.LENGTH_MISMATCH,
                            "document of " + bytes.readRemaining() + " bytes exceeds the largest journal record ("
                                    + CommandCodec.MAX_RECORD_LENGTH + ")");
                }
                if (CommandCodec.isBatch(record, 0, len)) {
                    int first = codec.openBatch(record, 0, len);
                    batchIndex = index;
                    batchFile = tailer.currentFile();
                    batchOffset = offset;
                    batchPos = first;
                    batchEnd = len - (CommandCodec.BATCH_OVERHEAD - CommandCodec.HEADER_LENGTH);
                    s.lastIndex = index;
                    return nextInBatch(s, command);
                }
                isCommand = codec.decode(record, 0, len, command);
            } catch (JournalFormatException e) {
                if (!e.isDamage()) {
                    throw new JournalCorruptionException("intact journal record cannot be read by this build: "
                            + e.getMessage(), tailer.currentFile(), index, offset, s.lastValidSeq + 1, e);
                }
                s.damaged(index, tailer.currentFile(), offset, e.getMessage());
                return OTHER;
            }
            if (!isCommand) {
                s.marker(codec, index, tailer.currentFile(), offset);
                return OTHER;
            }
            s.valid(command.seq, index, tailer.currentFile(), offset);
            return COMMAND;
        }
    }

    /**
     * Decodes the next command record of the open batch record. Its checksum held, so a record
     * in it that does not decode is not damage but corruption (or a writer's bug): thrown.
     */
    private int nextInBatch(Scan s, Command command) {
        try {
            if (batchPos >= batchEnd) {
                throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD, "empty journal batch");
            }
            int len = CommandCodec.recordLengthAt(record, batchPos, batchEnd);
            if (!codec.decode(record, batchPos, len, command)) {
                throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                        "a tail-dropped marker inside a journal batch");
            }
            batchPos += len;
        } catch (JournalFormatException e) {
            batchPos = 0;
            batchEnd = 0;
            throw new JournalCorruptionException("intact journal batch record cannot be read by this build: "
                    + e.getMessage(), batchFile, batchIndex, batchOffset, s.lastValidSeq + 1, e);
        }
        s.valid(command.seq, batchIndex, batchFile, batchOffset);
        return COMMAND;
    }

    @Override
    public void close() {
        if (queue != null) {
            queue.close();
        }
    }

    /** Mutable state of one pass. */
    static final class Scan {
        boolean atEnd;
        boolean pastTo;
        long firstSeq;
        long lastValidSeq;
        long commandCount;
        long lastIndex = -1;
        long previouslyDropped;
        int badCount;
        long firstBadIndex = -1;
        long lastBadIndex = -1;
        File firstBadFile;
        long firstBadOffset = -1;
        String firstBadReason;

        void damaged(long index, File file, long offset, String reason) {
            if (badCount == 0) {
                firstBadIndex = index;
                firstBadFile = file;
                firstBadOffset = offset;
                firstBadReason = reason;
            }
            lastBadIndex = index;
            badCount++;
        }

        void marker(CommandCodec codec, long index, File file, long offset) {
            boolean covers = badCount > 0 && codec.markerFirstIndex() == firstBadIndex
                    && codec.markerLastIndex() == lastBadIndex && codec.markerCount() == badCount;
            if (!covers) {
                throw new JournalCorruptionException("tail-dropped marker voids " + codec.markerCount() + " records at index 0x"
                        + Long.toHexString(codec.markerFirstIndex()) + "..0x" + Long.toHexString(codec.markerLastIndex())
                        + " but the damaged records before it are " + badCount
                        + (badCount > 0 ? " at 0x" + Long.toHexString(firstBadIndex) + "..0x" + Long.toHexString(lastBadIndex) : ""),
                        file, index, offset, codec.decodedSeq(), null);
            }
            if (codec.decodedSeq() != lastValidSeq) {
                throw new JournalCorruptionException("tail-dropped marker names last valid seq " + codec.decodedSeq()
                        + " but the journal's last valid seq is " + lastValidSeq, file, index, offset, codec.decodedSeq(), null);
            }
            previouslyDropped += badCount;
            clearBad();
        }

        void valid(long seq, long index, File file, long offset) {
            if (badCount > 0) {
                throw new JournalCorruptionException("damaged journal record (" + firstBadReason + ") followed by "
                        + (badCount - 1) + " more damaged and then a valid record (index 0x" + Long.toHexString(index)
                        + ", seq " + seq + "): corruption before the tail", firstBadFile, firstBadIndex, firstBadOffset,
                        lastValidSeq + 1, null);
            }
            if (commandCount == 0) {
                if (seq < 1) {
                    throw new JournalCorruptionException("first journal record carries seq " + seq, file, index, offset, seq, null);
                }
                firstSeq = seq;
            } else if (seq != lastValidSeq + 1) {
                throw new JournalCorruptionException("journal sequence " + (seq > lastValidSeq ? "gap" : "repeat")
                        + ": expected seq " + (lastValidSeq + 1) + " but the record carries " + seq, file, index, offset, seq, null);
            }
            lastValidSeq = seq;
            commandCount++;
        }

        private void clearBad() {
            badCount = 0;
            firstBadIndex = -1;
            lastBadIndex = -1;
            firstBadFile = null;
            firstBadOffset = -1;
            firstBadReason = null;
        }

        RecoveryScan result(boolean complete) {
            return new RecoveryScan(complete, firstSeq, lastValidSeq, commandCount, badCount, firstBadIndex, lastBadIndex,
                    firstBadFile, firstBadReason, previouslyDropped, lastIndex);
        }
    }
}
