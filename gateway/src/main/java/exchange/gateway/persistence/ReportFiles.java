package exchange.gateway.persistence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import exchange.engine.AccountSnapshot;
import exchange.engine.MarkSource;
import exchange.engine.ReconciliationReport;
import exchange.readside.history.BatchCheckResult;
import exchange.risk.Money;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reading back the end-of-day report files ({@code reports/eod-YYYY-MM-DD.json}, written by
 * {@link Persistence} in {@code ReportFormat}'s layout) and adding the history batch check to a
 * report as it is served.
 *
 * <p>The file is the engine's report, byte for byte what the replay tool regenerates from the
 * journal; the batch check (the history database's SQL recomputation) is an independent second
 * opinion that only exists where a history database does, so it is added to the served JSON as
 * one more entry of {@code checks}, named {@value #BATCH_CHECK}, never written into the file.
 *
 * <p>Stateless; any thread.
 */
public final class ReportFiles {
    /** The check the served report gains from the history database. */
    public static final String BATCH_CHECK = "history_batch_check";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ReportFiles() {
    }

    /** Every report file under {@code <dataDir>/reports}, oldest session first. */
    public static List<ReconciliationReport> readAll(Path dataDir) {
        Path dir = dataDir.resolve(Persistence.REPORTS_DIR);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<ReconciliationReport> reports = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith("eod-") && name.endsWith(".json")) {
                    reports.add(read(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reports in " + dir, e);
        }
        return reports;
    }

    /** Parses a report file's JSON back into the report it was written from. */
    public static ReconciliationReport read(String json) throws IOException {
        JsonNode r = JSON.readTree(json);
        List<ReconciliationReport.AccountLine> accounts = new ArrayList<>();
        for (JsonNode a : r.get("accounts")) {
            List<ReconciliationReport.PositionLine> positions = new ArrayList<>();
            for (JsonNode p : a.get("positions")) {
                JsonNode h = p.get("holds");
                MarkSource source = p.has("mark_source")
                        ? MarkSource.valueOf(p.get("mark_source").asText().toUpperCase(Locale.ROOT)) : MarkSource.NONE;
                positions.add(new ReconciliationReport.PositionLine(p.get("symbol").asText(),
                        p.get("opening_qty").asLong(), p.get("closing_qty").asLong(), p.get("deposits").asLong(),
                        p.get("withdrawals").asLong(), h.get("placed").asLong(), h.get("consumed").asLong(),
                        h.get("released").asLong(), source == MarkSource.NONE ? 0 : moneyOrNone(p, "mark_price"), source,
                        moneyOrNone(p, "closing_value")));
            }
            JsonNode h = a.get("holds");
            accounts.add(new ReconciliationReport.AccountLine(a.get("account_id").asLong(), a.get("name").asText(),
                    money(a, "opening_cash"), money(a, "closing_cash"), money(a, "deposits"), money(a, "withdrawals"),
                    a.get("fills").asLong(), money(a, "fees"), money(h, "placed"), money(h, "consumed"),
                    money(h, "released"), a.get("orders_expired").asLong(), List.copyOf(positions),
                    moneyOrNone(a, "closing_equity")));
        }
        List<ReconciliationReport.Check> checks = new ArrayList<>();
        for (JsonNode c : r.get("checks")) {
            checks.add(new ReconciliationReport.Check(c.get("name").asText(), c.get("passed").asBoolean(),
                    c.get("detail").asText()));
        }
        return new ReconciliationReport(LocalDate.parse(r.get("session_date").asText()).toEpochDay(),
                r.get("first_seq").asLong(), r.get("seq").asLong(), List.copyOf(accounts), List.copyOf(checks));
    }

    /**
     * A decimal that may be null, or absent from a file written before positions were valued:
     * {@link AccountSnapshot#NO_VALUE} then.
     */
    private static long moneyOrNone(JsonNode parent, String field) throws IOException {
        JsonNode v = parent.get(field);
        return v == null || v.isNull() ? AccountSnapshot.NO_VALUE : money(parent, field);
    }

    private static long money(JsonNode parent, String field) throws IOException {
        long v = Money.parse(parent.get(field).asText(), Money.SCALE_DIGITS);
        if (v == Money.OVERFLOW) {
            throw new IOException("report field " + field + " is not a decimal: " + parent.get(field));
        }
        return v;
    }

    /**
     * The report file's JSON with the batch check appended to {@code checks} (and {@code passed}
     * false if it failed); a check that has not run yet is listed as not passed, saying so.
     */
    public static byte[] withBatchCheck(byte[] reportJson, Optional<BatchCheckResult> check, long historySeq,
                                        long reportSeq) throws IOException {
        ObjectNode r = (ObjectNode) JSON.readTree(reportJson);
        ObjectNode c = JSON.createObjectNode();
        c.put("name", BATCH_CHECK);
        if (check.isPresent()) {
            c.put("passed", check.get().passed());
            c.put("detail", check.get().detail());
        } else {
            c.put("passed", false);
            c.put("detail", "not run yet: the history database is at seq " + historySeq + ", the report closes at "
                    + reportSeq);
        }
        ((ArrayNode) r.get("checks")).add(c);
        if (!c.get("passed").asBoolean()) {
            r.put("passed", false);
        }
        return (JSON.writeValueAsString(r) + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
