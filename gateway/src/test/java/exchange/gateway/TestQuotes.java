package exchange.gateway;

import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.command.GatewayCommands.ReferenceQuote;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code REFERENCE_QUOTE} commands published into a running server's pipeline through the publisher
 * its own routes use, with the quote adapters' translator, stamped by the clock the test gives.
 */
final class TestQuotes {
    private TestQuotes() {
    }

    /** Publishes the quote and waits for its result. */
    static CommandResult submit(TestExchange exchange, ReferenceQuote q) {
        return BlockingSubmit.submitAndWait(exchange.server.publisher(), GatewayCommands.REFERENCE_QUOTE, q,
                Duration.ofSeconds(10));
    }

    /** Publishes an AAPL quote the engine takes; returns its seq. */
    static long quote(TestExchange exchange, EpochNanoClock clock, String venue, long bid, long bidQty, long ask,
                      long askQty, long staleAfterNanos) {
        CommandResult r = submit(exchange, new ReferenceQuote(clock, "AAPL", venue, bid, bidQty, ask, askQty, 0,
                staleAfterNanos));
        assertEquals(ResultCode.OK, r.result());
        return r.seq();
    }
}
