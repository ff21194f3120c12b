package exchange.risk;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All accounts and their balances, the fees collected, and the external transfers that fund
 * them. Settles fills for both sides and keeps holds (reservations) for open orders.
 *
 * <p>Owned by the single engine thread; not thread safe by design. Account ids are assigned
 * sequentially from 1, so iteration order is deterministic.
 *
 * <p>Invariants (checked by {@link #validateInternalState()}): no reserved or total balance is
 * negative, reserved never exceeds total, and for every asset the sum of account totals plus
 * fees collected equals deposits minus withdrawals.
 */
public final class Ledger {
    /** Asset index of cash (USD). */
    public static final int CASH = 0;
    /** Longest accepted transfer id. */
    public static final int MAX_TRANSFER_ID_LENGTH = 64;

    private final String[] assetNames;
    private final Map<String, Integer> assetIndex = new HashMap<>();
    private final List<Account> accounts = new ArrayList<>();
    private final long[] feesCollected;
    private final long[] deposited;
    private final long[] withdrawn;
    private final Map<String, Transfer> transfersById = new HashMap<>();
    private final List<Transfer> transfers = new ArrayList<>();

    /** A transfer applied to the ledger, kept for idempotency by transfer id. */
    public record Transfer(String transferId, TransferKind kind, long accountId, int asset, long amount) {
    }

    /**
     * @param assetNames asset names; index 0 must be the cash asset ("USD"), the rest symbols
     */
    public Ledger(String[] assetNames) {
        if (assetNames.length < 1) {
            throw new IllegalArgumentException("need at least the cash asset");
        }
        this.assetNames = assetNames.clone();
        for (int i = 0; i < assetNames.length; i++) {
            if (assetIndex.put(assetNames[i], i) != null) {
                throw new IllegalArgumentException("duplicate asset " + assetNames[i]);
            }
        }
        feesCollected = new long[assetNames.length];
        deposited = new long[assetNames.length];
        withdrawn = new long[assetNames.length];
    }

    public int assetCount() {
        return assetNames.length;
    }

    public String assetName(int asset) {
        return assetNames[asset];
    }

    /** @return the asset's index, or -1 if unknown */
    public int assetIndex(String name) {
        Integer i = name == null ? null : assetIndex.get(name);
        return i == null ? -1 : i;
    }

    /** Opens an account with the next id (1, 2, ...). Fee rates must be in [0, {@link Fees#MAX_FEE_BPS}]. */
    public Account openAccount(String name, String apiKeyHash, int makerFeeBps, int takerFeeBps) {
        if (makerFeeBps < 0 || makerFeeBps > Fees.MAX_FEE_BPS || takerFeeBps < 0 || takerFeeBps > Fees.MAX_FEE_BPS) {
            throw new IllegalArgumentException("fee out of range");
        }
        Account a = new Account(accounts.size() + 1L, name, apiKeyHash, makerFeeBps, takerFeeBps, assetNames.length);
        accounts.add(a);
        return a;
    }

    /** @return the account, or null if no such id */
    public Account account(long accountId) {
        if (accountId < 1 || accountId > accounts.size()) {
            return null;
        }
        return accounts.get((int) (accountId - 1));
    }

    public int accountCount() {
        return accounts.size();
    }

    /** The previously applied transfer with this id, or null. */
    public Transfer transfer(String transferId) {
        return transferId == null ? null : transfersById.get(transferId);
    }

    /** Transfers in the order they were applied. */
    public List<Transfer> transfers() {
        return java.util.Collections.unmodifiableList(transfers);
    }

    /**
     * Deposits or withdraws {@code amount} of {@code asset}, idempotent by {@code transferId}.
     * Validates completely before changing anything.
     */
    public TransferResult transfer(TransferKind kind, long accountId, int asset, long amount, String transferId) {
        if (transferId == null || transferId.isEmpty() || transferId.length() > MAX_TRANSFER_ID_LENGTH) {
            return TransferResult.INVALID_TRANSFER_ID;
        }
        Transfer prior = transfersById.get(transferId);
        if (prior != null) {
            boolean same = prior.kind() == kind && prior.accountId() == accountId && prior.asset() == asset
                    && prior.amount() == amount;
            return same ? TransferResult.DUPLICATE : TransferResult.CONFLICT;
        }
        Account a = account(accountId);
        if (a == null) {
            return TransferResult.UNKNOWN_ACCOUNT;
        }
        if (asset < 0 || asset >= assetNames.length) {
            return TransferResult.UNKNOWN_ASSET;
        }
        if (amount <= 0) {
            return TransferResult.INVALID_AMOUNT;
        }
        if (kind == TransferKind.DEPOSIT) {
            long newTotal = Money.addOrOverflow(a.total[asset], amount);
            long newDeposited = Money.addOrOverflow(deposited[asset], amount);
            if (newTotal == Money.OVERFLOW || newDeposited == Money.OVERFLOW) {
                return TransferResult.OVERFLOW;
            }
            a.total[asset] = newTotal;
            deposited[asset] = newDeposited;
        } else {
            if (a.available(asset) < amount) {
                return TransferResult.INSUFFICIENT_FUNDS;
            }
            a.total[asset] -= amount;
            withdrawn[asset] += amount;
        }
        Transfer t = new Transfer(transferId, kind, accountId, asset, amount);
        transfersById.put(transferId, t);
        transfers.add(t);
        return TransferResult.APPLIED;
    }

    /** True if {@code amount} of {@code asset} can be reserved on {@code a} now. */
    public boolean canReserve(Account a, int asset, long amount) {
        return amount >= 0 && a.available(asset) >= amount;
    }

    /** Reserves {@code amount}; the caller has checked {@link #canReserve}. */
    public void reserve(Account a, int asset, long amount) {
        if (!canReserve(a, asset, amount)) {
            throw new IllegalStateException("reserve without cover: account " + a.id() + " asset " + asset);
        }
        a.reserved[asset] += amount;
        a.holdsPlaced[asset] += amount;
    }

    /** Releases {@code amount} of a hold back to available. */
    public void release(Account a, int asset, long amount) {
        if (amount < 0 || amount > a.reserved[asset]) {
            throw new IllegalStateException("release beyond hold: account " + a.id() + " asset " + asset);
        }
        a.reserved[asset] -= amount;
        a.holdsReleased[asset] += amount;
    }

    /**
     * Settles one fill of {@code qty} shares of {@code shareAsset} for {@code notional} cash.
     * The buyer's hold shrinks by {@code buyerHoldReduction}, of which {@code notional + buyerFee}
     * is consumed and the rest (price improvement, unused fee reserve) released. The seller's
     * share hold shrinks by {@code qty} and the seller receives {@code notional - sellerFee}.
     */
    public void settleTrade(Account buyer, Account seller, int shareAsset, long qty, long notional,
                            long buyerFee, long sellerFee, long buyerHoldReduction) {
        long buyerCost = notional + buyerFee;
        if (qty <= 0 || notional < 0 || buyerFee < 0 || sellerFee < 0 || sellerFee > notional
                || buyerHoldReduction < buyerCost || buyerHoldReduction > buyer.reserved[CASH]
                || qty > seller.reserved[shareAsset]) {
            throw new IllegalStateException("inconsistent settlement: buyer " + buyer.id() + " seller " + seller.id());
        }
        buyer.reserved[CASH] -= buyerHoldReduction;
        buyer.holdsConsumed[CASH] += buyerCost;
        buyer.holdsReleased[CASH] += buyerHoldReduction - buyerCost;
        buyer.total[CASH] -= buyerCost;
        buyer.total[shareAsset] = Math.addExact(buyer.total[shareAsset], qty);
        buyer.feesPaid += buyerFee;
        buyer.fillCount++;

        seller.reserved[shareAsset] -= qty;
        seller.holdsConsumed[shareAsset] += qty;
        seller.total[shareAsset] -= qty;
        seller.total[CASH] = Math.addExact(seller.total[CASH], notional - sellerFee);
        seller.feesPaid += sellerFee;
        seller.fillCount++;

        feesCollected[CASH] += buyerFee + sellerFee;
    }

    public long feesCollected(int asset) {
        return feesCollected[asset];
    }

    public long deposited(int asset) {
        return deposited[asset];
    }

    public long withdrawn(int asset) {
        return withdrawn[asset];
    }

    /** Sum over accounts of the total of {@code asset}. */
    public long sumTotal(int asset) {
        long s = 0;
        for (Account a : accounts) {
            s = Math.addExact(s, a.total[asset]);
        }
        return s;
    }

    /** Sum over accounts of the reserved part of {@code asset}. */
    public long sumReserved(int asset) {
        long s = 0;
        for (Account a : accounts) {
            s = Math.addExact(s, a.reserved[asset]);
        }
        return s;
    }

    /** True if for {@code asset} the accounts plus fees equal deposits minus withdrawals. */
    public boolean isConserved(int asset) {
        return Math.addExact(sumTotal(asset), feesCollected[asset]) == deposited[asset] - withdrawn[asset];
    }

    /** First account with a negative or over-reserved balance, described; null if none. */
    public String findNegativeBalance() {
        for (Account a : accounts) {
            for (int i = 0; i < assetNames.length; i++) {
                if (a.total[i] < 0 || a.reserved[i] < 0 || a.reserved[i] > a.total[i]) {
                    return "account " + a.id() + " " + assetNames[i] + " total=" + a.total[i] + " reserved=" + a.reserved[i];
                }
            }
        }
        return null;
    }

    /** Checks every ledger invariant; throws {@link IllegalStateException} naming the first broken one. */
    public void validateInternalState() {
        String negative = findNegativeBalance();
        if (negative != null) {
            throw new IllegalStateException("negative or over-reserved balance: " + negative);
        }
        for (int i = 0; i < assetNames.length; i++) {
            if (!isConserved(i)) {
                throw new IllegalStateException("not conserved: " + assetNames[i] + " accounts=" + sumTotal(i)
                        + " fees=" + feesCollected[i] + " deposited=" + deposited[i] + " withdrawn=" + withdrawn[i]);
            }
        }
    }

    /** Restores totals for snapshot recovery; only {@code exchange.engine} snapshot code calls these. */
    public void restoreTotals(long[] feesCollected, long[] deposited, long[] withdrawn) {
        System.arraycopy(feesCollected, 0, this.feesCollected, 0, this.feesCollected.length);
        System.arraycopy(deposited, 0, this.deposited, 0, this.deposited.length);
        System.arraycopy(withdrawn, 0, this.withdrawn, 0, this.withdrawn.length);
    }

    /** Restores one account's balances and counters for snapshot recovery. */
    public void restoreAccount(Account a, long[] total, long[] reserved, long[] placed, long[] consumed,
                               long[] released, long feesPaid, long fillCount) {
        System.arraycopy(total, 0, a.total, 0, total.length);
        System.arraycopy(reserved, 0, a.reserved, 0, reserved.length);
        System.arraycopy(placed, 0, a.holdsPlaced, 0, placed.length);
        System.arraycopy(consumed, 0, a.holdsConsumed, 0, consumed.length);
        System.arraycopy(released, 0, a.holdsReleased, 0, released.length);
        a.feesPaid = feesPaid;
        a.fillCount = fillCount;
    }

    /** Re-adds a transfer record for snapshot recovery (balances are restored separately). */
    public void restoreTransfer(Transfer t) {
        transfersById.put(t.transferId(), t);
        transfers.add(t);
    }
}
