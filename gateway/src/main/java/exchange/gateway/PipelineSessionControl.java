package exchange.gateway;

import exchange.engine.ResultCode;
import exchange.engine.SessionStatus;
import exchange.engine.pipeline.CommandPublisher;
import exchange.engine.pipeline.CommandResult;
import exchange.engine.pipeline.CommandTranslator;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.session.SessionControl;
import exchange.gateway.session.TradingSession;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;

/**
 * The session scheduler's port to the engine, through the ring: {@code SESSION_OPEN} and
 * {@code SESSION_CLOSE} are published like any other command (so they are journaled and replay
 * exactly) and the state is read with {@code QUERY_SESSION}, which costs the engine thread
 * constant time (the scheduler reads it every poll; {@code QUERY_STATE}'s state hash over every
 * held order stalled order entry for 10-44 ms a poll under load). Each call waits for its result, which
 * is right for the scheduler's own thread and never done on a request thread. A full ring is
 * retried briefly, then reported as an exception so the scheduler retries on its next tick.
 */
public final class PipelineSessionControl implements SessionControl {
    /** Longest wait for one command's result (ring full included). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private final CommandPublisher publisher;
    private final EpochNanoClock clock;
    private final Duration timeout;

    public PipelineSessionControl(CommandPublisher publisher, EpochNanoClock clock) {
        this(publisher, clock, DEFAULT_TIMEOUT);
    }

    public PipelineSessionControl(CommandPublisher publisher, EpochNanoClock clock, Duration timeout) {
        this.publisher = publisher;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public State state() {
        CommandResult r = submit(GatewayCommands.QUERY_SESSION, clock);
        if (!(r.queryResult() instanceof SessionStatus s)) {
            throw new IllegalStateException("QUERY_SESSION returned " + r.result() + " without a status");
        }
        LocalDate date = s.sessionDate() == 0 ? null : LocalDate.ofEpochDay(s.sessionDate());
        return new State(s.open(), date);
    }

    @Override
    public boolean open(TradingSession session) {
        CommandResult r = submit(GatewayCommands.SESSION_OPEN, new GatewayCommands.SessionOpen(clock,
                session.date().toEpochDay(), nanosOf(session.closesAt())));
        return r.result() == ResultCode.OK;
    }

    @Override
    public boolean close(LocalDate date) {
        CommandResult r = submit(GatewayCommands.SESSION_CLOSE, clock);
        return r.result() == ResultCode.OK;
    }

    private <A> CommandResult submit(CommandTranslator<A> translator, A arg) {
        return BlockingSubmit.submitAndWait(publisher, translator, arg, timeout);
    }

    static long nanosOf(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000_000L), t.getNano());
    }
}
