package exchange.gateway.persistence;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ReconciliationReport;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.engine.pipeline.JournalPort;
import exchange.engine.pipeline.ResultListener;
import exchange.engine.report.ReportFormat;
import exchange.journal.BufferSnapshotOutput;
import exchange.journal.ChronicleJournal;
import exchange.journal.DurabilityMode;
import exchange.journal.DurableFiles;
import exchange.journal.EventJournal;
import exchange.journal.JournalOptions;
import exchange.journal.Recovery;
import exchange.journal.SnapshotStore;
import exchange.journal.replay.ExchangeConfigFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Everything the exchange keeps on disk, in its data directory: recovery at start (newest valid
 * snapshot + journal), the command journal the pipeline appends to, the events queue the engine
 * writes to, snapshots (at every session close, every {@code snapshotEveryCommands} journaled
 * commands, and on demand) and the end-of-day report files.
 *
 * <p>Threads: {@link #open} runs before the pipeline starts. The journal is written by the
 * pipeline's journal thread, the events queue by the engine thread, and snapshot and report
 * files by one writer thread owned here, so the results stage never waits for a file.
 */
public final class Persistence implements AutoCloseable {
    /** Sub-directory of the data directory with the end-of-day reports. */
    public static final String REPORTS_DIR = "reports";

    private static final Logger LOG = LoggerFactory.getLogger(Persistence.class);
    private static final CommandTranslator<Long> SNAPSHOT = (slot, nanos) -> {
        slot.type = CommandType.SNAPSHOT;
        slot.timestampNanos = nanos;
    };

    /** A snapshot encoded on the engine thread at sequence {@code seq}, not yet on disk. */
    public record EncodedSnapshot(long seq, BufferSnapshotOutput payload) {
    }

    /** A snapshot written to disk. */
    public record SnapshotWritten(long seq, Path file) {
    }

    private final Path dataDir;
    private final Recovery.Result recovery;
    private final ChronicleJournal journal;
    private final EventJournal events;
    private final SnapshotStore snapshots;
    private final long snapshotEveryCommands;
    private final ExecutorService writer;
    /** Epoch days of closed sessions whose report files are not written yet (results thread adds, writer removes). */
    private final Set<Long> reportsPending = ConcurrentHashMap.newKeySet();
    private final DiskSpaceGuard diskSpace;
    private final AtomicBoolean snapshotPending = new AtomicBoolean();
    private volatile CommandPublisher publisher;
    private volatile LongSupplier clock = () -> 0L;
    private long journaledSinceSnapshot;

    private Persistence(Path dataDir, Recovery.Result recovery, ChronicleJournal journal, EventJournal events,
                        long snapshotEveryCommands, DiskSpaceGuard diskSpace) {
        this.dataDir = dataDir;
        this.diskSpace = diskSpace;
        this.recovery = recovery;
        this.journal = journal;
        this.events = events;
        this.snapshots = new SnapshotStore(dataDir);
        this.snapshotEveryCommands = snapshotEveryCommands;
        this.writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "snapshot-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Recovers the state kept in {@code dataDir} (creating it if needed) and opens the journal for
     * appending after it. A torn journal tail is voided and reported; corruption before the tail
     * refuses to start (the exception names file, offset and sequence).
     */
    public static Persistence open(Path dataDir, ExchangeConfig config, DurabilityMode durability,
                                   long snapshotEveryCommands, DiskSpaceGuard diskSpace) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir, e);
        }
        pinEngineConfig(dataDir, config);
        JournalOptions options = JournalOptions.defaults().withDurability(durability);
        EventJournal events = EventJournal.open(dataDir, options);
        try {
            Recovery.Result result = Recovery.recover(dataDir, config, events);
            if (result.tornRecordsDropped() > 0) {
                LOG.warn("journal tail was torn: dropped {} record(s) after seq {} ({})", result.tornRecordsDropped(),
                        result.finalSeq(), result.scan().droppedReason());
            }
            ChronicleJournal journal = ChronicleJournal.open(dataDir, options, result.scan());
            return new Persistence(dataDir, result, journal, events, snapshotEveryCommands, diskSpace);
        } catch (RuntimeException e) {
            events.close();
            throw e;
        }
    }

    /**
     * Records the engine configuration in the data directory on first start, and refuses to start
     * under a different one later: the journal replays to the same state only under the
     * configuration that wrote it (the replay tool reads the same file). A file written before a
     * setting existed matches a configuration at that setting's default (it is left as it is).
     */
    static void pinEngineConfig(Path dataDir, ExchangeConfig config) {
        Path file = ExchangeConfigFile.in(dataDir);
        String wanted = ExchangeConfigFile.render(config);
        if (Files.exists(file)) {
            String found;
            try {
                found = Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            if (!found.equals(wanted) && !ExchangeConfigFile.sameSettings(found, file.toString(), config)) {
                throw new IllegalStateException("the engine settings (symbols, limits) differ from the ones this data "
                        + "directory was written with, recorded in " + file + "; a journal replays correctly only under "
                        + "its own settings: restore them or use another --data-dir");
            }
            return;
        }
        ExchangeConfigFile.write(file, config);
    }

    /** The recovered exchange: the engine's state at the end of the journal. */
    public Exchange exchange() {
        return recovery.exchange();
    }

    public Recovery.Result recovery() {
        return recovery;
    }

    public JournalPort journal() {
        return journal;
    }

    /** The events queue, as the engine's sink. */
    public EventSink events() {
        return events;
    }

    public long journalBytes() {
        return journal.bytesWritten();
    }

    public DurabilityMode durability() {
        return journal.durability();
    }

    /** Encodes the state on the engine thread; plugged into the pipeline's engine stage. */
    public Function<Exchange, Object> snapshotEncoder() {
        return exchange -> {
            BufferSnapshotOutput out = new BufferSnapshotOutput();
            exchange.writeSnapshot(out);
            return new EncodedSnapshot(exchange.lastSeq(), out);
        };
    }

    /** Lets automatic snapshots publish through the ring once it is running. */
    public void attach(CommandPublisher publisher, LongSupplier epochNanosClock) {
        this.publisher = publisher;
        this.clock = epochNanosClock;
    }

    /**
     * Sees every processed command on the results thread: writes the report at each session
     * close and asks for a snapshot after each close and every {@code snapshotEveryCommands}
     * journaled commands.
     */
    public ResultListener resultListener() {
        return this::onResult;
    }

    private void onResult(Command c) {
        if (c.type == null || !c.type.isJournaled()) {
            return;
        }
        journaledSinceSnapshot++;
        if (c.type == CommandType.SESSION_CLOSE && c.queryResult instanceof ReconciliationReport report) {
            // marked before the close is answered (listeners run first), so a client that asks for
            // the report at once hears "pending", not "no such report"
            reportsPending.add(report.sessionDate());
            try {
                writer.execute(() -> writeReport(report));
            } catch (RejectedExecutionException stopping) {
                reportsPending.remove(report.sessionDate());
                throw stopping;
            }
            requestSnapshot();
        } else if (snapshotEveryCommands > 0 && journaledSinceSnapshot >= snapshotEveryCommands) {
            requestSnapshot();
        }
    }

    private void requestSnapshot() {
        journaledSinceSnapshot = 0;
        if (publisher != null && snapshotPending.compareAndSet(false, true)) {
            CompletableFuture<SnapshotWritten> f = snapshot();
            if (f == null) {
                snapshotPending.set(false);
                LOG.warn("automatic snapshot skipped: the ring is full; it is taken at the next trigger");
                return;
            }
            f.whenComplete((written, error) -> {
                snapshotPending.set(false);
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                if (cause instanceof DiskSpaceGuard.NotEnoughSpaceException) {
                    LOG.warn("automatic snapshot skipped: {}", cause.getMessage());
                } else if (error != null) {
                    LOG.error("automatic snapshot failed", error);
                }
            });
        }
    }

    /**
     * Takes a snapshot now: a SNAPSHOT command captures the state at its place in the stream (the
     * journal is forced to disk first), then the writer thread stores it. Null if the ring is full.
     */
    public CompletableFuture<SnapshotWritten> snapshot() {
        CommandPublisher p = publisher;
        if (p == null) {
            throw new IllegalStateException("the pipeline is not running");
        }
        CompletableFuture<CommandResult> r = p.tryPublish(SNAPSHOT, clock.getAsLong());
        if (r == null) {
            return null;
        }
        return r.thenApplyAsync(result -> {
            if (!(result.queryResult() instanceof EncodedSnapshot s)) {
                throw new IllegalStateException("SNAPSHOT returned " + result.result() + " without a snapshot");
            }
            if (!diskSpace.hasRoomFor(s.payload().length())) {
                throw new DiskSpaceGuard.NotEnoughSpaceException("a snapshot of " + s.payload().length()
                        + " bytes would leave less than min_free_disk_bytes (" + diskSpace.minFreeBytes()
                        + ") usable on the data directory's disk");
            }
            Path file = snapshots.write(s.seq(), s.payload());
            LOG.info("snapshot at seq {} written to {} ({} bytes)", s.seq(), file, s.payload().length());
            return new SnapshotWritten(s.seq(), file);
        }, writer);
    }

    /** The JSON or CSV file of the report for {@code date}, if that session has closed. */
    public Optional<byte[]> report(LocalDate date, boolean csv) {
        Path file = reportFile(dataDir, date, csv);
        try {
            return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /**
     * True while the report of a session that has closed is still being written: the close was
     * answered, the files are not there yet. Any thread.
     */
    public boolean reportPending(LocalDate date) {
        return reportsPending.contains(date.toEpochDay());
    }

    /** Where the report of {@code date} is kept: {@code <dataDir>/reports/eod-YYYY-MM-DD.json|csv}. */
    public static Path reportFile(Path dataDir, LocalDate date, boolean csv) {
        return dataDir.resolve(REPORTS_DIR).resolve("eod-" + date + (csv ? ".csv" : ".json"));
    }

    private void writeReport(ReconciliationReport report) {
        try {
            writeReportFiles(report);
        } finally {
            reportsPending.remove(report.sessionDate());
        }
    }

    private void writeReportFiles(ReconciliationReport report) {
        LocalDate date = LocalDate.ofEpochDay(report.sessionDate());
        try {
            DurableFiles.writeAtomically(reportFile(dataDir, date, false),
                    ReportFormat.toJson(report).getBytes(StandardCharsets.UTF_8));
            DurableFiles.writeAtomically(reportFile(dataDir, date, true),
                    ReportFormat.toCsv(report).getBytes(StandardCharsets.UTF_8));
        } catch (UncheckedIOException e) {
            LOG.error("cannot write the end-of-day report for {}", date, e);
            return;
        }
        if (report.passed()) {
            LOG.info("end-of-day report for {} written: every check passed (seq {}..{})", date, report.firstSeq(),
                    report.seq());
        } else {
            for (ReconciliationReport.Check c : report.checks()) {
                if (!c.passed()) {
                    LOG.error("END-OF-DAY CHECK FAILED for {}: {}: {}", date, c.name(), c.detail());
                }
            }
        }
    }

    /** Finishes pending file writes, then closes the journal (synced) and the events queue. Call after the pipeline drained. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("snapshot/report writer did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.close();
        events.close();
    }
}
