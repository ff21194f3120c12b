package exchange.journal.replay;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.engine.SelfTradePrevention;
import exchange.journal.EventTailer;
import exchange.journal.JsonLines;

import java.nio.file.Path;
import java.util.List;

/**
 * Compares the events queue on disk with the events a replay regenerates, command by command, as
 * the replay goes (nothing is buffered beyond one command's events).
 *
 * <p>What counts as equal, given how {@code EventJournal} writes the queue: for every sequence
 * the queue holds, its events are exactly the regenerated ones, in order ({@link EngineEvent#equals}).
 * Tolerated, and reported: the queue ending before the journal (it is never synced, and the
 * engine may lag the journal), ending inside the last command's events (a crash between two
 * events), and sequences absent from the queue (events of commands a snapshot covered when the
 * queue was behind it). Not tolerated: a differing, extra or missing event within a sequence the
 * queue holds, events past the journal's end, and damaged records. An {@code ORDER_ACCEPTED} or
 * {@code ORDER_REJECTED} written before events schema 2 did not record the self-trade prevention
 * the order asked for (it reads as {@code DEFAULT}): that one field is taken from the replay, the
 * rest must be equal, and the summary counts such events.
 *
 * <p>Confined to the replaying thread; owns its read-only tailer.
 */
final class EventsQueueComparison implements AutoCloseable {
    private final EventTailer tailer;
    private final EngineEvent next = new EngineEvent();
    private boolean hasNext;
    /** Schema version of the record {@code next} came from. */
    private int nextVersion;
    private long comparedWithoutStp;
    private String failure;
    private long compared;
    private long firstSeq;
    private long lastSeq;
    private long commandsAbsent;
    private boolean endedInsideCommand;

    private EventsQueueComparison(EventTailer tailer) {
        this.tailer = tailer;
    }

    /** Opens {@code <dataDir>/events} read-only; a queue that cannot be opened or read makes the comparison fail. */
    static EventsQueueComparison open(Path dataDir) {
        EventTailer tailer;
        try {
            tailer = EventTailer.openReadOnly(dataDir);
        } catch (RuntimeException e) {
            EventsQueueComparison failed = new EventsQueueComparison(null);
            failed.failure = "cannot open the events queue: " + ReplayTool.describe(e);
            return failed;
        }
        EventsQueueComparison c = new EventsQueueComparison(tailer);
        tailer.fromStart();
        c.advance();
        return c;
    }

    private void advance() {
        try {
            hasNext = tailer.next(next);
            nextVersion = hasNext ? tailer.lastRecordVersion() : 0;
        } catch (RuntimeException e) {
            hasNext = false;
            if (failure == null) {
                failure = "cannot read the events queue: " + ReplayTool.describe(e);
            }
        }
    }

    /** Compares the queue's events of {@code seq} with {@code regenerated}; after a difference it stops comparing. */
    void onCommand(long seq, List<EngineEvent> regenerated) {
        if (failure != null) {
            return;
        }
        if (hasNext && next.seq < seq) {
            failure = "the queue holds an event of seq " + next.seq + " that the replay did not produce there: "
                    + JsonLines.event(next);
            return;
        }
        if (!hasNext || next.seq > seq) {
            if (hasNext && !regenerated.isEmpty() && compared > 0) {
                commandsAbsent++;
            }
            return;
        }
        for (int i = 0; i < regenerated.size(); i++) {
            EngineEvent expected = regenerated.get(i);
            if (!hasNext || next.seq != seq) {
                if (!hasNext && i > 0) {
                    endedInsideCommand = true;
                    return;
                }
                failure = "seq " + seq + ": the queue holds " + i + " events but the replay produced " + regenerated.size()
                        + "; the first missing is " + JsonLines.event(expected);
                return;
            }
            if (nextVersion < 2 && (next.type == EventType.ORDER_ACCEPTED || next.type == EventType.ORDER_REJECTED)
                    && next.selfTradePrevention == SelfTradePrevention.DEFAULT) {
                next.selfTradePrevention = expected.selfTradePrevention;
                comparedWithoutStp++;
            }
            if (!next.equals(expected)) {
                failure = "seq " + seq + " event " + (i + 1) + " differs: queue " + JsonLines.event(next) + " vs replay "
                        + JsonLines.event(expected);
                return;
            }
            if (compared++ == 0) {
                firstSeq = seq;
            }
            lastSeq = seq;
            advance();
        }
        if (hasNext && next.seq == seq) {
            failure = "seq " + seq + ": the queue holds more events than the " + regenerated.size()
                    + " the replay produced, the first extra is " + JsonLines.event(next);
        }
    }

    /**
     * Ends the comparison after the replay's last command.
     *
     * @return null if the queue matched, else what differed
     */
    String finish(long journalLastSeq) {
        if (failure == null && hasNext) {
            failure = "the queue continues past the journal's last seq " + journalLastSeq + " with " + JsonLines.event(next);
        }
        if (tailer != null && tailer.skippedRecords() > 0) {
            String damaged = tailer.skippedRecords() + " damaged records in the queue (skipped)";
            failure = failure == null ? damaged : failure + "; " + damaged;
        }
        return failure;
    }

    /** What matched, for a passing check. */
    String summary(long journalLastSeq) {
        if (compared == 0) {
            return "the queue holds no events to compare (journal ends at seq " + journalLastSeq + ")";
        }
        return compared + " events of seq " + firstSeq + ".." + lastSeq + " equal the replay's"
                + (commandsAbsent > 0 ? "; " + commandsAbsent + " commands in that range have no events in the queue" : "")
                + (comparedWithoutStp > 0 ? "; " + comparedWithoutStp + " order entry events written before events "
                        + "schema 2 compared without self_trade_prevention" : "")
                + (endedInsideCommand ? "; the queue ends inside the events of seq " + lastSeq : "")
                + (lastSeq < journalLastSeq ? "; the journal continues to seq " + journalLastSeq : "");
    }

    @Override
    public void close() {
        if (tailer != null) {
            tailer.close();
        }
    }
}
