package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.gateway.crash.Replay.StatePoint;
import exchange.gateway.crash.Traders.Trader;
import exchange.journal.SnapshotStore;
import exchange.journal.replay.ExchangeConfigFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Process-level crash recovery of the whole exchange (issue 4, "Prove it"): the exchange runs as a
 * child JVM ({@link ChildExchange}) on a data directory, eight clients trade against it over HTTP,
 * and it is killed with SIGKILL in the middle of that load, then restarted on the same directory.
 * What a client was told before the kill must still be true after it ({@link RecoveryChecks}), and
 * the restarted exchange's state must be exactly the one the replay tool rebuilds from the
 * directory: before the restart (what recovery must reach) and after a clean stop.
 */
class CrashRecoveryTest {
    static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
    static final int TRADERS = 8;
    static final int ORDERS_BEFORE_KILL = 1_000;
    /** {@code sync} flushes every ring batch to the device, so it gets through fewer orders. */
    static final int ORDERS_BEFORE_KILL_SYNC = 300;

    @RegisterExtension
    final CrashWorkspace workspace = new CrashWorkspace();

    @ParameterizedTest(name = "durability {0}")
    @ValueSource(strings = {"process", "sync"})
    @Timeout(180)
    void shouldKeepEveryAcknowledgedOrderAndConserveFundsWhenKilledUnderLoad(String durability) throws IOException {
        Path config = CrashConfig.write(workspace.dir(), durability);
        Path replayConfig = CrashConfig.writeReplayConfig(workspace.dir(), config);
        ChildExchange child = workspace.child("exchange");
        child.start(config, START_TIMEOUT);
        workspace.log("started " + child.describe());
        ExchangeClient api = new ExchangeClient(child.port());
        List<Trader> traders = Traders.create(api, TRADERS);
        OrderLedger ledger = new OrderLedger();

        int orders = durability.equals("sync") ? ORDERS_BEFORE_KILL_SYNC : ORDERS_BEFORE_KILL;
        TradingLoad load = new TradingLoad(api, traders, ledger, 1, 20261121L, 100_000).start();
        load.awaitAcknowledged(orders / 2, Duration.ofSeconds(10));
        ExchangeClient.Response snapshot = api.post("/v1/admin/snapshot", ChildExchange.ADMIN_KEY, "");
        assertEquals(201, snapshot.status(), () -> "POST /v1/admin/snapshot under load: " + snapshot);
        long snapshotSeq = snapshot.json().get("seq").asLong();
        load.awaitAcknowledged(orders, Duration.ofSeconds(20));
        child.kill();
        load.stopAndJoin(Duration.ofSeconds(30));
        workspace.log("killed with SIGKILL after " + load.acknowledgedThisRun() + " acknowledged orders; "
                + ledger.unacknowledged().size() + " requests unanswered, " + load.overloaded() + " overloaded");
        assertEquals(List.of(), ledger.unexpected(), "answers the load did not expect before the kill");
        assertTrue(load.acknowledgedThisRun() >= 100, () -> "the load made too little progress before the kill: "
                + load.acknowledgedThisRun() + " acknowledged orders; " + child.describe());
        assertTrue(load.endedUnreachable() > 0, "the kill must have cut at least one client's request");

        Replay.Rebuilt rebuilt = Replay.rebuild(child.dataDir(), replayConfig);
        StatePoint journaled = rebuilt.state();
        assertTrue(journaled.seq() >= ledger.maxAcknowledgedSeq(), () -> "acknowledged seq " + ledger.maxAcknowledgedSeq()
                + " is missing from the journal, which ends at " + journaled);
        assertTrue(rebuilt.snapshotSeq() >= snapshotSeq, () -> "recovery must start from the snapshot taken at seq "
                + snapshotSeq + " or a newer one, not " + rebuilt);
        workspace.log("replay tool on the killed data dir: " + journaled + " from the snapshot at seq "
                + rebuilt.snapshotSeq() + " (highest acknowledged seq " + ledger.maxAcknowledgedSeq() + "); events of "
                + "commands after the journal's end in the events queue: "
                + EventsQueue.eventsAfter(child.dataDir(), journaled.seq(), 3));

        child.start(config, START_TIMEOUT);
        api = ExchangeClient.verifying(child.port());
        assertEquals(journaled, StatePoint.of(api.state()),
                "the restarted exchange must recover exactly the state the replay tool rebuilds");
        workspace.log("restarted on the same data dir: " + journaled);

        RecoveryChecks checks = new RecoveryChecks(api, traders, ledger);
        checks.verifyAcknowledged(ledger.acknowledged());
        RecoveryChecks.RetryOutcome retried = checks.retryUnacknowledged(ledger.unacknowledged());
        checks.verifyBalances();
        assertTrue(Traders.ticks(api.state(), "fees_collected") > 0, "the load must have traded");
        workspace.log("verified " + ledger.acknowledged().size() + " orders and their retries; unanswered requests: "
                + retried.journaledBeforeKill() + " had been journaled, " + retried.placedNow() + " placed now; funds conserved");

        StatePoint live = StatePoint.of(api.state());
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(STOP_TIMEOUT), () -> "exit status after SIGTERM; " + child.describe());
        assertEquals(live, Replay.state(child.dataDir(), replayConfig),
                "after a clean stop the replay tool must rebuild the state the exchange served last");
        Replay.verify(child.dataDir(), replayConfig);
        assertEquals(Files.readString(replayConfig), Files.readString(ExchangeConfigFile.in(child.dataDir())),
                "the engine settings the exchange pinned in its data directory");
        workspace.log("stopped with SIGTERM at " + live + "; replay tool agrees and --verify passes; "
                + snapshotCount(child.dataDir()) + " snapshots on disk; " + ExchangeClient.resent()
                + " verification requests resent after a dropped keep-alive connection");
    }

    @Test
    @Timeout(180)
    void shouldRestartToTheSameSeqAndStateHashAfterEachCleanStop() {
        Path config = CrashConfig.write(workspace.dir(), "process");
        Path replayConfig = CrashConfig.writeReplayConfig(workspace.dir(), config);
        ChildExchange child = workspace.child("exchange");
        child.start(config, START_TIMEOUT);
        ExchangeClient api = new ExchangeClient(child.port());
        List<Trader> traders = Traders.create(api, 2);
        Trader buyer = traders.get(0);
        Trader seller = traders.get(1);
        place(api, buyer, new OrderRequest("rest-buy", "AAPL", "buy", 100, "100.00", "gtc", false), 201);
        place(api, seller, new OrderRequest("cross-sell", "AAPL", "sell", 40, "99.50", "day", false), 201);
        place(api, seller, new OrderRequest("rest-sell", "MSFT", "sell", 10, "210.00", "gtc", false), 201);
        JsonNode toCancel = place(api, buyer, new OrderRequest("cancel-me", "MSFT", "buy", 5, "190.00", "day", false), 201);
        assertEquals(200, api.delete("/v1/orders/" + toCancel.get("order_id").asLong(), buyer.apiKey()).status());
        place(api, buyer, new OrderRequest("too-far", "MSFT", "buy", 5, "260.00", "day", false), 422);

        JsonNode stateBefore = api.state();
        StatePoint before = StatePoint.of(stateBefore);
        Map<String, JsonNode> ordersBefore = orders(api, buyer, seller);
        Map<String, JsonNode> accountsBefore = accounts(api, traders);
        assertEquals("partially_filled", ordersBefore.get("rest-buy").get("status").asText());
        assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(STOP_TIMEOUT), () -> "exit status after SIGTERM; " + child.describe());
        assertEquals(before, Replay.state(child.dataDir(), replayConfig));
        assertEquals(List.of(), EventsQueue.eventsAfter(child.dataDir(), before.seq(), 3),
                "after a clean stop the events queue ends with the journal");

        for (int restart = 1; restart <= 3; restart++) {
            int n = restart;
            child.start(config, START_TIMEOUT);
            api = ExchangeClient.verifying(child.port());
            JsonNode state = api.state();
            assertEquals(stateBefore, state, () -> "GET /v1/admin/state after clean restart " + n);
            assertEquals(ordersBefore, orders(api, buyer, seller), () -> "orders after clean restart " + n);
            assertEquals(accountsBefore, accounts(api, traders), () -> "accounts after clean restart " + n);
            assertEquals(ChildExchange.EXIT_SIGTERM, child.stop(STOP_TIMEOUT),
                    () -> "exit status after SIGTERM; " + child.describe());
            assertEquals(before, Replay.state(child.dataDir(), replayConfig), () -> "replay after clean restart " + n);
        }
        Replay.verify(child.dataDir(), replayConfig);
    }

    private static JsonNode place(ExchangeClient api, Trader t, OrderRequest req, int expectedStatus) {
        ExchangeClient.Response r = api.post("/v1/orders", t.apiKey(), req.json());
        assertEquals(expectedStatus, r.status(), () -> "place " + req + ": " + r);
        return r.order();
    }

    private static Map<String, JsonNode> orders(ExchangeClient api, Trader buyer, Trader seller) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (String cid : List.of("rest-buy", "cancel-me", "too-far")) {
            out.put(cid, byClientId(api, buyer, cid));
        }
        for (String cid : List.of("cross-sell", "rest-sell")) {
            out.put(cid, byClientId(api, seller, cid));
        }
        return out;
    }

    private static JsonNode byClientId(ExchangeClient api, Trader t, String cid) {
        ExchangeClient.Response r = api.get("/v1/orders/by-client-id/" + cid, t.apiKey());
        assertEquals(200, r.status(), () -> "GET by client id " + cid + ": " + r);
        return r.json();
    }

    private static Map<String, JsonNode> accounts(ExchangeClient api, List<Trader> traders) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        for (Trader t : traders) {
            ExchangeClient.Response r = api.get("/v1/account", t.apiKey());
            assertEquals(200, r.status(), () -> "GET /v1/account of " + t + ": " + r);
            out.put(t.toString(), r.json());
        }
        return out;
    }

    static long snapshotCount(Path dataDir) {
        Path dir = dataDir.resolve(SnapshotStore.DIRECTORY);
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".snap")).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
