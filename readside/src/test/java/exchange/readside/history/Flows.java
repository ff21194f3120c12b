package exchange.readside.history;

import exchange.engine.EngineEvent;
import exchange.engine.Exchange;
import exchange.engine.ReconciliationReport;
import exchange.engine.SeededFlow;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A seeded multi-session flow's events, written to a real events queue as the pipeline writes them. */
final class Flows {
    /** The engine after the flow, every event (copies, in order), and the session reports. */
    record Run(Exchange exchange, List<EngineEvent> events, List<ReconciliationReport> reports) {
        long lastEventSeq() {
            return events.get(events.size() - 1).seq;
        }

        /**
         * Appends events {@code [from, to)} to the events queue of {@code dataDir}. Like the
         * pipeline after a restart it offers a command's events from its first one: the journal
         * skips those it already holds (it counts them per seq).
         */
        void append(Path dataDir, int from, int to) {
            int start = from;
            while (start > 0 && start < events.size() && events.get(start - 1).seq == events.get(start).seq) {
                start--;
            }
            try (EventJournal journal = EventJournal.open(dataDir, JournalOptions.defaults())) {
                for (int i = start; i < to; i++) {
                    journal.onEvent(events.get(i));
                }
            }
        }
    }

    private Flows() {
    }

    /** Runs the flow without writing it anywhere. */
    static Run generate(long seed, int commands) {
        List<ReconciliationReport> reports = new ArrayList<>();
        List<EngineEvent> events = new ArrayList<>();
        Exchange exchange = SeededFlow.run(seed, commands, e -> events.add(e.copy()), reports);
        return new Run(exchange, List.copyOf(events), List.copyOf(reports));
    }

    /** Runs the flow and writes all of its events to {@code <dataDir>/events}. */
    static Run write(Path dataDir, long seed, int commands) {
        Run run = generate(seed, commands);
        run.append(dataDir, 0, run.events().size());
        return run;
    }
}
