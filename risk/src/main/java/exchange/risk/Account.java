package exchange.risk;

/**
 * One account's balances: per asset a total and the part of it reserved (held) by open
 * orders. Asset 0 is cash (USD, scaled by {@link Money#SCALE}); assets 1..n are share
 * positions in whole shares. Also keeps cumulative counters used by the end-of-day report.
 *
 * <p>Owned by the engine thread through {@link Ledger}; nothing else mutates it.
 * Invariant: {@code 0 <= reserved[a] <= total[a]} for every asset.
 */
public final class Account {
    private final long id;
    private final String name;
    private final String apiKeyHash;
    private final int makerFeeBps;
    private final int takerFeeBps;
    final long[] total;
    final long[] reserved;
    final long[] holdsPlaced;
    final long[] holdsConsumed;
    final long[] holdsReleased;
    long feesPaid;
    long fillCount;

    Account(long id, String name, String apiKeyHash, int makerFeeBps, int takerFeeBps, int assets) {
        this.id = id;
        this.name = name;
        this.apiKeyHash = apiKeyHash;
        this.makerFeeBps = makerFeeBps;
        this.takerFeeBps = takerFeeBps;
        this.total = new long[assets];
        this.reserved = new long[assets];
        this.holdsPlaced = new long[assets];
        this.holdsConsumed = new long[assets];
        this.holdsReleased = new long[assets];
    }

    public long id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The hash of the account's API key, as given when it was created (the engine never sees the key). */
    public String apiKeyHash() {
        return apiKeyHash;
    }

    public int makerFeeBps() {
        return makerFeeBps;
    }

    public int takerFeeBps() {
        return takerFeeBps;
    }

    /** The larger of the maker and taker rate: what a buy hold reserves for fees. */
    public int maxFeeBps() {
        return Math.max(makerFeeBps, takerFeeBps);
    }

    public long total(int asset) {
        return total[asset];
    }

    public long reserved(int asset) {
        return reserved[asset];
    }

    public long available(int asset) {
        return total[asset] - reserved[asset];
    }

    public long holdsPlaced(int asset) {
        return holdsPlaced[asset];
    }

    public long holdsConsumed(int asset) {
        return holdsConsumed[asset];
    }

    public long holdsReleased(int asset) {
        return holdsReleased[asset];
    }

    /** Cumulative fees paid, in cash units. */
    public long feesPaid() {
        return feesPaid;
    }

    /** Cumulative number of fills this account took part in. */
    public long fillCount() {
        return fillCount;
    }

    int assetCount() {
        return total.length;
    }
}
