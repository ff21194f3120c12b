package exchange.journal.replay;

import exchange.engine.Exchange;
import exchange.engine.OrderView;
import exchange.engine.StateSummary;
import exchange.journal.Recovery;
import exchange.risk.Money;

import java.io.PrintStream;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The replay tool's default output: one {@code key value} line per fact, so that scripts can
 * {@code grep '^state_hash '}. {@code state_hash} is {@code %016x} of {@link Exchange#stateHash()},
 * exactly as {@code GET /v1/admin/state} reports it. Money as {@link Money#format} decimals,
 * shares as integers, open orders in ascending order id:
 * <pre>
 *  data_dir /srv/exchange/data
 *  config /srv/exchange/data/exchange-config.properties
 *  recovered_from snapshot-00000000000000001200.snap (seq 1200) + 34 journaled commands
 *  seq 1234
 *  state_hash 1f0c9a2b3c4d5e6f
 *  session open session_date=2026-11-20 closes_at=2026-11-20T21:00:00Z
 *  accounts 8
 *  cash USD total=8000000.00 reserved=12500.50 fees=17.25
 *  shares AAPL total=80000 reserved=300
 *  held_orders 5 close_count=12 window_start=7 last_eviction_seq=1180
 *  open_orders 1
 *  order id=17 account=3 client_order_id=c-17 side=buy qty=100 leaves=40 symbol=AAPL price=100.25 tif=day
 * </pre>
 * A {@code torn_tail} line follows {@code recovered_from} when recovery dropped damaged records.
 * {@code held_orders} counts the orders the engine holds (open ones and those of the idempotency
 * window, which starts at close count {@code window_start}).
 */
final class StatePrinter {
    private StatePrinter() {
    }

    static void print(Recovery.Result r, String dataDir, String configSource, PrintStream out) {
        Exchange x = r.exchange();
        StateSummary s = x.summary();
        out.println("data_dir " + dataDir);
        out.println("config " + configSource);
        out.println("recovered_from " + (r.snapshotFile() == null ? "an empty exchange"
                : r.snapshotFile().getFileName() + " (seq " + r.snapshotSeq() + ")") + " + " + r.commandsReplayed()
                + " journaled commands");
        if (r.tornRecordsDropped() > 0) {
            out.println("torn_tail " + r.tornRecordsDropped() + " damaged records after seq " + r.scan().lastValidSeq()
                    + " dropped (" + r.scan().droppedReason() + ")");
        }
        out.println("seq " + s.seq());
        out.println("state_hash " + ReplayTool.hash(s.stateHash()));
        out.println("session " + session(s));
        out.println("accounts " + s.accounts());
        out.println("cash USD total=" + Money.format(s.cashTotal()) + " reserved=" + Money.format(s.cashReserved())
                + " fees=" + Money.format(s.feesCollected()));
        for (StateSummary.AssetTotal p : s.positions()) {
            out.println("shares " + p.symbol() + " total=" + p.total() + " reserved=" + p.reserved());
        }
        out.println("held_orders " + s.heldOrders() + " close_count=" + s.closeCount() + " window_start="
                + x.windowStartCloseCount() + " last_eviction_seq=" + x.lastEvictionSeq());
        out.println("open_orders " + s.openOrders());
        StringBuilder line = new StringBuilder(160);
        for (OrderView o : x.openOrders()) {
            line.setLength(0);
            line.append("order id=").append(o.orderId).append(" account=").append(o.accountId)
                    .append(" client_order_id=").append(o.clientOrderId).append(" side=").append(o.side.wireName())
                    .append(" qty=").append(o.qty).append(" leaves=").append(o.leavesQty).append(" symbol=").append(o.symbol)
                    .append(" price=").append(Money.format(o.priceTicks)).append(" tif=").append(o.timeInForce.wireName());
            out.println(line);
        }
    }

    private static String session(StateSummary s) {
        if (s.sessionDate() == 0) {
            return "none";
        }
        String date = " session_date=" + LocalDate.ofEpochDay(s.sessionDate());
        return s.sessionOpen() ? "open" + date + " closes_at=" + Instant.ofEpochSecond(0, s.sessionClosesAtNanos()) : "closed" + date;
    }
}
