package exchange.engine.architecture;

import exchange.engine.Exchange;
import exchange.risk.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The deterministic core stays deterministic: no class of {@code engine} or {@code risk} may read a
 * clock, draw random numbers, touch files or the network, log, print, or start threads. Only
 * {@code exchange.engine.pipeline} (the Disruptor wiring) may create threads; it is still held to
 * every other rule. The compiled classes are read with {@link ClassReferences}, a constant-pool
 * reader, so a forbidden call is found whatever the source looks like.
 */
@Timeout(60)
class ArchitectureTest {
    private static final String PIPELINE = "exchange/engine/pipeline/";

    /** Members (owner.name, internal form) nobody in the core may use, with the reason. */
    private static final Map<String, String> FORBIDDEN_MEMBERS = Map.ofEntries(
            Map.entry("java/lang/System.currentTimeMillis", "reads the clock"),
            Map.entry("java/lang/System.nanoTime", "reads the clock"),
            Map.entry("java/lang/System.out", "prints"),
            Map.entry("java/lang/System.err", "prints"),
            Map.entry("java/lang/System.getLogger", "logs"),
            Map.entry("java/lang/Math.random", "draws random numbers"),
            Map.entry("java/lang/StrictMath.random", "draws random numbers"),
            Map.entry("java/util/UUID.randomUUID", "draws random numbers"));

    /** Types nobody in the core may refer to: exact names, or prefixes ending in '/' or a partial name. */
    private static final Map<String, String> FORBIDDEN_TYPES = Map.ofEntries(
            Map.entry("java/time/Clock", "reads the clock"),
            Map.entry("java/time/InstantSource", "reads the clock"),
            Map.entry("java/io/File*", "does file I/O"),
            Map.entry("java/io/RandomAccessFile", "does file I/O"),
            Map.entry("java/nio/file/*", "does file I/O"),
            Map.entry("java/nio/channels/*", "does file or socket I/O"),
            Map.entry("java/net/*", "does network I/O"),
            Map.entry("java/util/Random", "draws random numbers"),
            Map.entry("java/util/SplittableRandom", "draws random numbers"),
            Map.entry("java/util/random/*", "draws random numbers"),
            Map.entry("java/util/concurrent/ThreadLocalRandom", "draws random numbers"),
            Map.entry("java/security/SecureRandom", "draws random numbers"),
            Map.entry("java/util/logging/*", "logs"),
            Map.entry("java/lang/System$Logger", "logs"),
            Map.entry("org/slf4j/*", "logs"),
            Map.entry("org/apache/logging/*", "logs"));

    /** Thread creation: forbidden outside the pipeline package. */
    private static final Map<String, String> THREAD_MEMBERS = Map.of(
            "java/lang/Thread.<init>", "creates a thread",
            "java/lang/Thread.start", "starts a thread",
            "java/lang/Thread.startVirtualThread", "starts a thread",
            "java/lang/Thread.ofVirtual", "creates a thread",
            "java/lang/Thread.ofPlatform", "creates a thread");

    private static final Map<String, String> THREAD_TYPES = Map.of(
            "java/util/concurrent/ExecutorService", "runs an executor",
            "java/util/concurrent/ScheduledExecutorService", "runs an executor",
            "java/util/concurrent/Executors", "runs an executor",
            "java/util/concurrent/ThreadPoolExecutor", "runs an executor",
            "java/util/concurrent/ForkJoinPool", "runs an executor",
            "java/util/concurrent/ThreadFactory", "creates threads");

    /** Every rule broken by a class, as "class: reference (reason)"; empty if none. */
    static List<String> violations(ClassReferences refs) {
        String name = refs.className();
        boolean threadsAllowed = name.startsWith(PIPELINE);
        List<String> out = new ArrayList<>();
        for (String member : refs.members()) {
            check(out, name, member, FORBIDDEN_MEMBERS.get(member));
            if (member.startsWith("java/time/") && member.endsWith(".now")) {
                check(out, name, member, "reads the clock");
            }
            if (!threadsAllowed) {
                check(out, name, member, THREAD_MEMBERS.get(member));
            }
        }
        for (String type : refs.types()) {
            check(out, name, type, match(FORBIDDEN_TYPES, type));
            if (!threadsAllowed) {
                check(out, name, type, match(THREAD_TYPES, type));
            }
        }
        if (!threadsAllowed && "java/lang/Thread".equals(refs.superName())) {
            out.add(name + ": extends java/lang/Thread (creates a thread)");
        }
        return out;
    }

    private static void check(List<String> out, String className, String reference, String reason) {
        if (reason != null) {
            out.add(className + ": " + reference + " (" + reason + ")");
        }
    }

    private static String match(Map<String, String> rules, String type) {
        for (Map.Entry<String, String> rule : rules.entrySet()) {
            String key = rule.getKey();
            boolean hit = key.endsWith("*") ? type.startsWith(key.substring(0, key.length() - 1)) : type.equals(key);
            if (hit) {
                return rule.getValue();
            }
        }
        return null;
    }

    // ---- the rule applied to engine and risk -----------------------------------------------------

    @Test
    @Timeout(30)
    void shouldKeepEngineAndRiskFreeOfClocksRandomnessIoLoggingAndThreads() throws Exception {
        Map<String, ClassReferences> classes = coreClasses();
        List<String> violations = new ArrayList<>();
        for (ClassReferences refs : classes.values()) {
            if (!refs.className().startsWith(PIPELINE)) {
                violations.addAll(violations(refs));
            }
        }
        assertEquals(List.of(), violations, violations.size() + " violation(s) in " + classes.size() + " classes");
    }

    @Test
    @Timeout(30)
    void shouldKeepThePipelineFreeOfClocksRandomnessAndIo() throws Exception {
        Map<String, ClassReferences> classes = coreClasses();
        assertTrue(classes.keySet().stream().anyMatch(c -> c.startsWith(PIPELINE)), "scanned the pipeline");
        List<String> violations = new ArrayList<>();
        for (ClassReferences refs : classes.values()) {
            if (refs.className().startsWith(PIPELINE)) {
                violations.addAll(violations(refs));
            }
        }
        assertEquals(List.of(), violations, "pipeline violations");
    }

    /** The compiled main classes of engine and risk, by internal name. */
    private static Map<String, ClassReferences> coreClasses() throws IOException, URISyntaxException {
        Map<String, ClassReferences> classes = new TreeMap<>();
        classes.putAll(compiledClasses(Exchange.class));
        classes.putAll(compiledClasses(Ledger.class));
        assertTrue(classes.containsKey("exchange/engine/Exchange"), "scanned the engine: " + classes.keySet());
        assertTrue(classes.containsKey("exchange/risk/Ledger"), "scanned risk: " + classes.keySet());
        assertTrue(classes.keySet().stream().noneMatch(c -> c.endsWith("Test")), "main classes only");
        return classes;
    }

    /** Every class file next to (in the same output directory or jar as) {@code anchor}. */
    private static Map<String, ClassReferences> compiledClasses(Class<?> anchor) throws IOException, URISyntaxException {
        Path location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        Map<String, ClassReferences> out = new TreeMap<>();
        if (Files.isDirectory(location)) {
            try (Stream<Path> files = Files.walk(location)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".class")).toList()) {
                    ClassReferences refs = ClassReferences.parse(Files.readAllBytes(p));
                    out.put(refs.className(), refs);
                }
            }
        } else {
            try (ZipFile jar = new ZipFile(location.toFile())) {
                Enumeration<? extends ZipEntry> entries = jar.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    if (e.getName().endsWith(".class") && !e.getName().endsWith("module-info.class")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            ClassReferences refs = ClassReferences.parse(in.readAllBytes());
                            out.put(refs.className(), refs);
                        }
                    }
                }
            }
        }
        return out;
    }

    // ---- the scanner finds what it must find -----------------------------------------------------

    /** Reads the compiled bytes of a (test) class from the class path. */
    static ClassReferences referencesOf(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
            return ClassReferences.parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class ClockUser {
        long now() {
            return System.currentTimeMillis() + System.nanoTime();
        }
    }

    static final class InstantUser {
        Object now() {
            return java.time.LocalDateTime.now();
        }
    }

    static final class RandomUser {
        int draw() {
            return new java.util.Random(1).nextInt() + (int) Math.random();
        }
    }

    static final class ThreadUser {
        void go() {
            new Thread(() -> { }).start();
        }
    }

    static final class PathFieldHolder {
        java.nio.file.Path path;
    }

    static final class PrintingUser {
        void say() {
            System.out.println("hello");
        }
    }

    static final class StringMentioner {
        String text() {
            return "Ljava/net/Socket; java/time/Clock System.nanoTime";
        }
    }

    static final class CleanArithmetic {
        long add(long a, long b) {
            return Math.addExact(a, b);
        }
    }

    @Test
    @Timeout(10)
    void shouldReportAClassThatReadsTheClock() {
        List<String> v = violations(referencesOf(ClockUser.class));
        assertTrue(v.stream().anyMatch(s -> s.contains("java/lang/System.currentTimeMillis")), v.toString());
        assertTrue(v.stream().anyMatch(s -> s.contains("java/lang/System.nanoTime")), v.toString());
        List<String> w = violations(referencesOf(InstantUser.class));
        assertTrue(w.stream().anyMatch(s -> s.contains("java/time/LocalDateTime.now")), w.toString());
    }

    @Test
    @Timeout(10)
    void shouldReportRandomnessThreadsFieldTypesAndPrinting() {
        List<String> random = violations(referencesOf(RandomUser.class));
        assertTrue(random.stream().anyMatch(s -> s.contains("java/util/Random ")), random.toString());
        assertTrue(random.stream().anyMatch(s -> s.contains("java/lang/Math.random")), random.toString());
        List<String> threads = violations(referencesOf(ThreadUser.class));
        assertTrue(threads.stream().anyMatch(s -> s.contains("java/lang/Thread.start")), threads.toString());
        List<String> path = violations(referencesOf(PathFieldHolder.class));
        assertTrue(path.stream().anyMatch(s -> s.contains("java/nio/file/Path")), "field descriptor: " + path);
        List<String> print = violations(referencesOf(PrintingUser.class));
        assertTrue(print.stream().anyMatch(s -> s.contains("java/lang/System.out")), print.toString());
    }

    @Test
    @Timeout(10)
    void shouldNotReportCleanCodeOrMereStringMentions() {
        assertEquals(List.of(), violations(referencesOf(CleanArithmetic.class)));
        assertEquals(List.of(), violations(referencesOf(StringMentioner.class)));
    }

    @Test
    @Timeout(10)
    void shouldAllowThreadsButNotClocksInThePipelinePackage() {
        ClassReferences threads = referencesOf(ThreadUser.class).renamed(PIPELINE + "ThreadUser");
        assertEquals(List.of(), violations(threads));
        ClassReferences clock = referencesOf(ClockUser.class).renamed(PIPELINE + "ClockUser");
        assertTrue(violations(clock).stream().anyMatch(s -> s.contains("nanoTime")), violations(clock).toString());
        ClassReferences elsewhere = referencesOf(ThreadUser.class).renamed("exchange/engine/ThreadUser");
        assertTrue(!violations(elsewhere).isEmpty());
    }
}
