package exchange.engine.pipeline;

import exchange.engine.Command;

/**
 * Where the journal stage writes each state-changing command. Runs on the journal thread, in
 * parallel with the engine on the same slot; results are released only after both are done.
 * {@code seq} is the engine sequence the command will have (the journal stage counts journaled
 * commands exactly as the engine does). Implementations must not modify the command.
 */
public interface JournalPort {
    /** A port that writes nothing (tests and in-memory runs). */
    JournalPort NONE = new JournalPort() {
        @Override
        public void append(Command command, long seq) {
        }

        @Override
        public void endOfBatch() {
        }
    };

    /**
     * Called before the first {@link #append} of each Disruptor batch: until the batch's
     * {@link #endOfBatch}, the port may hold appended commands back and write them together;
     * results are released only after {@code endOfBatch} returns.
     */
    default void beginBatch() {
    }

    void append(Command command, long seq);

    /**
     * Called at the end of each Disruptor batch: writes what {@link #beginBatch} let the port hold
     * back, and is the place for group commit (msync in {@code sync} mode).
     */
    void endOfBatch();

    /**
     * Writes and makes everything appended so far durable on disk, whatever the mode. Called for a SNAPSHOT
     * command before the snapshot is written, so a snapshot is never ahead of the journal on disk.
     */
    default void force() {
    }
}
