package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;
import exchange.journal.replay.ReplayTool;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The replay tool ({@link ReplayTool#run}) run in the test JVM on a child's data directory while
 * no child runs on it, with the engine configuration the child ran with. The tool opens the data
 * directory read-only.
 */
final class Replay {

    /** An engine sequence and state hash ({@code %016x}, as the API and the tool print it). */
    record StatePoint(long seq, String stateHash) {
        /** From a {@code GET /v1/admin/state} body. */
        static StatePoint of(JsonNode state) {
            return new StatePoint(state.get("seq").asLong(), state.get("state_hash").asText());
        }

        @Override
        public String toString() {
            return "seq " + seq + " state_hash " + stateHash;
        }
    }

    /**
     * What the tool rebuilt: the state, and the snapshot it started from (its sequence; 0 when it
     * replayed the journal from an empty exchange).
     */
    record Rebuilt(StatePoint state, long snapshotSeq) {
    }

    private static final Pattern FROM_SNAPSHOT = Pattern.compile("^recovered_from snapshot-\\d+\\.snap \\(seq (\\d+)\\)");

    private Replay() {
    }

    /** Rebuilds the state of {@code dataDir} with the tool and returns its {@code seq} and {@code state_hash} lines. */
    static StatePoint state(Path dataDir, Path exchangeConfig) {
        return rebuild(dataDir, exchangeConfig).state();
    }

    /** Rebuilds the state of {@code dataDir} with the tool: its {@code seq}, {@code state_hash} and {@code recovered_from} lines. */
    static Rebuilt rebuild(Path dataDir, Path exchangeConfig) {
        String out = runOk("--data-dir", dataDir.toString(), "--exchange-config", exchangeConfig.toString());
        Long seq = null;
        String hash = null;
        long snapshotSeq = 0;
        for (String line : out.split("\n")) {
            Matcher m = FROM_SNAPSHOT.matcher(line);
            if (line.startsWith("seq ")) {
                seq = Long.parseLong(line.substring(4).trim());
            } else if (line.startsWith("state_hash ")) {
                hash = line.substring(11).trim();
            } else if (m.find()) {
                snapshotSeq = Long.parseLong(m.group(1));
            }
        }
        if (seq == null || hash == null) {
            throw new AssertionError("the replay tool printed no seq/state_hash:\n" + out);
        }
        return new Rebuilt(new StatePoint(seq, hash), snapshotSeq);
    }

    /**
     * Runs {@code --verify} (determinism, events queue, snapshots, invariants, reports) and asserts
     * that every check passes (or is skipped), except those named in {@code tolerated}, whose
     * lines are returned for the caller to report.
     */
    static List<String> verify(Path dataDir, Path exchangeConfig, Set<String> tolerated) {
        Output o = run("--data-dir", dataDir.toString(), "--exchange-config", exchangeConfig.toString(), "--verify");
        List<String> failed = new ArrayList<>();
        List<String> toleratedLines = new ArrayList<>();
        for (String line : o.out().split("\n")) {
            if (line.startsWith("FAIL ")) {
                String name = line.substring(5, line.indexOf(':') < 0 ? line.length() : line.indexOf(':'));
                (tolerated.contains(name) ? toleratedLines : failed).add(line);
            }
        }
        if (!failed.isEmpty() || o.status() != ReplayTool.EXIT_OK && toleratedLines.isEmpty()) {
            throw new AssertionError("replay --verify of " + dataDir + " exited " + o.status() + "\nstdout:\n" + o.out()
                    + "\nstderr:\n" + o.err());
        }
        return toleratedLines;
    }

    /** Runs {@code --verify}; every check must pass or be skipped. */
    static void verify(Path dataDir, Path exchangeConfig) {
        verify(dataDir, exchangeConfig, Set.of());
    }

    private record Output(int status, String out, String err) {
    }

    private static String runOk(String... args) {
        Output o = run(args);
        assertEquals(ReplayTool.EXIT_OK, o.status(), () -> "replay " + String.join(" ", args) + " exited " + o.status()
                + "\nstdout:\n" + o.out() + "\nstderr:\n" + o.err());
        return o.out();
    }

    private static Output run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            status = ReplayTool.run(args, o, e);
        }
        return new Output(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
