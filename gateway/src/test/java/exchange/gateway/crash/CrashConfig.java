package exchange.gateway.crash;

import exchange.engine.ExchangeConfig;
import exchange.gateway.GatewayConfig;
import exchange.journal.replay.ExchangeConfigFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/**
 * The configuration files of the crash tests: the exchange's JSON config (always-open calendar,
 * AAPL at 100.00 and MSFT at 200.00, small snapshot interval, generous rate limit) and the engine
 * configuration file the replay tool needs ({@link ExchangeConfigFile}), derived from the same
 * JSON so the replay uses exactly the engine settings the child ran with.
 *
 * <p>The calendar's zone is chosen so that the local time is near noon when the test starts: the
 * always-open calendar rolls the session at local midnight (closing it expires DAY orders), and a
 * roll in the middle of a test would change the state between the moment it is read over HTTP and
 * the moment the replay tool reads the journal. Noon leaves at least eleven hours.
 */
final class CrashConfig {
    static final String AAPL_REFERENCE = "100.00";
    static final String MSFT_REFERENCE = "200.00";
    static final int SNAPSHOT_EVERY_COMMANDS = 500;

    private CrashConfig() {
    }

    /** Writes {@code <dir>/exchange-<durability>.json} and returns its path. */
    static Path write(Path dir, String durability) {
        return write(dir.resolve("exchange-" + durability + ".json"), durability, "");
    }

    /**
     * Writes {@code <dir>/<name>}: the {@code process} configuration plus
     * {@code engine.idempotency_sessions} (small, so a session close lets ended orders go to the
     * history database only) and the testing knob {@code history.commit_delay_ms} (0 = none).
     */
    static Path writeHistory(Path dir, String name, int idempotencySessions, long historyCommitDelayMillis) {
        return write(dir.resolve(name), "process", """
                  "engine": {"idempotency_sessions": %d},
                  "history": {"commit_delay_ms": %d},
                """.formatted(idempotencySessions, historyCommitDelayMillis));
    }

    private static Path write(Path file, String durability, String extraKeys) {
        String json = """
                {
                %s  "host": "127.0.0.1",
                  "durability": "%s",
                  "ring_size": 4096,
                  "snapshot_every_commands": %d,
                  "wait_strategy": "blocking",
                  "http_threads": 32,
                  "rate_limit": {"tokens_per_second": 1000000, "burst": 1000000},
                  "calendar": {"type": "always_open", "zone": "%s"},
                  "fees": {"maker_bps": 1, "taker_bps": 2},
                  "symbols": [
                    {"symbol": "AAPL", "reference_price": "%s"},
                    {"symbol": "MSFT", "reference_price": "%s"}
                  ]
                }
                """.formatted(extraKeys, durability, SNAPSHOT_EVERY_COMMANDS, zoneNearNoon(Clock.systemUTC()), AAPL_REFERENCE,
                MSFT_REFERENCE);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Writes the replay tool's engine configuration for {@code exchangeJson} to {@code <dir>/exchange-config.properties}. */
    static Path writeReplayConfig(Path dir, Path exchangeJson) {
        ExchangeConfig engine;
        try {
            engine = GatewayConfig.load(exchangeJson).exchangeConfig();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + exchangeJson, e);
        }
        Path file = dir.resolve(ExchangeConfigFile.FILE_NAME);
        ExchangeConfigFile.write(file, engine);
        return file;
    }

    /** A fixed-offset zone ({@code Etc/GMT±N}, whose sign is inverted) where it is about noon now. */
    static String zoneNearNoon(Clock clock) {
        int utcHour = ZonedDateTime.now(clock.withZone(ZoneOffset.UTC)).getHour();
        int offset = 12 - utcHour; // -11 .. +12
        if (offset == 0) {
            return "UTC";
        }
        return offset > 0 ? "Etc/GMT-" + offset : "Etc/GMT+" + (-offset);
    }
}
