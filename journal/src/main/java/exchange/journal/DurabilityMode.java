package exchange.journal;

import java.util.Locale;

/**
 * When a journaled command counts as durable, that is, when its result may be acknowledged.
 * Named {@code process} and {@code sync} in configuration.
 */
public enum DurabilityMode {
    /**
     * The record is in the memory-mapped queue file before the ack. The OS writes it back later:
     * survives a crash of the process, not of the machine or its power.
     */
    PROCESS,
    /**
     * What a Disruptor batch wrote is flushed to the device ({@code msync(MS_SYNC)}, plus
     * {@code fsync} of a file closed by a roll within the batch) once per batch, before the ack
     * (group commit): survives an OS crash or power loss.
     */
    SYNC;

    /** The configuration name: {@code process} or {@code sync}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a configuration name, case-insensitively. */
    public static DurabilityMode parse(String name) {
        for (DurabilityMode m : values()) {
            if (m.name().equalsIgnoreCase(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown durability mode '" + name + "' (expected process or sync)");
    }
}
