package exchange.journal;

import java.io.File;

/**
 * The journal cannot be trusted before its tail: a damaged record followed by valid ones, a
 * sequence gap or repeat, or an intact record this build cannot read. Recovery refuses to start;
 * the message names the queue file, the Chronicle index, the byte offset in that file and the
 * sequence involved, so an operator can inspect it (for example with Chronicle's dump tool).
 */
public final class JournalCorruptionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final File file;
    private final long index;
    private final long offset;
    private final long seq;

    /**
     * @param file   the queue file holding the record, or null if unknown
     * @param index  the Chronicle index of the record
     * @param offset the byte offset of the record's content in {@code file}, or -1 if unknown
     * @param seq    the engine sequence expected or found at that record
     */
    public JournalCorruptionException(String problem, File file, long index, long offset, long seq, Throwable cause) {
        super(problem + " [file=" + file + ", index=0x" + Long.toHexString(index) + ", offset=" + offset + ", seq=" + seq
                + "]", cause);
        this.file = file;
        this.index = index;
        this.offset = offset;
        this.seq = seq;
    }

    public File file() {
        return file;
    }

    public long index() {
        return index;
    }

    public long offset() {
        return offset;
    }

    public long seq() {
        return seq;
    }
}
