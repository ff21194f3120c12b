package exchange.gateway.crash;

import exchange.engine.EngineEvent;
import exchange.journal.EventTailer;
import exchange.journal.JsonLines;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a stopped or killed child's events queue ({@code <dataDir>/events}) read-only. The queue
 * is derived from the command journal, so it may lag the journal after a kill (recovery appends
 * what is missing) but must never hold an event of a command the journal does not have: such an
 * event describes something no client was told about and recovery will not redo, and its sequence
 * is then reused by a different command.
 */
final class EventsQueue {
    private EventsQueue() {
    }

    /** The events whose sequence is after {@code journalSeq}, as JSON lines (at most {@code max}). */
    static List<String> eventsAfter(Path dataDir, long journalSeq, int max) {
        List<String> out = new ArrayList<>();
        EngineEvent e = new EngineEvent();
        try (EventTailer tailer = EventTailer.openReadOnly(dataDir).fromSeq(journalSeq + 1)) {
            while (out.size() < max && tailer.next(e)) {
                out.add(JsonLines.event(e));
            }
        }
        return out;
    }
}
