package exchange.engine;

import exchange.engine.reference.ReferenceExchange;
import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Timeout;

/**
 * The rule tests against the naive reference model: proves the model itself follows the rules
 * document before the simulation uses it as the oracle for the engine.
 */
@Timeout(60)
class ReferenceExchangeRulesTest extends EngineRulesContract {
    @Override
    Venue newVenue(ExchangeConfig config) {
        return new ReferenceExchange(config);
    }
}
