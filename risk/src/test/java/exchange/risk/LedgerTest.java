package exchange.risk;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(10)
class LedgerTest {
    private static final int USD = Ledger.CASH;
    private static final int AAPL = 1;
    private static final int MSFT = 2;

    private Ledger ledger;
    private Account alice;
    private Account bob;

    @BeforeEach
    void setUp() {
        ledger = new Ledger(new String[] {"USD", "AAPL", "MSFT"});
        alice = ledger.openAccount("alice", "h1", 10, 20);
        bob = ledger.openAccount("bob", "h2", 5, 30);
    }

    @Test
    @Timeout(5)
    void shouldAssignSequentialAccountIdsAndIndexAssets() {
        assertEquals(1L, alice.id());
        assertEquals(2L, bob.id());
        assertEquals(2, ledger.accountCount());
        assertEquals(alice, ledger.account(1));
        assertNull(ledger.account(0));
        assertNull(ledger.account(3));
        assertEquals(0, ledger.assetIndex("USD"));
        assertEquals(2, ledger.assetIndex("MSFT"));
        assertEquals(-1, ledger.assetIndex("IBM"));
        assertEquals(-1, ledger.assetIndex(null));
        assertEquals(20, alice.maxFeeBps());
        assertEquals(30, bob.maxFeeBps());
    }

    @Test
    @Timeout(5)
    void shouldRefuseFeeRatesOutsideTheSchedule() {
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount("x", "h", -1, 0));
        assertThrows(IllegalArgumentException.class, () -> ledger.openAccount("x", "h", 0, Fees.MAX_FEE_BPS + 1));
        assertEquals(2, ledger.accountCount());
    }

    @Test
    @Timeout(5)
    void shouldRefuseDuplicateAssetNames() {
        assertThrows(IllegalArgumentException.class, () -> new Ledger(new String[] {"USD", "AAPL", "AAPL"}));
        assertThrows(IllegalArgumentException.class, () -> new Ledger(new String[0]));
    }

    @Test
    @Timeout(5)
    void shouldApplyDepositAndAnswerDuplicateForTheSameTransferId() {
        assertEquals(TransferResult.APPLIED, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 5_000, "t1"));
        assertEquals(TransferResult.DUPLICATE, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 5_000, "t1"));
        assertEquals(5_000, alice.total(USD));
        assertEquals(5_000, ledger.deposited(USD));
        assertEquals(1, ledger.transfers().size());
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldAnswerConflictWhenTransferIdIsReusedWithAnyDifference() {
        ledger.transfer(TransferKind.DEPOSIT, 1, USD, 5_000, "t1");
        assertEquals(TransferResult.CONFLICT, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 5_001, "t1"));
        assertEquals(TransferResult.CONFLICT, ledger.transfer(TransferKind.DEPOSIT, 2, USD, 5_000, "t1"));
        assertEquals(TransferResult.CONFLICT, ledger.transfer(TransferKind.DEPOSIT, 1, AAPL, 5_000, "t1"));
        assertEquals(TransferResult.CONFLICT, ledger.transfer(TransferKind.WITHDRAWAL, 1, USD, 5_000, "t1"));
        assertEquals(5_000, alice.total(USD));
        assertEquals(0, bob.total(USD));
        assertEquals(1, ledger.transfers().size());
    }

    @Test
    @Timeout(5)
    void shouldRejectInvalidTransfersWithoutReservingTheirIds() {
        assertEquals(TransferResult.INVALID_TRANSFER_ID, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1, null));
        assertEquals(TransferResult.INVALID_TRANSFER_ID, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1, ""));
        assertEquals(TransferResult.INVALID_TRANSFER_ID,
                ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1, "x".repeat(Ledger.MAX_TRANSFER_ID_LENGTH + 1)));
        assertEquals(TransferResult.UNKNOWN_ACCOUNT, ledger.transfer(TransferKind.DEPOSIT, 9, USD, 1, "t"));
        assertEquals(TransferResult.UNKNOWN_ASSET, ledger.transfer(TransferKind.DEPOSIT, 1, 3, 1, "t"));
        assertEquals(TransferResult.UNKNOWN_ASSET, ledger.transfer(TransferKind.DEPOSIT, 1, -1, 1, "t"));
        assertEquals(TransferResult.INVALID_AMOUNT, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 0, "t"));
        assertEquals(TransferResult.INVALID_AMOUNT, ledger.transfer(TransferKind.WITHDRAWAL, 1, USD, -5, "t"));
        assertNull(ledger.transfer("t"));
        assertEquals(TransferResult.APPLIED, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1,
                "x".repeat(Ledger.MAX_TRANSFER_ID_LENGTH)));
        assertEquals(TransferResult.APPLIED, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1, "t"));
        assertEquals(2, alice.total(USD));
    }

    @Test
    @Timeout(5)
    void shouldRefuseDepositThatOverflowsTheBalance() {
        assertEquals(TransferResult.APPLIED, ledger.transfer(TransferKind.DEPOSIT, 1, USD, Long.MAX_VALUE, "t1"));
        assertEquals(TransferResult.OVERFLOW, ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1, "t2"));
        assertEquals(TransferResult.OVERFLOW, ledger.transfer(TransferKind.DEPOSIT, 2, USD, 1, "t3"),
                "the system-wide deposited total would overflow too");
        assertEquals(Long.MAX_VALUE, alice.total(USD));
        assertEquals(0, bob.total(USD));
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldRefuseWithdrawalBeyondAvailableBalance() {
        ledger.transfer(TransferKind.DEPOSIT, 1, USD, 10_000, "d1");
        ledger.reserve(alice, USD, 4_000);
        assertEquals(TransferResult.INSUFFICIENT_FUNDS, ledger.transfer(TransferKind.WITHDRAWAL, 1, USD, 6_001, "w1"));
        assertEquals(10_000, alice.total(USD));
        assertEquals(TransferResult.APPLIED, ledger.transfer(TransferKind.WITHDRAWAL, 1, USD, 6_000, "w1"));
        assertEquals(4_000, alice.total(USD));
        assertEquals(0, alice.available(USD));
        assertEquals(6_000, ledger.withdrawn(USD));
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldReserveAndReleaseWithinBounds() {
        ledger.transfer(TransferKind.DEPOSIT, 1, AAPL, 100, "d1");
        assertTrue(ledger.canReserve(alice, AAPL, 100));
        assertTrue(!ledger.canReserve(alice, AAPL, 101));
        assertTrue(!ledger.canReserve(alice, AAPL, -1));
        ledger.reserve(alice, AAPL, 60);
        assertEquals(60, alice.reserved(AAPL));
        assertEquals(40, alice.available(AAPL));
        assertThrows(IllegalStateException.class, () -> ledger.reserve(alice, AAPL, 41));
        assertThrows(IllegalStateException.class, () -> ledger.release(alice, AAPL, 61));
        assertThrows(IllegalStateException.class, () -> ledger.release(alice, AAPL, -1));
        assertEquals(60, alice.reserved(AAPL));
        ledger.release(alice, AAPL, 25);
        assertEquals(35, alice.reserved(AAPL));
        assertEquals(60, alice.holdsPlaced(AAPL));
        assertEquals(25, alice.holdsReleased(AAPL));
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldSettleTradeMovingCashSharesAndFeesAndConserveEverything() {
        ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1_000_000, "d1"); // alice buys
        ledger.transfer(TransferKind.DEPOSIT, 2, AAPL, 50, "d2");        // bob sells
        ledger.reserve(alice, USD, 600_000);
        ledger.reserve(bob, AAPL, 50);

        // 30 shares at 1.5000: notional 450,000; buyer fee 900, seller fee 225.
        // Buyer's hold shrinks by 500,000: 450,900 consumed, 49,100 released (price improvement).
        ledger.settleTrade(alice, bob, AAPL, 30, 450_000, 900, 225, 500_000);

        assertEquals(1_000_000 - 450_900, alice.total(USD));
        assertEquals(100_000, alice.reserved(USD));
        assertEquals(30, alice.total(AAPL));
        assertEquals(450_900, alice.holdsConsumed(USD));
        assertEquals(49_100, alice.holdsReleased(USD));
        assertEquals(900, alice.feesPaid());
        assertEquals(1, alice.fillCount());

        assertEquals(20, bob.total(AAPL));
        assertEquals(20, bob.reserved(AAPL));
        assertEquals(450_000 - 225, bob.total(USD));
        assertEquals(30, bob.holdsConsumed(AAPL));
        assertEquals(225, bob.feesPaid());
        assertEquals(1, bob.fillCount());

        assertEquals(1_125, ledger.feesCollected(USD));
        assertTrue(ledger.isConserved(USD));
        assertTrue(ledger.isConserved(AAPL));
        assertTrue(ledger.isConserved(MSFT));
        assertEquals(ledger.deposited(USD), ledger.sumTotal(USD) + ledger.feesCollected(USD));
        assertEquals(100_000 + 0, ledger.sumReserved(USD));
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldRefuseInconsistentSettlementAndChangeNothing() {
        ledger.transfer(TransferKind.DEPOSIT, 1, USD, 1_000_000, "d1");
        ledger.transfer(TransferKind.DEPOSIT, 2, AAPL, 50, "d2");
        ledger.reserve(alice, USD, 100_000);
        ledger.reserve(bob, AAPL, 10);
        // hold reduction below the cost
        assertThrows(IllegalStateException.class,
                () -> ledger.settleTrade(alice, bob, AAPL, 5, 50_000, 100, 0, 50_099));
        // more than reserved on the buyer
        assertThrows(IllegalStateException.class,
                () -> ledger.settleTrade(alice, bob, AAPL, 5, 50_000, 100, 0, 100_001));
        // more shares than the seller holds
        assertThrows(IllegalStateException.class,
                () -> ledger.settleTrade(alice, bob, AAPL, 11, 50_000, 100, 0, 60_000));
        // seller fee above the notional, zero qty
        assertThrows(IllegalStateException.class,
                () -> ledger.settleTrade(alice, bob, AAPL, 5, 50, 0, 51, 100));
        assertThrows(IllegalStateException.class,
                () -> ledger.settleTrade(alice, bob, AAPL, 0, 0, 0, 0, 0));
        assertEquals(1_000_000, alice.total(USD));
        assertEquals(100_000, alice.reserved(USD));
        assertEquals(50, bob.total(AAPL));
        assertEquals(0, ledger.feesCollected(USD));
        ledger.validateInternalState();
    }

    @Test
    @Timeout(5)
    void shouldDetectNegativeOrOverReservedBalance() {
        ledger.transfer(TransferKind.DEPOSIT, 1, USD, 100, "d1");
        ledger.validateInternalState();
        alice.reserved[USD] = 101; // corrupt the state on purpose
        IllegalStateException e = assertThrows(IllegalStateException.class, ledger::validateInternalState);
        assertTrue(e.getMessage().contains("account 1"), e.getMessage());
        assertTrue(ledger.findNegativeBalance() != null);
    }

    @Test
    @Timeout(5)
    void shouldDetectCashThatIsNotConserved() {
        ledger.transfer(TransferKind.DEPOSIT, 2, AAPL, 100, "d1");
        bob.total[AAPL] = 99; // corrupt the state on purpose
        IllegalStateException e = assertThrows(IllegalStateException.class, ledger::validateInternalState);
        assertTrue(e.getMessage().contains("AAPL"), e.getMessage());
        assertTrue(!ledger.isConserved(AAPL));
        assertTrue(ledger.isConserved(USD));
    }

    @Test
    @Timeout(5)
    void shouldRestoreBalancesAndTransfersForSnapshotRecovery() {
        Ledger copy = new Ledger(new String[] {"USD", "AAPL", "MSFT"});
        Account a = copy.openAccount("alice", "h1", 10, 20);
        copy.restoreAccount(a, new long[] {900, 5, 0}, new long[] {100, 5, 0}, new long[] {100, 5, 0},
                new long[] {0, 0, 0}, new long[] {0, 0, 0}, 7, 1);
        copy.restoreTotals(new long[] {100, 0, 0}, new long[] {1_000, 5, 0}, new long[] {0, 0, 0});
        copy.restoreTransfer(new Ledger.Transfer("d1", TransferKind.DEPOSIT, 1, USD, 1_000));
        copy.validateInternalState();
        assertEquals(TransferResult.DUPLICATE, copy.transfer(TransferKind.DEPOSIT, 1, USD, 1_000, "d1"));
        assertEquals(800, a.available(USD));
        assertEquals(7, a.feesPaid());
    }
}
