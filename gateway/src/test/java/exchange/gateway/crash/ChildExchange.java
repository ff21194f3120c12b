package exchange.gateway.crash;

import exchange.gateway.Main;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The exchange as a real child JVM ({@link Main} with {@code --config FILE --port 0 --data-dir DIR}),
 * started again and again on one data directory: each {@link #launch} is a new incarnation with
 * its own log file ({@code <logDir>/child-NN.log}, stdout and stderr together).
 *
 * <p>The child gets the test JVM's Chronicle flags ({@code --add-*}, {@code -Dchronicle.*}, the
 * JDK 24+ extras: the same list as {@code scripts/jvm-flags.sh}, taken from
 * {@link java.lang.management.RuntimeMXBean#getInputArguments()}), the test class path (its
 * directories copied, see the constructor), and the admin key {@link #ADMIN_KEY} in
 * {@code EXCHANGE_ADMIN_KEY}. It binds port 0 on 127.0.0.1; the port is
 * read from its start-up banner, so a port taken by someone else can never be mistaken for the
 * child's.
 *
 * <p>Invariant: at most one incarnation is alive at a time; {@link #close} (called from
 * {@code @AfterEach} through {@link CrashWorkspace}) kills it whatever happened.
 */
final class ChildExchange implements AutoCloseable {
    /** The admin key every child is given through {@code EXCHANGE_ADMIN_KEY}. */
    static final String ADMIN_KEY = "crash-test-admin-key-2f9c41d07be3";
    /** Exit status of a JVM ended by SIGKILL (128 + 9). */
    static final int EXIT_SIGKILL = 137;
    /** Exit status of a JVM that ran its shutdown hooks after SIGTERM (128 + 15). */
    static final int EXIT_SIGTERM = 143;

    private static final Pattern LISTENING = Pattern.compile("exchange listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration POLL = Duration.ofMillis(50);

    private final Path dataDir;
    private final Path logDir;
    private final List<String> jvmFlags;
    private int incarnation;
    private Process process;
    private Path log;
    private int port;

    private final String classPath;

    /**
     * A child on {@code dataDir}, logging to {@code logDir}. The class-path directories (the
     * modules' {@code target/classes}) are copied to {@code classDir} first: other builds in the
     * same checkout may recompile them while the child runs, and a class loaded late (for example
     * on the first snapshot) must not vanish under it. Jars are used in place.
     */
    ChildExchange(Path dataDir, Path logDir, Path classDir) {
        this.dataDir = dataDir;
        this.logDir = logDir;
        this.jvmFlags = chronicleFlags();
        this.classPath = privateClassPath(classDir);
    }

    private static String privateClassPath(Path classDir) {
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path copy = classDir.resolve(String.format("%02d-%s", ++n, p.getParent() == null ? "root"
                        : p.getParent().getParent() == null ? p.getFileName() : p.getParent().getParent().getFileName()
                        + "-" + p.getFileName()));
                copyTree(p, copy);
                entries.add(copy.toString());
            } else {
                entries.add(entry);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    private static void copyTree(Path from, Path to) {
        try (java.util.stream.Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the class-path directory " + from, e);
        }
    }

    /** The flags the test JVM was started with that every exchange JVM needs (see scripts/jvm-flags.sh). */
    static List<String> chronicleFlags() {
        List<String> flags = new ArrayList<>();
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-exports") || arg.startsWith("--add-opens") || arg.startsWith("-Dchronicle.")
                    || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")
                    || arg.startsWith("-Dorg.slf4j.simpleLogger.log.net.openhft")) {
                flags.add(arg);
            }
        }
        if (!flags.contains("--add-exports=java.base/sun.nio.ch=ALL-UNNAMED")) {
            throw new IllegalStateException("the test JVM was started without the Chronicle flags of scripts/jvm-flags.sh "
                    + "(surefire's argLine passes them); got " + flags);
        }
        return List.copyOf(flags);
    }

    /** Starts a new incarnation with {@code config} and returns without waiting for it. */
    void launch(Path config) {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("incarnation " + incarnation + " (pid " + process.pid() + ") is still running");
        }
        incarnation++;
        port = 0;
        log = logDir.resolve(String.format("child-%02d.log", incarnation));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.add("-Xmx384m");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(Main.class.getName());
        cmd.add("--config");
        cmd.add(config.toString());
        cmd.add("--port");
        cmd.add("0");
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("EXCHANGE_ADMIN_KEY", ADMIN_KEY);
        try {
            Files.createDirectories(logDir);
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the exchange child JVM: " + cmd, e);
        }
    }

    /** Launches an incarnation and waits until it serves {@code GET /health}. */
    void start(Path config, Duration timeout) {
        launch(config);
        awaitHealthy(timeout);
    }

    /**
     * Waits until the running incarnation has printed its banner and answers {@code GET /health}
     * with 200; fails (naming the log) if it exits first or {@code timeout} passes.
     */
    void awaitHealthy(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ExchangeClient probe = null;
        while (true) {
            if (!process.isAlive()) {
                fail("the exchange child exited with status " + process.exitValue() + " before it was healthy; "
                        + describe() + "\n" + logTail(40));
            }
            if (port == 0) {
                port = bannerPort().orElse(0);
            }
            if (port != 0) {
                if (probe == null) {
                    probe = new ExchangeClient(port, Duration.ofSeconds(2));
                }
                if (probe.isHealthy()) {
                    return;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                fail("the exchange child was not healthy within " + timeout + "; " + describe() + "\n" + logTail(40));
            }
            sleep(POLL);
        }
    }

    /** True if the running incarnation answers {@code GET /health} with 200 right now. */
    boolean isHealthy() {
        if (port == 0) {
            port = bannerPort().orElse(0);
        }
        return port != 0 && process.isAlive() && new ExchangeClient(port, Duration.ofSeconds(2)).isHealthy();
    }

    private Optional<Integer> bannerPort() {
        try {
            if (!Files.exists(log)) {
                return Optional.empty();
            }
            Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? Optional.of(Integer.parseInt(m.group(1))) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * SIGKILL ({@link Process#destroyForcibly()} on Linux): no shutdown hook, no flush, no close.
     * Verifies the process is gone (also through {@link ProcessHandle}) and died of the signal.
     */
    void kill() {
        long pid = process.pid();
        process.destroyForcibly();
        int status = await(Duration.ofSeconds(30), "SIGKILL");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
                () -> "pid " + pid + " is still alive after SIGKILL; " + describe());
        assertEquals(EXIT_SIGKILL, status, () -> "the child did not die of SIGKILL; " + describe() + "\n" + logTail(20));
    }

    /** SIGTERM ({@link Process#destroy()}): the shutdown hook drains the ring and closes the journal. Returns the exit status. */
    int stop(Duration timeout) {
        process.destroy();
        return await(timeout, "SIGTERM");
    }

    private int await(Duration timeout, String what) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                fail("the exchange child did not exit within " + timeout + " after " + what + "; " + describe()
                        + "\n" + logTail(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new IllegalStateException("interrupted waiting for the child", e);
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** The running incarnation's HTTP port (known once it is healthy). */
    int port() {
        if (port == 0) {
            throw new IllegalStateException("the child's port is not known yet: " + describe());
        }
        return port;
    }

    Path dataDir() {
        return dataDir;
    }

    /** The current incarnation's log file. */
    Path log() {
        return log;
    }

    int incarnation() {
        return incarnation;
    }

    /** Data directory, current log and pid, for failure messages. */
    String describe() {
        return "data dir " + dataDir.toAbsolutePath() + ", child log " + (log == null ? "none" : log.toAbsolutePath())
                + (process == null ? "" : ", pid " + process.pid() + (process.isAlive() ? " (alive)" : " (exited)"));
    }

    /**
     * Sleeps until the current incarnation's log contains {@code text}; false if the process exits
     * or {@code timeout} passes first.
     */
    boolean awaitLog(String text, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!logContains(text)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                return false;
            }
            sleep(Duration.ofMillis(10));
        }
        return true;
    }

    /** True if the current incarnation's log contains {@code text}. */
    boolean logContains(String text) {
        try {
            return log != null && Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains(text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + log, e);
        }
    }

    /** The last {@code lines} lines of the current incarnation's log. */
    String logTail(int lines) {
        if (log == null || !Files.exists(log)) {
            return "(no child log)";
        }
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- " + log.getFileName() + " (last " + Math.min(lines, all.size()) + " lines) ---\n"
                    + String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Kills the running incarnation, if any. Idempotent. */
    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
