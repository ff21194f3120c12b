package exchange.engine;

/**
 * A tradable symbol. {@code referencePriceTicks} anchors the price collar until the first trade
 * (0 = no collar before the first trade).
 */
public record SymbolConfig(String symbol, long referencePriceTicks) {
    public SymbolConfig {
        if (symbol == null || !symbol.matches("[A-Z][A-Z0-9.]{0,15}")) {
            throw new IllegalArgumentException("invalid symbol: " + symbol);
        }
        if (referencePriceTicks < 0) {
            throw new IllegalArgumentException("negative reference price for " + symbol);
        }
    }
}
