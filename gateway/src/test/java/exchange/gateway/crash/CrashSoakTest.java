package exchange.gateway.crash;

import exchange.gateway.crash.Replay.StatePoint;
import exchange.gateway.crash.Traders.Trader;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash soak (tag {@code soak}, excluded from the default run; {@code scripts/test.sh -Psoak}):
 * dozens of SIGKILL / restart cycles of the exchange child JVM on one data directory, with order
 * flow during each cycle and the kill at a random moment of it; every fourth cycle's start is also
 * killed once before it serves (during the JVM's boot, or just after recovery while the journal is
 * opened and HTTP starts: {@link #killDuringStartUp}). Durability alternates between
 * {@code process} and {@code sync}. After each restart it checks what {@link CrashRecoveryTest}
 * checks: the recovered state equals the replay tool's rebuild of the killed directory (also after a
 * killed recovery), the previous cycle's acknowledged orders plus a sample of older ones are
 * intact and idempotent, unanswered requests resolve cleanly, funds are conserved. At the end every
 * acknowledged order is checked, the child is stopped cleanly and the replay tool must agree and
 * pass {@code --verify}. After each kill the events queue must hold no event of a command the
 * journal does not have; that is collected over all cycles and asserted last, so that the other
 * invariants are still proven over every cycle while it fails.
 *
 * <p>System properties: {@code crash.soak.cycles} (default 30), {@code crash.soak.seed} (default
 * random, printed). Each cycle must finish within {@link #CYCLE_TIMEOUT}.
 */
@Tag("soak")
class CrashSoakTest {
    static final int CYCLES = Integer.getInteger("crash.soak.cycles", 30);
    static final Duration CYCLE_TIMEOUT = Duration.ofMinutes(3);
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final int TRADERS = 8;
    static final int OLDER_ORDERS_SAMPLED = 300;
    /** The child's log line when recovery has finished (before the journal is opened for appending). */
    static final String RECOVERED = "Recovery - recovered seq";

    @RegisterExtension
    final CrashWorkspace workspace = new CrashWorkspace();

    private Random rnd;
    private long seed;
    private Path processConfig;
    private Path syncConfig;
    private Path replayConfig;
    private ChildExchange child;
    /** The client of the checks after each restart (reads and idempotent retries only). */
    private ExchangeClient api;
    private List<Trader> traders;
    private final OrderLedger ledger = new OrderLedger();
    /** The state the killed directory rebuilds to: what the next start must recover. */
    private StatePoint expected;
    /** Kills after which the events queue held events of commands the journal does not have. */
    private final List<String> eventsBeyondJournal = new ArrayList<>();
    private int killsBeforeHealthy;
    private int killsAfterHealthy;

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES)
    void shouldKeepEveryAcknowledgedOrderAcrossRepeatedKillsUnderLoadAndDuringRecovery() {
        seed = Long.getLong("crash.soak.seed", System.nanoTime());
        rnd = new Random(seed);
        workspace.log("crash soak: " + CYCLES + " cycles, seed " + seed + " (-Dcrash.soak.seed=" + seed + " repeats it)");
        processConfig = CrashConfig.write(workspace.dir(), "process");
        syncConfig = CrashConfig.write(workspace.dir(), "sync");
        replayConfig = CrashConfig.writeReplayConfig(workspace.dir(), processConfig);
        child = workspace.child("exchange");
        child.start(processConfig, START_TIMEOUT);
        api = new ExchangeClient(child.port());
        traders = Traders.create(api, TRADERS);

        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int c = cycle;
            assertTimeoutPreemptively(CYCLE_TIMEOUT, () -> cycle(c), () -> "cycle " + c + " of the crash soak; "
                    + child.describe());
        }

        child.start(processConfig, START_TIMEOUT);
        api = ExchangeClient.verifying(child.port());
        assertEquals(expected, StatePoint.of(api.state()), "the final restart must recover the replay tool's state");
        RecoveryChecks checks = new RecoveryChecks(api, traders, ledger);
        checks.retryUnacknowledged(ledger.unacknowledged());
        checks.verifyAcknowledged(ledger.acknowledged());
        checks.verifyBalances();
        StatePoint live = StatePoint.of(api.state());
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(Duration.ofSeconds(60)), () -> "exit after SIGTERM; "
                + child.describe());
        assertEquals(live, Replay.state(child.dataDir(), replayConfig), "the replay tool after the final clean stop");
        Replay.verify(child.dataDir(), replayConfig);
        assertEquals(List.of(), eventsBeyondJournal, "after these kills the events queue held events of commands the "
                + "journal does not have (written by the engine stage before the journal stage appended the command); "
                + "recovery then reuses those sequences for other commands");
        workspace.log("soak passed: " + CYCLES + " cycles, " + ledger.acknowledged().size() + " acknowledged orders all "
                + "intact, final " + live + ", kills during start-up " + killsBeforeHealthy + " before and "
                + killsAfterHealthy + " after /health answered, " + CrashRecoveryTest.snapshotCount(child.dataDir())
                + " snapshots on disk, " + ExchangeClient.resent() + " verification requests resent after a dropped "
                + "keep-alive connection");
    }

    /** One cycle: (restart and check, unless it is the first) then load and kill it at a random moment. */
    private void cycle(int cycle) {
        Path config = cycle % 2 == 0 ? syncConfig : processConfig;
        if (cycle > 1) {
            if (cycle % 4 == 3) {
                killDuringStartUp(cycle, config);
            }
            child.start(config, START_TIMEOUT);
            api = ExchangeClient.verifying(child.port());
            assertEquals(expected, StatePoint.of(api.state()),
                    "cycle " + cycle + ": the restart must recover the state the replay tool rebuilds");
            RecoveryChecks checks = new RecoveryChecks(api, traders, ledger);
            RecoveryChecks.RetryOutcome retried = checks.retryUnacknowledged(ledger.unacknowledged());
            List<OrderLedger.Entry> toCheck = entriesToCheck(cycle - 1);
            checks.verifyAcknowledged(toCheck);
            checks.verifyBalances();
            workspace.log("cycle " + cycle + ": recovered " + expected + ", checked " + toCheck.size() + " orders; of the "
                    + "unanswered requests " + retried.journaledBeforeKill() + " had been journaled, "
                    + retried.placedNow() + " were placed now");
        }
        TradingLoad load = new TradingLoad(new ExchangeClient(child.port()), traders, ledger, cycle, seed, 100_000).start();
        Duration killAfter = Duration.ofMillis(200 + rnd.nextInt(2_500));
        load.awaitAcknowledged(Long.MAX_VALUE, killAfter);
        child.kill();
        load.stopAndJoin(Duration.ofSeconds(30));
        assertEquals(List.of(), ledger.unexpected(), "cycle " + cycle + ": answers the load did not expect");
        expected = Replay.state(child.dataDir(), replayConfig);
        assertTrue(expected.seq() >= ledger.maxAcknowledgedSeq(), () -> "cycle " + cycle + ": acknowledged seq "
                + ledger.maxAcknowledgedSeq() + " is missing from the journal, which ends at " + expected);
        List<String> beyond = EventsQueue.eventsAfter(child.dataDir(), expected.seq(), 3);
        if (!beyond.isEmpty()) {
            eventsBeyondJournal.add("cycle " + cycle + ": the journal ends at seq " + expected.seq()
                    + ", the events queue goes on with " + beyond);
            workspace.log("cycle " + cycle + ": EVENTS QUEUE AHEAD OF THE JOURNAL " + beyond);
        }
        workspace.log("cycle " + cycle + " (" + config.getFileName() + "): killed after " + killAfter.toMillis() + " ms of load, "
                + load.acknowledgedThisRun() + " orders acknowledged; the journal rebuilds to " + expected);
    }

    /**
     * Launches and kills at a random moment of the start-up: in every other such cycle during the
     * JVM's boot and recovery (a random delay after launch), otherwise just after recovery has
     * finished, while the journal is opened (a torn tail voided), the engine settings pinned, the
     * session reconciled and HTTP started. Then the directory must still rebuild to the same state.
     */
    private void killDuringStartUp(int cycle, Path config) {
        child.launch(config);
        String phase;
        if (cycle % 8 == 3) {
            ChildExchange.sleep(Duration.ofMillis(200 + rnd.nextInt(1_500)));
            phase = "during boot";
        } else {
            boolean recovered = child.awaitLog(RECOVERED, START_TIMEOUT);
            ChildExchange.sleep(Duration.ofMillis(rnd.nextInt(300)));
            phase = recovered ? "after recovery" : "before recovery (the child exited?)";
        }
        boolean healthy = child.isHealthy();
        child.kill();
        boolean recovered = child.logContains(RECOVERED);
        if (healthy) {
            killsAfterHealthy++;
        } else {
            killsBeforeHealthy++;
        }
        StatePoint after = Replay.state(child.dataDir(), replayConfig);
        assertEquals(expected, after, "a start-up killed " + phase + (healthy ? ", after" : ", before") + " /health answered, "
                + "must leave the data directory rebuilding to the same state");
        workspace.log("killed start-up incarnation " + child.incarnation() + " " + phase + (healthy ? ", after" : ", before")
                + " /health answered (" + (recovered ? "after" : "before") + " its recovery finished); the directory "
                + "still rebuilds to " + after);
    }

    /** The orders of {@code cycle}, plus a random sample of older acknowledged ones. */
    private List<OrderLedger.Entry> entriesToCheck(int cycle) {
        List<OrderLedger.Entry> latest = new ArrayList<>();
        List<OrderLedger.Entry> older = new ArrayList<>();
        for (OrderLedger.Entry e : ledger.acknowledged()) {
            (e.cycle >= cycle ? latest : older).add(e);
        }
        Collections.shuffle(older, rnd);
        latest.addAll(older.subList(0, Math.min(OLDER_ORDERS_SAMPLED, older.size())));
        return latest;
    }
}
