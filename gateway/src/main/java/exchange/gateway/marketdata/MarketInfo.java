package exchange.gateway.marketdata;

import exchange.engine.ExchangeConfig;
import exchange.engine.SymbolConfig;
import exchange.risk.Money;

import java.util.List;

/**
 * What the market-data routes say about the listed symbols, from the engine's configuration: the
 * tick ladder (a price below $1 may use any {@code 0.0001}, from $1 up only whole cents: the
 * engine's {@code INVALID_TICK} rule), quantity, price and notional limits, reference prices.
 * Immutable.
 */
record MarketInfo(List<SymbolConfig> symbols, long maxOrderQty, long maxPriceTicks, long maxOrderNotionalTicks) {
    /** The quote asset of every symbol. */
    static final String QUOTE_ASSET = "USD";
    /** The finest tick, below {@link #CENT_TICK_FROM}. */
    static final long SUB_DOLLAR_TICK = 1;
    /** Prices from here up trade in whole cents. */
    static final long CENT_TICK_FROM = Money.SCALE;
    static final long CENT_TICK = Money.CENT;

    static MarketInfo of(ExchangeConfig c) {
        return new MarketInfo(List.copyOf(c.symbols()), c.maxOrderQty(), c.maxPriceTicks(), c.maxOrderNotional());
    }

    boolean listed(String symbol) {
        return symbols.stream().anyMatch(s -> s.symbol().equals(symbol));
    }

    long referencePriceTicks(String symbol) {
        return symbols.stream().filter(s -> s.symbol().equals(symbol)).mapToLong(SymbolConfig::referencePriceTicks)
                .findFirst().orElse(0);
    }
}
