package exchange.engine.report;

import exchange.engine.AccountSnapshot;
import exchange.engine.MarkSource;
import exchange.engine.ReconciliationReport;
import exchange.risk.Money;

import java.time.LocalDate;

/**
 * Renders a {@link ReconciliationReport} as JSON and CSV text. Pure and deterministic (fixed
 * field order, no locale, no clock), so the file the exchange writes at the close and the one
 * the replay tool regenerates from the journal are byte for byte equal. Cash is a decimal
 * string, shares are integers, dates ISO {@code YYYY-MM-DD}.
 */
public final class ReportFormat {
    /**
     * The CSV columns. A USD row leaves the mark columns empty and gives the account's closing
     * equity; a position row gives its mark price, mark source and closing value and leaves the
     * equity empty. A value without a mark price is empty too.
     */
    public static final String CSV_HEADER = "session_date,account_id,name,asset,opening,closing,deposits,withdrawals,fills,fees,"
            + "holds_placed,holds_consumed,holds_released,orders_expired,mark_price,mark_source,closing_value,closing_equity";

    private ReportFormat() {
    }

    public static String sessionDate(long epochDay) {
        return LocalDate.ofEpochDay(epochDay).toString();
    }

    public static String toJson(ReconciliationReport r) {
        StringBuilder sb = new StringBuilder(1024 + r.accounts().size() * 256);
        sb.append("{\"session_date\":\"").append(sessionDate(r.sessionDate())).append('"')
                .append(",\"first_seq\":").append(r.firstSeq())
                .append(",\"seq\":").append(r.seq())
                .append(",\"passed\":").append(r.passed())
                .append(",\"accounts\":[");
        for (int i = 0; i < r.accounts().size(); i++) {
            ReconciliationReport.AccountLine a = r.accounts().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"account_id\":").append(a.accountId()).append(",\"name\":");
            string(sb, a.name());
            sb.append(",\"opening_cash\":\"").append(Money.format(a.openingCash()))
                    .append("\",\"closing_cash\":\"").append(Money.format(a.closingCash()))
                    .append("\",\"deposits\":\"").append(Money.format(a.deposits()))
                    .append("\",\"withdrawals\":\"").append(Money.format(a.withdrawals()))
                    .append("\",\"fills\":").append(a.fills())
                    .append(",\"fees\":\"").append(Money.format(a.fees()))
                    .append("\",\"holds\":{\"placed\":\"").append(Money.format(a.holdsPlaced()))
                    .append("\",\"consumed\":\"").append(Money.format(a.holdsConsumed()))
                    .append("\",\"released\":\"").append(Money.format(a.holdsReleased()))
                    .append("\"},\"orders_expired\":").append(a.ordersExpired())
                    .append(",\"closing_equity\":");
            moneyOrNull(sb, a.closingEquity());
            sb.append(",\"positions\":[");
            for (int j = 0; j < a.positions().size(); j++) {
                ReconciliationReport.PositionLine p = a.positions().get(j);
                sb.append(j == 0 ? "" : ",").append("{\"symbol\":");
                string(sb, p.symbol());
                sb.append(",\"opening_qty\":").append(p.openingQty())
                        .append(",\"closing_qty\":").append(p.closingQty())
                        .append(",\"deposits\":").append(p.deposits())
                        .append(",\"withdrawals\":").append(p.withdrawals())
                        .append(",\"holds\":{\"placed\":").append(p.holdsPlaced())
                        .append(",\"consumed\":").append(p.holdsConsumed())
                        .append(",\"released\":").append(p.holdsReleased()).append("},\"mark_price\":");
                moneyOrNull(sb, p.markSource() == MarkSource.NONE ? AccountSnapshot.NO_VALUE : p.markPriceTicks());
                sb.append(",\"mark_source\":\"").append(p.markSource().wireName()).append("\",\"closing_value\":");
                moneyOrNull(sb, p.closingValue());
                sb.append('}');
            }
            sb.append("]}");
        }
        sb.append("],\"checks\":[");
        for (int i = 0; i < r.checks().size(); i++) {
            ReconciliationReport.Check c = r.checks().get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            string(sb, c.name());
            sb.append(",\"passed\":").append(c.passed()).append(",\"detail\":");
            string(sb, c.detail());
            sb.append('}');
        }
        return sb.append("]}\n").toString();
    }

    /** One row per account and asset it held or moved: USD first, then its positions. */
    public static String toCsv(ReconciliationReport r) {
        StringBuilder sb = new StringBuilder(256 + r.accounts().size() * 160).append(CSV_HEADER).append('\n');
        String date = sessionDate(r.sessionDate());
        for (ReconciliationReport.AccountLine a : r.accounts()) {
            sb.append(date).append(',').append(a.accountId()).append(',');
            csv(sb, a.name());
            sb.append(",USD,").append(Money.format(a.openingCash())).append(',').append(Money.format(a.closingCash()))
                    .append(',').append(Money.format(a.deposits())).append(',').append(Money.format(a.withdrawals()))
                    .append(',').append(a.fills()).append(',').append(Money.format(a.fees())).append(',')
                    .append(Money.format(a.holdsPlaced())).append(',').append(Money.format(a.holdsConsumed())).append(',')
                    .append(Money.format(a.holdsReleased())).append(',').append(a.ordersExpired()).append(",,,,");
            moneyOrEmpty(sb, a.closingEquity());
            sb.append('\n');
            for (ReconciliationReport.PositionLine p : a.positions()) {
                sb.append(date).append(',').append(a.accountId()).append(',');
                csv(sb, a.name());
                sb.append(',').append(p.symbol()).append(',').append(p.openingQty()).append(',').append(p.closingQty())
                        .append(',').append(p.deposits()).append(',').append(p.withdrawals()).append(",,,").append(p.holdsPlaced()).append(',').append(p.holdsConsumed()).append(',')
                        .append(p.holdsReleased()).append(",,");
                moneyOrEmpty(sb, p.markSource() == MarkSource.NONE ? AccountSnapshot.NO_VALUE : p.markPriceTicks());
                sb.append(',').append(p.markSource().wireName()).append(',');
                moneyOrEmpty(sb, p.closingValue());
                sb.append(",\n");
            }
        }
        return sb.toString();
    }

    /**
     * Appends {@code s} as a JSON string literal (null as {@code null}); control characters and
     * U+2028/U+2029 are escaped, so the text is safe in JSON lines and in JavaScript.
     */
    public static void string(StringBuilder sb, String s) {
        if (s == null) {
            sb.append("null");
            return;
        }
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    /** A decimal string in quotes, or {@code null} for {@link AccountSnapshot#NO_VALUE}. */
    private static void moneyOrNull(StringBuilder sb, long v) {
        if (v == AccountSnapshot.NO_VALUE) {
            sb.append("null");
        } else {
            sb.append('"').append(Money.format(v)).append('"');
        }
    }

    private static void moneyOrEmpty(StringBuilder sb, long v) {
        if (v != AccountSnapshot.NO_VALUE) {
            sb.append(Money.format(v));
        }
    }

    private static void csv(StringBuilder sb, String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            sb.append(s);
            return;
        }
        sb.append('"').append(s.replace("\"", "\"\"")).append('"');
    }
}
