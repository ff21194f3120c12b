package exchange.journal.replay;

import exchange.engine.Command;
import exchange.engine.EngineEvent;
import exchange.engine.Exchange;
import exchange.engine.ExchangeConfig;
import exchange.journal.JournalReader;
import exchange.journal.RecoveryScan;

import java.nio.file.Path;
import java.util.List;

/**
 * A full replay: every command of a data directory's journal from seq 1, snapshots ignored, applied
 * to a fresh exchange, with each command and the events it produced handed to a {@link Listener}.
 * The journal is opened read-only ({@link JournalReader#openReadOnly}) and validated as it is read.
 */
final class JournalReplay {
    private JournalReplay() {
    }

    /** Sees each command right after the exchange applied it. */
    @FunctionalInterface
    interface Listener {
        /**
         * @param command  the command with the engine's results filled in (reused for the next one)
         * @param events   the events it produced (reused for the next one)
         * @param exchange the exchange after the command
         * @return false to stop the replay here
         */
        boolean afterCommand(Command command, List<EngineEvent> events, Exchange exchange);
    }

    /** The exchange after the last command applied, and what the journal read found. */
    record Outcome(Exchange exchange, RecoveryScan scan) {
    }

    /**
     * Replays commands up to and including {@code toSeq} (or the end of the journal).
     *
     * @throws ReplayException if the journal does not start at seq 1 or the engine fails on a command
     * @throws exchange.journal.JournalCorruptionException if the journal is corrupt before its tail
     */
    static Outcome run(Path dataDir, ExchangeConfig config, long toSeq, Listener listener) {
        Exchange exchange = new Exchange(config);
        EventBuffer buffer = new EventBuffer();
        RecoveryScan scan;
        try (JournalReader reader = JournalReader.openReadOnly(dataDir)) {
            scan = reader.readDecodingAhead(0, toSeq, JournalReader.CommandVisitor.prefetching(exchange, c -> {
                if (c.seq != exchange.lastSeq() + 1) {
                    throw new ReplayException("the journal starts at seq " + c.seq
                            + ", not 1: a full replay needs every command from seq 1");
                }
                buffer.clear();
                c.orderViewUnused = true;
                try {
                    exchange.apply(c, buffer);
                } catch (RuntimeException e) {
                    throw new ReplayException("the engine failed applying seq " + c.seq + " (" + c.type + "): " + e, e);
                }
                return listener.afterCommand(c, buffer.events(), exchange);
            }));
        }
        return new Outcome(exchange, scan);
    }
}
