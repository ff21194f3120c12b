/**
 * Durability for the exchange: the command journal, the events queue, snapshots and recovery.
 *
 * <p>Layout of a data directory:
 * <pre>
 *  &lt;dataDir&gt;/journal/     Chronicle Queue of journaled commands ({@link exchange.journal.CommandCodec} records),
 *                        written by {@link exchange.journal.ChronicleJournal}, read by {@link exchange.journal.JournalReader}
 *  &lt;dataDir&gt;/events/      Chronicle Queue of engine events ({@link exchange.journal.EventCodec} records),
 *                        written by {@link exchange.journal.EventJournal}, read by {@link exchange.journal.EventTailer}
 *  &lt;dataDir&gt;/snapshots/   snapshot-&lt;seq, 20 digits&gt;.snap files, managed by {@link exchange.journal.SnapshotStore}
 * </pre>
 *
 * <p>The journal is the source of truth: state = newest valid snapshot + the journaled commands
 * after its sequence ({@link exchange.journal.Recovery}); the events queue is derived from it.
 */
package exchange.journal;
