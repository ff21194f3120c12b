package exchange.journal;

import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;

import java.util.Objects;

/**
 * Settings of the command journal and the events queue, each with a named default, validated at
 * construction. Immutable.
 *
 * <ul>
 *   <li>{@code durability}: {@link #DEFAULT_DURABILITY} ({@code process}).</li>
 *   <li>{@code rollCycle}: when Chronicle starts a new queue file. Default {@link #DEFAULT_ROLL_CYCLE}
 *       ({@code FAST_DAILY}: one file per UTC day, named {@code yyyyMMdd'F'.cq4}, up to 2^32
 *       records a day). Any {@link RollCycles} name is accepted; a journal must be reopened with
 *       the roll cycle it was created with.</li>
 *   <li>{@code timeProvider}: the wall clock Chronicle uses only to pick the current cycle
 *       (tests advance it to force a roll). Default the system clock.</li>
 * </ul>
 */
public final class JournalOptions {
    public static final DurabilityMode DEFAULT_DURABILITY = DurabilityMode.PROCESS;
    public static final RollCycle DEFAULT_ROLL_CYCLE = RollCycles.FAST_DAILY;

    private final DurabilityMode durability;
    private final RollCycle rollCycle;
    private final TimeProvider timeProvider;

    private JournalOptions(DurabilityMode durability, RollCycle rollCycle, TimeProvider timeProvider) {
        this.durability = Objects.requireNonNull(durability, "durability");
        this.rollCycle = Objects.requireNonNull(rollCycle, "rollCycle");
        this.timeProvider = timeProvider;
    }

    /** Every setting at its default. */
    public static JournalOptions defaults() {
        return new JournalOptions(DEFAULT_DURABILITY, DEFAULT_ROLL_CYCLE, null);
    }

    public JournalOptions withDurability(DurabilityMode mode) {
        return new JournalOptions(mode, rollCycle, timeProvider);
    }

    public JournalOptions withRollCycle(RollCycle cycle) {
        return new JournalOptions(durability, cycle, timeProvider);
    }

    /** A roll cycle by its {@link RollCycles} name, e.g. {@code FAST_DAILY}, {@code FAST_HOURLY}. */
    public JournalOptions withRollCycle(String name) {
        try {
            return withRollCycle(RollCycles.valueOf(name));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown roll cycle '" + name + "' (e.g. FAST_DAILY, FAST_HOURLY)", e);
        }
    }

    public JournalOptions withTimeProvider(TimeProvider provider) {
        return new JournalOptions(durability, rollCycle, provider);
    }

    public DurabilityMode durability() {
        return durability;
    }

    public RollCycle rollCycle() {
        return rollCycle;
    }

    /** The clock for cycle selection, or null for Chronicle's system clock. */
    public TimeProvider timeProvider() {
        return timeProvider;
    }

    @Override
    public String toString() {
        return "JournalOptions{durability=" + durability.configName() + ", rollCycle=" + rollCycle + "}";
    }
}
