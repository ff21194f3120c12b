package exchange.engine;

import exchange.engine.reference.ReferenceExchange;
import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Timeout;

/** The outside-market rules against the naive reference model, before the simulation uses it as the oracle. */
@Timeout(60)
class ReferenceExchangeOutsideMarketRulesTest extends OutsideMarketRulesContract {
    @Override
    Venue newVenue(ExchangeConfig config) {
        return new ReferenceExchange(config);
    }
}
