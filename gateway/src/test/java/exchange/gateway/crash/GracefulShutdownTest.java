package exchange.gateway.crash;

import exchange.gateway.crash.Replay.StatePoint;
import exchange.gateway.crash.Traders.Trader;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Graceful shutdown under load (issue 20): the exchange runs as a child JVM, eight clients trade
 * against it, and it gets SIGTERM in the middle of that. It stops accepting (new requests 503
 * {@code UNAVAILABLE}, then connections refused), answers every request already in flight,
 * drains the ring, syncs and closes the journal, and exits with status 143. After a restart every
 * acknowledged order is there, the state equals what the replay tool rebuilds from the
 * directory, and, unlike after a kill, no request that went unanswered had been journaled: a
 * client of a graceful stop never has to wonder.
 */
class GracefulShutdownTest {
    static final int TRADERS = 8;
    static final int ORDERS_BEFORE_STOP = 600;

    @RegisterExtension
    final CrashWorkspace workspace = new CrashWorkspace();

    @ParameterizedTest(name = "durability {0}")
    @ValueSource(strings = {"process", "sync"})
    @Timeout(180)
    void shouldAnswerEverythingInFlightAndLoseNothingAcknowledgedWhenStoppedUnderLoad(String durability) {
        Path config = CrashConfig.write(workspace.dir(), durability);
        Path replayConfig = CrashConfig.writeReplayConfig(workspace.dir(), config);
        ChildExchange child = workspace.child("exchange");
        child.start(config, CrashRecoveryTest.START_TIMEOUT);
        ExchangeClient api = new ExchangeClient(child.port());
        List<Trader> traders = Traders.create(api, TRADERS);
        OrderLedger ledger = new OrderLedger();

        TradingLoad load = new TradingLoad(api, traders, ledger, 1, 20261206L, 100_000).start();
        int orders = durability.equals("sync") ? ORDERS_BEFORE_STOP / 2 : ORDERS_BEFORE_STOP;
        load.awaitAcknowledged(orders, Duration.ofSeconds(30));
        long t0 = System.nanoTime();
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(CrashRecoveryTest.STOP_TIMEOUT),
                () -> "exit status after SIGTERM under load; " + child.describe());
        long stopMillis = (System.nanoTime() - t0) / 1_000_000;
        load.stopAndJoin(Duration.ofSeconds(30));
        assertEquals(List.of(), ledger.unexpected(), "answers the load did not expect during the stop");
        assertTrue(load.acknowledgedThisRun() >= 100, () -> "too little progress before the stop: "
                + load.acknowledgedThisRun());
        assertTrue(child.logContains("HTTP drained in"), "the stop must have drained HTTP; " + child.logTail(30));
        workspace.log("SIGTERM after " + load.acknowledgedThisRun() + " acknowledged orders; exited in " + stopMillis
                + " ms; " + load.refusedWhileStopping() + " clients refused with 503 UNAVAILABLE, "
                + load.endedUnreachable() + " found the port closed, " + ledger.unacknowledged().size()
                + " requests unanswered");

        StatePoint journaled = Replay.state(child.dataDir(), replayConfig);
        assertTrue(journaled.seq() >= ledger.maxAcknowledgedSeq(), () -> "acknowledged seq "
                + ledger.maxAcknowledgedSeq() + " is missing from the journal, which ends at " + journaled);

        child.start(config, CrashRecoveryTest.START_TIMEOUT);
        api = ExchangeClient.verifying(child.port());
        assertEquals(journaled, StatePoint.of(api.state()),
                "the restarted exchange must recover exactly the state the replay tool rebuilds");
        RecoveryChecks checks = new RecoveryChecks(api, traders, ledger);
        checks.verifyAcknowledged(ledger.acknowledged());
        RecoveryChecks.RetryOutcome retried = checks.retryUnacknowledged(ledger.unacknowledged());
        assertEquals(0, retried.journaledBeforeKill(), "a graceful stop answers every request it journaled");
        checks.verifyBalances();
        StatePoint live = StatePoint.of(api.state());
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(CrashRecoveryTest.STOP_TIMEOUT));
        assertEquals(live, Replay.state(child.dataDir(), replayConfig),
                "after the second stop the replay tool must rebuild the state the exchange served last");
        workspace.log("restarted at " + journaled + "; verified " + ledger.acknowledged().size()
                + " acknowledged orders; " + retried.placedNow() + " unanswered requests placed now, none had been"
                + " journaled; funds conserved");
    }
}
