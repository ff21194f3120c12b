package exchange.engine;

/**
 * Kinds of command. State-changing commands are journaled and advance the engine sequence;
 * queries and control commands are not journaled and change no state.
 */
public enum CommandType {
    // journaled, state changing
    CREATE_ACCOUNT(true),
    DEPOSIT(true),
    WITHDRAW(true),
    PLACE_ORDER(true),
    CANCEL_ORDER(true),
    SESSION_OPEN(true),
    SESSION_CLOSE(true),
    /**
     * A quote from an outside venue (issue 19, DESIGN section 10), published by a quote adapter:
     * journaled so that replay takes every decision made from it (collar, fills against the
     * outside market, staleness) again.
     */
    REFERENCE_QUOTE(true),
    // not journaled: read private state through the ring (read-your-writes)
    QUERY_ORDER(false),
    QUERY_ORDER_BY_CLIENT_ID(false),
    QUERY_ORDERS(false),
    QUERY_ACCOUNT(false),
    QUERY_STATE(false),
    /** Not journaled: capture a snapshot of the whole state at this point of the stream. */
    SNAPSHOT(false),
    /**
     * Not journaled: the session's state alone ({@link SessionStatus}), in constant time. The
     * session scheduler polls it every second; {@code QUERY_STATE} hashes every held order, which
     * held the engine thread 10-44 ms a poll in a load test (BENCHMARKS.md, issue 21).
     */
    QUERY_SESSION(false);

    private static final CommandType[] VALUES = values();

    private final boolean journaled;

    CommandType(boolean journaled) {
        this.journaled = journaled;
    }

    /** True if the command changes state, is journaled and takes an engine sequence number. */
    public boolean isJournaled() {
        return journaled;
    }

    public static CommandType ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
