package exchange.engine;

import exchange.engine.testing.Venue;
import org.junit.jupiter.api.Timeout;

/** The outside-market rules against the real engine; its invariants are checked after every command. */
@Timeout(60)
class ExchangeOutsideMarketRulesTest extends OutsideMarketRulesContract {
    @Override
    Venue newVenue(ExchangeConfig config) {
        return Venue.of(new Exchange(config));
    }
}
