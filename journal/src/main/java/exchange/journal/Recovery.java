package exchange.journal;

import exchange.engine.Command;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.state.SnapshotFormatException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rebuilds the exchange from a data directory: the newest valid snapshot (older ones if newer are
 * corrupt, incomplete or in a format this engine does not read; a fresh exchange if there is
 * none), then every journaled command after the snapshot's sequence, applied with its journaled
 * sequence so the engine checks continuity.
 * Reads only; the torn tail it reports is voided when {@link ChronicleJournal#open(Path,
 * JournalOptions, RecoveryScan)} is given {@link Result#scan()}. The journal is read and decoded on
 * a second thread while the calling thread applies ({@link JournalReader#readDecodingAhead}); the
 * exchange is only ever touched by the calling thread.
 *
 * <p>Refuses ({@link RecoveryException}) when the journal starts after the snapshot's sequence + 1
 * (a gap) or ends before the snapshot's sequence, and ({@link JournalCorruptionException}) when
 * the journal is corrupt before its tail. Ends with {@link Exchange#validateInternalState()}.
 */
public final class Recovery {
    private static final Logger LOG = LoggerFactory.getLogger(Recovery.class);

    private Recovery() {
    }

    /**
     * What recovery did.
     *
     * @param exchange           the rebuilt exchange
     * @param snapshotFile       the snapshot used, null if recovery started from a fresh exchange
     * @param snapshotSeq        its sequence, 0 if none
     * @param commandsReplayed   journaled commands applied after the snapshot
     * @param tornRecordsDropped damaged records at the journal's tail, dropped
     * @param finalSeq           the exchange's last sequence
     * @param stateHash          the exchange's state hash
     * @param elapsedNanos       time taken
     * @param scan               the journal scan (complete unless recovery stopped at {@code toSeq})
     */
    public record Result(Exchange exchange, Path snapshotFile, long snapshotSeq, long commandsReplayed,
                         int tornRecordsDropped, long finalSeq, long stateHash, long elapsedNanos, RecoveryScan scan) {

        @Override
        public String toString() {
            return "recovered seq " + finalSeq + " (state hash " + Long.toHexString(stateHash) + ") from "
                    + (snapshotFile == null ? "an empty exchange" : "snapshot " + snapshotFile + " at seq " + snapshotSeq)
                    + " + " + commandsReplayed + " journaled commands" + (tornRecordsDropped > 0
                    ? ", dropped a torn tail of " + tornRecordsDropped + " records (" + scan.droppedReason() + ")" : "")
                    + " in " + elapsedNanos / 1_000_000 + " ms";
        }
    }

    /** Recovers the whole journal. */
    public static Result recover(Path dataDir, ExchangeConfig config, EventSink sink) {
        return recover(dataDir, config, sink, Long.MAX_VALUE);
    }

    /**
     * Recovers the state after sequence {@code toSeq} (or the end of the journal if it is
     * shorter): from the newest valid snapshot at or before {@code toSeq}, then the journal.
     * Events of the replayed commands go to {@code sink}.
     */
    public static Result recover(Path dataDir, ExchangeConfig config, EventSink sink, long toSeq) {
        return recover(dataDir, config, sink, toSeq, JournalReader::open);
    }

    /**
     * As {@link #recover(Path, ExchangeConfig, EventSink, long)}, but opening the journal read-only
     * ({@link JournalReader#openReadOnly}), so the data directory is left exactly as found: for
     * tools (the replay tool), never before {@link ChronicleJournal#open} appends.
     */
    public static Result recoverReadOnly(Path dataDir, ExchangeConfig config, EventSink sink, long toSeq) {
        return recover(dataDir, config, sink, toSeq, JournalReader::openReadOnly);
    }

    private static Result recover(Path dataDir, ExchangeConfig config, EventSink sink, long toSeq,
                                  Function<Path, JournalReader> journalOpener) {
        long start = System.nanoTime();
        Optional<SnapshotStore.LoadedSnapshot> loaded = Optional.empty();
        Exchange exchange = null;
        SnapshotStore snapshots = new SnapshotStore(dataDir);
        for (SnapshotStore.SnapshotFile f : snapshots.list()) {
            if (f.seq() > toSeq) {
                continue;
            }
            try {
                SnapshotStore.LoadedSnapshot s = snapshots.load(f);
                exchange = fromSnapshot(config, s);
                loaded = Optional.of(s);
                break;
            } catch (JournalFormatException | IOException | SnapshotFormatException | RecoveryException e) {
                // damaged, or written by another engine version: the journal has it all. A snapshot that
                // does not fit this configuration (other assets) is not skipped: that is a wrong config.
                LOG.warn("snapshot {} is unusable, falling back to an older one or the journal: {}", f.path(), e.getMessage());
            }
        }
        if (exchange == null) {
            exchange = new Exchange(config);
        }
        long snapshotSeq = exchange.lastSeq();
        Replay replay = new Replay(exchange, sink, snapshotSeq);
        RecoveryScan scan;
        try (JournalReader reader = journalOpener.apply(dataDir)) {
            scan = reader.readDecodingAhead(snapshotSeq, toSeq, JournalReader.CommandVisitor.prefetching(exchange, replay));
        }
        if (scan.complete() && scan.lastValidSeq() < snapshotSeq) {
            throw new RecoveryException("the journal ends at seq " + scan.lastValidSeq() + " (" + scan + ") but snapshot "
                    + loaded.map(SnapshotStore.LoadedSnapshot::path).orElse(null) + " is at seq " + snapshotSeq
                    + ": journal records the snapshot includes are missing");
        }
        if (loaded.isEmpty() || replay.applied > 0) {
            // a snapshot with no command after it was validated as it was read: the same state
            exchange.validateInternalState();
        }
        Result r = new Result(exchange, loaded.map(SnapshotStore.LoadedSnapshot::path).orElse(null), snapshotSeq,
                replay.applied, scan.droppedCount(), exchange.lastSeq(), exchange.stateHash(), System.nanoTime() - start,
                scan);
        if (scan.hasTornTail()) {
            LOG.warn("journal torn tail: {} damaged records from index 0x{} in {} dropped ({}); last valid seq {}",
                    scan.droppedCount(), Long.toHexString(scan.firstDroppedIndex()), scan.firstDroppedFile(),
                    scan.droppedReason(), scan.lastValidSeq());
        }
        LOG.info("{}", r);
        return r;
    }

    private static Exchange fromSnapshot(ExchangeConfig config, SnapshotStore.LoadedSnapshot s) {
        Exchange x = Exchange.readSnapshot(config, s.payload());
        if (s.payload().remaining() != 0) {
            throw new RecoveryException("snapshot " + s.path() + " has " + s.payload().remaining()
                    + " bytes the engine did not read: it was written by a different engine version");
        }
        if (x.lastSeq() != s.seq()) {
            throw new RecoveryException("snapshot " + s.path() + " is named seq " + s.seq() + " but holds the state after seq "
                    + x.lastSeq());
        }
        return x;
    }

    /** Applies the journal's commands after the snapshot (the reader stops at {@code toSeq}). */
    private static final class Replay implements JournalReader.CommandVisitor {
        private final Exchange exchange;
        private final EventSink sink;
        private final long snapshotSeq;
        long applied;

        Replay(Exchange exchange, EventSink sink, long snapshotSeq) {
            this.exchange = exchange;
            this.sink = sink;
            this.snapshotSeq = snapshotSeq;
        }

        @Override
        public boolean onCommand(Command command) {
            if (command.seq != exchange.lastSeq() + 1) {
                throw new RecoveryException("the journal continues at seq " + command.seq + " but the state "
                        + (snapshotSeq > 0 ? "from the snapshot at seq " + snapshotSeq : "of an empty exchange")
                        + " needs seq " + (exchange.lastSeq() + 1) + " next: the journal records in between are missing");
            }
            command.orderViewUnused = true;
            exchange.apply(command, sink);
            applied++;
            return true;
        }
    }
}
