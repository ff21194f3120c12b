package exchange.gateway.persistence;

import exchange.engine.AccountSnapshot;
import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.engine.MarkSource;
import exchange.engine.ReconciliationReport;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.engine.report.ReportFormat;
import exchange.risk.Money;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A report file reads back into the report it was written from, the valuation of its positions
 * included; a file written before positions were valued reads with no mark price and no values.
 */
@Timeout(10)
class ReportFilesTest {
    private final Exchange exchange = new Exchange(ExchangeConfig.builder().symbol("AAPL", 0).symbol("MSFT", 0)
            .fillAgainstReference(List.of("AAPL"), "lp").build());
    private long time = 1_000_000_000L;

    @Test
    void shouldReadBackTheReportItsJsonWasWrittenFromWithTheValuationOfEveryPosition() throws Exception {
        long alice = account("alice");
        long lp = account("lp");
        deposit(alice, "USD", 100_000 * Money.SCALE);
        deposit(alice, "MSFT", 5);
        deposit(lp, "AAPL", 1_000);
        Command open = command(CommandType.SESSION_OPEN);
        open.sessionDate = 20_000;
        open.sessionClosesAtNanos = time + 1_000_000_000_000L;
        run(open);
        Command buy = command(CommandType.PLACE_ORDER);
        buy.accountId = alice;
        buy.clientOrderId = "b1";
        buy.symbol = "AAPL";
        buy.side = Side.BUY;
        buy.qty = 10;
        buy.priceTicks = 100 * Money.SCALE;
        buy.timeInForce = TimeInForce.GTC;
        buy.selfTradePrevention = SelfTradePrevention.DEFAULT;
        run(buy);
        Command quote = command(CommandType.REFERENCE_QUOTE);
        quote.symbol = "AAPL";
        quote.venue = "venue1";
        quote.bidPriceTicks = 99 * Money.SCALE;
        quote.askPriceTicks = 9_950 * Money.CENT;
        quote.bidQty = 100;
        quote.askQty = 100;
        quote.staleAfterNanos = 60_000_000_000L;
        run(quote);
        ReconciliationReport report = (ReconciliationReport) run(command(CommandType.SESSION_CLOSE)).queryResult;
        ReconciliationReport.PositionLine aapl = report.accounts().get(0).positions().get(0);
        assertEquals(MarkSource.REFERENCE, aapl.markSource(), "the report must carry a valued position");
        assertEquals(MarkSource.NONE, report.accounts().get(0).positions().get(1).markSource(), "MSFT has no price");

        String json = ReportFormat.toJson(report);
        assertEquals(report, ReportFiles.read(json));

        String older = json.replaceAll(",\"closing_equity\":(null|\"[0-9.]+\")", "")
                .replaceAll(",\"mark_price\":(null|\"[0-9.]+\"),\"mark_source\":\"[a-z_]+\",\"closing_value\":(null|\"[0-9.]+\")", "");
        ReconciliationReport read = ReportFiles.read(older);
        ReconciliationReport.PositionLine unvalued = read.accounts().get(0).positions().get(0);
        assertEquals(MarkSource.NONE, unvalued.markSource());
        assertEquals(AccountSnapshot.NO_VALUE, unvalued.closingValue());
        assertEquals(AccountSnapshot.NO_VALUE, read.accounts().get(0).closingEquity());
        assertEquals(report.checks(), read.checks());
    }

    private long account(String name) {
        Command c = command(CommandType.CREATE_ACCOUNT);
        c.name = name;
        return run(c).resultAccountId;
    }

    private void deposit(long account, String asset, long amount) {
        Command c = command(CommandType.DEPOSIT);
        c.accountId = account;
        c.asset = asset;
        c.amount = amount;
        c.transferId = account + "-" + asset;
        run(c);
    }

    private Command command(CommandType type) {
        Command c = new Command();
        c.type = type;
        c.timestampNanos = time += 1_000;
        return c;
    }

    private Command run(Command c) {
        exchange.apply(c, e -> { });
        assertEquals(ResultCode.OK, c.result, c.toString());
        return c;
    }
}
