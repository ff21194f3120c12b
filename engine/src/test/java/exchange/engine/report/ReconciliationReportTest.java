package exchange.engine.report;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.EngineEvent;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.ExpiryReason;
import exchange.engine.MarkSource;
import exchange.engine.ReconciliationReport;
import exchange.engine.ResultCode;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class ReconciliationReportTest {
    private final Exchange exchange = new Exchange(ExchangeConfig.builder().symbol("AAPL", 0).gtcMaxAgeDays(2).build());
    private final List<EngineEvent> events = new ArrayList<>();
    private long time = 1;

    private Command run(Command c) {
        c.timestampNanos = time++;
        exchange.apply(c, e -> events.add(e.copy()));
        exchange.validateInternalState();
        return c;
    }

    private Command cmd(CommandType type) {
        Command c = new Command();
        c.type = type;
        return c;
    }

    private void account(String name, String asset, long amount) {
        Command c = cmd(CommandType.CREATE_ACCOUNT);
        c.name = name;
        long id = run(c).resultAccountId;
        Command d = cmd(CommandType.DEPOSIT);
        d.accountId = id;
        d.asset = asset;
        d.amount = amount;
        d.transferId = name + "-funding";
        assertEquals(ResultCode.OK, run(d).result);
    }

    private Command order(long account, String clientId, Side side, long qty, long price, TimeInForce tif) {
        Command c = cmd(CommandType.PLACE_ORDER);
        c.accountId = account;
        c.clientOrderId = clientId;
        c.symbol = "AAPL";
        c.side = side;
        c.qty = qty;
        c.priceTicks = price;
        c.timeInForce = tif;
        return run(c);
    }

    private void open(long date) {
        Command c = cmd(CommandType.SESSION_OPEN);
        c.sessionDate = date;
        c.sessionClosesAtNanos = date * 86_400_000_000_000L;
        assertEquals(ResultCode.OK, run(c).result);
    }

    private ReconciliationReport close() {
        Command c = run(cmd(CommandType.SESSION_CLOSE));
        assertEquals(ResultCode.OK, c.result);
        return (ReconciliationReport) c.queryResult;
    }

    @Test
    void shouldReportSessionMovementsPerAccountAndPassEveryCheckAfterTheSweep() {
        account("buyer", "USD", 1_000_000_0000L);
        account("seller", "AAPL", 100);
        open(20_000);
        order(2, "s1", Side.SELL, 60, 100_0000, TimeInForce.DAY);
        order(1, "b1", Side.BUY, 100, 101_0000, TimeInForce.DAY);   // 60 fill at 100, 40 rest at 101
        order(2, "s2", Side.SELL, 10, 105_0000, TimeInForce.GTC);   // rests, survives the close

        ReconciliationReport report = close();
        assertNotNull(report);
        assertTrue(report.passed(), report.checks().toString());
        assertEquals(20_000, report.sessionDate());
        assertEquals(List.of("cash_conserved", "shares_conserved", "holds_match_open_orders", "no_negative_balance",
                "books_uncrossed", "journal_sequence_covered"), report.checks().stream().map(ReconciliationReport.Check::name).toList());

        ReconciliationReport.AccountLine buyer = report.accounts().get(0);
        assertEquals(1_000_000_0000L, buyer.openingCash());
        assertEquals(1_000_000_0000L - 60 * 100_0000L, buyer.closingCash());
        assertEquals(1, buyer.fills());
        assertEquals(1, buyer.ordersExpired(), "the DAY remainder expired at the close");
        assertEquals(100 * 101_0000L, buyer.holdsPlaced());
        assertEquals(60 * 100_0000L, buyer.holdsConsumed());
        assertEquals(buyer.holdsPlaced() - buyer.holdsConsumed(), buyer.holdsReleased(),
                "price improvement and the expired remainder were released");
        ReconciliationReport.PositionLine bought = buyer.positions().get(0);
        assertEquals(0, bought.openingQty());
        assertEquals(60, bought.closingQty());
        assertEquals(MarkSource.LAST_TRADE, bought.markSource(), "no venue quotes AAPL and it has no reference price");
        assertEquals(100_0000L, bought.markPriceTicks());
        assertEquals(60 * 100_0000L, bought.closingValue());
        assertEquals(buyer.closingCash() + 60 * 100_0000L, buyer.closingEquity());

        ReconciliationReport.AccountLine seller = report.accounts().get(1);
        ReconciliationReport.PositionLine sold = seller.positions().get(0);
        assertEquals(100, sold.openingQty());
        assertEquals(40, sold.closingQty());
        assertEquals(70, sold.holdsPlaced());
        assertEquals(60, sold.holdsConsumed());
        assertEquals(0, sold.holdsReleased(), "the GTC sell still holds its 10 shares");
        assertEquals(10, exchange.ledger().account(2).reserved(1));
    }

    @Test
    void shouldMeasureTheNextSessionFromTheClosingBalancesAndExpireOverAgeGtc() {
        account("buyer", "USD", 1_000_000_0000L);
        account("seller", "AAPL", 100);
        open(20_000);
        order(2, "gtc", Side.SELL, 10, 150_0000, TimeInForce.GTC);
        close();
        open(20_001);
        ReconciliationReport second = close();
        assertEquals(100, second.accounts().get(1).positions().get(0).openingQty());
        assertEquals(0, second.accounts().get(1).ordersExpired(), "one day old: under the 2-day maximum age");
        open(20_002);
        events.clear();
        ReconciliationReport third = close();
        assertEquals(1, third.accounts().get(1).ordersExpired());
        assertEquals(ExpiryReason.GTC_MAX_AGE, events.get(0).expiryReason);
        assertEquals(10, third.accounts().get(1).positions().get(0).holdsReleased());
        assertTrue(third.passed());
    }

    @Test
    void shouldRenderTheSameReportToIdenticalJsonAndCsvWithEscapedNames() {
        account("o'neil, \"the\" trader", "USD", 1_000_000_0000L);
        account("seller", "AAPL", 100);
        open(20_000);
        order(2, "s1", Side.SELL, 60, 100_0000, TimeInForce.DAY);
        order(1, "b1", Side.BUY, 100, 101_0000, TimeInForce.DAY);
        ReconciliationReport report = close();
        String json = ReportFormat.toJson(report);
        assertEquals(json, ReportFormat.toJson(report));
        assertTrue(json.startsWith("{\"session_date\":\"2024-10-04\",\"first_seq\":5,\"seq\":8,\"passed\":true,"), json);
        assertTrue(json.contains("\"name\":\"o'neil, \\\"the\\\" trader\""), json);
        assertTrue(json.contains("\"closing_cash\":\"994000.00\""), json);
        assertTrue(json.contains("{\"name\":\"cash_conserved\",\"passed\":true,"), json);
        String csv = ReportFormat.toCsv(report);
        String[] lines = csv.split("\n");
        assertEquals(ReportFormat.CSV_HEADER, lines[0]);
        assertEquals("2024-10-04,1,\"o'neil, \"\"the\"\" trader\",USD,1000000.00,994000.00,0.00,0.00,1,0.00,10100.00,6000.00,4100.00,1,,,,1000000.00",
                lines[1], "the USD row ends with the closing equity: cash plus 60 shares at the last trade");
        assertEquals("2024-10-04,1,\"o'neil, \"\"the\"\" trader\",AAPL,0,60,0,0,,,0,0,0,,100.00,last_trade,6000.00,", lines[2]);
        assertTrue(json.contains("\"mark_price\":\"100.00\",\"mark_source\":\"last_trade\",\"closing_value\":\"6000.00\""),
                json);
        assertTrue(json.contains("\"closing_equity\":\"1000000.00\""), json);
    }
}
