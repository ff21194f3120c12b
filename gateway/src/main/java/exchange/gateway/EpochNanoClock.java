package exchange.gateway;

import java.time.Instant;

/**
 * Wall-clock time in nanoseconds since the epoch. The gateway is the only place that reads a
 * clock: it stamps this time into every command before the command enters the ring, so the
 * engine stays a deterministic function of the journal. Injected so tests control time.
 */
@FunctionalInterface
public interface EpochNanoClock {
    /** The system clock, at the resolution the JVM offers. */
    EpochNanoClock SYSTEM = () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };

    long epochNanos();
}
