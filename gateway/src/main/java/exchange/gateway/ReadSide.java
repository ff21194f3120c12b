package exchange.gateway;

import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.ReconciliationReport;
import exchange.engine.pipeline.ResultListener;
import exchange.gateway.metrics.GatewayMetrics;
import exchange.gateway.persistence.ReportFiles;
import exchange.gateway.readmodel.AccountSeqs;
import exchange.readside.history.BatchCheckResult;
import exchange.readside.history.HistoryOptions;
import exchange.readside.history.HistoryService;
import exchange.readside.marketdata.MarketDataService;
import exchange.engine.SymbolConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The process's read side, as the wiring sees it: the history database and its writer thread,
 * the per-account sequences history reads wait for ({@link AccountSeqs}), and the two hooks the
 * pipeline calls on its results thread: every committed event ({@link #events()}) and every
 * processed command ({@link #resultListener}), which tells the writer how far the events queue is
 * complete and hands it each session's report for the batch check, and wakes the market-data
 * projector when it is idle, so a trade reaches stream clients without waiting out its idle pause.
 *
 * <p>Opened after recovery (the events queue is then complete through the recovered sequence),
 * before the pipeline starts; closed after the pipeline has drained.
 */
final class ReadSide implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReadSide.class);
    /** Pause between looks for a batch check the writer is about to store. */
    private static final long BATCH_CHECK_POLL_MILLIS = 5;

    private final HistoryService history;
    private final MarketDataService marketData;
    private final AccountSeqs accountSeqs;
    private final Duration readWait;
    /** The sequence recovered at start: a history read waits until the database has applied it. */
    private final long startSeq;
    /** The sequence through which the pipeline has appended every event to the events queue. */
    private volatile long eventsCompleteSeq;

    private ReadSide(GatewayConfig config, HistoryOptions options, long startSeq, EpochNanoClock clock) {
        this.accountSeqs = new AccountSeqs(config.exchangeConfig().maxAccounts());
        this.readWait = Duration.ofMillis(config.history().readWaitMillis());
        this.startSeq = startSeq;
        this.eventsCompleteSeq = startSeq; // recovery replayed every journaled command's events into the queue
        this.history = HistoryService.open(options, () -> eventsCompleteSeq);
        GatewayConfig.MarketData m = config.marketData();
        this.marketData = new MarketDataService(
                config.exchangeConfig().symbols().stream().map(SymbolConfig::symbol).toList(), m.recentTrades(),
                m.candlesPerInterval(), m.candleCloseGraceMillis() * 1_000_000L, config.dataDir(), history.reader(),
                () -> eventsCompleteSeq, clock::epochNanos);
    }

    /**
     * Opens the history database and starts its writer, which tails the events queue from where
     * the database left off (from the start if it is new, missing or was corrupt). Every report file
     * is handed to it again, so a batch check lost to a crash or a rebuilt database still runs (the
     * database keeps a report once).
     *
     * @param environment for {@value GatewayConfig#HISTORY_PASSWORD_ENV}
     * @param adjust      a test seam over the settings the config gives
     * @param startSeq    the engine's sequence after recovery
     * @param clock       the clock that stamps commands (market data closes candles and ages quotes by it)
     */
    static ReadSide start(GatewayConfig config, Function<String, String> environment,
                          UnaryOperator<HistoryOptions> adjust, long startSeq, EpochNanoClock clock) {
        GatewayConfig.History h = config.history();
        String password = environment.apply(GatewayConfig.HISTORY_PASSWORD_ENV);
        HistoryOptions options = adjust.apply(HistoryOptions.defaults(config.dataDir())
                .withJdbc(h.jdbcUrl(), h.user(), password != null && !password.isEmpty() ? password : h.password())
                .withCommitDelay(Duration.ofMillis(h.commitDelayMillis())));
        if (!options.commitDelay().isZero()) {
            LOG.warn("history writer slowed for testing: it pauses {} ms before each commit",
                    options.commitDelay().toMillis());
        }
        ReadSide r = new ReadSide(config, options, startSeq, clock);
        for (ReconciliationReport report : ReportFiles.readAll(config.dataDir())) {
            if (r.history.batchCheck(report.sessionDate()).isEmpty()) {
                r.history.submitReport(report);
            }
        }
        r.history.start();
        r.marketData.start();
        LOG.info("history database {} at seq {} (engine at {})", r.history.database(), r.history.appliedSeq(), startSeq);
        return r;
    }

    HistoryService history() {
        return history;
    }

    /** The market-data projection (thread {@code readside-marketdata}), rebuilt from the events queue at start. */
    MarketDataService marketData() {
        return marketData;
    }

    AccountSeqs accountSeqs() {
        return accountSeqs;
    }

    long startSeq() {
        return startSeq;
    }

    Duration readWait() {
        return readWait;
    }

    /** The committed-events hook: which account each event touched, and when. */
    EventSink events() {
        return accountSeqs;
    }

    /**
     * The results thread's listener: {@code next} first (the persistence tasks), then this side's
     * share: the close's report for the batch check, and the sequence through which the events
     * queue is complete (this command's events were appended before the listener runs).
     */
    ResultListener resultListener(ResultListener next) {
        return c -> {
            next.onResult(c);
            if (c.type != null && c.type.isJournaled()) {
                if (c.type == CommandType.SESSION_CLOSE && c.queryResult instanceof ReconciliationReport report) {
                    history.submitReport(report);
                }
                eventsCompleteSeq = c.seq;
                // after the volatile write: the projector either sees the new seq or is unparked
                marketData.eventsAppended();
            }
        };
    }

    /** A report file's JSON with the batch check added, waited for as a history read would be. */
    byte[] withBatchCheck(byte[] reportJson, LocalDate sessionDate) {
        try {
            long reportSeq = ReportFiles.read(new String(reportJson, StandardCharsets.UTF_8)).seq();
            long deadline = System.nanoTime() + readWait.toNanos();
            history.awaitSeq(reportSeq, readWait);
            // the writer runs the check on its own thread just after the commit that passes the
            // close, and waiters are released at that commit: wait out that short step too, or a
            // report read at once says "not run yet" with the database already past the close
            Optional<BatchCheckResult> check = history.batchCheck(sessionDate.toEpochDay());
            while (check.isEmpty() && history.appliedSeq() >= reportSeq && System.nanoTime() < deadline) {
                Thread.sleep(BATCH_CHECK_POLL_MILLIS);
                check = history.batchCheck(sessionDate.toEpochDay());
            }
            return ReportFiles.withBatchCheck(reportJson, check, history.appliedSeq(), reportSeq);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the report of " + sessionDate, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return reportJson;
        }
    }

    void registerGauges(GatewayMetrics metrics) {
        metrics.gauge("exchange_marketdata_applied_seq", "Sequence through which market data reflects every event.",
                marketData::appliedSeq);
        metrics.gauge("exchange_marketdata_lag_events", "Sequences the market-data projection has not applied yet.",
                marketData::lagEvents);
        metrics.gauge("exchange_marketdata_failed", "1 if the market-data projector stopped on a failure, else 0.",
                () -> marketData.failure() != null ? 1 : 0);
        metrics.gauge("exchange_history_applied_seq", "Sequence through which the history database reflects every event.",
                history::appliedSeq);
        metrics.gauge("exchange_history_lag_events", "Sequences the history database has not applied yet.",
                () -> history.metrics().lagEvents());
        metrics.gauge("exchange_history_lag_millis",
                "Age of the oldest event the history database has not applied yet (0 when caught up).",
                () -> history.metrics().lagMillis());
        metrics.gauge("exchange_history_events_applied", "Events the history writer committed since start.",
                () -> history.metrics().eventsApplied());
        metrics.gauge("exchange_history_batches", "Transactions the history writer committed since start.",
                () -> history.metrics().batches());
        metrics.gauge("exchange_history_rebuilding",
                "1 while a history database created at start catches up with the events queue, else 0.",
                () -> history.metrics().rebuilding() ? 1 : 0);
        metrics.gauge("exchange_history_failed", "1 if the history writer stopped on a failure, else 0.",
                () -> history.metrics().failed() ? 1 : 0);
        metrics.gauge("exchange_history_batch_check_failures",
                "End-of-day batch checks that found a difference between the engine and the history database.",
                () -> history.metrics().batchCheckFailures());
    }

    /** Stops the writer after its current batch and closes the database. */
    @Override
    public void close() {
        try {
            marketData.close();
        } finally {
            history.close();
        }
    }
}
