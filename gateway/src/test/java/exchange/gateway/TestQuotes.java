package exchange.gateway;

import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code REFERENCE_QUOTE} commands published into a running server's pipeline through the publisher
 * its own routes use (as a quote adapter would), stamped by the clock the test gives.
 */
final class TestQuotes {
    /** A quote of one venue for one symbol; prices in ticks. */
    record Quote(EpochNanoClock clock, String symbol, String venue, long bid, long bidQty, long ask, long askQty,
                 long staleAfterNanos) {
    }

    static final CommandTranslator<Quote> REFERENCE_QUOTE = (slot, q) -> {
        slot.type = CommandType.REFERENCE_QUOTE;
        slot.symbol = q.symbol();
        slot.venue = q.venue();
        slot.bidPriceTicks = q.bid();
        slot.bidQty = q.bidQty();
        slot.askPriceTicks = q.ask();
        slot.askQty = q.askQty();
        slot.staleAfterNanos = q.staleAfterNanos();
        slot.timestampNanos = q.clock().epochNanos();
    };

    private TestQuotes() {
    }

    /** Publishes the quote and waits for its result. */
    static CommandResult submit(TestExchange exchange, Quote q) {
        return BlockingSubmit.submitAndWait(exchange.server.publisher(), REFERENCE_QUOTE, q, Duration.ofSeconds(10));
    }

    /** Publishes an AAPL quote the engine takes; returns its seq. */
    static long quote(TestExchange exchange, EpochNanoClock clock, String venue, long bid, long bidQty, long ask,
                      long askQty, long staleAfterNanos) {
        CommandResult r = submit(exchange, new Quote(clock, "AAPL", venue, bid, bidQty, ask, askQty, staleAfterNanos));
        assertEquals(ResultCode.OK, r.result());
        return r.seq();
    }
}
