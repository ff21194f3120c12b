package exchange.engine;

/**
 * {@code SESSION_OPEN} and {@code SESSION_CLOSE}: opening a session (its date, scheduled close
 * and the report's opening balances), and at the close the end-of-day sweep, the reconciliation
 * report, and the idempotency window moving on. It changes the {@link SessionState}; the orders
 * it expires and evicts are the {@link OrderStore}'s.
 *
 * <p>The close, in this order: every resting {@code day} order and every {@code gtc} order at its
 * maximum age expires, in ascending order id (through {@link Matcher#endOrder}, so each records
 * the close count before this close); the market closes and the report is built; then
 * {@code closeCount} advances, the window start {@code W = max(0, closeCount - N)} follows, and
 * every ended order with {@code max(createdCloseCount, endedCloseCount) < W} leaves the engine,
 * in ascending order id. Engine thread only; deterministic.
 */
final class SessionSweep {
    private final ExchangeConfig config;
    private final SessionState session;
    private final OrderStore store;
    private final Matcher matcher;
    private final ReconciliationReportBuilder reports;
    private final EventOut out;

    SessionSweep(ExchangeConfig config, SessionState session, OrderStore store, Matcher matcher,
                 ReconciliationReportBuilder reports, EventOut out) {
        this.config = config;
        this.session = session;
        this.store = store;
        this.matcher = matcher;
        this.reports = reports;
        this.out = out;
    }

    void open(Command c) {
        if (session.open) {
            rejected(c, ResultCode.SESSION_ALREADY_OPEN);
            return;
        }
        if (c.sessionDate <= session.date) {
            rejected(c, ResultCode.INVALID_SESSION_DATE);
            return;
        }
        session.open = true;
        session.firstSeq = c.seq;
        session.date = c.sessionDate;
        session.closesAtNanos = c.sessionClosesAtNanos;
        reports.captureOpeningBalances();
        c.result = ResultCode.OK;
        EngineEvent e = out.event(EventType.SESSION_OPENED);
        e.sessionDate = session.date;
        e.amount = session.closesAtNanos;
        out.emit();
    }

    void close(Command c) {
        if (!session.open) {
            rejected(c, ResultCode.SESSION_ALREADY_CLOSED);
            return;
        }
        long expired = 0;
        // the held chain runs in ascending id and expiring an order does not unlink it from there
        for (int slot = store.oldestHeld(); slot != 0; slot = store.nextHeld(slot)) {
            if (store.status(slot).isTerminal()) {
                continue;
            }
            TimeInForce tif = store.timeInForce(slot);
            if (tif == TimeInForce.DAY) {
                matcher.endOrder(slot, OrderStatus.EXPIRED, ExpiryReason.END_OF_DAY, true);
                expired++;
            } else if (tif == TimeInForce.GTC
                    && session.date - store.get(slot, OrderStore.SESSION_DATE) >= config.gtcMaxAgeDays()) {
                matcher.endOrder(slot, OrderStatus.EXPIRED, ExpiryReason.GTC_MAX_AGE, true);
                expired++;
            }
        }
        session.open = false;
        c.result = ResultCode.OK;
        c.queryResult = reports.build(c.seq, c.timestampNanos);
        EngineEvent e = out.event(EventType.SESSION_CLOSED);
        e.sessionDate = session.date;
        e.qty = expired;
        out.emit();

        session.closeCount++;
        if (store.evictEndedBefore(session.windowStart(config.idempotencySessions())) > 0) {
            session.lastEvictionSeq = c.seq;
        }
    }

    private void rejected(Command c, ResultCode code) {
        c.result = code;
        EngineEvent e = out.event(EventType.SESSION_REJECTED);
        e.code = code;
        e.sessionDate = c.sessionDate;
        out.emit();
    }
}
