package exchange.engine;

import exchange.engine.testing.ExchangeDriver;
import exchange.engine.testing.Outcome;
import exchange.engine.testing.Venue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;

import static exchange.engine.EventType.ACCOUNT_CREATED;
import static exchange.engine.EventType.CANCEL_REJECTED;
import static exchange.engine.EventType.FUNDS_DEPOSITED;
import static exchange.engine.EventType.FUNDS_WITHDRAWN;
import static exchange.engine.EventType.ORDER_ACCEPTED;
import static exchange.engine.EventType.ORDER_CANCELED;
import static exchange.engine.EventType.ORDER_EXPIRED;
import static exchange.engine.EventType.ORDER_REJECTED;
import static exchange.engine.EventType.SELF_TRADE_PREVENTED;
import static exchange.engine.EventType.SESSION_CLOSED;
import static exchange.engine.EventType.SESSION_OPENED;
import static exchange.engine.EventType.SESSION_REJECTED;
import static exchange.engine.EventType.TRADE_EXECUTED;
import static exchange.engine.EventType.TRANSFER_REJECTED;
import static exchange.engine.testing.ExchangeDriver.DAY_ONE;
import static exchange.engine.testing.ExchangeDriver.px;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One test per rule of {@code docs/engine-rules.md}, written against {@link Venue} so it runs
 * against the real engine ({@code ExchangeRulesTest}) and against the naive reference model
 * ({@code ReferenceExchangeRulesTest}). Every expected number is worked out by hand from the
 * document in the test itself.
 *
 * <p>Setup: symbols AAPL and MSFT (no reference price, so no collar before the first trade),
 * accounts alice (1), bob (2) and carol (3) without fees, each funded with $1,000,000 and 10,000
 * shares of both symbols, and an open session on {@link ExchangeDriver#DAY_ONE}.
 */
@Timeout(30)
abstract class EngineRulesContract {
    static final long CASH = px("1000000");
    static final long SHARES = 10_000;

    ExchangeDriver x;
    Venue venue;
    long alice;
    long bob;
    long carol;
    /** The date of the session opened last. */
    long sessionDay;

    /** The venue under test, fresh, for {@code config}. */
    abstract Venue newVenue(ExchangeConfig config);


    static ExchangeConfig.Builder baseConfig() {
        return ExchangeConfig.builder().symbol("AAPL", 0).symbol("MSFT", 0);
    }

    @BeforeEach
    void setUp() {
        restart(baseConfig().build());
    }

    @AfterEach
    void checkInvariants() {
        venue.validate();
    }

    /** Starts over on a fresh venue with {@code config}, the three funded accounts and an open session. */
    void restart(ExchangeConfig config) {
        venue = newVenue(config);
        x = new ExchangeDriver(venue);
        alice = x.newAccount("alice", 0, 0);
        bob = x.newAccount("bob", 0, 0);
        carol = x.newAccount("carol", 0, 0);
        for (long a : new long[] {alice, bob, carol}) {
            x.fund(a, "USD", CASH);
            for (SymbolConfig s : config.symbols()) {
                x.fund(a, s.symbol(), SHARES);
            }
        }
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE).code());
        sessionDay = DAY_ONE;
    }

    long cash(long account) {
        return venue.total(account, "USD");
    }

    long cashHeld(long account) {
        return venue.reserved(account, "USD");
    }

    long shares(long account) {
        return venue.total(account, "AAPL");
    }

    long sharesHeld(long account) {
        return venue.reserved(account, "AAPL");
    }

    OrderView order(long orderId) {
        OrderView v = new OrderView();
        assertTrue(venue.order(orderId, v), "order " + orderId + " should exist");
        return v;
    }

    static List<Long> counterOrders(Outcome o) {
        List<Long> ids = new ArrayList<>();
        for (EngineEvent e : o.events(TRADE_EXECUTED)) {
            ids.add(e.counterOrderId);
        }
        return ids;
    }

    static List<Long> tradePrices(Outcome o) {
        List<Long> prices = new ArrayList<>();
        for (EngineEvent e : o.events(TRADE_EXECUTED)) {
            prices.add(e.priceTicks);
        }
        return prices;
    }

    // ---- matching ------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldMatchBestPriceFirstThenEarliestArrivalWhenBuyTakesSeveralAsks() {
        long a1 = x.sell(bob, 1, "10.02").orderId();
        long a2 = x.sell(carol, 1, "10.01").orderId();
        long a3 = x.sell(bob, 1, "10.01").orderId();

        Outcome o = x.buy(alice, 3, "10.02");

        assertEquals(List.of(a2, a3, a1), counterOrders(o));
        assertEquals(List.of(px("10.01"), px("10.01"), px("10.02")), tradePrices(o));
        assertEquals(OrderStatus.FILLED, o.order().status);
        assertEquals(0, venue.bestAskTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldMatchHighestBidFirstThenEarliestArrivalWhenSellTakesSeveralBids() {
        long b1 = x.buy(bob, 1, "9.98").orderId();
        long b2 = x.buy(carol, 1, "9.99").orderId();
        long b3 = x.buy(bob, 1, "9.99").orderId();

        Outcome o = x.sell(alice, 2, "9.98");

        assertEquals(List.of(b2, b3), counterOrders(o));
        assertEquals(px("9.98"), venue.bestBidTicks("AAPL"));
        assertEquals(OrderStatus.NEW, order(b1).status);
    }

    @Test
    @Timeout(10)
    void shouldTradeAtTheRestingOrdersPriceWhenTheTakerCrossesDeeper() {
        x.sell(bob, 10, "10.00");
        Outcome buy = x.buy(alice, 10, "10.05");
        assertEquals(List.of(px("10.00")), tradePrices(buy));

        x.buy(bob, 10, "10.03");
        Outcome sell = x.sell(alice, 10, "9.90");
        assertEquals(List.of(px("10.03")), tradePrices(sell));
        assertEquals(px("10.03"), venue.lastTradePriceTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldReportTakerAndMakerInTradeEvent() {
        long maker = x.sell(bob, 4, "10.00").orderId();
        Outcome o = x.buy(alice, 10, "10.00");
        EngineEvent t = o.single(TRADE_EXECUTED);
        assertEquals(Side.BUY, t.side);
        assertEquals(alice, t.accountId);
        assertEquals(o.orderId(), t.orderId);
        assertEquals(bob, t.counterAccountId);
        assertEquals(maker, t.counterOrderId);
        assertEquals(4, t.qty);
        assertEquals(6, t.leavesQty);
        assertEquals(0, t.counterLeavesQty);
        assertEquals("AAPL", t.symbol);
        assertTrue(t.tradeId > 0);
        assertEquals(o.seq(), t.seq);
        assertEquals(o.command().timestampNanos, t.timestampNanos);
    }

    @Test
    @Timeout(10)
    void shouldFillPartiallyAndRestTheRemainderBehindTheBook() {
        long maker = x.sell(bob, 4, "10.00").orderId();
        Outcome o = x.buy(alice, 10, "10.00");

        OrderView taker = o.order();
        assertEquals(OrderStatus.PARTIALLY_FILLED, taker.status);
        assertEquals(4, taker.filledQty);
        assertEquals(6, taker.leavesQty);
        assertEquals(taker.qty, taker.filledQty + taker.leavesQty);
        assertEquals(px("10.00") * 4, taker.filledNotional);
        assertEquals(px("10.00"), taker.avgFillPriceTicks());
        assertEquals(px("10.00"), venue.bestBidTicks("AAPL"));
        assertEquals(OrderStatus.FILLED, order(maker).status);
        assertEquals(0, order(maker).leavesQty);
        assertEquals(CASH - px("10.00") * 4, cash(alice));
        assertEquals(px("10.00") * 6, cashHeld(alice));
        assertEquals(SHARES + 4, shares(alice));
        assertEquals(SHARES - 4, shares(bob));
        assertEquals(0, sharesHeld(bob));
    }

    @Test
    @Timeout(10)
    void shouldRestBehindOrdersAlreadyAtTheSamePrice() {
        long first = x.buy(alice, 5, "10.00").orderId();
        long second = x.buy(bob, 5, "10.00").orderId();
        Outcome o = x.sell(carol, 7, "10.00");
        assertEquals(List.of(first, second), counterOrders(o));
        assertEquals(OrderStatus.FILLED, order(first).status);
        assertEquals(3, order(second).leavesQty);
    }

    // ---- holds and fees ------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldReleasePriceImprovementWhenBuyFillsBelowLimit() {
        long dora = x.newAccount("dora", 0, 20);
        x.fund(dora, "USD", CASH);
        x.sell(bob, 4, "9.90");

        Outcome o = x.buy(dora, 10, "10.00");

        // R(10) = 10 x 100,000 + ceil(1,000,000 x 20 / 10,000) = 1,002,000
        assertEquals(1_002_000, o.single(ORDER_ACCEPTED).amount);
        // trade 4 @ 9.90: notional 396,000, taker fee floor(396,000 x 20 / 10,000) = 792
        EngineEvent t = o.single(TRADE_EXECUTED);
        assertEquals(792, t.takerFee);
        assertEquals(CASH - 396_000 - 792, cash(dora));
        // hold shrinks to R(6) = 600,000 + 1,200; the rest (improvement + unused fee) is released
        assertEquals(601_200, cashHeld(dora));
        assertEquals(601_200, o.order().holdAmount);
        assertEquals(792, venue.feesCollected());
    }

    @Test
    @Timeout(10)
    void shouldChargeMakerAndTakerFeesRoundedDownAndCollectThem() {
        long seller = x.newAccount("seller", 7, 50);
        long buyer = x.newAccount("buyer", 5, 13);
        x.fund(seller, "AAPL", 100);
        x.fund(buyer, "USD", CASH);
        x.sell(seller, 7, "0.1234");

        Outcome o = x.buy(buyer, 7, "0.1234");

        // notional 7 x 1,234 = 8,638; maker 7 bps -> 6.0466 -> 6; taker 13 bps -> 11.2294 -> 11
        EngineEvent t = o.single(TRADE_EXECUTED);
        assertEquals(6, t.makerFee);
        assertEquals(11, t.takerFee);
        assertEquals(17, venue.feesCollected());
        assertEquals(8_638 - 6, cash(seller));
        assertEquals(CASH - 8_638 - 11, cash(buyer));
        assertEquals(0, cashHeld(buyer));
        assertEquals(7, venue.total(buyer, "AAPL"));
        assertEquals(93, venue.total(seller, "AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldReserveTheLargerOfMakerAndTakerRateInABuyHold() {
        long dora = x.newAccount("dora", 30, 10);
        x.fund(dora, "USD", CASH);
        Outcome o = x.buy(dora, 3, "0.3333");
        // notional 9,999; max rate 30 bps -> ceil(29.997) = 30
        assertEquals(9_999 + 30, o.single(ORDER_ACCEPTED).amount);
        assertEquals(10_029, cashHeld(dora));
        assertEquals(10_029, o.order().holdAmount);
    }

    @Test
    @Timeout(10)
    void shouldConsumeMakerBuyHoldAtTheMakerFeeAndKeepTheRestForLeaves() {
        long dora = x.newAccount("dora", 10, 30);
        x.fund(dora, "USD", CASH);
        long bid = x.buy(dora, 10, "10.00").orderId();
        // R(10) = 1,000,000 + 3,000
        assertEquals(1_003_000, cashHeld(dora));

        Outcome sell = x.sell(bob, 4, "10.00");

        // dora is maker: fee floor(400,000 x 10 / 10,000) = 400; hold -> R(6) = 600,000 + 1,800
        assertEquals(400, sell.single(TRADE_EXECUTED).makerFee);
        assertEquals(601_800, cashHeld(dora));
        assertEquals(CASH - 400_400, cash(dora));
        assertEquals(601_800, order(bid).holdAmount);
    }

    @Test
    @Timeout(10)
    void shouldReserveSharesForSellAndMoveThemOnFill() {
        Outcome s = x.sell(bob, 30, "10.00");
        assertEquals(30, s.single(ORDER_ACCEPTED).amount);
        assertEquals(30, venue.reserved(bob, "AAPL"));
        x.buy(alice, 10, "10.00");
        assertEquals(20, venue.reserved(bob, "AAPL"));
        assertEquals(SHARES - 10, venue.total(bob, "AAPL"));
        assertEquals(CASH + px("10.00") * 10, cash(bob));
    }

    // ---- self-trade prevention -----------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldExpireIncomingOrderWhenSelfTradeUnderCancelNewest() {
        long resting = x.sell(alice, 5, "10.00").orderId();

        Outcome o = x.order(alice).buy(7, "10.00").stp(SelfTradePrevention.CANCEL_NEWEST).place();

        assertEquals(List.of(ORDER_ACCEPTED, SELF_TRADE_PREVENTED, ORDER_EXPIRED), o.eventTypes());
        EngineEvent stp = o.single(SELF_TRADE_PREVENTED);
        assertEquals(alice, stp.accountId);
        assertEquals(o.orderId(), stp.orderId);
        assertEquals(resting, stp.counterOrderId);
        assertEquals(5, stp.qty);
        assertEquals("AAPL", stp.symbol);
        assertEquals(Side.BUY, stp.side, "the taker's side");
        assertEquals(px("10.00"), stp.priceTicks);
        EngineEvent expired = o.single(ORDER_EXPIRED);
        assertEquals(o.orderId(), expired.orderId);
        assertEquals(ExpiryReason.SELF_TRADE_PREVENTION, expired.expiryReason);
        assertEquals(7, expired.qty);
        assertEquals(px("10.00") * 7, expired.amount);
        assertEquals(OrderStatus.EXPIRED, o.order().status);
        assertEquals(0, o.order().leavesQty);
        assertEquals(OrderStatus.NEW, order(resting).status);
        assertEquals(0, cashHeld(alice));
        assertEquals(5, sharesHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldCarryTheRequestedSelfTradePreventionOnAcceptedAndRejectedEvents() {
        Outcome asked = x.order(alice).buy(1, "9.00").stp(SelfTradePrevention.CANCEL_BOTH).place();
        assertEquals(SelfTradePrevention.CANCEL_BOTH, asked.single(ORDER_ACCEPTED).selfTradePrevention);
        Outcome defaulted = x.order(alice).buy(1, "9.00").place();
        assertEquals(SelfTradePrevention.DEFAULT, defaulted.single(ORDER_ACCEPTED).selfTradePrevention,
                "as requested, not as resolved from the configuration");
        Outcome rejected = x.order(alice).buy(0, "9.00").stp(SelfTradePrevention.CANCEL_OLDEST).place();
        assertEquals(SelfTradePrevention.CANCEL_OLDEST, rejected.single(ORDER_REJECTED).selfTradePrevention);
        Outcome canceled = x.cancel(alice, asked.orderId());
        assertEquals(null, canceled.single(ORDER_CANCELED).selfTradePrevention, "only entry events carry it");
    }

    @Test
    @Timeout(10)
    void shouldUseTheConfiguredDefaultModeWhenOrderSaysDefault() {
        long resting = x.sell(alice, 5, "10.00").orderId();
        Outcome o = x.buy(alice, 5, "10.00");
        assertEquals(ExpiryReason.SELF_TRADE_PREVENTION, o.order().expiryReason);
        assertEquals(OrderStatus.NEW, order(resting).status, "cancel_newest is the configured default");

        restart(baseConfig().defaultSelfTradePrevention(SelfTradePrevention.CANCEL_OLDEST).build());
        long resting2 = x.sell(alice, 5, "10.00").orderId();
        Outcome o2 = x.buy(alice, 5, "10.00");
        assertEquals(OrderStatus.EXPIRED, order(resting2).status);
        assertEquals(ExpiryReason.SELF_TRADE_PREVENTION, order(resting2).expiryReason);
        assertEquals(OrderStatus.NEW, o2.order().status);
        assertEquals(px("10.00"), venue.bestBidTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldExpireRestingOrderAndKeepMatchingUnderCancelOldest() {
        long own = x.sell(alice, 5, "10.00").orderId();
        long other = x.sell(bob, 5, "10.01").orderId();

        Outcome o = x.order(alice).buy(5, "10.01").stp(SelfTradePrevention.CANCEL_OLDEST).place();

        assertEquals(List.of(ORDER_ACCEPTED, SELF_TRADE_PREVENTED, ORDER_EXPIRED, TRADE_EXECUTED), o.eventTypes());
        EngineEvent expired = o.single(ORDER_EXPIRED);
        assertEquals(own, expired.orderId);
        assertEquals(5, expired.amount, "the resting sell's 5 shares are released");
        assertEquals(List.of(other), counterOrders(o));
        assertEquals(OrderStatus.FILLED, o.order().status);
        assertEquals(OrderStatus.EXPIRED, order(own).status);
        assertEquals(0, sharesHeld(alice));
        assertEquals(0, cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldExpireBothOrdersRestingFirstUnderCancelBoth() {
        long own = x.sell(alice, 5, "10.00").orderId();
        x.sell(bob, 5, "10.00");

        Outcome o = x.order(alice).buy(5, "10.00").stp(SelfTradePrevention.CANCEL_BOTH).place();

        assertEquals(List.of(ORDER_ACCEPTED, SELF_TRADE_PREVENTED, ORDER_EXPIRED, ORDER_EXPIRED), o.eventTypes());
        List<EngineEvent> expired = o.events(ORDER_EXPIRED);
        assertEquals(own, expired.get(0).orderId);
        assertEquals(o.orderId(), expired.get(1).orderId);
        assertTrue(o.events(TRADE_EXECUTED).isEmpty());
        assertEquals(px("10.00"), venue.bestAskTicks("AAPL"), "bob's ask still rests");
        assertEquals(0, cashHeld(alice));
        assertEquals(0, sharesHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldTradeWithOthersBeforeMeetingOwnOrderUnderCancelNewest() {
        x.sell(bob, 2, "10.00");
        x.sell(alice, 2, "10.00");
        Outcome o = x.buy(alice, 5, "10.00");
        assertEquals(List.of(ORDER_ACCEPTED, TRADE_EXECUTED, SELF_TRADE_PREVENTED, ORDER_EXPIRED), o.eventTypes());
        assertEquals(2, o.single(SELF_TRADE_PREVENTED).qty);
        assertEquals(3, o.single(ORDER_EXPIRED).qty);
        assertEquals(2, o.order().filledQty);
    }

    // ---- time in force -------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldExpireIocRemainderAsUnfilledIoc() {
        x.sell(carol, 3, "10.00");
        Outcome o = x.order(alice).buy(5, "10.00").ioc().place();
        assertEquals(List.of(ORDER_ACCEPTED, TRADE_EXECUTED, ORDER_EXPIRED), o.eventTypes());
        EngineEvent e = o.single(ORDER_EXPIRED);
        assertEquals(ExpiryReason.UNFILLED_IOC, e.expiryReason);
        assertEquals(2, e.qty);
        assertEquals(px("10.00") * 2, e.amount);
        assertEquals(OrderStatus.EXPIRED, o.order().status);
        assertEquals(3, o.order().filledQty);
        assertEquals(0, o.order().leavesQty);
        assertEquals(0, venue.bestBidTicks("AAPL"));
        assertEquals(0, cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldFillFokCompletelyWhenEnoughLiquidityCrosses() {
        x.sell(bob, 3, "10.00");
        x.sell(carol, 3, "10.01");
        Outcome o = x.order(alice).buy(5, "10.01").fok().place();
        assertEquals(OrderStatus.FILLED, o.order().status);
        assertEquals(List.of(3L, 2L), o.events(TRADE_EXECUTED).stream().map(e -> e.qty).toList());
        assertEquals(1, order(o.orderId() - 1).leavesQty);
    }

    @Test
    @Timeout(10)
    void shouldExpireFokWithoutTradingWhenLiquidityIsShort() {
        x.sell(bob, 3, "10.00");
        x.sell(carol, 3, "10.02");
        Outcome o = x.order(alice).buy(5, "10.01").fok().place();
        assertEquals(List.of(ORDER_ACCEPTED, ORDER_EXPIRED), o.eventTypes());
        EngineEvent e = o.single(ORDER_EXPIRED);
        assertEquals(ExpiryReason.UNFILLED_FOK, e.expiryReason);
        assertEquals(5, e.qty);
        assertEquals(px("10.01") * 5, e.amount);
        assertEquals(0, o.order().filledQty);
        assertEquals(0, cashHeld(alice));
        assertEquals(CASH, cash(alice));
        assertEquals(3, sharesHeld(bob));
        assertEquals(0, venue.lastTradePriceTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldCountOwnOrderAsWallForFokUnderCancelNewest() {
        x.sell(bob, 2, "10.00");
        x.sell(alice, 2, "10.00");
        x.sell(carol, 2, "10.00");
        Outcome o = x.order(alice).buy(4, "10.00").fok().place();
        assertEquals(List.of(ORDER_ACCEPTED, ORDER_EXPIRED), o.eventTypes());
        assertEquals(ExpiryReason.UNFILLED_FOK, o.order().expiryReason);
    }

    @Test
    @Timeout(10)
    void shouldSkipOwnOrderForFokUnderCancelOldest() {
        x.sell(bob, 2, "10.00");
        long own = x.sell(alice, 2, "10.00").orderId();
        x.sell(carol, 2, "10.00");
        Outcome o = x.order(alice).buy(4, "10.00").fok().stp(SelfTradePrevention.CANCEL_OLDEST).place();
        assertEquals(List.of(ORDER_ACCEPTED, TRADE_EXECUTED, SELF_TRADE_PREVENTED, ORDER_EXPIRED, TRADE_EXECUTED),
                o.eventTypes());
        assertEquals(OrderStatus.FILLED, o.order().status);
        assertEquals(OrderStatus.EXPIRED, order(own).status);
    }

    @Test
    @Timeout(10)
    void shouldExpireFokUnderCancelBothWhenOwnOrderBlocks() {
        x.sell(alice, 2, "10.00");
        x.sell(bob, 5, "10.00");
        Outcome o = x.order(alice).buy(4, "10.00").fok().stp(SelfTradePrevention.CANCEL_BOTH).place();
        assertEquals(List.of(ORDER_ACCEPTED, ORDER_EXPIRED), o.eventTypes());
        assertEquals(2, venue.openOrderCount(), "nothing was traded or expired on the book");
    }

    @Test
    @Timeout(10)
    void shouldRejectPostOnlyOrderThatWouldTake() {
        x.sell(bob, 5, "10.00");
        Outcome o = x.order(alice).buy(5, "10.00").postOnly().place();
        assertEquals(ResultCode.POST_ONLY_WOULD_TAKE, o.code());
        assertEquals(List.of(ORDER_REJECTED), o.eventTypes());
        assertEquals(ResultCode.POST_ONLY_WOULD_TAKE, o.single(ORDER_REJECTED).code);
        assertEquals(OrderStatus.REJECTED, o.order().status);
        assertEquals(ResultCode.POST_ONLY_WOULD_TAKE, o.order().rejectReason);
        assertEquals(0, cashHeld(alice));

        assertEquals(ResultCode.OK, x.buy(alice, 1, "9.99").code());
        assertEquals(ResultCode.POST_ONLY_WOULD_TAKE, x.order(carol).sell(5, "9.99").postOnly().place().code());
        assertEquals(ResultCode.POST_ONLY_WOULD_TAKE, x.order(carol).sell(5, "9.50").postOnly().place().code());
        assertEquals(ResultCode.OK, x.order(carol).sell(5, "10.00").postOnly().place().code());
        assertEquals(List.of(px("9.99"), px("10.00")),
                List.of(venue.bestBidTicks("AAPL"), venue.bestAskTicks("AAPL")));
    }

    @Test
    @Timeout(10)
    void shouldRestPostOnlyOrderThatDoesNotCross() {
        x.sell(bob, 5, "10.00");
        Outcome o = x.order(alice).buy(5, "9.99").postOnly().place();
        assertEquals(ResultCode.OK, o.code());
        assertEquals(OrderStatus.NEW, o.order().status);
        assertTrue(o.order().postOnly);
        assertEquals(px("9.99"), venue.bestBidTicks("AAPL"));
    }

    // ---- entry validation ----------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldEnforcePennyTickAtOrAboveOneDollarAndAnyTickBelow() {
        assertEquals(ResultCode.INVALID_TICK, x.buy(alice, 1, "1.005").code());
        assertEquals(ResultCode.INVALID_TICK, x.buy(alice, 1, "25.001").code());
        assertEquals(ResultCode.INVALID_TICK, x.buy(alice, 1, "1.0001").code());
        assertEquals(ResultCode.OK, x.buy(alice, 1, "1.00").code());
        assertEquals(ResultCode.OK, x.buy(alice, 1, "1.01").code());
        assertEquals(ResultCode.OK, x.buy(alice, 1, "0.9999").code());
        assertEquals(ResultCode.OK, x.buy(alice, 1, "0.0001").code());
        assertEquals(ResultCode.OK, x.buy(alice, 1, "0.5001").code());
    }

    @Test
    @Timeout(10)
    void shouldRejectQuantityOutsideBounds() {
        assertEquals(ResultCode.INVALID_QUANTITY, x.buy(alice, 0, "1.00").code());
        assertEquals(ResultCode.INVALID_QUANTITY, x.buy(alice, -5, "1.00").code());
        assertEquals(ResultCode.INVALID_QUANTITY,
                x.buy(alice, ExchangeConfig.DEFAULT_MAX_ORDER_QTY + 1, "0.0001").code());
        Outcome max = x.buy(alice, ExchangeConfig.DEFAULT_MAX_ORDER_QTY, "0.0001");
        assertEquals(ResultCode.OK, max.code());
        assertEquals(ExchangeConfig.DEFAULT_MAX_ORDER_QTY, max.order().leavesQty);
    }

    @Test
    @Timeout(10)
    void shouldRejectPriceOutsideBounds() {
        assertEquals(ResultCode.INVALID_PRICE, x.order(alice).side(Side.BUY, 1, 0).place().code());
        assertEquals(ResultCode.INVALID_PRICE, x.order(alice).side(Side.BUY, 1, -100).place().code());
        assertEquals(ResultCode.INVALID_PRICE,
                x.order(alice).side(Side.BUY, 1, ExchangeConfig.DEFAULT_MAX_PRICE_TICKS + 100).place().code());
    }

    @Test
    @Timeout(10)
    void shouldRejectNotionalAboveTheMaximumAndAcceptItExactly() {
        // max notional $10,000,000 = 100,000 shares at $100.00
        assertEquals(ResultCode.NOTIONAL_TOO_LARGE, x.buy(alice, 100_001, "100.00").code());
        assertEquals(ResultCode.NOTIONAL_TOO_LARGE, x.sell(alice, 100_001, "100.00").code());
        x.fund(alice, "USD", px("10000000"));
        Outcome exact = x.buy(alice, 100_000, "100.00");
        assertEquals(ResultCode.OK, exact.code());
        assertEquals(ExchangeConfig.DEFAULT_MAX_ORDER_NOTIONAL, exact.single(ORDER_ACCEPTED).amount);
    }

    @Test
    @Timeout(10)
    void shouldRejectCleanlyWhenPriceTimesQuantityOverflows() {
        restart(baseConfig().maxOrderQty(Long.MAX_VALUE).maxPriceTicks(Long.MAX_VALUE)
                .maxOrderNotional(Long.MAX_VALUE).build());
        long bigPrice = Long.MAX_VALUE - Long.MAX_VALUE % 100;
        Outcome buy = x.order(alice).side(Side.BUY, 2, bigPrice).place();
        assertEquals(ResultCode.NOTIONAL_TOO_LARGE, buy.code());
        assertEquals(OrderStatus.REJECTED, buy.order().status);
        Outcome sell = x.order(bob).side(Side.SELL, Long.MAX_VALUE / 10_000 + 1, px("10000.00")).place();
        assertEquals(ResultCode.NOTIONAL_TOO_LARGE, sell.code());
        assertEquals(0, cashHeld(alice));
        assertEquals(0, sharesHeld(bob));
    }

    @Test
    @Timeout(10)
    void shouldRejectCleanlyWhenTheBuyHoldWithFeesOverflows() {
        restart(baseConfig().maxOrderQty(Long.MAX_VALUE).maxPriceTicks(Long.MAX_VALUE)
                .maxOrderNotional(Long.MAX_VALUE).build());
        long whale = x.newAccount("whale", 0, 1000);
        x.fund(whale, "USD", Long.MAX_VALUE - 3 * CASH);
        // notional 9e18 fits in a long and in the whale's cash; the 10% fee reserve on top does not
        Outcome o = x.order(whale).side(Side.BUY, 1, 9_000_000_000_000_000_000L).place();
        assertEquals(OrderStatus.REJECTED, o.order().status);
        assertEquals(List.of(ORDER_REJECTED), o.eventTypes());
        assertNotEquals(ResultCode.OK, o.code());
        assertEquals(0, cashHeld(whale));
    }

    @Test
    @Timeout(10)
    void shouldRejectBuyWhoseHoldExceedsAnyBalanceAsInsufficientBuyingPower() {
        restart(baseConfig().maxOrderQty(Long.MAX_VALUE).maxPriceTicks(Long.MAX_VALUE)
                .maxOrderNotional(Long.MAX_VALUE).build());
        long whale = x.newAccount("whale", 0, 1000);
        x.fund(whale, "USD", Long.MAX_VALUE - 3 * CASH);
        // price x qty = 9e18 <= maxOrderNotional; R(1) = 9.9e18 > available: the rules' step 3 says
        // INSUFFICIENT_BUYING_POWER (available cash < hold)
        Outcome o = x.order(whale).side(Side.BUY, 1, 9_000_000_000_000_000_000L).place();
        assertEquals(ResultCode.INSUFFICIENT_BUYING_POWER, o.code());
    }

    @Test
    @Timeout(10)
    void shouldAcceptBuyWhoseHoldFitsEvenWhenNotionalTimesFeeRateOverflowsALong() {
        restart(baseConfig().maxOrderQty(Long.MAX_VALUE).maxPriceTicks(Long.MAX_VALUE)
                .maxOrderNotional(Long.MAX_VALUE).build());
        long whale = x.newAccount("whale", 0, 1000);
        x.fund(whale, "USD", Long.MAX_VALUE - 3 * CASH);
        // notional 8e18; R(1) = 8e18 + ceil(8e18 x 1000 / 10,000) = 8.8e18, which fits and is covered
        Outcome o = x.order(whale).side(Side.BUY, 1, 8_000_000_000_000_000_000L).place();
        assertEquals(ResultCode.OK, o.code());
        assertEquals(8_800_000_000_000_000_000L, o.single(ORDER_ACCEPTED).amount);
        assertEquals(8_800_000_000_000_000_000L, cashHeld(whale));
    }

    @Test
    @Timeout(10)
    void shouldRejectPriceOutsideCollarAroundConfiguredReferenceBeforeFirstTrade() {
        restart(ExchangeConfig.builder().symbol("AAPL", px("100.00")).priceCollarBps(1_000).build());
        // band = 100.00 x 10% = 10.00; IOC orders keep the book empty
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "110.00").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "110.01").ioc().place().code());
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "90.00").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "89.99").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(bob).sell(1, "89.99").ioc().place().code());
    }

    @Test
    @Timeout(10)
    void shouldCenterCollarOnLastTradeOnceTheSymbolHasTraded() {
        restart(ExchangeConfig.builder().symbol("AAPL", px("100.00")).priceCollarBps(1_000).build());
        x.sell(bob, 1, "105.00");
        x.buy(alice, 1, "105.00");
        assertEquals(px("105.00"), venue.lastTradePriceTicks("AAPL"));
        // band = 105.00 x 10% = 10.50
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "115.50").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "115.51").ioc().place().code());
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "94.50").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "94.49").ioc().place().code());
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "110.01").ioc().place().code(),
                "110.01 was outside the configured reference's collar, inside the last trade's");
    }

    @Test
    @Timeout(10)
    void shouldRoundCollarBandDown() {
        restart(ExchangeConfig.builder().symbol("AAPL", px("0.5555")).priceCollarBps(333).build());
        // band = 5,555 x 333 / 10,000 = 184.98 -> 184: [5,371, 5,739]
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "0.5739").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "0.5740").ioc().place().code());
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "0.5371").ioc().place().code());
        assertEquals(ResultCode.PRICE_OUTSIDE_COLLAR, x.order(alice).buy(1, "0.5370").ioc().place().code());
    }

    @Test
    @Timeout(10)
    void shouldTurnTheCollarOffWhenCollarBpsIsZero() {
        restart(ExchangeConfig.builder().symbol("AAPL", px("100.00")).priceCollarBps(0).build());
        assertEquals(ResultCode.OK, x.order(alice).buy(1, "150.00").ioc().place().code());
        assertEquals(ResultCode.OK, x.order(bob).sell(1, "1.00").ioc().place().code());
    }

    @Test
    @Timeout(10)
    void shouldAcceptAnyPriceWithoutReferenceOrTrade() {
        assertEquals(ResultCode.OK, x.buy(alice, 1, "0.0001").code());
        assertEquals(ResultCode.OK, x.sell(bob, 1, "999999.00").code());
    }

    @Test
    @Timeout(10)
    void shouldRejectBuyWithoutBuyingPowerAndAcceptItWithExactlyEnough() {
        long dora = x.newAccount("dora", 0, 25);
        // R(10) at 10.00 with 25 bps = 1,000,000 + 2,500
        x.fund(dora, "USD", 1_002_499);
        Outcome short1 = x.buy(dora, 10, "10.00");
        assertEquals(ResultCode.INSUFFICIENT_BUYING_POWER, short1.code());
        assertEquals(List.of(ORDER_REJECTED), short1.eventTypes());
        x.fund(dora, "USD", 1);
        Outcome ok = x.buy(dora, 10, "10.00");
        assertEquals(ResultCode.OK, ok.code());
        assertEquals(1_002_500, cashHeld(dora));
        assertEquals(ResultCode.INSUFFICIENT_BUYING_POWER, x.buy(dora, 1, "0.0001").code(),
                "the first order holds every cent");
    }

    @Test
    @Timeout(10)
    void shouldRejectSellBeyondAvailableSharesWithoutShortSelling() {
        long dora = x.newAccount("dora", 0, 0);
        assertEquals(ResultCode.INSUFFICIENT_POSITION, x.sell(dora, 1, "10.00").code());
        assertEquals(ResultCode.OK, x.sell(bob, 6_000, "10.00").code());
        assertEquals(ResultCode.INSUFFICIENT_POSITION, x.sell(bob, 4_001, "10.00").code());
        assertEquals(ResultCode.OK, x.sell(bob, 4_000, "10.00").code());
        assertEquals(SHARES, sharesHeld(bob));
    }

    @Test
    @Timeout(10)
    void shouldRejectOrderBeyondTheOpenOrderLimit() {
        restart(baseConfig().maxOpenOrdersPerAccount(2).build());
        long first = x.buy(alice, 1, "10.00").orderId();
        x.buy(alice, 1, "10.01");
        assertEquals(ResultCode.TOO_MANY_OPEN_ORDERS, x.buy(alice, 1, "10.02").code());
        assertEquals(ResultCode.TOO_MANY_OPEN_ORDERS, x.order(alice).buy(1, "9.00").ioc().place().code(),
                "the check applies to every order, not only those that would rest");
        x.cancel(alice, first);
        assertEquals(ResultCode.OK, x.buy(alice, 1, "10.02").code());
        assertEquals(ResultCode.OK, x.buy(bob, 1, "10.02").code(), "limits are per account");
    }

    @Test
    @Timeout(10)
    void shouldRejectUnknownSymbolAfterGivingTheOrderAnId() {
        long before = x.buy(alice, 1, "1.00").orderId();
        Outcome o = x.order(alice).symbol("IBM").buy(1, "1.00").place();
        assertEquals(ResultCode.UNKNOWN_SYMBOL, o.code());
        assertEquals(before + 1, o.orderId());
        assertEquals(List.of(ORDER_REJECTED), o.eventTypes());
        assertEquals(ResultCode.UNKNOWN_SYMBOL, x.order(alice).symbol(null).buy(1, "1.00").place().code());
    }

    @Test
    @Timeout(10)
    void shouldRefuseMalformedOrdersWithoutCreatingAnOrder() {
        long before = x.buy(alice, 1, "1.00").orderId();
        assertEquals(ResultCode.ACCOUNT_NOT_FOUND, x.buy(99, 1, "1.00").code());
        for (String bad : new String[] {"", "has space", "x".repeat(65), "tab\t", "é"}) {
            Outcome o = x.order(alice).clientOrderId(bad).buy(1, "1.00").place();
            assertEquals(ResultCode.INVALID_CLIENT_ORDER_ID, o.code(), bad);
            assertTrue(o.events().isEmpty());
        }
        Command nullId = x.order(alice).buy(1, "1.00").command();
        nullId.clientOrderId = null;
        assertEquals(ResultCode.INVALID_CLIENT_ORDER_ID, x.apply(nullId).code());
        Outcome noSide = x.order(alice).side(null, 1, px("1.00")).place();
        assertEquals(ResultCode.INVALID_COMMAND, noSide.code());
        assertEquals(ResultCode.INVALID_COMMAND, x.order(alice).buy(1, "1.00").tif(null).place().code());
        assertTrue(noSide.events().isEmpty());
        assertEquals(before + 1, x.buy(alice, 1, "1.00").orderId(), "no order id was used up");
        assertEquals(ResultCode.OK, x.order(alice).clientOrderId("x".repeat(64)).buy(1, "1.00").place().code());
    }

    // ---- cancel --------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldReleaseExactlyTheRestWhenCancelingPartiallyFilledBuy() {
        long dora = x.newAccount("dora", 10, 30);
        x.fund(dora, "USD", CASH);
        long bid = x.buy(dora, 10, "10.00").orderId();
        x.sell(bob, 4, "10.00");

        Outcome c = x.cancel(dora, bid);

        assertEquals(ResultCode.OK, c.code());
        EngineEvent e = c.single(ORDER_CANCELED);
        assertEquals(6, e.qty);
        assertEquals(601_800, e.amount, "R(6) = 600,000 + ceil(600,000 x 30 / 10,000)");
        assertEquals(Side.BUY, e.side);
        assertEquals(dora, e.accountId);
        assertEquals(0, cashHeld(dora));
        assertEquals(CASH - 400_400, cash(dora));
        OrderView v = c.order();
        assertEquals(OrderStatus.CANCELED, v.status);
        assertEquals(4, v.filledQty);
        assertEquals(0, v.leavesQty);
        assertEquals(0, v.holdAmount);
        assertEquals(0, venue.bestBidTicks("AAPL"));
    }

    @Test
    @Timeout(10)
    void shouldReleaseRemainingSharesWhenCancelingPartiallyFilledSell() {
        long ask = x.sell(bob, 10, "10.00").orderId();
        x.buy(alice, 3, "10.00");
        Outcome c = x.cancel(bob, ask);
        assertEquals(7, c.single(ORDER_CANCELED).qty);
        assertEquals(7, c.single(ORDER_CANCELED).amount);
        assertEquals(0, sharesHeld(bob));
        assertEquals(SHARES - 3, shares(bob));
    }

    @Test
    @Timeout(10)
    void shouldAnswerDuplicateWhenCancelingTwice() {
        long id = x.buy(alice, 1, "10.00").orderId();
        x.cancel(alice, id);
        Outcome again = x.cancel(alice, id);
        assertEquals(ResultCode.DUPLICATE, again.code());
        assertTrue(again.events().isEmpty());
        assertEquals(OrderStatus.CANCELED, again.order().status);
        assertEquals(id, again.orderId());
    }

    @Test
    @Timeout(10)
    void shouldRejectCancelOfFilledExpiredOrRejectedOrderAsTooLate() {
        long filled = x.sell(bob, 1, "10.00").orderId();
        x.buy(alice, 1, "10.00");
        long expired = x.order(alice).buy(1, "9.00").ioc().place().orderId();
        long rejected = x.buy(alice, 0, "9.00").orderId();
        for (long id : new long[] {filled, expired}) {
            long owner = id == filled ? bob : alice;
            Outcome c = x.cancel(owner, id);
            assertEquals(ResultCode.TOO_LATE_TO_CANCEL, c.code());
            EngineEvent e = c.single(CANCEL_REJECTED);
            assertEquals(ResultCode.TOO_LATE_TO_CANCEL, e.code);
            assertEquals(id, e.orderId);
            assertEquals(owner, e.accountId);
        }
        assertEquals(ResultCode.TOO_LATE_TO_CANCEL, x.cancel(alice, rejected).code());
    }

    @Test
    @Timeout(10)
    void shouldHideAnotherAccountsOrderAsNotFound() {
        long id = x.buy(alice, 1, "10.00").orderId();
        Outcome c = x.cancel(bob, id);
        assertEquals(ResultCode.ORDER_NOT_FOUND, c.code());
        assertEquals(ResultCode.ORDER_NOT_FOUND, c.single(CANCEL_REJECTED).code);
        assertEquals(OrderStatus.NEW, order(id).status);
        assertEquals(ResultCode.ORDER_NOT_FOUND, x.cancel(alice, 999).code());
        assertEquals(ResultCode.ORDER_NOT_FOUND, x.queryOrder(bob, id).code());
    }

    // ---- idempotency ---------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldAnswerDuplicateWithTheSameOrderWhenBodyIsRepeated() {
        x.sell(bob, 2, "10.00");
        Outcome first = x.order(alice).clientOrderId("abc").buy(5, "10.00").gtc().place();
        long seq = venue.lastSeq();
        Outcome again = x.order(alice).clientOrderId("abc").buy(5, "10.00").gtc().place();
        assertEquals(ResultCode.DUPLICATE, again.code());
        assertEquals(first.orderId(), again.orderId());
        assertEquals(first.order(), again.order(), "the order as it stands now, unchanged");
        assertTrue(again.events().isEmpty());
        assertEquals(seq + 1, venue.lastSeq(), "a duplicate still takes a sequence number");
        assertEquals(1, venue.openOrderCount());
    }

    @Test
    @Timeout(10)
    void shouldAnswerDuplicateWithCurrentStateAfterTheOrderChanged() {
        Outcome first = x.order(alice).clientOrderId("abc").buy(5, "10.00").place();
        x.sell(bob, 5, "10.00");
        Outcome again = x.order(alice).clientOrderId("abc").buy(5, "10.00").place();
        assertEquals(ResultCode.DUPLICATE, again.code());
        assertEquals(first.orderId(), again.orderId());
        assertEquals(OrderStatus.FILLED, again.order().status);
    }

    @Test
    @Timeout(10)
    void shouldAnswerConflictNamingEveryDifferingField() {
        x.order(alice).clientOrderId("abc").buy(5, "10.00").place();
        Outcome c = x.order(alice).clientOrderId("abc").buy(6, "10.01").place();
        assertEquals(ResultCode.CONFLICT, c.code());
        assertEquals(OrderView.FIELD_QTY | OrderView.FIELD_LIMIT_PRICE, c.command().conflictFields);
        assertTrue(c.events().isEmpty());

        Outcome all = x.order(alice).clientOrderId("abc").symbol("MSFT").sell(5, "10.00").gtc().postOnly()
                .stp(SelfTradePrevention.CANCEL_BOTH).place();
        assertEquals(OrderView.FIELD_SYMBOL | OrderView.FIELD_SIDE | OrderView.FIELD_TIME_IN_FORCE
                | OrderView.FIELD_POST_ONLY | OrderView.FIELD_SELF_TRADE_PREVENTION, all.command().conflictFields);
        assertEquals(1, venue.openOrderCount());
        assertEquals(px("10.00") * 5, cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldKeepARejectedClientOrderIdRejected() {
        long dora = x.newAccount("dora", 0, 0);
        Outcome first = x.order(dora).clientOrderId("r1").buy(1, "10.00").place();
        assertEquals(ResultCode.INSUFFICIENT_BUYING_POWER, first.code());
        x.fund(dora, "USD", CASH);
        Outcome again = x.order(dora).clientOrderId("r1").buy(1, "10.00").place();
        assertEquals(ResultCode.DUPLICATE, again.code());
        assertEquals(first.orderId(), again.orderId());
        assertEquals(OrderStatus.REJECTED, again.order().status);
        assertEquals(ResultCode.INSUFFICIENT_BUYING_POWER, again.order().rejectReason);
        assertEquals(0, cashHeld(dora));
    }

    @Test
    @Timeout(10)
    void shouldScopeClientOrderIdsToTheAccount() {
        Outcome a = x.order(alice).clientOrderId("same").buy(1, "10.00").place();
        Outcome b = x.order(bob).clientOrderId("same").buy(2, "10.00").place();
        assertEquals(ResultCode.OK, b.code());
        assertNotEquals(a.orderId(), b.orderId());
    }

    // ---- sessions ------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldRejectOrdersWithMarketClosedWhileTheSessionIsClosed() {
        x.closeSession();
        Outcome o = x.buy(alice, 1, "10.00");
        assertEquals(ResultCode.MARKET_CLOSED, o.code());
        assertEquals(OrderStatus.REJECTED, o.order().status);
        assertEquals(List.of(ORDER_REJECTED), o.eventTypes());
        assertTrue(o.orderId() > 0, "the rejected order still gets an id");
        assertFalse(venue.isSessionOpen());
    }

    @Test
    @Timeout(10)
    void shouldAcceptCancelWhileTheMarketIsClosed() {
        long id = x.order(alice).buy(1, "10.00").gtc().place().orderId();
        x.closeSession();
        Outcome c = x.cancel(alice, id);
        assertEquals(ResultCode.OK, c.code());
        assertEquals(OrderStatus.CANCELED, c.order().status);
        assertEquals(0, cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldExpireDayOrdersAtCloseKeepGtcAndReleaseHolds() {
        long day1 = x.buy(alice, 2, "10.00").orderId();
        long gtc = x.order(alice).buy(3, "9.00").gtc().place().orderId();
        long day2 = x.sell(bob, 4, "11.00").orderId();
        long partial = x.sell(carol, 5, "10.50").orderId();
        x.order(alice).buy(2, "10.50").ioc().place();

        Outcome close = x.closeSession();

        assertEquals(List.of(ORDER_EXPIRED, ORDER_EXPIRED, ORDER_EXPIRED, SESSION_CLOSED), close.eventTypes());
        List<EngineEvent> expired = close.events(ORDER_EXPIRED);
        assertEquals(List.of(day1, day2, partial), expired.stream().map(e -> e.orderId).toList());
        for (EngineEvent e : expired) {
            assertEquals(ExpiryReason.END_OF_DAY, e.expiryReason);
        }
        assertEquals(3, expired.get(2).qty, "the partially filled ask expires its remaining 3");
        assertEquals(3, close.single(SESSION_CLOSED).qty);
        assertEquals(DAY_ONE, close.single(SESSION_CLOSED).sessionDate);
        assertEquals(px("9.00") * 3, cashHeld(alice), "only the GTC hold remains");
        assertEquals(0, sharesHeld(bob));
        assertEquals(0, sharesHeld(carol));
        assertEquals(OrderStatus.NEW, order(gtc).status);
        assertEquals(OrderStatus.EXPIRED, order(day1).status);
        assertEquals(ExpiryReason.END_OF_DAY, order(day1).expiryReason);
        assertEquals(OrderStatus.EXPIRED, order(partial).status);
        assertEquals(2, order(partial).filledQty);
        assertEquals(0, order(partial).leavesQty);
        assertEquals(1, venue.openOrderCount());
    }

    @Test
    @Timeout(10)
    void shouldExpireGtcOrdersOnlyOnceTheyReachTheMaximumAge() {
        long gtc = x.order(alice).buy(3, "9.00").gtc().place().orderId();
        x.closeSession();
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 89).code());
        Outcome keep = x.closeSession();
        assertTrue(keep.events(ORDER_EXPIRED).isEmpty(), "89 days old");
        assertEquals(OrderStatus.NEW, order(gtc).status);

        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 90).code());
        Outcome sweep = x.closeSession();
        EngineEvent e = sweep.single(ORDER_EXPIRED);
        assertEquals(gtc, e.orderId);
        assertEquals(ExpiryReason.GTC_MAX_AGE, e.expiryReason);
        assertEquals(px("9.00") * 3, e.amount);
        assertEquals(1, sweep.single(SESSION_CLOSED).qty);
        assertEquals(0, cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldRefuseSessionCommandsThatDoNotFitTheSessionState() {
        Outcome twice = x.openSession(DAY_ONE + 1);
        assertEquals(ResultCode.SESSION_ALREADY_OPEN, twice.code());
        assertEquals(ResultCode.SESSION_ALREADY_OPEN, twice.single(SESSION_REJECTED).code);
        assertEquals(DAY_ONE + 1, twice.single(SESSION_REJECTED).sessionDate, "the date the command asked for");
        x.closeSession();
        Outcome closedTwice = x.closeSession();
        assertEquals(ResultCode.SESSION_ALREADY_CLOSED, closedTwice.code());
        assertEquals(List.of(SESSION_REJECTED), closedTwice.eventTypes());
        assertEquals(0, closedTwice.single(SESSION_REJECTED).sessionDate, "0 for a close");
        assertEquals(ResultCode.INVALID_SESSION_DATE, x.openSession(DAY_ONE).code(), "same date");
        assertEquals(ResultCode.INVALID_SESSION_DATE, x.openSession(DAY_ONE - 1).code(), "earlier date");
        assertFalse(venue.isSessionOpen());
        Outcome next = x.openSession(DAY_ONE + 1);
        assertEquals(ResultCode.OK, next.code());
        EngineEvent opened = next.single(SESSION_OPENED);
        assertEquals(DAY_ONE + 1, opened.sessionDate);
        assertEquals(next.command().sessionClosesAtNanos, opened.amount);
    }

    @Test
    @Timeout(10)
    void shouldStampDayOrdersWithTheSessionCloseAndSessionDate() {
        Outcome day = x.buy(alice, 1, "10.00");
        Outcome gtc = x.order(alice).buy(1, "10.00").gtc().place();
        assertEquals(ExchangeDriver.sessionOpenCommand(DAY_ONE).sessionClosesAtNanos, day.order().expiresAtNanos);
        assertEquals(0, gtc.order().expiresAtNanos);
        assertEquals(DAY_ONE, day.order().sessionDate);
        assertEquals(DAY_ONE, gtc.order().sessionDate);
        assertEquals(day.command().timestampNanos, day.order().createdAtNanos);
    }

    @Test
    @Timeout(10)
    void shouldStartClosedWithoutSessionDate() {
        ExchangeConfig config = baseConfig().build();
        Venue fresh = newVenue(config);
        ExchangeDriver d = new ExchangeDriver(fresh);
        long a = d.newAccount("a", 0, 0);
        d.fund(a, "USD", CASH);
        assertFalse(fresh.isSessionOpen());
        assertEquals(ResultCode.MARKET_CLOSED, d.buy(a, 1, "1.00").code());
        assertEquals(ResultCode.SESSION_ALREADY_CLOSED, d.closeSession().code());
        assertEquals(ResultCode.OK, d.openSession(1).code(), "any date after 'none' opens");
    }

    @Test
    @Timeout(10)
    void shouldAnswerTheSessionQueryWithTheSessionStateAlone() {
        SessionStatus open = (SessionStatus) x.query(CommandType.QUERY_SESSION, alice).command().queryResult;
        assertEquals(new SessionStatus(true, DAY_ONE), open);
        x.closeSession();
        Outcome closed = x.query(CommandType.QUERY_SESSION, alice);
        assertEquals(ResultCode.OK, closed.code());
        assertEquals(new SessionStatus(false, DAY_ONE), closed.command().queryResult, "the last session's date");
        assertEquals(List.of(), closed.eventTypes());
    }

    // ---- sequence ------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldGiveEveryJournaledCommandTheNextSequenceWhateverItsOutcome() {
        long s = venue.lastSeq();
        assertEquals(s + 1, x.buy(alice, 1, "10.00").seq());
        assertEquals(s + 2, x.buy(alice, 0, "10.00").seq());
        assertEquals(s + 3, x.cancel(alice, 999).seq());
        assertEquals(s + 4, x.createAccount("", 0, 0).seq());
        assertEquals(s + 5, x.deposit(alice, "XYZ", 1, "t-x").seq());
        assertEquals(s + 6, x.openSession(DAY_ONE + 5).seq());
        assertEquals(s + 6, venue.lastSeq());
        x.query(CommandType.QUERY_ACCOUNT, alice);
        x.queryOrders(alice, Command.OrderFilter.ALL, 0);
        x.query(CommandType.QUERY_STATE, alice);
        assertEquals(s + 6, venue.lastSeq(), "queries take no sequence");
        Outcome placed = x.buy(alice, 1, "10.00");
        assertEquals(s + 7, placed.seq());
        for (EngineEvent e : placed.events()) {
            assertEquals(s + 7, e.seq);
            assertEquals(placed.command().timestampNanos, e.timestampNanos);
        }
        assertEquals(s + 7, placed.order().seq);
    }

    @Test
    @Timeout(10)
    void shouldAcceptReplayedSequenceAndStopOnAGap() {
        Command replay = x.order(alice).buy(1, "10.00").command();
        replay.seq = venue.lastSeq() + 1;
        assertEquals(ResultCode.OK, x.apply(replay).code());
        Command gap = x.order(alice).buy(1, "10.00").command();
        gap.seq = venue.lastSeq() + 2;
        long before = venue.lastSeq();
        assertThrows(RuntimeException.class, () -> x.apply(gap));
        assertEquals(before, venue.lastSeq());
    }

    // ---- accounts and transfers ----------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldCreateAccountsWithSequentialIdsAndRejectBadOnesSilently() {
        Outcome ok = x.createAccount("dora", 5, 10);
        assertEquals(4, ok.command().resultAccountId);
        EngineEvent e = ok.single(ACCOUNT_CREATED);
        assertEquals(4, e.accountId);
        assertEquals("dora", e.name);
        assertEquals("hash-dora", e.apiKeyHash);
        assertEquals(5, e.makerFeeBps);
        assertEquals(10, e.takerFeeBps);
        for (Outcome bad : List.of(x.createAccount("", 0, 0), x.createAccount("n".repeat(65), 0, 0))) {
            assertEquals(ResultCode.INVALID_NAME, bad.code());
            assertTrue(bad.events().isEmpty());
        }
        Command nullName = ExchangeDriver.createAccountCommand("x", 0, 0);
        nullName.name = null;
        assertEquals(ResultCode.INVALID_NAME, x.apply(nullName).code());
        assertEquals(ResultCode.INVALID_FEE, x.createAccount("f", -1, 0).code());
        assertEquals(ResultCode.INVALID_FEE, x.createAccount("f", 0, 1001).code());
        assertEquals(ResultCode.OK, x.createAccount("n".repeat(64), 1000, 1000).code());
        assertEquals(6, x.createAccount("next", 0, 0).command().resultAccountId);
    }

    @Test
    @Timeout(10)
    void shouldRefuseAccountsBeyondTheMaximum() {
        restart(baseConfig().maxAccounts(4).build());
        assertEquals(ResultCode.OK, x.createAccount("fourth", 0, 0).code());
        Outcome fifth = x.createAccount("fifth", 0, 0);
        assertEquals(ResultCode.TOO_MANY_ACCOUNTS, fifth.code());
        assertTrue(fifth.events().isEmpty());
    }

    @Test
    @Timeout(10)
    void shouldApplyTransfersIdempotentlyByTransferId() {
        Outcome d = x.deposit(alice, "USD", 500, "t1");
        assertEquals(ResultCode.OK, d.code());
        EngineEvent e = d.single(FUNDS_DEPOSITED);
        assertEquals(alice, e.accountId);
        assertEquals("USD", e.asset);
        assertEquals(500, e.amount);
        assertEquals("t1", e.transferId);
        Outcome dup = x.deposit(alice, "USD", 500, "t1");
        assertEquals(ResultCode.DUPLICATE, dup.code());
        assertTrue(dup.events().isEmpty());
        Outcome conflict = x.deposit(alice, "USD", 501, "t1");
        assertEquals(ResultCode.CONFLICT, conflict.code());
        assertEquals(ResultCode.CONFLICT, conflict.single(TRANSFER_REJECTED).code);
        assertEquals(ResultCode.CONFLICT, x.withdraw(alice, "USD", 500, "t1").code());
        assertEquals(ResultCode.CONFLICT, x.deposit(bob, "USD", 500, "t1").code());
        assertEquals(CASH + 500, cash(alice));
        assertEquals(CASH, cash(bob));
    }

    @Test
    @Timeout(10)
    void shouldRejectTransfersInTheDocumentedOrder() {
        assertEquals(ResultCode.INVALID_TRANSFER_ID, x.deposit(99, "XYZ", -1, "").code());
        assertEquals(ResultCode.INVALID_TRANSFER_ID, x.deposit(alice, "USD", 1, "t".repeat(65)).code());
        assertEquals(ResultCode.ACCOUNT_NOT_FOUND, x.deposit(99, "XYZ", -1, "a").code());
        assertEquals(ResultCode.UNKNOWN_ASSET, x.deposit(alice, "XYZ", -1, "a").code());
        assertEquals(ResultCode.UNKNOWN_ASSET, x.deposit(alice, null, 1, "a").code());
        assertEquals(ResultCode.INVALID_AMOUNT, x.deposit(alice, "USD", 0, "a").code());
        assertEquals(ResultCode.INVALID_AMOUNT, x.withdraw(alice, "MSFT", -3, "a").code());
        Outcome rejected = x.withdraw(alice, "AAPL", SHARES + 1, "a");
        assertEquals(ResultCode.INSUFFICIENT_FUNDS, rejected.code());
        EngineEvent e = rejected.single(TRANSFER_REJECTED);
        assertEquals(ResultCode.INSUFFICIENT_FUNDS, e.code);
        assertEquals("AAPL", e.asset);
        assertEquals(SHARES + 1, e.amount);
        assertEquals("a", e.transferId);
        assertEquals(alice, e.accountId);
        assertEquals(ResultCode.OK, x.deposit(alice, "AAPL", 1, "a").code(), "rejections do not reserve the id");
        assertEquals(ResultCode.OK, x.deposit(alice, "USD", 1, "t".repeat(64)).code());
    }

    @Test
    @Timeout(10)
    void shouldRefuseWithdrawalBeyondTheAvailableBalance() {
        x.buy(alice, 10, "10.00");
        long available = CASH - px("10.00") * 10;
        assertEquals(ResultCode.INSUFFICIENT_FUNDS, x.withdraw(alice, "USD", available + 1, "w1").code());
        Outcome ok = x.withdraw(alice, "USD", available, "w1");
        assertEquals(ResultCode.OK, ok.code());
        assertEquals(available, ok.single(FUNDS_WITHDRAWN).amount);
        assertEquals(px("10.00") * 10, cash(alice));
        assertEquals(cash(alice), cashHeld(alice));
    }

    @Test
    @Timeout(10)
    void shouldRefuseDepositThatOverflows() {
        Outcome o = x.deposit(alice, "USD", Long.MAX_VALUE, "big");
        assertEquals(ResultCode.OVERFLOW, o.code());
        assertEquals(ResultCode.OVERFLOW, o.single(TRANSFER_REJECTED).code);
        assertEquals(CASH, cash(alice));
    }

    // ---- idempotency window --------------------------------------------------------------------

    /** Closes the open session and opens the next day's; returns the close. */
    Outcome nextSession() {
        Outcome close = x.closeSession();
        assertEquals(ResultCode.OK, close.code());
        sessionDay++;
        assertEquals(ResultCode.OK, x.openSession(sessionDay).code());
        return close;
    }

    boolean held(long orderId) {
        return venue.order(orderId, new OrderView());
    }

    /** A retry of {@code ticket}'s exact body: DUPLICATE with order {@code orderId}, no event. */
    void assertDuplicateOf(long orderId, ExchangeDriver.Ticket ticket) {
        Outcome again = ticket.place();
        assertEquals(ResultCode.DUPLICATE, again.code(), "retry of order " + orderId);
        assertEquals(orderId, again.orderId());
        assertTrue(again.events().isEmpty());
    }

    @Test
    @Timeout(10)
    void shouldEvictEveryEndedOrderAtTheNextCloseWhenTheWindowIsZeroSessions() {
        restart(baseConfig().idempotencySessions(0).priceCollarBps(0).build());
        x.sell(bob, 2, "10.00");
        ExchangeDriver.Ticket filledTicket = x.order(alice).clientOrderId("filled").buy(1, "10.00");
        long filled = filledTicket.place().orderId();
        long canceled = x.order(alice).clientOrderId("canceled").buy(1, "9.00").place().orderId();
        x.cancel(alice, canceled);
        long rejected = x.order(alice).clientOrderId("rejected").buy(0, "9.00").place().orderId();
        long gtc = x.order(alice).clientOrderId("gtc").buy(1, "8.00").gtc().place().orderId();
        long day = x.order(carol).clientOrderId("day").sell(1, "12.00").place().orderId();
        assertEquals(6, venue.heldOrderCount());
        assertEquals(0, venue.closeCount());
        assertEquals(0, venue.windowStartCloseCount());
        assertDuplicateOf(filled, filledTicket);

        Outcome close = x.closeSession();

        assertEquals(1, venue.closeCount());
        assertEquals(1, venue.windowStartCloseCount());
        assertEquals(close.seq(), venue.lastEvictionSeq());
        assertEquals(1, venue.heldOrderCount(), "only the open GTC order stays");
        assertTrue(held(gtc));
        for (long gone : new long[] {filled, canceled, rejected, day}) {
            assertFalse(held(gone), "order " + gone + " left at the close");
            assertEquals(ResultCode.ORDER_NOT_FOUND, x.queryOrder(alice, gone).code());
        }
        Command byClientId = new Command();
        byClientId.type = CommandType.QUERY_ORDER_BY_CLIENT_ID;
        byClientId.accountId = alice;
        byClientId.clientOrderId = "filled";
        assertEquals(ResultCode.ORDER_NOT_FOUND, x.apply(byClientId).code());
        Outcome cancel = x.cancel(alice, canceled);
        assertEquals(ResultCode.ORDER_NOT_FOUND, cancel.code(), "the history database answers for it");
        assertEquals(ResultCode.ORDER_NOT_FOUND, cancel.single(CANCEL_REJECTED).code);

        // the client order id is free again: the retry is a new order (rejected: the market is closed)
        Outcome reused = filledTicket.place();
        assertEquals(ResultCode.MARKET_CLOSED, reused.code());
        assertTrue(reused.orderId() > day);
        long eviction = venue.lastEvictionSeq();
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 1).code());
        Outcome second = x.closeSession();
        assertFalse(held(reused.orderId()), "ended after the first close, gone at the second");
        assertEquals(second.seq(), venue.lastEvictionSeq());
        assertTrue(second.seq() > eviction);
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 2).code());
        x.closeSession();
        assertEquals(second.seq(), venue.lastEvictionSeq(), "a close that evicts nothing leaves it");
        assertEquals(List.of(gtc), venue.openOrders().stream().map(v -> v.orderId).toList());
    }

    @Test
    @Timeout(10)
    void shouldCountAnOrderEndedBetweenACloseAndTheNextOpenInTheNextSession() {
        restart(baseConfig().idempotencySessions(1).build());
        long canceled = x.order(alice).buy(1, "9.00").place().orderId();
        x.cancel(alice, canceled);
        long gtc = x.order(alice).buy(1, "8.00").gtc().place().orderId();
        Outcome first = x.closeSession();
        assertEquals(0, venue.windowStartCloseCount());
        assertEquals(0, venue.lastEvictionSeq(), "nothing left at the first close");
        assertTrue(held(canceled));

        assertEquals(ResultCode.OK, x.cancel(alice, gtc).code(), "ended at close count 1");
        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 1).code());
        Outcome second = x.closeSession();
        assertEquals(1, venue.windowStartCloseCount());
        assertFalse(held(canceled), "ended at close count 0 < 1");
        assertTrue(held(gtc), "ended at close count 1, inside the window");
        assertEquals(second.seq(), venue.lastEvictionSeq());
        assertTrue(second.seq() > first.seq());

        assertEquals(ResultCode.OK, x.openSession(DAY_ONE + 2).code());
        x.closeSession();
        assertFalse(held(gtc));
        assertEquals(0, venue.heldOrderCount());
    }

    @Test
    @Timeout(10)
    void shouldHoldAnEndedOrderForFiveMoreClosesByDefault() {
        assertEquals(ExchangeConfig.DEFAULT_IDEMPOTENCY_SESSIONS, 5);
        x.sell(bob, 1, "10.00");
        ExchangeDriver.Ticket ticket = x.order(alice).clientOrderId("b-1").buy(1, "10.00");
        long filled = ticket.place().orderId();
        for (int close = 1; close <= 5; close++) {
            nextSession();
            assertEquals(close, venue.closeCount());
            assertEquals(0, venue.windowStartCloseCount());
            assertTrue(held(filled), "after close " + close);
            assertDuplicateOf(filled, ticket);
        }
        assertEquals(0, venue.lastEvictionSeq());
        Outcome sixth = x.closeSession();
        assertEquals(1, venue.windowStartCloseCount());
        assertFalse(held(filled));
        assertEquals(sixth.seq(), venue.lastEvictionSeq());
    }

    @Test
    @Timeout(10)
    void shouldKeepAnOldGtcOrderOpenAcrossSessionsAndUntilItsEndLeavesTheWindow() {
        restart(baseConfig().idempotencySessions(1).build());
        ExchangeDriver.Ticket gtcTicket = x.order(alice).clientOrderId("old-gtc").buy(5, "9.00").gtc();
        long gtc = gtcTicket.place().orderId();
        long canceled = x.order(alice).buy(1, "8.00").place().orderId();
        x.cancel(alice, canceled);
        for (int close = 1; close <= 10; close++) {
            nextSession();
            assertTrue(held(gtc), "open orders stay whatever their age, close " + close);
            assertEquals(OrderStatus.NEW, order(gtc).status);
            assertDuplicateOf(gtc, gtcTicket);
        }
        assertFalse(held(canceled));
        assertEquals(9, venue.windowStartCloseCount());

        x.sell(bob, 5, "9.00");
        assertEquals(OrderStatus.FILLED, order(gtc).status, "filled at close count 10");
        nextSession();
        assertTrue(held(gtc), "its end (10) is inside the window starting at 10");
        assertDuplicateOf(gtc, gtcTicket);
        Outcome close = x.closeSession();
        assertEquals(11, venue.windowStartCloseCount());
        assertFalse(held(gtc));
        assertEquals(close.seq(), venue.lastEvictionSeq());
        Outcome fresh = gtcTicket.place();
        assertEquals(ResultCode.MARKET_CLOSED, fresh.code(), "a new order under the freed id");
        assertNotEquals(gtc, fresh.orderId());
    }

    @Test
    @Timeout(10)
    void shouldAnswerARetryWithTheOriginalOrderFromAnyStateInsideTheWindow() {
        restart(baseConfig().idempotencySessions(1).priceCollarBps(0).build());
        ExchangeDriver.Ticket open = x.order(alice).clientOrderId("open").buy(2, "9.00").gtc();
        ExchangeDriver.Ticket partial = x.order(alice).clientOrderId("partial").sell(5, "11.00").gtc();
        ExchangeDriver.Ticket filled = x.order(alice).clientOrderId("filled").sell(1, "9.50");
        ExchangeDriver.Ticket canceled = x.order(alice).clientOrderId("canceled").buy(1, "8.00");
        ExchangeDriver.Ticket expired = x.order(alice).clientOrderId("expired").buy(1, "7.00");
        ExchangeDriver.Ticket rejected = x.order(alice).clientOrderId("rejected").buy(1, "7.001");
        long openId = open.place().orderId();
        long partialId = partial.place().orderId();
        x.buy(bob, 2, "11.00");
        x.buy(carol, 1, "9.50");
        long filledId = filled.place().orderId();
        long canceledId = canceled.place().orderId();
        x.cancel(alice, canceledId);
        long expiredId = expired.place().orderId();
        long rejectedId = rejected.place().orderId();
        nextSession();

        assertEquals(OrderStatus.NEW, order(openId).status);
        assertEquals(OrderStatus.PARTIALLY_FILLED, order(partialId).status);
        assertEquals(OrderStatus.FILLED, order(filledId).status);
        assertEquals(OrderStatus.CANCELED, order(canceledId).status);
        assertEquals(OrderStatus.EXPIRED, order(expiredId).status, "expired at the close");
        assertEquals(OrderStatus.REJECTED, order(rejectedId).status);
        assertDuplicateOf(openId, open);
        assertDuplicateOf(partialId, partial);
        assertDuplicateOf(filledId, filled);
        assertDuplicateOf(canceledId, canceled);
        assertDuplicateOf(expiredId, expired);
        assertDuplicateOf(rejectedId, rejected);
        Outcome conflict = x.order(alice).clientOrderId("rejected").buy(1, "7.00").place();
        assertEquals(ResultCode.CONFLICT, conflict.code(), "a rejected id stays rejected inside the window");
        assertEquals(rejectedId, conflict.orderId());
        assertEquals(OrderView.FIELD_LIMIT_PRICE, conflict.command().conflictFields);
    }

    @Test
    @Timeout(10)
    void shouldCreateANewOrderForAReusedClientOrderIdOnceTheOriginalLeftTheWindow() {
        restart(baseConfig().idempotencySessions(0).build());
        ExchangeDriver.Ticket ticket = x.order(alice).clientOrderId("reused").buy(1, "9.00");
        long first = ticket.place().orderId();
        x.cancel(alice, first);
        nextSession();
        assertFalse(held(first));

        Outcome again = ticket.place();
        assertEquals(ResultCode.OK, again.code());
        assertNotEquals(first, again.orderId());
        assertEquals(OrderStatus.NEW, again.order().status);
        assertEquals(List.of(ORDER_ACCEPTED), again.eventTypes());
        assertEquals(px("9.00"), cashHeld(alice), "a new hold");
        Outcome otherBody = x.order(alice).clientOrderId("reused").sell(3, "12.00").place();
        assertEquals(ResultCode.CONFLICT, otherBody.code(), "the new order now owns the id");
        assertEquals(again.orderId(), otherBody.orderId());
    }

    Outcome listOrders(long account, Command.OrderFilter filter, int limit, String symbol, long afterNanos,
                       long untilNanos, long beforeOrderId) {
        Command c = new Command();
        c.type = CommandType.QUERY_ORDERS;
        c.accountId = account;
        c.orderFilter = filter;
        c.limit = limit;
        c.symbol = symbol;
        c.afterNanos = afterNanos;
        c.untilNanos = untilNanos;
        c.beforeOrderId = beforeOrderId;
        return x.apply(c);
    }

    @Test
    @Timeout(10)
    void shouldFilterOrdersBySymbolCreationTimeAndCursor() {
        long a1 = x.buy(alice, 1, "9.00").orderId();
        long m1 = x.order(alice).symbol("MSFT").buy(1, "20.00").place().orderId();
        long other = x.buy(bob, 1, "9.00").orderId();
        long a2 = x.sell(alice, 1, "11.00").orderId();
        long z = x.order(alice).symbol("ZZZ").buy(1, "1.00").place().orderId();
        x.cancel(alice, a2);
        long t1 = order(a1).createdAtNanos;
        long tm = order(m1).createdAtNanos;
        Command.OrderFilter all = Command.OrderFilter.ALL;

        assertEquals(List.of(z, a2, m1, a1), ids(listOrders(alice, all, 0, null, 0, 0, 0)));
        assertEquals(List.of(a2, a1), ids(listOrders(alice, all, 0, "AAPL", 0, 0, 0)));
        assertEquals(List.of(m1), ids(listOrders(alice, all, 0, "MSFT", 0, 0, 0)));
        assertEquals(List.of(z), ids(listOrders(alice, all, 0, "ZZZ", 0, 0, 0)), "the unlisted symbol it named");
        assertEquals(List.of(), ids(listOrders(alice, all, 0, "NOPE", 0, 0, 0)));
        assertEquals(List.of(z, a2, m1), ids(listOrders(alice, all, 0, null, t1, 0, 0)), "after is exclusive");
        assertEquals(List.of(m1, a1), ids(listOrders(alice, all, 0, null, 0, tm, 0)), "until is inclusive");
        assertEquals(List.of(m1), ids(listOrders(alice, all, 0, null, t1, tm, 0)));
        assertEquals(List.of(a1), ids(listOrders(alice, Command.OrderFilter.OPEN, 0, "AAPL", 0, 0, 0)));
        assertEquals(List.of(z, a2), ids(listOrders(alice, Command.OrderFilter.CLOSED, 0, null, 0, 0, 0)));

        // pages of two, each starting below the last id of the previous one
        assertEquals(List.of(z, a2), ids(listOrders(alice, all, 2, null, 0, 0, 0)));
        assertEquals(List.of(m1, a1), ids(listOrders(alice, all, 2, null, 0, 0, a2)));
        assertEquals(List.of(), ids(listOrders(alice, all, 2, null, 0, 0, a1)));
        assertEquals(List.of(m1, a1), ids(listOrders(alice, Command.OrderFilter.OPEN, 0, null, 0, 0, z)),
                "a cursor on an ended order pages open ones too");
        assertEquals(List.of(a1), ids(listOrders(alice, Command.OrderFilter.OPEN, 0, null, 0, 0, m1)));
        assertEquals(List.of(m1, a1), ids(listOrders(alice, all, 0, null, 0, 0, other)),
                "another account's order id bounds the ids all the same");
        assertEquals(List.of(z, a2, m1, a1), ids(listOrders(alice, all, 0, null, 0, 0, 1_000_000)));

        OrderPage page = (OrderPage) listOrders(alice, all, 0, null, 0, 0, 0).command().queryResult;
        assertEquals(0, page.windowStartCloseCount());
        assertEquals(0, page.closeCount());
        assertEquals(0, page.lastEvictionSeq());
        assertEquals(ResultCode.ACCOUNT_NOT_FOUND, listOrders(99, all, 0, null, 0, 0, 0).code());
    }

    @Test
    @Timeout(10)
    void shouldListOnlyHeldOrdersAndNameTheWindowTheyCameFrom() {
        restart(baseConfig().idempotencySessions(0).build());
        long gtc = x.order(alice).buy(1, "8.00").gtc().place().orderId();
        long canceled = x.buy(alice, 1, "9.00").orderId();
        x.cancel(alice, canceled);
        Outcome close = nextSession();
        long fresh = x.buy(alice, 1, "7.00").orderId();

        Outcome list = listOrders(alice, Command.OrderFilter.ALL, 0, null, 0, 0, 0);
        OrderPage page = (OrderPage) list.command().queryResult;
        assertEquals(List.of(fresh, gtc), ids(list), "the canceled order is the history database's");
        assertEquals(1, page.closeCount());
        assertEquals(1, page.windowStartCloseCount());
        assertEquals(close.seq(), page.lastEvictionSeq());
        assertEquals(List.of(gtc), ids(listOrders(alice, Command.OrderFilter.ALL, 0, null, 0, 0, canceled)),
                "a cursor on an evicted order still bounds the ids");
    }

    // ---- queries -------------------------------------------------------------------------------

    @Test
    @Timeout(10)
    void shouldFilterOrdersQueryNewestFirstAndLimitIt() {
        long open = x.buy(alice, 1, "9.00").orderId();
        long canceled = x.buy(alice, 1, "9.01").orderId();
        x.cancel(alice, canceled);
        long rejected = x.buy(alice, 0, "9.00").orderId();
        x.sell(bob, 1, "9.50");
        long filled = x.buy(alice, 1, "9.50").orderId();

        assertEquals(List.of(open), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 0)));
        assertEquals(List.of(filled, rejected, canceled), ids(x.queryOrders(alice, Command.OrderFilter.CLOSED, 0)));
        assertEquals(List.of(filled, rejected), ids(x.queryOrders(alice, Command.OrderFilter.ALL, 2)));
        assertEquals(List.of(filled, rejected, canceled, open), ids(x.queryOrders(alice, Command.OrderFilter.ALL, 0)));
        assertEquals(ResultCode.OK, x.queryOrders(alice, Command.OrderFilter.ALL, 0).code());

        long open2 = x.sell(alice, 1, "9.60").orderId();
        long open3 = x.buy(alice, 1, "8.99").orderId();
        assertEquals(List.of(open3, open2, open), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 0)));
        assertEquals(List.of(open3, open2), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 2)));
        x.cancel(alice, open2);
        assertEquals(List.of(open3, open), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 0)));

        // a partly filled order is still open; once nothing is open the list is empty
        long partial = x.sell(alice, 5, "9.70").orderId();
        x.buy(bob, 2, "9.70");
        assertEquals(List.of(partial, open3, open), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 0)));
        x.cancel(alice, open);
        x.cancel(alice, partial);
        x.cancel(alice, open3);
        assertEquals(List.of(), ids(x.queryOrders(alice, Command.OrderFilter.OPEN, 0)));
        assertEquals(7, ids(x.queryOrders(alice, Command.OrderFilter.CLOSED, 0)).size());
    }

    static List<Long> ids(Outcome o) {
        return ((OrderPage) o.command().queryResult).orders().stream().map(v -> v.orderId).toList();
    }

    @Test
    @Timeout(10)
    void shouldAnswerAccountQueryWithBalancesAndHolds() {
        x.buy(alice, 10, "10.00");
        x.sell(alice, 7, "11.00");
        Outcome q = x.query(CommandType.QUERY_ACCOUNT, alice);
        assertEquals(ResultCode.OK, q.code());
        AccountSnapshot s = (AccountSnapshot) q.command().queryResult;
        assertEquals(alice, s.accountId());
        assertEquals("alice", s.name());
        assertEquals(CASH, s.cashTotal());
        assertEquals(px("10.00") * 10, s.cashReserved());
        // no trade, no reference price and no venue yet: nothing to value the shares at
        assertEquals(List.of(new AccountSnapshot.Position("AAPL", SHARES, 7, 0, MarkSource.NONE, AccountSnapshot.NO_VALUE),
                new AccountSnapshot.Position("MSFT", SHARES, 0, 0, MarkSource.NONE, AccountSnapshot.NO_VALUE)),
                s.positions());
        assertEquals(AccountSnapshot.NO_VALUE, s.equity());
        assertEquals(venue.lastSeq(), s.seq());
    }

    @Test
    @Timeout(10)
    void shouldAnswerStateQueryWithSystemTotals() {
        long dora = x.newAccount("dora", 0, 100);
        x.fund(dora, "USD", CASH);
        x.sell(bob, 5, "10.00");
        x.buy(dora, 2, "10.00");
        StateSummary s = (StateSummary) x.query(CommandType.QUERY_STATE, alice).command().queryResult;
        assertEquals(venue.lastSeq(), s.seq());
        assertEquals(4, s.accounts());
        assertEquals(1, s.openOrders());
        assertTrue(s.sessionOpen());
        assertEquals(DAY_ONE, s.sessionDate());
        assertEquals(4 * CASH - 2_000, s.cashTotal(), "the 1% taker fee on 200,000 left the accounts");
        assertEquals(0, s.cashReserved());
        assertEquals(2_000, s.feesCollected());
        assertEquals(new StateSummary.AssetTotal("AAPL", 3 * SHARES, 3), s.positions().get(0));
        assertEquals(2, s.heldOrders(), "the open ask and the filled buy");
        assertEquals(0, s.closeCount());
    }

    @Test
    @Timeout(10)
    void shouldChangeNothingWhenQuerying() {
        long id = x.order(alice).clientOrderId("q1").buy(3, "10.00").place().orderId();
        x.sell(bob, 1, "10.00");
        long seq = venue.lastSeq();
        List<OrderView> open = venue.openOrders();
        long cash = cash(alice);
        long held = cashHeld(alice);

        x.queryOrder(alice, id);
        Command byClient = new Command();
        byClient.type = CommandType.QUERY_ORDER_BY_CLIENT_ID;
        byClient.accountId = alice;
        byClient.clientOrderId = "q1";
        Outcome found = x.apply(byClient);
        for (Command.OrderFilter f : Command.OrderFilter.values()) {
            x.queryOrders(alice, f, 0);
        }
        x.query(CommandType.QUERY_ACCOUNT, alice);
        x.query(CommandType.QUERY_STATE, alice);

        assertEquals(ResultCode.OK, found.code());
        assertEquals(id, found.orderId());
        assertEquals(seq, venue.lastSeq());
        assertEquals(open, venue.openOrders());
        assertEquals(cash, cash(alice));
        assertEquals(held, cashHeld(alice));
        assertEquals(2, order(id).leavesQty);
    }
}
