package exchange.readside.history;

import exchange.engine.ReconciliationReport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.TreeMap;

/**
 * The after-hours batch check: recomputes, in SQL from {@code fills}, {@code transfers} and
 * {@code orders}, each account's figures over a session's sequence range {@code [first_seq, seq]}
 * and compares them with the end-of-day report the engine built from its own state. Two
 * independent computations, one answer:
 * <ul>
 *   <li>fills: the number of fill rows; fees: their sum;</li>
 *   <li>cash change: sales - purchases - fees + USD deposits - USD withdrawals, against
 *       {@code closingCash - openingCash};</li>
 *   <li>per symbol: bought - sold + share deposits - withdrawals, against
 *       {@code closingQty - openingQty} (a symbol the report does not list moved by 0);</li>
 *   <li>orders expired: rows with status {@code expired} whose seq is in the range.</li>
 * </ul>
 * Stateless; runs on the caller's connection (the writer thread's), reading committed rows.
 */
final class BatchCheck {
    /** The cash asset's name in transfers. */
    static final String CASH = "USD";

    private static final String ACCOUNT_FIGURES = """
            SELECT account_id, SUM(fills), SUM(fees), SUM(cash), SUM(expired) FROM (
              SELECT account_id, 1 AS fills, fee AS fees,
                     CASE WHEN side = 'sell' THEN price * qty ELSE -(price * qty) END - fee AS cash, 0 AS expired
                FROM fills WHERE seq BETWEEN ? AND ?
              UNION ALL
              SELECT account_id, 0, 0, CASE WHEN kind = 'deposit' THEN amount ELSE -amount END, 0
                FROM transfers WHERE seq BETWEEN ? AND ? AND asset = ? AND kind IN ('deposit', 'withdrawal')
              UNION ALL
              SELECT account_id, 0, 0, 0, 1
                FROM orders WHERE status = 'expired' AND seq BETWEEN ? AND ?
            ) figures GROUP BY account_id ORDER BY account_id""";

    private static final String POSITION_CHANGES = """
            SELECT account_id, symbol, SUM(delta) FROM (
              SELECT account_id, symbol, CASE WHEN side = 'buy' THEN qty ELSE -qty END AS delta
                FROM fills WHERE seq BETWEEN ? AND ?
              UNION ALL
              SELECT account_id, asset, CASE WHEN kind = 'deposit' THEN amount ELSE -amount END
                FROM transfers WHERE seq BETWEEN ? AND ? AND asset <> ? AND kind IN ('deposit', 'withdrawal')
            ) moves GROUP BY account_id, symbol ORDER BY account_id, symbol""";

    private BatchCheck() {
    }

    /** The figures of one account, from one side of the comparison. */
    private static final class Figures {
        long fills;
        long fees;
        long cashChange;
        long ordersExpired;
        final Map<String, Long> positionChanges = new TreeMap<>();
    }

    static BatchCheckResult run(Connection c, ReconciliationReport report) throws SQLException {
        Map<Long, Figures> history = new TreeMap<>();
        long from = report.firstSeq();
        long to = report.seq();
        try (PreparedStatement ps = c.prepareStatement(ACCOUNT_FIGURES)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, from);
            ps.setLong(4, to);
            ps.setString(5, CASH);
            ps.setLong(6, from);
            ps.setLong(7, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Figures f = history.computeIfAbsent(rs.getLong(1), k -> new Figures());
                    f.fills = rs.getLong(2);
                    f.fees = rs.getLong(3);
                    f.cashChange = rs.getLong(4);
                    f.ordersExpired = rs.getLong(5);
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement(POSITION_CHANGES)) {
            ps.setLong(1, from);
            ps.setLong(2, to);
            ps.setLong(3, from);
            ps.setLong(4, to);
            ps.setString(5, CASH);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    long delta = rs.getLong(3);
                    if (delta != 0) {
                        history.computeIfAbsent(rs.getLong(1), k -> new Figures()).positionChanges.put(rs.getString(2), delta);
                    }
                }
            }
        }
        Map<Long, Figures> engine = new TreeMap<>();
        for (ReconciliationReport.AccountLine a : report.accounts()) {
            Figures f = new Figures();
            f.fills = a.fills();
            f.fees = a.fees();
            f.cashChange = a.closingCash() - a.openingCash();
            f.ordersExpired = a.ordersExpired();
            for (ReconciliationReport.PositionLine p : a.positions()) {
                long delta = p.closingQty() - p.openingQty();
                if (delta != 0) {
                    f.positionChanges.put(p.symbol(), delta);
                }
            }
            engine.put(a.accountId(), f);
        }
        TreeMap<Long, Boolean> accounts = new TreeMap<>();
        history.keySet().forEach(id -> accounts.put(id, true));
        engine.keySet().forEach(id -> accounts.put(id, true));
        Figures none = new Figures();
        for (long id : accounts.keySet()) {
            String diff = firstDifference(engine.getOrDefault(id, none), history.getOrDefault(id, none));
            if (diff != null) {
                return new BatchCheckResult(report.sessionDate(), false, "account " + id + " " + diff
                        + " (seq " + from + ".." + to + ")");
            }
        }
        long fills = 0;
        for (Figures f : history.values()) {
            fills += f.fills;
        }
        return new BatchCheckResult(report.sessionDate(), true, report.accounts().size() + " accounts, " + fills
                + " fills, seq " + from + ".." + to + ": fills, fees, cash, positions and expired orders"
                + " recomputed in SQL equal the report's");
    }

    /** The first figure that differs, as "name: report X, history Y"; null if all agree. */
    private static String firstDifference(Figures report, Figures history) {
        if (report.fills != history.fills) {
            return "fills: report " + report.fills + ", history " + history.fills;
        }
        if (report.fees != history.fees) {
            return "fees: report " + report.fees + ", history " + history.fees;
        }
        if (report.cashChange != history.cashChange) {
            return "cash change: report " + report.cashChange + ", history " + history.cashChange;
        }
        if (report.ordersExpired != history.ordersExpired) {
            return "orders expired: report " + report.ordersExpired + ", history " + history.ordersExpired;
        }
        if (!report.positionChanges.equals(history.positionChanges)) {
            TreeMap<String, Boolean> symbols = new TreeMap<>();
            report.positionChanges.keySet().forEach(s -> symbols.put(s, true));
            history.positionChanges.keySet().forEach(s -> symbols.put(s, true));
            for (String s : symbols.keySet()) {
                long r = report.positionChanges.getOrDefault(s, 0L);
                long h = history.positionChanges.getOrDefault(s, 0L);
                if (r != h) {
                    return s + " position change: report " + r + ", history " + h;
                }
            }
        }
        return null;
    }
}
