package exchange.engine;

import exchange.readside.marketdata.MarketDataProjection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The market-data projection keeps as many venues per symbol as the engine takes quotes from: it
 * stops on one more (the two would disagree), so the two limits must stay one number.
 */
@Timeout(10)
class ReferenceVenueLimitTest {
    @Test
    void shouldKeepAsManyVenuesPerSymbolAsTheEngineTakes() {
        assertEquals(ReferenceQuotes.MAX_VENUES_PER_SYMBOL, MarketDataProjection.MAX_REFERENCE_VENUES);
    }
}
