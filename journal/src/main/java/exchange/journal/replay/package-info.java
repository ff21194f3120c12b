/**
 * The journal replay tool ({@code scripts/replay.sh}, {@link exchange.journal.replay.ReplayTool}):
 * rebuilds an exchange from a data directory, read-only, to print its state, verify that it is a
 * deterministic function of its journal (and that the events queue, snapshots and end-of-day
 * report files agree with it), dump the journal, or regenerate an end-of-day report.
 *
 * <p>Also the data directory's configuration file, {@code exchange-config.properties}
 * ({@link exchange.journal.replay.ExchangeConfigFile}): the exchange writes the engine
 * configuration there when it starts, since a journal replays only under the configuration that
 * wrote it.
 */
package exchange.journal.replay;
