package exchange.engine;

import exchange.engine.testing.ExchangeDriver;
import exchange.engine.testing.Outcome;
import exchange.engine.testing.Venue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;

import static exchange.engine.EventType.REFERENCE_QUOTED;
import static exchange.engine.EventType.TRADE_EXECUTED;
import static exchange.engine.testing.ExchangeDriver.DAY_ONE;
import static exchange.engine.testing.ExchangeDriver.px;
import static exchange.engine.testing.ExchangeDriver.quoteCommand;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rules of reference quotes from outside venues ({@code docs/engine-rules.md}, "Reference
 * quotes and the outside market"): the collar centred on the fresh reference mid, fills of
 * resting orders against the outside market with the liquidity provider as counterparty, and
 * positions valued at the mark price. Written against {@link Venue}, so it pins down the engine
 * ({@code ExchangeOutsideMarketRulesTest}, where every invariant is checked after every command)
 * and the naive model ({@code ReferenceExchangeOutsideMarketRulesTest}). Every expected number is
 * worked out by hand in the test.
 *
 * <p>Setup: AAPL (no reference price, fills against the outside market) and MSFT (reference
 * $100.00, no fills); alice, bob and carol without fees and dora (maker 20 bps, taker 50 bps),
 * each with $1,000,000 and 10,000 shares of both; the liquidity provider {@code lp} (taker 10 bps)
 * with $1,000,000 and 10,000 AAPL unless a test funds it otherwise; an open session.
 */
@Timeout(30)
abstract class OutsideMarketRulesContract {
    static final long CASH = px("1000000");
    static final long SHARES = 10_000;
    static final long SECOND = 1_000_000_000L;

    ExchangeDriver x;
    Venue venue;
    long alice;
    long bob;
    long carol;
    long dora;
    long lp;

    abstract Venue newVenue(ExchangeConfig config);

    static ExchangeConfig.Builder config() {
        return ExchangeConfig.builder().symbol("AAPL", 0).symbol("MSFT", px("100.00"))
                .fillAgainstReference(List.of("AAPL"), "lp");
    }

    @BeforeEach
    void setUp() {
        restart(config().build(), CASH, SHARES);
    }

    @AfterEach
    void checkInvariants() {
        venue.validate();
    }

    /** Starts over with {@code config}, the four customers, {@code lp} funded with the amounts given (0 = none). */
    void restart(ExchangeConfig config, long lpCash, long lpShares) {
        venue = checkedAfterEveryCommand(newVenue(config));
        x = new ExchangeDriver(venue);
        alice = x.newAccount("alice", 0, 0);
        bob = x.newAccount("bob", 0, 0);
        carol = x.newAccount("carol", 0, 0);
        dora = x.newAccount("dora", 20, 50);
        for (long a : new long[] {alice, bob, carol, dora}) {
            x.fund(a, "USD", CASH);
            x.fund(a, "AAPL", SHARES);
            x.fund(a, "MSFT", SHARES);
        }
        lp = x.newAccount("lp", 0, 10);
        if (lpCash > 0) {
            x.fund(lp, "USD", lpCash);
        }
        if (lpShares > 0) {
            x.fund(lp, "AAPL", lpShares);
        }
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE).code());
    }

    /** The venue, with its invariants (for the engine: conservation, holds, books, quotes) checked after each command. */
    private static Venue checkedAfterEveryCommand(Venue v) {
        return (Venue) Proxy.newProxyInstance(Venue.class.getClassLoader(), new Class<?>[] {Venue.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(v, args);
                        if (method.getName().equals("apply")) {
                            v.validate();
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    long cash(long account) {
        return venue.total(account, "USD");
    }

    long shares(long account) {
        return venue.total(account, "AAPL");
    }

    OrderView order(long orderId) {
        OrderView v = new OrderView();
        assertTrue(venue.order(orderId, v), "order " + orderId + " should exist");
        return v;
    }

    static List<Long> counterOrders(Outcome o) {
        return o.events(TRADE_EXECUTED).stream().map(e -> e.counterOrderId).toList();
    }

    static List<Long> quantities(Outcome o) {
        return o.events(TRADE_EXECUTED).stream().map(e -> e.qty).toList();
    }

    // ---- the collar ----------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldCentreTheCollarOnTheFreshReferenceMidAndReturnToTheLastTradeOnceTheVenueIsStale() {
        // a trade at 105.00 inside the configured collar (100.00 +- 10.00)
        x.order(alice).symbol("MSFT").sell(1, "105.00").place();
        x.order(bob).symbol("MSFT").buy(1, "105.00").place();
        long quotedAt = x.nextTimestamp();
        assertEquals(ResultCode.OK, x.apply(quoteCommand("MSFT", "v1", 10, "119.00", 10, "121.00", SECOND)).code());
        // mid 120.00, band 12.00: [108.00, 132.00]; the last trade's collar would stop at 115.50
        assertEquals(ResultCode.OK, x.order(carol).symbol("MSFT").buy(1, "132.00").place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(carol).symbol("MSFT").buy(1, "132.01").place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(carol).symbol("MSFT").buy(1, "107.99").place().code());
        // still fresh at exactly quote time + staleAfter, by the commands' stamped times
        assertEquals(ResultCode.OK, x.order(carol).symbol("MSFT").buy(1, "131.00").placeAt(quotedAt + SECOND).code());
        // one nanosecond later the venue is stale: last trade 105.00, band 10.50: [94.50, 115.50]
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR,
                x.order(carol).symbol("MSFT").buy(1, "131.00").placeAt(quotedAt + SECOND + 1).code());
        assertEquals(ResultCode.OK, x.order(carol).symbol("MSFT").buy(1, "115.50").place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(carol).symbol("MSFT").buy(1, "115.51").place().code());
    }

    @Test
    @Timeout(10)
    void shouldTakeTheMidOfTheBestBidAndBestAskAmongFreshVenuesForTheCollar() {
        x.apply(quoteCommand("MSFT", "v1", 10, "119.00", 10, "121.00", SECOND));
        x.apply(quoteCommand("MSFT", "v2", 10, "119.50", 10, "122.00", SECOND));
        x.apply(quoteCommand("MSFT", "stale", 10, "150.00", 10, "150.01", 1));
        // best bid 119.50 (v2), best ask 121.00 (v1): mid 120.25, band 12.025 rounded down to 12.0250
        assertEquals(ResultCode.OK, x.order(carol).symbol("MSFT").buy(1, "132.27").place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(carol).symbol("MSFT").buy(1, "132.28").place().code());
    }

    // ---- fills when a quote arrives ------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldFillARestingBuyAtTheVenueAskAndReleaseThePriceImprovementWhenAQuoteCrossesIt() {
        long o = x.buy(dora, 100, "10.00").orderId();
        // R(100) = 1,000.00 + ceil(1,000.00 x 50 / 10,000) = 1,005.00
        assertEquals(px("1005.00"), venue.reserved(dora, "USD"));
        Outcome q = x.quote("v1", 500, "9.90", 500, "9.95");
        assertEquals(List.of(REFERENCE_QUOTED, TRADE_EXECUTED), q.eventTypes());
        EngineEvent t = q.single(TRADE_EXECUTED);
        assertEquals("v1", t.venue);
        assertEquals(px("9.95"), t.priceTicks);
        assertEquals(100, t.qty);
        assertEquals(Side.SELL, t.side, "the liquidity provider's side");
        assertEquals(0, t.orderId, "the liquidity provider has no order");
        assertEquals(lp, t.accountId);
        assertEquals(0, t.leavesQty);
        assertEquals(o, t.counterOrderId);
        assertEquals(dora, t.counterAccountId);
        assertEquals(0, t.counterLeavesQty);
        // notional 995.00: dora pays her maker fee floor(995.00 x 20 / 10,000) = 1.99, lp its taker fee 0.995
        assertEquals(px("1.99"), t.makerFee);
        assertEquals(px("0.995"), t.takerFee);
        assertEquals(OrderStatus.FILLED, order(o).status);
        assertEquals(px("995.00"), order(o).filledNotional);
        assertEquals(CASH - px("995.00") - px("1.99"), cash(dora), "paid 9.95, not the 10.00 limit");
        assertEquals(0, venue.reserved(dora, "USD"), "the price improvement and fee reserve were released");
        assertEquals(SHARES + 100, shares(dora));
        assertEquals(CASH + px("995.00") - px("0.995"), cash(lp));
        assertEquals(SHARES - 100, shares(lp));
        assertEquals(0, venue.reserved(lp, "AAPL"), "the provider's shares are held only for the fill");
        assertEquals(px("1.99") + px("0.995"), venue.feesCollected());
        assertEquals(px("9.95"), venue.lastTradePriceTicks("AAPL"));
        assertEquals(0, venue.bestBidTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldFillARestingSellAtTheVenueBidWhenAQuoteCrossesIt() {
        long o = x.sell(bob, 50, "10.00").orderId();
        Outcome q = x.quote("v1", 80, "10.05", 80, "10.10");
        EngineEvent t = q.single(TRADE_EXECUTED);
        assertEquals(px("10.05"), t.priceTicks, "the customer sells at the better outside bid");
        assertEquals(50, t.qty);
        assertEquals(Side.BUY, t.side);
        assertEquals(o, t.counterOrderId);
        // notional 502.50, lp's taker fee floor(502.50 x 10 / 10,000) = 0.5025
        assertEquals(px("0.5025"), t.takerFee);
        assertEquals(0, t.makerFee);
        assertEquals(CASH + px("502.50"), cash(bob));
        assertEquals(SHARES - 50, shares(bob));
        assertEquals(0, venue.reserved(bob, "AAPL"));
        assertEquals(CASH - px("502.50") - px("0.5025"), cash(lp));
        assertEquals(SHARES + 50, shares(lp));
        assertEquals(0, venue.reserved(lp, "USD"));
    }

    @Test
    @Timeout(10)
    void shouldFillBestLimitFirstThenTimeUpToTheQuotedSizeAndNotUseTheSameSizeTwice() {
        long o1 = x.buy(alice, 10, "10.00").orderId();
        long o2 = x.buy(bob, 10, "10.02").orderId();
        long o3 = x.buy(carol, 10, "10.00").orderId();
        long o4 = x.buy(alice, 10, "9.90").orderId();
        Outcome q = x.quote("v1", 100, "9.80", 25, "9.99");
        assertEquals(List.of(o2, o1, o3), counterOrders(q));
        assertEquals(List.of(10L, 10L, 5L), quantities(q));
        assertEquals(OrderStatus.PARTIALLY_FILLED, order(o3).status);
        assertEquals(5, order(o3).leavesQty);
        assertEquals(OrderStatus.NEW, order(o4).status, "9.90 does not reach the 9.99 ask");
        // the venue is still fresh, but its 25 shares are used up
        Outcome late = x.buy(bob, 10, "10.00");
        assertEquals(List.of(), late.events(TRADE_EXECUTED));
        long o5 = late.orderId();
        // the venue quotes again: its size is new; the 10.00 level fills in time order
        Outcome again = x.quote("v1", 100, "9.80", 25, "9.99");
        assertEquals(List.of(o3, o5), counterOrders(again));
        assertEquals(List.of(5L, 10L), quantities(again));
        assertEquals(px("9.90"), venue.bestBidTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldFillAResting10SharesWhenTheVenueShowsOnly7AndLeaveTheRestResting() {
        long o = x.buy(alice, 10, "10.00").orderId();
        assertEquals(List.of(7L), quantities(x.quote("v1", 100, "9.80", 7, "10.00")));
        assertEquals(3, order(o).leavesQty);
        assertEquals(px("10.00"), venue.bestBidTicks("AAPL"));
        assertEquals(Holds.buyHold(3, px("10.00"), 0), venue.reserved(alice, "USD"));
    }

    // ---- fills when an order comes to rest ----------------------------------------------------

    @Test
    @Timeout(10)
    void shouldFillANewlyRestingOrderAgainstTheBestFreshVenuesFirstAndRestTheRemainder() {
        x.quote("soon-stale", 10, "9.50", 100, "9.60");
        // re-quoted with a 1 ns lifetime: stale by the next command
        x.apply(quoteCommand("AAPL", "soon-stale", 10, "9.50", 100, "9.60", 1));
        x.quote("v1", 10, "9.90", 10, "10.03");
        x.quote("v2", 10, "9.90", 10, "10.01");
        x.quote("v3", 10, "9.90", 5, "10.01");
        Outcome o = x.buy(alice, 30, "10.05");
        List<EngineEvent> trades = o.events(TRADE_EXECUTED);
        assertEquals(List.of("v2", "v3", "v1"), trades.stream().map(e -> e.venue).toList(),
                "best ask first; on a tie the venue that quoted first");
        assertEquals(List.of(px("10.01"), px("10.01"), px("10.03")), trades.stream().map(e -> e.priceTicks).toList());
        assertEquals(List.of(10L, 5L, 10L), quantities(o));
        OrderView v = o.order();
        assertEquals(OrderStatus.PARTIALLY_FILLED, v.status);
        assertEquals(5, v.leavesQty);
        assertEquals(px("10.05"), venue.bestBidTicks("AAPL"));
        assertEquals(CASH - px("100.10") - px("50.05") - px("100.30"), cash(alice));
        assertEquals(Holds.buyHold(5, px("10.05"), 0), venue.reserved(alice, "USD"));
    }

    @Test
    @Timeout(10)
    void shouldMatchOurOwnBookBeforeTheOutsideMarketWhenAnOrderArrives() {
        long ask = x.sell(bob, 5, "10.00").orderId();
        x.quote("v1", 10, "9.00", 100, "9.50");
        Outcome o = x.buy(alice, 8, "10.00");
        List<EngineEvent> trades = o.events(TRADE_EXECUTED);
        assertEquals(2, trades.size());
        assertEquals(ask, trades.get(0).counterOrderId, "our book first, at its price");
        assertEquals(px("10.00"), trades.get(0).priceTicks);
        assertEquals("v1", trades.get(1).venue, "then the rest, once resting, against the venue");
        assertEquals(px("9.50"), trades.get(1).priceTicks);
        assertEquals(3, trades.get(1).qty);
        assertEquals(OrderStatus.FILLED, o.order().status);
    }

    @Test
    @Timeout(10)
    void shouldNotFillOnceEveryVenueIsStaleByTheStampedTimes() {
        long quotedAt = x.nextTimestamp();
        x.apply(quoteCommand("AAPL", "v1", 100, "9.90", 100, "9.95", 5_000));
        Outcome fresh = x.order(alice).buy(10, "10.00").placeAt(quotedAt + 5_000);
        assertEquals(1, fresh.events(TRADE_EXECUTED).size(), "fresh at exactly quote time + staleAfter");
        Outcome stale = x.order(bob).buy(10, "10.00").placeAt(quotedAt + 5_001);
        assertEquals(List.of(), stale.events(TRADE_EXECUTED));
        assertEquals(OrderStatus.NEW, stale.order().status);
    }

    // ---- when there is no fill -----------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldNotFillASymbolThatIsNotConfiguredToFillAgainstTheReference() {
        long o = x.order(alice).symbol("MSFT").buy(10, "100.00").place().orderId();
        Outcome q = x.apply(quoteCommand("MSFT", "v1", 10, "98.00", 10, "99.00", SECOND));
        assertEquals(List.of(REFERENCE_QUOTED), q.eventTypes());
        assertEquals(List.of(), x.order(bob).symbol("MSFT").buy(10, "100.00").place().events(TRADE_EXECUTED));
        assertEquals(OrderStatus.NEW, order(o).status);
    }

    @Test
    @Timeout(10)
    void shouldFillOnlyTheSharesTheProviderHasAvailableAndNothingOnceItHasNone() {
        restart(config().build(), CASH, 40);
        x.order(lp).sell(10, "11.00").place();   // 10 of its 40 shares are held by its own order
        long o = x.buy(alice, 50, "10.00").orderId();
        Outcome q = x.quote("v1", 100, "9.90", 100, "9.95");
        assertEquals(List.of(30L), quantities(q), "its 30 available shares, no more");
        assertEquals(20, order(o).leavesQty);
        assertEquals(10, venue.reserved(lp, "AAPL"));
        assertEquals(10, shares(lp));
        Outcome none = x.buy(bob, 10, "10.00");
        assertEquals(List.of(), none.events(TRADE_EXECUTED), "no shares left: no fill, no error");
        assertEquals(ResultCode.OK, none.code());
    }

    @Test
    @Timeout(10)
    void shouldFillOnlyWhatTheProvidersCashPaysForIncludingItsFee() {
        restart(config().build(), px("75.00"), 0);
        long o = x.sell(bob, 20, "10.00").orderId();
        // 7 shares cost 70.00 + 0.07 fee = 70.07 <= 75.00; 8 would cost 80.08
        Outcome q = x.quote("v1", 100, "10.00", 100, "10.10");
        assertEquals(List.of(7L), quantities(q));
        assertEquals(px("0.07"), q.single(TRADE_EXECUTED).takerFee);
        assertEquals(13, order(o).leavesQty);
        assertEquals(px("75.00") - px("70.07"), cash(lp));
        assertEquals(List.of(), x.quote("v1", 100, "10.00", 100, "10.10").events(TRADE_EXECUTED));
    }

    @Test
    @Timeout(10)
    void shouldNeverFillTheLiquidityProvidersOwnOrders() {
        long own = x.buy(lp, 10, "10.00").orderId();
        long customer = x.buy(alice, 10, "10.00").orderId();
        Outcome q = x.quote("v1", 100, "9.90", 100, "9.95");
        assertEquals(List.of(customer), counterOrders(q), "its own order is skipped, the one behind it fills");
        assertEquals(OrderStatus.NEW, order(own).status);
        assertEquals(List.of(), x.buy(lp, 5, "10.00").events(TRADE_EXECUTED));
    }

    @Test
    @Timeout(10)
    void shouldNotFillAPostOnlyOrderAsItComesToRestButWhenTheNextQuoteCrossesIt() {
        x.quote("v1", 100, "9.90", 100, "9.95");
        Outcome post = x.order(alice).buy(10, "10.00").postOnly().place();
        assertEquals(ResultCode.OK, post.code(), "post-only looks at our book, which is empty");
        assertEquals(List.of(), post.events(TRADE_EXECUTED), "filling now would take from the outside market");
        Outcome q = x.quote("v1", 100, "9.90", 100, "9.95");
        assertEquals(List.of(post.orderId()), counterOrders(q), "resting, it is a maker like any other");
    }

    @Test
    @Timeout(10)
    void shouldNotFillImmediateOrCancelOrFillOrKillOrdersAgainstTheOutsideMarket() {
        x.quote("v1", 100, "9.90", 100, "9.95");
        OrderView ioc = x.order(alice).buy(10, "10.00").ioc().place().order();
        assertEquals(OrderStatus.EXPIRED, ioc.status);
        assertEquals(ExpiryReason.UNFILLED_IOC, ioc.expiryReason);
        OrderView fok = x.order(alice).buy(10, "10.00").fok().place().order();
        assertEquals(ExpiryReason.UNFILLED_FOK, fok.expiryReason);
        assertEquals(CASH, cash(alice));
    }

    @Test
    @Timeout(10)
    void shouldNotFillWhileTheSessionIsClosedAndFillOnTheNextQuoteAfterItOpens() {
        long o = x.order(alice).buy(10, "10.00").gtc().place().orderId();
        x.closeSession();
        Outcome closed = x.quote("v1", 100, "9.90", 100, "9.95");
        assertEquals(ResultCode.OK, closed.code(), "the quote is taken, for the collar and valuation");
        assertEquals(List.of(REFERENCE_QUOTED), closed.eventTypes());
        x.openSession(DAY_ONE + 1);
        assertEquals(OrderStatus.NEW, order(o).status, "opening fills nothing by itself");
        assertEquals(List.of(o), counterOrders(x.quote("v1", 100, "9.90", 100, "9.95")));
    }

    @Test
    @Timeout(10)
    void shouldFillNothingWithoutAnAccountOfTheProvidersNameAndTakeTheLowestIdOfSeveral() {
        restart(config().fillAgainstReference(List.of("AAPL"), "maker").build(), 0, 0);
        long o = x.buy(alice, 10, "10.00").orderId();
        assertEquals(List.of(REFERENCE_QUOTED), x.quote("v1", 100, "9.90", 100, "9.95").eventTypes());
        long first = x.newAccount("maker", 0, 0);
        long second = x.newAccount("maker", 0, 0);
        x.fund(second, "AAPL", 100);
        assertEquals(List.of(), x.quote("v1", 100, "9.90", 100, "9.95").events(TRADE_EXECUTED),
                "the first account of the name has no shares; the second is not asked");
        x.fund(first, "AAPL", 100);
        EngineEvent t = x.quote("v1", 100, "9.90", 100, "9.95").single(TRADE_EXECUTED);
        assertEquals(first, t.accountId);
        assertEquals(o, t.counterOrderId);
    }

    // ---- quotes refused ------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldRefuseInvalidQuotesWithoutAnEventAndWithTheirSequence() {
        long seq = venue.lastSeq();
        Object[][] cases = {
                {quoteCommand("ZZZ", "v1", 10, "9.90", 10, "9.95", SECOND), ResultCode.UNKNOWN_SYMBOL},
                {quoteCommand(null, "v1", 10, "9.90", 10, "9.95", SECOND), ResultCode.UNKNOWN_SYMBOL},
                {quoteCommand("AAPL", "v1", 10, "9.95", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 10, "9.96", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 10, "0", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 0, "9.90", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 10, "9.90", 10, "9.955", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 10, "9.90", 10, "9.95", 0), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "", 10, "9.90", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v".repeat(33), 10, "9.90", 10, "9.95", SECOND), ResultCode.INVALID_QUOTE},
                {quoteCommand("AAPL", "v1", 10, "1000000.00", 10, "1000000.01", SECOND), ResultCode.INVALID_QUOTE},
        };
        for (Object[] k : cases) {
            Outcome o = x.apply((Command) k[0]);
            assertEquals(k[1], o.code(), o.command().toString());
            assertEquals(List.of(), o.events());
            assertEquals(++seq, o.seq(), "a refused quote is journaled and takes its sequence like any command");
        }
        // sub-dollar prices may have four decimals
        assertEquals(ResultCode.OK, x.apply(quoteCommand("AAPL", "v".repeat(32), 10, "0.5001", 10, "0.5002", SECOND)).code());
        for (int v = 2; v <= 8; v++) {
            assertEquals(ResultCode.OK, x.quote("v" + v, 10, "9.90", 10, "9.95").code());
        }
        assertEquals(ResultCode.TOO_MANY_VENUES, x.quote("v9", 10, "9.90", 10, "9.95").code());
        assertEquals(ResultCode.OK, x.quote("v8", 10, "9.90", 10, "9.95").code(), "a venue already kept may quote again");
    }

    // ---- valuation -----------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldValuePositionsAtTheReferenceMidElseTheLastTradeElseTheConfiguredPrice() {
        AccountSnapshot before = account(alice);
        assertEquals(new AccountSnapshot.Position("AAPL", SHARES, 0, 0, MarkSource.NONE, AccountSnapshot.NO_VALUE),
                before.positions().get(0), "no venue, no trade, no configured price");
        assertEquals(new AccountSnapshot.Position("MSFT", SHARES, 0, px("100.00"), MarkSource.CONFIGURED,
                SHARES * px("100.00")), before.positions().get(1));
        assertEquals(AccountSnapshot.NO_VALUE, before.equity(), "unknown while a position has no value");

        x.sell(bob, 1, "10.00");
        x.buy(carol, 1, "10.00");
        AccountSnapshot traded = account(alice);
        assertEquals(MarkSource.LAST_TRADE, traded.positions().get(0).markSource());
        assertEquals(SHARES * px("10.00"), traded.positions().get(0).marketValue());
        assertEquals(CASH + SHARES * px("10.00") + SHARES * px("100.00"), traded.equity());

        long quotedAt = x.nextTimestamp();
        x.quote("v1", 10, "10.10", 10, "10.20");
        x.quote("v2", 10, "10.15", 10, "10.30");
        // floor((10.15 + 10.20) / 2) = 10.175
        AccountSnapshot quoted = account(alice);
        assertEquals(new AccountSnapshot.Position("AAPL", SHARES, 0, px("10.175"), MarkSource.REFERENCE,
                SHARES * px("10.175")), quoted.positions().get(0));
        assertEquals(CASH + SHARES * px("10.175") + SHARES * px("100.00"), quoted.equity());

        Command late = new Command();
        late.type = CommandType.QUERY_ACCOUNT;
        late.accountId = alice;
        AccountSnapshot stale = (AccountSnapshot) x.applyAt(late, quotedAt + 1_000 + SECOND + 1).command().queryResult;
        assertEquals(MarkSource.LAST_TRADE, stale.positions().get(0).markSource(), "both venues stale by the query's time");
        assertEquals(px("10.00"), stale.positions().get(0).markPriceTicks());
    }

    AccountSnapshot account(long accountId) {
        return (AccountSnapshot) x.query(CommandType.QUERY_ACCOUNT, accountId).command().queryResult;
    }
}
