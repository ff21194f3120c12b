package exchange.engine;

import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;

/**
 * The rule tests against the real engine; {@code validateInternalState()} runs after each one.
 * Tests marked as a reported engine defect are skipped unless {@code -Dexchange.defects=true}.
 */
@Timeout(60)
class ExchangeRulesTest extends EngineRulesContract {
    @Override
    Venue newVenue(ExchangeConfig config) {
        return Venue.of(new Exchange(config));
    }

    @Override
    void knownEngineDefect(String description) {
        Assumptions.assumeTrue(Boolean.getBoolean("exchange.defects"), "reported engine defect: " + description);
    }
}
