package exchange.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import exchange.gateway.persistence.Persistence;
import exchange.journal.SnapshotStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;

import static exchange.gateway.ApiClient.json;
import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trading day end to end over HTTP (durability mode: process): DAY and GTC orders, the
 * operator close with its sweep, MARKET_CLOSED while closed, the reconciliation report (JSON
 * and CSV, also as files in the data directory), the next session, on-demand snapshots and
 * the calendar listing.
 */
@Timeout(60)
class EndOfDayHttpTest {
    private static final String ADMIN = TestExchange.ADMIN_KEY;

    @TempDir
    Path dataDir;

    @Test
    void shouldSweepDayOrdersKeepGtcAndServeAPassingReportThenOpenTheNextSession() throws Exception {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            exchange.openSession();
            String firstDate = api.get("/v1/session", null).json().get("session_date").asText();
            Account buyer = exchange.fundedAccount("buyer", Map.of("USD", "100000.00"));
            Account seller = exchange.fundedAccount("seller", Map.of("AAPL", "100"));

            assertEquals(201,
                    api.post("/v1/orders", seller.key(), aaplOrder("s-day", "sell", 30, "190.00", "day")).status());
            Response buy = api.post("/v1/orders", buyer.key(), aaplOrder("b-day", "buy", 50, "191.00", "day"));
            assertEquals(201, buy.status(), buy.raw());
            assertEquals("partially_filled", buy.json().get("status").asText());
            Response gtc = api.post("/v1/orders", seller.key(), aaplOrder("s-gtc", "sell", 10, "195.00", "gtc"));
            assertEquals(201, gtc.status(), gtc.raw());
            // buyer holds 20 x 191.00 for the DAY remainder
            assertEquals("3820.00", api.get("/v1/account", buyer.key()).json().get("cash").get("reserved").asText());

            Response close = api.post("/v1/admin/session/close", ADMIN, "");
            assertEquals(200, close.status(), close.raw());

            JsonNode dayOrder = api.get("/v1/orders/" + buy.json().get("order_id").asLong(), buyer.key()).json();
            assertEquals("expired", dayOrder.get("status").asText());
            assertEquals("END_OF_DAY", dayOrder.get("expiry_reason").asText());
            assertEquals(30, dayOrder.get("filled_qty").asLong());
            assertEquals("0.00", api.get("/v1/account", buyer.key()).json().get("cash").get("reserved").asText(),
                    "the expired remainder's hold is released");
            JsonNode gtcOrder = api.get("/v1/orders/" + gtc.json().get("order_id").asLong(), seller.key()).json();
            assertEquals("new", gtcOrder.get("status").asText(), "GTC orders survive the close");
            JsonNode sellerAccount = api.get("/v1/account", seller.key()).json();
            assertEquals(10, sellerAccount.get("positions").get(0).get("reserved").asLong());

            Response closedOrder = api.post("/v1/orders", buyer.key(), aaplOrder("b-late", "buy", 1, "190.00", "day"));
            assertEquals(422, closedOrder.status(), closedOrder.raw());
            assertEquals("MARKET_CLOSED", closedOrder.json().get("code").asText());

            Response report = awaitReport(api, firstDate);
            assertEquals(200, report.status(), report.raw());
            JsonNode r = report.json();
            assertEquals(firstDate, r.get("session_date").asText());
            assertTrue(r.get("seq").asLong() > r.get("first_seq").asLong());
            for (JsonNode check : r.get("checks")) {
                assertTrue(check.get("passed").asBoolean(), check.toString());
            }
            assertEquals(7, r.get("checks").size());
            assertEquals("history_batch_check", r.get("checks").get(6).get("name").asText(),
                    "the history database's SQL recomputation of the report is served as its last check");
            JsonNode buyerLine = r.get("accounts").get(0);
            assertEquals("buyer", buyerLine.get("name").asText());
            assertEquals("0.00", buyerLine.get("opening_cash").asText(), "the account was opened during the session");
            assertEquals("100000.00", buyerLine.get("deposits").asText());
            assertEquals("94300.00", buyerLine.get("closing_cash").asText(), "30 bought at 190.00");
            assertEquals(1, buyerLine.get("orders_expired").asLong());
            assertEquals("9550.00", buyerLine.get("holds").get("placed").asText());
            assertEquals("5700.00", buyerLine.get("holds").get("consumed").asText());
            assertEquals("3850.00", buyerLine.get("holds").get("released").asText());

            Path jsonFile = Persistence.reportFile(dataDir, LocalDate.parse(firstDate), false);
            JsonNode file = ApiClient.JSON.readTree(Files.readString(jsonFile, StandardCharsets.UTF_8));
            ((com.fasterxml.jackson.databind.node.ArrayNode) r.get("checks")).remove(6);
            assertEquals(file, r, "the endpoint serves the file written at the close, plus the batch check");
            Response csv = awaitReport(api, firstDate + "?format=csv");
            assertEquals(200, csv.status());
            assertTrue(csv.raw().startsWith("session_date,account_id,name,asset,"), csv.raw());
            assertTrue(csv.raw().contains(firstDate + ",1,buyer,USD,0.00,94300.00,100000.00,0.00,1,"), csv.raw());

            assertEquals(404, api.get("/v1/admin/reports/eod/1999-01-04", ADMIN).status());
            Response badDate = api.get("/v1/admin/reports/eod/yesterday", ADMIN);
            assertEquals(400, badDate.status());
            assertEquals("session_date", badDate.json().get("field").asText());
            assertEquals(401, api.get("/v1/admin/reports/eod/" + firstDate, buyer.key()).status());

            Response cancelWhileClosed = api.delete("/v1/orders/" + gtc.json().get("order_id").asLong(), seller.key());
            assertEquals(200, cancelWhileClosed.status(), cancelWhileClosed.raw());
            assertEquals("canceled", cancelWhileClosed.json().get("status").asText());

            Response reopen = api.post("/v1/admin/session/open", ADMIN, "");
            assertEquals(200, reopen.status(), reopen.raw());
            assertEquals(LocalDate.parse(firstDate).plusDays(1).toString(), reopen.json().get("session_date").asText());
            Response next = api.post("/v1/orders", buyer.key(), aaplOrder("b-next", "buy", 1, "190.00", "day"));
            assertEquals(201, next.status(), next.raw());
            assertEquals(reopen.json().get("session_date").asText(), next.json().get("session_date").asText());
        }
    }

    @Test
    void shouldWriteASnapshotOnDemandAndAtTheCloseThatARestartRecoversFrom() throws Exception {
        String hashBefore;
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            exchange.openSession();
            Account buyer = exchange.fundedAccount("snap", Map.of("USD", "1000.00"));
            assertEquals(201, api.post("/v1/orders", buyer.key(), aaplOrder("g1", "buy", 1, "189.00", "gtc")).status());
            Response snap = api.post("/v1/admin/snapshot", ADMIN, "");
            assertEquals(201, snap.status(), snap.raw());
            long seq = snap.json().get("seq").asLong();
            assertEquals(api.get("/v1/admin/state", ADMIN).json().get("seq").asLong(), seq);
            assertTrue(Files.isRegularFile(Path.of(snap.json().get("file").asText())));
            assertEquals(401, api.post("/v1/admin/snapshot", buyer.key(), "").status());

            assertEquals(200, api.post("/v1/admin/session/close", ADMIN, "").status());
            long closeSeq = api.get("/v1/admin/state", ADMIN).json().get("seq").asLong();
            Path closeSnapshot = dataDir.resolve("snapshots").resolve(SnapshotStore.fileName(closeSeq));
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (!Files.isRegularFile(closeSnapshot) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(Files.isRegularFile(closeSnapshot), "a snapshot is taken at each close: " + closeSnapshot);
            hashBefore = api.get("/v1/admin/state", ADMIN).json().get("state_hash").asText();
        }
        try (TestExchange restarted = TestExchange.start(TestExchange.config(dataDir).build())) {
            JsonNode state = restarted.api.get("/v1/admin/state", ADMIN).json();
            assertEquals(hashBefore, state.get("state_hash").asText());
            assertEquals(1, state.get("open_orders").asLong(), "the GTC order is still resting");
        }
    }

    @Test
    void shouldListCalendarSessionsAndRejectBadRanges() {
        try (TestExchange exchange = TestExchange.start(TestExchange.config(dataDir).build())) {
            ApiClient api = exchange.api;
            Response week = api.get("/v1/calendar?start=2026-11-23&end=2026-11-29", null);
            assertEquals(200, week.status(), week.raw());
            assertEquals(7, week.json().get("sessions").size(), "the demo calendar is open every day");
            assertEquals("2026-11-23", week.json().get("sessions").get(0).get("date").asText());
            assertEquals("2026-11-23T00:00:00Z", week.json().get("sessions").get(0).get("opens_at").asText());
            assertEquals(400, api.get("/v1/calendar?start=2026-11-29&end=2026-11-23", null).status());
            assertEquals(400, api.get("/v1/calendar?start=2026-01-01&end=2028-01-01", null).status());
            Response bad = api.get("/v1/calendar?start=soon", null);
            assertEquals(400, bad.status());
            assertEquals("start", bad.json().get("field").asText());
        }
    }

    @Test
    void shouldListUsEquitiesHolidaysAndEarlyClosesOverHttp() {
        GatewayConfig config = TestExchange.config(dataDir)
                .calendar(GatewayConfig.CalendarType.US_EQUITIES, exchange.gateway.session.UsEquitiesCalendar.ZONE, null)
                .build();
        try (TestExchange exchange = TestExchange.start(config)) {
            Response week = exchange.api.get("/v1/calendar?start=2026-11-23&end=2026-11-29", null);
            assertEquals(200, week.status(), week.raw());
            JsonNode sessions = week.json().get("sessions");
            assertEquals(4, sessions.size(), "Mon-Wed, no Thanksgiving, early close Friday: " + sessions);
            assertEquals("2026-11-27", sessions.get(3).get("date").asText());
            assertTrue(sessions.get(3).get("early_close").asBoolean());
            assertEquals("2026-11-27T18:00:00Z", sessions.get(3).get("closes_at").asText(), "13:00 New York");
            assertEquals("2026-11-23T14:30:00Z", sessions.get(0).get("opens_at").asText(), "09:30 New York (EST)");
        }
    }

    /**
     * A just-closed session's report: the snapshot writer writes its files after the close is
     * answered, meanwhile the route answers 503 REPORT_PENDING (never 404) and the client retries.
     */
    private static Response awaitReport(ApiClient api, String dateAndQuery) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        Response r = api.get("/v1/admin/reports/eod/" + dateAndQuery, ADMIN);
        while (r.status() == 503 && System.nanoTime() < deadline) {
            assertEquals("REPORT_PENDING", r.json().path("code").asText(), r.raw());
            assertEquals("1", r.header("Retry-After"), r.raw());
            Thread.sleep(20);
            r = api.get("/v1/admin/reports/eod/" + dateAndQuery, ADMIN);
        }
        return r;
    }
}
