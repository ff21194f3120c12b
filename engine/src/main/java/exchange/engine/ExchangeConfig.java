package exchange.engine;

import exchange.risk.Money;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's limits and rules, each with a named default, validated once at construction.
 * Immutable; the same config must be used to replay a journal (it is part of the deterministic
 * function).
 */
public final class ExchangeConfig {
    public static final long DEFAULT_MAX_ORDER_QTY = 1_000_000L;
    /** $10,000,000 per order. */
    public static final long DEFAULT_MAX_ORDER_NOTIONAL = 10_000_000L * Money.SCALE;
    /** 10% either side of the reference price. */
    public static final int DEFAULT_PRICE_COLLAR_BPS = 1_000;
    public static final int DEFAULT_MAX_OPEN_ORDERS_PER_ACCOUNT = 10_000;
    public static final int DEFAULT_GTC_MAX_AGE_DAYS = 90;
    /**
     * Session closes an ended order stays in the engine for, beside the session it ended in
     * (the idempotency window, {@code docs/engine-rules.md}).
     */
    public static final int DEFAULT_IDEMPOTENCY_SESSIONS = 5;
    /** The widest idempotency window accepted: it bounds the orders the engine holds. */
    public static final int MAX_IDEMPOTENCY_SESSIONS = 1_000;
    public static final int DEFAULT_MAX_ACCOUNTS = 1_000_000;
    public static final int DEFAULT_MAX_CLIENT_ORDER_ID_LENGTH = 64;
    /** Highest accepted price: $1,000,000 a share. */
    public static final long DEFAULT_MAX_PRICE_TICKS = 1_000_000L * Money.SCALE;
    public static final int DEFAULT_QUERY_LIMIT = 500;
    public static final int MAX_QUERY_LIMIT = 10_000;
    /** Longest account name, so the longest liquidity-provider name that can name an account. */
    public static final int MAX_ACCOUNT_NAME_LENGTH = 64;

    private final List<SymbolConfig> symbols;
    private final long maxOrderQty;
    private final long maxOrderNotional;
    private final long maxPriceTicks;
    private final int priceCollarBps;
    private final int maxOpenOrdersPerAccount;
    private final int gtcMaxAgeDays;
    private final int idempotencySessions;
    private final int maxAccounts;
    private final int maxClientOrderIdLength;
    private final SelfTradePrevention defaultSelfTradePrevention;
    private final List<String> referenceFillSymbols;
    private final String liquidityProviderName;

    private ExchangeConfig(Builder b) {
        if (b.symbols.isEmpty()) {
            throw new IllegalArgumentException("at least one symbol is required");
        }
        Set<String> seen = new HashSet<>();
        for (SymbolConfig s : b.symbols) {
            if (!seen.add(s.symbol()) || "USD".equals(s.symbol())) {
                throw new IllegalArgumentException("duplicate or reserved symbol " + s.symbol());
            }
        }
        require(b.maxOrderQty >= 1, "maxOrderQty must be >= 1");
        require(b.maxOrderNotional >= 1, "maxOrderNotional must be >= 1");
        require(b.maxPriceTicks >= 1, "maxPriceTicks must be >= 1");
        require(b.priceCollarBps >= 0 && b.priceCollarBps <= 100_000, "priceCollarBps in [0, 100000] (0 = off)");
        require(b.maxOpenOrdersPerAccount >= 1, "maxOpenOrdersPerAccount must be >= 1");
        require(b.gtcMaxAgeDays >= 1, "gtcMaxAgeDays must be >= 1");
        require(b.idempotencySessions >= 0 && b.idempotencySessions <= MAX_IDEMPOTENCY_SESSIONS,
                "idempotencySessions in [0, " + MAX_IDEMPOTENCY_SESSIONS + "]");
        require(b.maxAccounts >= 1, "maxAccounts must be >= 1");
        require(b.maxClientOrderIdLength >= 1 && b.maxClientOrderIdLength <= 256, "maxClientOrderIdLength in [1, 256]");
        require(b.defaultSelfTradePrevention != null && b.defaultSelfTradePrevention != SelfTradePrevention.DEFAULT,
                "defaultSelfTradePrevention must name a mode");
        Set<String> fillSymbols = new HashSet<>();
        for (String s : b.referenceFillSymbols) {
            require(seen.contains(s), "fill against reference: unknown symbol " + s);
            require(fillSymbols.add(s), "fill against reference: symbol " + s + " listed twice");
        }
        require(b.referenceFillSymbols.isEmpty() || (b.liquidityProviderName != null
                        && !b.liquidityProviderName.isEmpty() && b.liquidityProviderName.length() <= MAX_ACCOUNT_NAME_LENGTH),
                "fill against reference: the liquidity provider must be an account name of 1.."
                        + MAX_ACCOUNT_NAME_LENGTH + " characters");
        symbols = List.copyOf(b.symbols);
        maxOrderQty = b.maxOrderQty;
        maxOrderNotional = b.maxOrderNotional;
        maxPriceTicks = b.maxPriceTicks;
        priceCollarBps = b.priceCollarBps;
        maxOpenOrdersPerAccount = b.maxOpenOrdersPerAccount;
        gtcMaxAgeDays = b.gtcMaxAgeDays;
        idempotencySessions = b.idempotencySessions;
        maxAccounts = b.maxAccounts;
        maxClientOrderIdLength = b.maxClientOrderIdLength;
        defaultSelfTradePrevention = b.defaultSelfTradePrevention;
        referenceFillSymbols = List.copyOf(b.referenceFillSymbols);
        liquidityProviderName = referenceFillSymbols.isEmpty() ? null : b.liquidityProviderName;
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The demo setup: AAPL, MSFT, GOOGL, AMZN, TSLA with every other setting at its default. */
    public static ExchangeConfig demo() {
        return builder()
                .symbol("AAPL", 0).symbol("MSFT", 0).symbol("GOOGL", 0).symbol("AMZN", 0).symbol("TSLA", 0)
                .build();
    }

    public List<SymbolConfig> symbols() {
        return symbols;
    }

    public long maxOrderQty() {
        return maxOrderQty;
    }

    public long maxOrderNotional() {
        return maxOrderNotional;
    }

    public long maxPriceTicks() {
        return maxPriceTicks;
    }

    /** Collar half-width in basis points of the reference price; 0 disables the collar. */
    public int priceCollarBps() {
        return priceCollarBps;
    }

    public int maxOpenOrdersPerAccount() {
        return maxOpenOrdersPerAccount;
    }

    public int gtcMaxAgeDays() {
        return gtcMaxAgeDays;
    }

    /**
     * N of the idempotency window: an ended order leaves the engine at the session close after
     * which {@code closeCount - N} exceeds both the close count it was created at and the one it
     * ended at; until then a retry of its client order id answers with it.
     */
    public int idempotencySessions() {
        return idempotencySessions;
    }

    public int maxAccounts() {
        return maxAccounts;
    }

    public int maxClientOrderIdLength() {
        return maxClientOrderIdLength;
    }

    public SelfTradePrevention defaultSelfTradePrevention() {
        return defaultSelfTradePrevention;
    }

    /**
     * The symbols whose resting orders fill against the outside market (issue 19, off by default:
     * empty), in the order they were given. See {@code docs/engine-rules.md}, "Reference quotes".
     */
    public List<String> referenceFillSymbols() {
        return referenceFillSymbols;
    }

    /** True if resting orders of {@code symbol} fill against the outside market. */
    public boolean fillsAgainstReference(String symbol) {
        return referenceFillSymbols.contains(symbol);
    }

    /**
     * The name of the account that is the counterparty of fills against the outside market (the
     * account with the lowest id of that name, resolved when it fills); null when no symbol fills.
     */
    public String liquidityProviderName() {
        return liquidityProviderName;
    }

    /** Asset names as the ledger indexes them: "USD" then the symbols in configured order. */
    public String[] assetNames() {
        String[] names = new String[symbols.size() + 1];
        names[0] = "USD";
        for (int i = 0; i < symbols.size(); i++) {
            names[i + 1] = symbols.get(i).symbol();
        }
        return names;
    }

    /** Mutable builder; every setting starts at its named default. */
    public static final class Builder {
        private final List<SymbolConfig> symbols = new ArrayList<>();
        private long maxOrderQty = DEFAULT_MAX_ORDER_QTY;
        private long maxOrderNotional = DEFAULT_MAX_ORDER_NOTIONAL;
        private long maxPriceTicks = DEFAULT_MAX_PRICE_TICKS;
        private int priceCollarBps = DEFAULT_PRICE_COLLAR_BPS;
        private int maxOpenOrdersPerAccount = DEFAULT_MAX_OPEN_ORDERS_PER_ACCOUNT;
        private int gtcMaxAgeDays = DEFAULT_GTC_MAX_AGE_DAYS;
        private int idempotencySessions = DEFAULT_IDEMPOTENCY_SESSIONS;
        private int maxAccounts = DEFAULT_MAX_ACCOUNTS;
        private int maxClientOrderIdLength = DEFAULT_MAX_CLIENT_ORDER_ID_LENGTH;
        private SelfTradePrevention defaultSelfTradePrevention = SelfTradePrevention.CANCEL_NEWEST;
        private List<String> referenceFillSymbols = List.of();
        private String liquidityProviderName;

        public Builder symbol(String symbol, long referencePriceTicks) {
            symbols.add(new SymbolConfig(symbol, referencePriceTicks));
            return this;
        }

        public Builder maxOrderQty(long v) {
            maxOrderQty = v;
            return this;
        }

        public Builder maxOrderNotional(long v) {
            maxOrderNotional = v;
            return this;
        }

        public Builder maxPriceTicks(long v) {
            maxPriceTicks = v;
            return this;
        }

        public Builder priceCollarBps(int v) {
            priceCollarBps = v;
            return this;
        }

        public Builder maxOpenOrdersPerAccount(int v) {
            maxOpenOrdersPerAccount = v;
            return this;
        }

        public Builder gtcMaxAgeDays(int v) {
            gtcMaxAgeDays = v;
            return this;
        }

        public Builder idempotencySessions(int v) {
            idempotencySessions = v;
            return this;
        }

        public Builder maxAccounts(int v) {
            maxAccounts = v;
            return this;
        }

        public Builder maxClientOrderIdLength(int v) {
            maxClientOrderIdLength = v;
            return this;
        }

        public Builder defaultSelfTradePrevention(SelfTradePrevention v) {
            defaultSelfTradePrevention = v;
            return this;
        }

        /**
         * Turns fills against the outside market on for {@code symbols} (configured ones, each
         * once), with the account named {@code liquidityProvider} as counterparty; an empty list
         * turns them off.
         */
        public Builder fillAgainstReference(List<String> symbols, String liquidityProvider) {
            referenceFillSymbols = List.copyOf(symbols);
            liquidityProviderName = liquidityProvider;
            return this;
        }

        public ExchangeConfig build() {
            return new ExchangeConfig(this);
        }
    }
}
