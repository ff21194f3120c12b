package exchange.engine;

import exchange.engine.testing.ExchangeDriver;
import exchange.engine.testing.InMemorySnapshot;
import exchange.engine.testing.Outcome;
import exchange.engine.testing.Venue;
import exchange.risk.Fees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static exchange.engine.EventType.TRADE_EXECUTED;
import static exchange.engine.testing.ExchangeDriver.DAY_ONE;
import static exchange.engine.testing.ExchangeDriver.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the outside market does to the engine's own machinery, beyond the rules
 * ({@link OutsideMarketRulesContract}): the end-of-day report with the liquidity provider in it,
 * the state hash and snapshots of the reference quotes (and of what fills left of their sizes),
 * the invariant check of stored quotes, and the provider's affordable quantity.
 */
@Timeout(30)
class OutsideMarketEngineTest {
    private static final ExchangeConfig CONFIG = OutsideMarketRulesContract.config().build();

    private Exchange exchange;
    private ExchangeDriver x;
    private long alice;
    private long lp;

    @BeforeEach
    void setUp() {
        exchange = new Exchange(CONFIG);
        x = new ExchangeDriver(Venue.of(exchange));
        alice = x.newAccount("alice", 10, 20);
        x.fund(alice, "USD", px("100000"));
        lp = x.newAccount("lp", 0, 10);
        x.fund(lp, "USD", px("100000"));
        x.fund(lp, "AAPL", 1_000);
        x.openSession(DAY_ONE);
    }

    @Test
    @Timeout(10)
    void shouldPassEveryEndOfDayCheckWithTheProviderAndValueClosingPositionsAtTheMarkOfTheClose() {
        x.buy(alice, 100, "10.00");
        x.quote("v1", 500, "9.90", 60, "9.95");                  // alice buys 60 at 9.95 from lp
        x.quote("v1", 500, "9.96", 500, "10.02");                 // mark at the close: mid 9.99
        Outcome close = x.closeSession();
        ReconciliationReport r = (ReconciliationReport) close.command().queryResult;
        assertTrue(r.passed(), r.checks().toString());

        ReconciliationReport.AccountLine a = r.accounts().get(0);
        ReconciliationReport.AccountLine p = r.accounts().get(1);
        assertEquals("lp", p.name());
        assertEquals(1, a.fills());
        assertEquals(1, p.fills());
        // notional 597.00: alice's maker fee 10 bps = 0.597, lp's taker fee 10 bps = 0.597
        assertEquals(px("0.597"), a.fees());
        assertEquals(px("0.597"), p.fees());
        assertEquals(px("100000") + px("597.00") - px("0.597"), p.closingCash());
        ReconciliationReport.PositionLine lpShares = p.positions().get(0);
        assertEquals(1_000, lpShares.openingQty());
        assertEquals(940, lpShares.closingQty());
        assertEquals(60, lpShares.holdsPlaced(), "the provider's shares are held for the fill and consumed by it");
        assertEquals(60, lpShares.holdsConsumed());
        assertEquals(MarkSource.REFERENCE, lpShares.markSource());
        assertEquals(px("9.99"), lpShares.markPriceTicks());
        assertEquals(940 * px("9.99"), lpShares.closingValue());
        assertEquals(p.closingCash() + 940 * px("9.99"), p.closingEquity());
        ReconciliationReport.PositionLine bought = a.positions().get(0);
        assertEquals(60, bought.closingQty());
        assertEquals(60 * px("9.99"), bought.closingValue());
        exchange.validateInternalState();
    }

    @Test
    @Timeout(10)
    void shouldRestoreTheQuotesAndWhatIsLeftOfTheirSizesFromASnapshotAndContinueIdentically() {
        x.buy(alice, 30, "10.00");
        x.quote("v1", 500, "9.90", 50, "9.95");                   // 30 of the 50 used
        x.apply(ExchangeDriver.quoteCommand("MSFT", "v2", 7, "99.00", 8, "101.00", 5_000_000_000L));
        InMemorySnapshot snapshot = new InMemorySnapshot();
        exchange.writeSnapshot(snapshot);
        Exchange restored = Exchange.readSnapshot(CONFIG, snapshot);
        assertTrue(snapshot.fullyRead());
        assertEquals(exchange.stateHash(), restored.stateHash());

        // the same next command on both: a buy that comes to rest and takes the 20 shares left
        ExchangeDriver.Ticket ticket = x.order(alice).buy(40, "10.00");
        Command next = ticket.command();
        next.timestampNanos = x.nextTimestamp();
        Command copy = new Command();
        copy.copyInputFrom(next);
        List<EngineEvent> original = new ArrayList<>();
        List<EngineEvent> again = new ArrayList<>();
        exchange.apply(next, e -> original.add(e.copy()));
        restored.apply(copy, e -> again.add(e.copy()));
        assertEquals(original, again);
        assertEquals(20, original.stream().filter(e -> e.type == TRADE_EXECUTED).mapToLong(e -> e.qty).sum());
        assertEquals(exchange.stateHash(), restored.stateHash());
        restored.validateInternalState();
    }

    @Test
    @Timeout(10)
    void shouldReadASnapshotOfTheFormatBeforeQuotesAsAStateWithoutQuotes() {
        x.buy(alice, 30, "10.00");
        InMemorySnapshot snapshot = new InMemorySnapshot();
        exchange.writeSnapshot(snapshot);
        // format 5 ended after the books: no venue count per symbol, and said 5 in front
        snapshot.setInt(0, ExchangeSnapshot.FORMAT_WITHOUT_QUOTES);
        snapshot.removeLast(CONFIG.symbols().size());
        Exchange restored = Exchange.readSnapshot(CONFIG, snapshot);
        assertTrue(snapshot.fullyRead());
        assertEquals(exchange.stateHash(), restored.stateHash());
        snapshot.rewind();
        snapshot.setInt(0, 4);
        assertThrows(exchange.engine.state.SnapshotFormatException.class, () -> Exchange.readSnapshot(CONFIG, snapshot));
    }

    @Test
    @Timeout(10)
    void shouldChangeTheStateHashWithAQuoteAndWithWhatAFillLeavesOfIt() {
        long empty = exchange.stateHash();
        x.quote("v1", 500, "9.90", 50, "9.95");
        long quoted = exchange.stateHash();
        assertNotEquals(empty, quoted);
        x.query(CommandType.QUERY_ACCOUNT, alice);
        assertEquals(quoted, exchange.stateHash(), "queries change nothing");
        ReferenceQuotes.Quote q = exchange.referenceQuotes.quote(0, 0);
        q.remainingAskQty--;
        assertNotEquals(quoted, exchange.stateHash(), "the hash covers what is left of a quote's size");
        q.remainingAskQty++;
        assertEquals(quoted, exchange.stateHash());
    }

    @Test
    @Timeout(10)
    void shouldFailTheInvariantCheckWhenAQuoteHasMoreLeftThanItShowed() {
        x.quote("v1", 500, "9.90", 50, "9.95");
        exchange.validateInternalState();
        exchange.referenceQuotes.quote(0, 0).remainingBidQty = 501;
        IllegalStateException e = assertThrows(IllegalStateException.class, exchange::validateInternalState);
        assertTrue(e.getMessage().contains("more left than it showed"), e.getMessage());
    }

    @Test
    @Timeout(10)
    void shouldFindTheLargestAffordableQuantityAsABruteForceSearchDoes() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int i = 0; i < 2_000; i++) {
            long price = 1 + rnd.nextInt(2_000_000);
            int bps = rnd.nextInt(Fees.MAX_FEE_BPS + 1);
            long wanted = rnd.nextInt(500);
            long cash = rnd.nextInt(4) == 0 ? rnd.nextInt(1_000) : (long) (rnd.nextDouble() * price * 600);
            long expected = 0;
            for (long q = 1; q <= wanted; q++) {
                long notional = q * price;
                if (notional + Fees.charged(notional, bps) <= cash) {
                    expected = q;
                }
            }
            assertEquals(expected, ReferenceFills.affordable(cash, price, wanted, bps),
                    "seed " + seed + ": cash " + cash + " price " + price + " wanted " + wanted + " bps " + bps);
        }
        assertEquals(0, ReferenceFills.affordable(Long.MAX_VALUE, Long.MAX_VALUE - 100, Long.MAX_VALUE, 1_000),
                "one share with its fee costs more than a long holds");
        assertEquals(3, ReferenceFills.affordable(Long.MAX_VALUE, Long.MAX_VALUE / 3, Long.MAX_VALUE, 0),
                "three shares cost Long.MAX_VALUE - 1; four would overflow");
    }
}
