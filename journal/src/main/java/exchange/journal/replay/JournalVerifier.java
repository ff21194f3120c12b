package exchange.journal.replay;

import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ReconciliationReport;
import exchange.engine.state.SnapshotFormatException;
import exchange.journal.EventCodec;
import exchange.journal.EventJournal;
import exchange.journal.Recovery;
import exchange.journal.RecoveryScan;
import exchange.journal.SnapshotStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * {@code replay --verify}: re-runs every journaled command and checks that the exchange is a
 * deterministic function of its journal and that everything derived from it agrees.
 *
 * <ol>
 *   <li><b>journal</b>: the journal reads from seq 1 to its end without corruption (a torn tail is
 *       reported, not failed: recovery drops it by design).</li>
 *   <li><b>events deterministic</b> and <b>state deterministic</b>: two independent full replays
 *       (fresh exchanges, separate journal reads, snapshots ignored) produce the same events
 *       (count and SHA-256 of their encoded records) and end with the same sequence and state hash.</li>
 *   <li><b>events queue</b>: the events on disk equal the regenerated ones ({@link EventsQueueComparison}).</li>
 *   <li><b>snapshot recovery</b>: recovery as the exchange does it (newest valid snapshot + journal)
 *       ends with the full replay's sequence and state hash.</li>
 *   <li><b>snapshots</b>: every snapshot file loads to the state hash the replay has at its sequence.</li>
 *   <li><b>internal state</b>: {@link Exchange#validateInternalState()} holds after the replay.</li>
 *   <li><b>report FILE</b>: each {@code reports/eod-*.json|csv} equals the report regenerated at
 *       that session's close.</li>
 * </ol>
 * The second replay and recovery stop at the first replay's last sequence, so a journal that grows
 * meanwhile cannot make them disagree. Meant for a stopped exchange's data directory (a live one
 * may have events past the journal's end). Everything is opened read-only. Single use, one thread.
 */
final class JournalVerifier {
    enum Status { PASS, FAIL, SKIP }

    /** One verified property: its outcome, stable name and what was compared. */
    record Check(Status status, String name, String detail) {
        String line() {
            return status + " " + name + ": " + detail;
        }
    }

    private final Path dataDir;
    private final ExchangeConfig config;
    private final List<Check> checks = new ArrayList<>();

    JournalVerifier(Path dataDir, ExchangeConfig config) {
        this.dataDir = dataDir;
        this.config = config;
    }

    /** Runs every check; a data problem is a FAIL, never an exception. */
    List<Check> run() {
        ReportFiles reports = ReportFiles.find(dataDir);
        SnapshotComparison snapshots = new SnapshotComparison(new SnapshotStore(dataDir), config);
        Path events = dataDir.resolve(EventJournal.DIRECTORY);
        EventDigest first = new EventDigest();
        JournalReplay.Outcome replay;
        EventsQueueComparison queue = holdsQueue(events) ? EventsQueueComparison.open(dataDir) : null;
        try {
            snapshots.at(0, null);
            replay = JournalReplay.run(dataDir, config, Long.MAX_VALUE, (c, ev, x) -> {
                first.add(ev);
                if (queue != null) {
                    queue.onCommand(c.seq, ev);
                }
                snapshots.at(c.seq, x);
                if (c.type == CommandType.SESSION_CLOSE && c.queryResult instanceof ReconciliationReport r) {
                    reports.onClose(r);
                }
                return true;
            });
        } catch (RuntimeException e) {
            add(Status.FAIL, "journal", "replay from seq 1 failed: " + ReplayTool.describe(e));
            return checks;
        } finally {
            if (queue != null) {
                queue.close();
            }
        }
        Exchange x1 = replay.exchange();
        long lastSeq = x1.lastSeq();
        add(Status.PASS, "journal", describe(replay.scan()));

        EventDigest second = new EventDigest();
        Exchange x2;
        try {
            x2 = JournalReplay.run(dataDir, config, lastSeq, (c, ev, x) -> {
                second.add(ev);
                return true;
            }).exchange();
        } catch (RuntimeException e) {
            add(Status.FAIL, "events deterministic", "the second replay failed: " + ReplayTool.describe(e));
            return checks;
        }
        add(first.equals(second) ? Status.PASS : Status.FAIL, "events deterministic",
                "replay 1 produced " + first + ", replay 2 " + second);
        add(x1.lastSeq() == x2.lastSeq() && x1.stateHash() == x2.stateHash() ? Status.PASS : Status.FAIL,
                "state deterministic", "replay 1 ends at seq " + x1.lastSeq() + " with state hash " + ReplayTool.hash(x1.stateHash())
                        + ", replay 2 at seq " + x2.lastSeq() + " with " + ReplayTool.hash(x2.stateHash()));

        if (queue == null) {
            add(Status.SKIP, "events queue", "no events queue in " + events);
        } else {
            String difference = queue.finish(lastSeq);
            add(difference == null ? Status.PASS : Status.FAIL, "events queue",
                    difference == null ? queue.summary(lastSeq) : difference);
        }

        checkRecovery(x1);
        String snapshotProblems = snapshots.finish(lastSeq);
        add(snapshotProblems != null ? Status.FAIL : snapshots.compared() == 0 ? Status.SKIP : Status.PASS, "snapshots",
                snapshotProblems != null ? snapshotProblems : snapshots.summary());

        try {
            x1.validateInternalState();
            add(Status.PASS, "internal state", "validateInternalState() holds at seq " + lastSeq);
        } catch (RuntimeException e) {
            add(Status.FAIL, "internal state", ReplayTool.describe(e));
        }

        checkReports(reports, lastSeq);
        return checks;
    }

    private void checkRecovery(Exchange full) {
        try {
            Recovery.Result r = Recovery.recoverReadOnly(dataDir, config, EventSink.NONE, full.lastSeq());
            boolean same = r.finalSeq() == full.lastSeq() && r.stateHash() == full.stateHash();
            add(same ? Status.PASS : Status.FAIL, "snapshot recovery", "recovery from "
                    + (r.snapshotFile() == null ? "no snapshot" : r.snapshotFile().getFileName() + " (seq " + r.snapshotSeq() + ")")
                    + " + " + r.commandsReplayed() + " commands ends at seq " + r.finalSeq() + " with state hash "
                    + ReplayTool.hash(r.stateHash()) + (same ? ", as the full replay" : ", the full replay at seq " + full.lastSeq()
                    + " with " + ReplayTool.hash(full.stateHash())));
        } catch (RuntimeException e) {
            add(Status.FAIL, "snapshot recovery", ReplayTool.describe(e));
        }
    }

    private void checkReports(ReportFiles reports, long lastSeq) {
        if (reports.files().isEmpty()) {
            add(Status.SKIP, "reports", "no eod-*.json or eod-*.csv files under " + dataDir.resolve(ReportFiles.DIRECTORY));
            return;
        }
        for (ReportFiles.ReportFile f : reports.files()) {
            String name = "report " + f.path.getFileName();
            if (!f.compared) {
                add(Status.FAIL, name, "its session never closed in the journal (seq 1.." + lastSeq + ")");
            } else if (f.difference != null) {
                add(Status.FAIL, name, f.difference);
            } else {
                add(Status.PASS, name, "equals the report regenerated at that session's close");
            }
        }
    }

    /** True if {@code dir} holds a Chronicle queue (metadata or cycle files), as the exchange leaves it. */
    private static boolean holdsQueue(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{cq4,cq4t}")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    private void add(Status status, String name, String detail) {
        checks.add(new Check(status, name, detail));
    }

    private static String describe(RecoveryScan scan) {
        return scan.commandCount() + " commands, seq " + scan.firstSeq() + ".." + scan.lastValidSeq()
                + (scan.previouslyDropped() > 0 ? "; " + scan.previouslyDropped() + " damaged records voided by earlier recoveries" : "")
                + (scan.hasTornTail() ? "; a torn tail of " + scan.droppedCount() + " damaged records (" + scan.droppedReason()
                + ") is dropped" : "");
    }

    /** Count and SHA-256 of a stream of events, each as its {@link EventCodec} record. */
    private static final class EventDigest {
        private final EventCodec codec = new EventCodec();
        private final MessageDigest sha256;
        private long count;
        private byte[] result;

        EventDigest() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("the JDK lacks SHA-256", e);
            }
        }

        void add(List<EngineEvent> events) {
            for (EngineEvent e : events) {
                int len = codec.encode(e);
                sha256.update(codec.buffer(), 0, len);
                count++;
            }
        }

        private byte[] digest() {
            if (result == null) {
                result = sha256.digest();
            }
            return result;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EventDigest d && d.count == count && MessageDigest.isEqual(d.digest(), digest());
        }

        @Override
        public int hashCode() {
            return Long.hashCode(count);
        }

        @Override
        public String toString() {
            return count + " events (sha-256 " + HexFormat.of().formatHex(digest()).substring(0, 16) + ")";
        }
    }

    /** Checks each snapshot file against the replay when the replay reaches the snapshot's sequence. */
    private static final class SnapshotComparison {
        private final SnapshotStore store;
        private final ExchangeConfig config;
        private final List<SnapshotStore.SnapshotFile> pending;
        private final List<String> problems = new ArrayList<>();
        private final List<String> matched = new ArrayList<>();

        SnapshotComparison(SnapshotStore store, ExchangeConfig config) {
            this.store = store;
            this.config = config;
            this.pending = new ArrayList<>(store.list());
            pending.sort((a, b) -> Long.compare(a.seq(), b.seq()));
        }

        /** The replay is at {@code seq} ({@code replayed} null = the empty exchange before seq 1). */
        void at(long seq, Exchange replayed) {
            while (!pending.isEmpty() && pending.get(0).seq() <= seq) {
                SnapshotStore.SnapshotFile f = pending.remove(0);
                compare(f, replayed == null ? new Exchange(config) : replayed);
            }
        }

        private void compare(SnapshotStore.SnapshotFile f, Exchange replayed) {
            String name = f.path().getFileName().toString();
            SnapshotStore.LoadedSnapshot loaded;
            try {
                loaded = store.load(f);
            } catch (IOException | RuntimeException e) {
                // recovery skips an unreadable snapshot for an older one: worth a note, not a failure
                matched.add(name + " is unusable and would be skipped (" + ReplayTool.describe(e) + ")");
                return;
            }
            Exchange x;
            try {
                x = Exchange.readSnapshot(config, loaded.payload());
            } catch (SnapshotFormatException e) {
                matched.add(name + " was written by another engine version and would be skipped (" + e.getMessage() + ")");
                return;
            } catch (RuntimeException e) {
                problems.add(name + " passes its checksum but the engine cannot read it: " + ReplayTool.describe(e));
                return;
            }
            if (x.lastSeq() != f.seq() || x.stateHash() != replayed.stateHash()) {
                problems.add(name + " holds seq " + x.lastSeq() + " with state hash " + ReplayTool.hash(x.stateHash())
                        + " but the replay has " + ReplayTool.hash(replayed.stateHash()) + " at seq " + f.seq());
                return;
            }
            matched.add(String.format(Locale.ROOT, "%s = replay at seq %d", name, f.seq()));
        }

        int compared() {
            return matched.size() + problems.size();
        }

        /** Ends the comparison after the replay's last command; null if no snapshot disagreed. */
        String finish(long lastSeq) {
            for (SnapshotStore.SnapshotFile f : pending) {
                problems.add(f.path().getFileName() + " is at seq " + f.seq() + ", past the journal's last seq " + lastSeq);
            }
            pending.clear();
            return problems.isEmpty() ? null : String.join("; ", problems);
        }

        String summary() {
            return matched.isEmpty() ? "no snapshot files" : String.join("; ", matched);
        }
    }
}
