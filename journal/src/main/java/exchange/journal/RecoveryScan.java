package exchange.journal;

import java.io.File;

/**
 * What a full read of the journal found: the sequence range of its valid records, the torn tail
 * it dropped (if any) and where appending continues. Produced by {@link JournalReader}; consumed
 * by {@link ChronicleJournal#open(java.nio.file.Path, JournalOptions, RecoveryScan)}, which voids
 * the torn tail with a marker before appending.
 *
 * @param complete            true if every record was read (false if the reader was stopped early;
 *                            such a scan says nothing about the tail and cannot open a journal)
 * @param firstSeq            sequence of the first valid command, 0 if there is none
 * @param lastValidSeq        sequence of the last valid command, 0 if there is none
 * @param commandCount        valid command records read
 * @param droppedCount        damaged records at the tail, not yet voided by a marker
 * @param firstDroppedIndex   Chronicle index of the first of them, -1 if none
 * @param lastDroppedIndex    Chronicle index of the last of them, -1 if none
 * @param firstDroppedFile    the queue file of the first of them, null if none
 * @param droppedReason       why the first of them was rejected, null if none
 * @param previouslyDropped   damaged records voided by markers written in earlier recoveries
 * @param lastIndex           Chronicle index of the last document in the queue, -1 if empty:
 *                            the position after which appends continue
 */
public record RecoveryScan(boolean complete, long firstSeq, long lastValidSeq, long commandCount, int droppedCount,
                           long firstDroppedIndex, long lastDroppedIndex, File firstDroppedFile, String droppedReason,
                           long previouslyDropped, long lastIndex) {

    /** The scan of a journal that does not exist yet. */
    public static RecoveryScan empty() {
        return new RecoveryScan(true, 0, 0, 0, 0, -1, -1, null, null, 0, -1);
    }

    /** This scan marked incomplete: what a reader returns when its visitor stopped it. */
    RecoveryScan partial() {
        return new RecoveryScan(false, firstSeq, lastValidSeq, commandCount, droppedCount, firstDroppedIndex,
                lastDroppedIndex, firstDroppedFile, droppedReason, previouslyDropped, lastIndex);
    }

    /** The sequence the next appended command must carry. */
    public long nextSeq() {
        return lastValidSeq + 1;
    }

    /** True if damaged records at the tail must be voided before appending. */
    public boolean hasTornTail() {
        return droppedCount > 0;
    }

    @Override
    public String toString() {
        return "RecoveryScan{seq " + firstSeq + ".." + lastValidSeq + ", commands=" + commandCount
                + (droppedCount > 0 ? ", tornTail=" + droppedCount + " records at index 0x" + Long.toHexString(firstDroppedIndex)
                        + " in " + firstDroppedFile + " (" + droppedReason + ")" : "")
                + (previouslyDropped > 0 ? ", previouslyDropped=" + previouslyDropped : "")
                + (complete ? "" : ", partial") + "}";
    }
}
