package exchange.gateway.crash;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Per-test working directory and child JVMs of the crash tests (register with
 * {@code @RegisterExtension}). Before each test it creates a fresh directory under
 * {@code target/crash-tests/}; after each test it kills every child the test started, pass or fail
 * (also after a {@code @Timeout}). A passing test's directory is deleted; a failing test's is kept
 * and its data directories and child logs are printed, with the tail of each child's last log.
 */
final class CrashWorkspace implements BeforeEachCallback, AfterEachCallback, TestWatcher {
    private final List<ChildExchange> children = new ArrayList<>();
    private Path dir;
    private String testName;
    private long startNanos;

    /** This test's directory. */
    Path dir() {
        if (dir == null) {
            throw new IllegalStateException("the workspace exists only while a test runs");
        }
        return dir;
    }

    /**
     * A child exchange on {@code <dir>/<name>/data}, logging to {@code <dir>/<name>/logs}, running
     * from a copy of the class-path directories in {@code <dir>/<name>/classes}; killed after the test.
     */
    ChildExchange child(String name) {
        Path home = dir().resolve(name);
        ChildExchange c = new ChildExchange(home.resolve("data"), home.resolve("logs"), home.resolve("classes"));
        children.add(c);
        return c;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        Path root = Files.isDirectory(Path.of("target")) ? Path.of("target", "crash-tests")
                : Path.of(System.getProperty("java.io.tmpdir"), "crash-tests");
        Files.createDirectories(root);
        String name = context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName();
        dir = Files.createTempDirectory(root, name + "-").toAbsolutePath();
        children.clear();
        testName = context.getDisplayName();
        startNanos = System.nanoTime();
    }

    /** Prints a progress line with the seconds since the test started (what the run did, for the reader of the log). */
    void log(String what) {
        System.out.printf(java.util.Locale.ROOT, "[crash %s +%.1fs] %s%n", testName, (System.nanoTime() - startNanos) / 1e9,
                what);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (ChildExchange c : children) {
            c.close();
        }
    }

    @Override
    public void testSuccessful(ExtensionContext context) {
        deleteRecursively(dir);
        dir = null;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        report(context);
    }

    @Override
    public void testAborted(ExtensionContext context, Throwable cause) {
        report(context);
    }

    @Override
    public void testDisabled(ExtensionContext context, Optional<String> reason) {
        // nothing was started
    }

    private void report(ExtensionContext context) {
        StringBuilder b = new StringBuilder();
        b.append("\n=== ").append(context.getDisplayName()).append(" failed; workspace kept: ").append(dir).append('\n');
        for (ChildExchange c : children) {
            b.append("  ").append(c.describe()).append('\n');
            b.append(c.logTail(30)).append('\n');
        }
        System.err.println(b);
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
