package exchange.gateway.http;

import exchange.engine.CommandType;
import exchange.engine.StateSummary;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.command.GatewayCommands;
import io.javalin.http.Context;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static exchange.gateway.http.ExchangeHttpServer.JSON;
import static exchange.gateway.http.RequestParams.parseDate;
import static exchange.gateway.http.RouteSupport.json;

/**
 * Operator reads and tasks (admin key): {@code GET /v1/admin/state} (the engine's summary, through
 * the ring), {@code POST /v1/admin/snapshot} and {@code GET /v1/admin/reports/eod/{session_date}}
 * (through {@link AdminOperations}). Stateless; used by Jetty request threads.
 */
final class AdminRoutes implements RouteGroup {
    private final RouteSupport support;
    private final EpochNanoClock clock;
    private final AdminOperations operations;

    AdminRoutes(RouteSupport support, EpochNanoClock clock, AdminOperations operations) {
        this.support = support;
        this.clock = clock;
        this.operations = operations;
    }

    @Override
    public void register(Routes r) {
        r.get("/v1/admin/state", this::systemState);
        r.post("/v1/admin/snapshot", this::snapshot);
        r.get("/v1/admin/reports/eod/{session_date}", this::eodReport);
    }

    private void systemState(Context ctx) {
        support.requireAdmin(ctx);
        support.submit(ctx, CommandType.QUERY_STATE, GatewayCommands.QUERY_STATE, clock, (c, r) -> {
            if (!(r.queryResult() instanceof StateSummary s)) {
                throw new IllegalStateException("QUERY_STATE returned " + r.result() + " without a summary");
            }
            json(c, 200, HttpJson.state(s));
        });
    }

    /** {@code POST /v1/admin/snapshot}: capture the state now; 201 with the sequence and file. */
    private void snapshot(Context ctx) {
        support.requireAdmin(ctx);
        CompletableFuture<AdminOperations.SnapshotInfo> f = operations.snapshot();
        if (f == null) {
            throw RouteSupport.overloaded();
        }
        support.respondLater(ctx, f, (c, s) -> json(c, 201, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeNumberField("seq", s.seq());
            g.writeStringField("file", s.file());
            g.writeEndObject();
        })));
    }

    /** {@code GET /v1/admin/reports/eod/{session_date}[?format=csv]}: the reconciliation report of a closed session. */
    private void eodReport(Context ctx) {
        support.requireAdmin(ctx);
        LocalDate date = parseDate(ctx.pathParam("session_date"), "session_date");
        String format = ctx.queryParam("format");
        if (format != null && !format.equals("json") && !format.equals("csv")) {
            throw ApiProblem.invalidField("format", "format must be json or csv");
        }
        boolean csv = "csv".equals(format);
        // pending is asked first: asked after a miss, the writer could finish in between and a
        // written report would be answered as not found
        boolean pending = operations.reportPending(date);
        byte[] body = operations.report(date, csv).orElseThrow(() -> pending
                ? ApiProblem.withHeaders(503, "REPORT_PENDING", "the session of " + date
                        + " has closed and its end-of-day report is being written; retry shortly",
                        Map.of("Retry-After", "1"))
                : ApiProblem.of(404, "REPORT_NOT_FOUND",
                        "no end-of-day report for " + date + ": that session has not closed on this exchange"));
        ctx.status(200).contentType(csv ? "text/csv; charset=utf-8" : JSON).result(body);
    }
}
