package exchange.engine;

import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Timeout;

/**
 * The rule tests against the real engine; {@code validateInternalState()} runs after each one.
 */
@Timeout(60)
class ExchangeRulesTest extends EngineRulesContract {
    @Override
    Venue newVenue(ExchangeConfig config) {
        return Venue.of(new Exchange(config));
    }
}
