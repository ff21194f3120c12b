package exchange.journal.replay;

import exchange.engine.CommandType;
import exchange.engine.EventSink;
import exchange.engine.ExchangeConfig;
import exchange.engine.ReconciliationReport;
import exchange.engine.report.ReportFormat;
import exchange.journal.JournalReader;
import exchange.journal.JsonLines;
import exchange.journal.Recovery;
import exchange.journal.RecoveryScan;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The journal replay tool behind {@code scripts/replay.sh}: rebuilds an exchange from a data
 * directory and prints its state, verifies the journal, dumps it, or regenerates an end-of-day
 * report. Usage: {@link #USAGE}.
 *
 * <p><b>Read-only.</b> The data directory is never modified: the journal and the events queue are
 * opened with Chronicle's read-only mode ({@link JournalReader#openReadOnly},
 * {@link Recovery#recoverReadOnly}), snapshots and report files are only read, events go nowhere.
 * Only {@code --out FILE} writes, and only that file.
 *
 * <p><b>Configuration.</b> Replaying needs the engine configuration the journal was written with:
 * {@code <dataDir>/exchange-config.properties} ({@link ExchangeConfigFile}), or the file named by
 * {@code --exchange-config}; without either it falls back to {@link ExchangeConfig#demo()} and
 * says so on stderr.
 *
 * <p><b>Errors</b> are one line on stderr ({@code replay: ...}) with exit status 1 (2 for bad
 * arguments, with the usage); a stack trace only with {@code --debug}. {@link #run} is the whole
 * tool, testable in-process; {@link #main} adds quiet logging defaults and {@code System.exit}
 * (Chronicle may leave non-daemon threads).
 */
public final class ReplayTool {
    public static final int EXIT_OK = 0;
    /** A verify check failed, or the data directory cannot be replayed as asked. */
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    public static final String USAGE = String.join("\n",
            "usage: replay --data-dir DIR [--exchange-config FILE] [--debug]",
            "              [--to-seq N | --verify | --dump [--from-seq N] [--to-seq N] | --report YYYY-MM-DD [--csv] [--out FILE]]",
            "  (no mode)               rebuild the state (newest valid snapshot + journal) and print the last seq,",
            "                          the state hash, balance totals, the session and the open orders",
            "  --to-seq N              the same, stopping after seq N (a snapshot is used only if its seq <= N)",
            "  --verify                replay every command from seq 1 twice and check determinism, the events",
            "                          queue, snapshot recovery, every snapshot, the engine's invariants and the",
            "                          reports/eod-*.json|csv files; prints PASS/FAIL/SKIP per check",
            "  --dump                  print the journaled commands as JSON lines (seq --from-seq N to --to-seq N)",
            "  --report YYYY-MM-DD     replay to that session's close and print its end-of-day report as JSON",
            "                          (--csv: as CSV; --out FILE: write it to FILE instead of stdout)",
            "  --exchange-config FILE  the engine configuration (default DIR/" + ExchangeConfigFile.FILE_NAME + ",",
            "                          else the demo configuration)",
            "  --debug                 print stack traces of errors",
            "exit status: 0 ok, 1 a check failed or the data directory cannot be replayed, 2 bad arguments.",
            "The data directory is opened read-only and never modified.");

    private ReplayTool() {
    }

    public static void main(String[] args) {
        boolean debug = Arrays.asList(args).contains("--debug");
        defaultProperty("org.slf4j.simpleLogger.defaultLogLevel", debug ? "info" : "warn");
        defaultProperty("chronicle.analytics.disable", "true");
        defaultProperty("chronicle.announcer.disable", "true");
        int code;
        try {
            code = run(args, System.out, System.err);
        } catch (Throwable t) {
            System.err.println("replay: " + describe(t));
            code = EXIT_FAILED;
        }
        System.out.flush();
        System.exit(code);
    }

    private static void defaultProperty(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    /** Runs the tool with {@code args}, printing to {@code out} and {@code err}; returns the exit status. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("replay: " + e.getMessage());
            err.println(USAGE);
            return EXIT_USAGE;
        }
        if (o.mode == Mode.HELP) {
            out.println(USAGE);
            return EXIT_OK;
        }
        try {
            checkDataDir(o.dataDir);
            Path configFile = o.exchangeConfig != null ? o.exchangeConfig : ExchangeConfigFile.in(o.dataDir);
            ExchangeConfig config = loadConfig(configFile, o.exchangeConfig != null, err);
            String configSource = Files.exists(configFile) ? configFile.toAbsolutePath().toString() : "demo";
            return switch (o.mode) {
                case STATE -> state(o, config, configSource, out, err);
                case VERIFY -> verify(o, config, out);
                case DUMP -> dump(o, out, err);
                case REPORT -> report(o, config, out);
                case HELP -> throw new IllegalStateException("handled above");
            };
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            err.println("replay: " + describe(t));
            if (o.debug) {
                t.printStackTrace(err);
            }
            return EXIT_FAILED;
        } finally {
            out.flush();
        }
    }

    private static void checkDataDir(Path dir) {
        if (!Files.exists(dir)) {
            throw new ReplayException("data directory " + dir + " does not exist");
        }
        if (!Files.isDirectory(dir)) {
            throw new ReplayException(dir + " is not a directory");
        }
        Path journal = dir.resolve(JournalReader.DIRECTORY);
        if (!Files.isDirectory(journal)) {
            throw new ReplayException(dir + " is not an exchange data directory: " + journal + " does not exist");
        }
    }

    private static ExchangeConfig loadConfig(Path file, boolean explicit, PrintStream err) {
        if (Files.exists(file)) {
            return ExchangeConfigFile.read(file);
        }
        if (explicit) {
            throw new ReplayException("exchange config " + file + " does not exist");
        }
        err.println("replay: " + file + " not found; replaying with the demo configuration (ExchangeConfig.demo())");
        return ExchangeConfig.demo();
    }

    private static int state(Options o, ExchangeConfig config, String configSource, PrintStream out, PrintStream err) {
        Recovery.Result r = Recovery.recoverReadOnly(o.dataDir, config, EventSink.NONE, o.toSeq);
        if (o.toSeq != Long.MAX_VALUE && r.finalSeq() < o.toSeq) {
            err.println("replay: the journal ends at seq " + r.finalSeq() + ", before --to-seq " + o.toSeq);
        }
        StatePrinter.print(r, o.dataDir.toAbsolutePath().toString(), configSource, out);
        return EXIT_OK;
    }

    private static int verify(Options o, ExchangeConfig config, PrintStream out) {
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (JournalVerifier.Check c : new JournalVerifier(o.dataDir, config).run()) {
            out.println(c.line());
            switch (c.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case SKIP -> skipped++;
                default -> throw new IllegalStateException("unknown status " + c.status());
            }
        }
        out.println("verify: " + passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed == 0 ? EXIT_OK : EXIT_FAILED;
    }

    private static int dump(Options o, PrintStream out, PrintStream err) {
        StringBuilder line = new StringBuilder(256);
        try (JournalReader reader = JournalReader.openReadOnly(o.dataDir)) {
            RecoveryScan scan = reader.read(o.fromSeq - 1, o.toSeq, c -> {
                line.setLength(0);
                JsonLines.appendCommand(line, c);
                out.println(line);
                return true;
            });
            if (scan.hasTornTail()) {
                err.println("replay: the journal's tail holds " + scan.droppedCount() + " damaged records after seq "
                        + scan.lastValidSeq() + " (" + scan.droppedReason() + "); recovery drops them, so they are not shown");
            }
        }
        return EXIT_OK;
    }

    private static int report(Options o, ExchangeConfig config, PrintStream out) {
        long target = o.reportDate.toEpochDay();
        ReconciliationReport[] found = new ReconciliationReport[1];
        List<String> closed = new ArrayList<>();
        JournalReplay.Outcome outcome = JournalReplay.run(o.dataDir, config, Long.MAX_VALUE, (c, events, x) -> {
            if (c.type == CommandType.SESSION_CLOSE && c.queryResult instanceof ReconciliationReport r) {
                if (r.sessionDate() == target) {
                    found[0] = r;
                    return false;
                }
                closed.add(ReportFormat.sessionDate(r.sessionDate()));
            }
            return true;
        });
        if (found[0] == null) {
            throw new ReplayException("session " + o.reportDate + " never closed in the journal (seq 1.."
                    + outcome.exchange().lastSeq() + "); sessions closed: " + (closed.isEmpty() ? "none" : closedList(closed)));
        }
        String text = o.csv ? ReportFormat.toCsv(found[0]) : ReportFormat.toJson(found[0]);
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (o.out != null) {
            try {
                Files.write(o.out, bytes);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + o.out, e);
            }
        } else {
            out.write(bytes, 0, bytes.length);
        }
        return EXIT_OK;
    }

    private static String closedList(List<String> closed) {
        int max = 10;
        if (closed.size() <= max) {
            return String.join(", ", closed);
        }
        return String.join(", ", closed.subList(0, max / 2)) + ", ... " + String.join(", ",
                closed.subList(closed.size() - max / 2, closed.size())) + " (" + closed.size() + ")";
    }

    /** A state hash as {@code GET /v1/admin/state} and this tool print it: 16 lowercase hex digits. */
    static String hash(long stateHash) {
        return String.format("%016x", stateHash);
    }

    /** An error as one line: its message (prefixed with its type where that helps), and its cause's for an I/O error. */
    static String describe(Throwable t) {
        String m = own(t);
        Throwable cause = t.getCause();
        if (cause != null && (t instanceof UncheckedIOException || t.getMessage() == null)) {
            m = m + ": " + own(cause);
        }
        return m.replace('\n', ' ').replace('\r', ' ');
    }

    private static String own(Throwable t) {
        String m = t.getMessage();
        if (m == null || m.isBlank()) {
            return t.getClass().getSimpleName();
        }
        boolean plain = t instanceof ReplayException || t instanceof UncheckedIOException || t instanceof IllegalArgumentException
                || t.getClass().getPackageName().startsWith("exchange.");
        return plain ? m : t.getClass().getSimpleName() + ": " + m;
    }

    enum Mode { STATE, VERIFY, DUMP, REPORT, HELP }

    /** The parsed command line. {@code toSeq} is {@code Long.MAX_VALUE} when not given. */
    record Options(Path dataDir, Path exchangeConfig, Mode mode, long toSeq, long fromSeq, LocalDate reportDate,
                   boolean csv, Path out, boolean debug) {

        static Options parse(String[] args) {
            Path dataDir = null;
            Path exchangeConfig = null;
            Mode mode = Mode.STATE;
            String modeFlag = null;
            long toSeq = Long.MAX_VALUE;
            long fromSeq = -1;
            LocalDate reportDate = null;
            boolean csv = false;
            Path out = null;
            boolean debug = false;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
                    case "--exchange-config" -> exchangeConfig = Path.of(value(args, ++i, a));
                    case "--to-seq" -> toSeq = number(value(args, ++i, a), a, 0);
                    case "--from-seq" -> fromSeq = number(value(args, ++i, a), a, 1);
                    case "--csv" -> csv = true;
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--debug" -> debug = true;
                    case "-h", "--help" -> {
                        return new Options(null, null, Mode.HELP, toSeq, 1, null, false, null, false);
                    }
                    case "--verify", "--dump", "--report" -> {
                        if (modeFlag != null) {
                            throw new IllegalArgumentException(modeFlag + " and " + a + " exclude each other");
                        }
                        modeFlag = a;
                        mode = a.equals("--verify") ? Mode.VERIFY : a.equals("--dump") ? Mode.DUMP : Mode.REPORT;
                        if (mode == Mode.REPORT) {
                            reportDate = date(value(args, ++i, a));
                        }
                    }
                    default -> throw new IllegalArgumentException("unknown argument '" + a + "'");
                }
            }
            if (dataDir == null) {
                throw new IllegalArgumentException("--data-dir DIR is required");
            }
            if (fromSeq != -1 && mode != Mode.DUMP) {
                throw new IllegalArgumentException("--from-seq applies only to --dump");
            }
            if (toSeq != Long.MAX_VALUE && (mode == Mode.VERIFY || mode == Mode.REPORT)) {
                throw new IllegalArgumentException("--to-seq does not apply to " + modeFlag);
            }
            if ((csv || out != null) && mode != Mode.REPORT) {
                throw new IllegalArgumentException("--csv and --out apply only to --report");
            }
            if (fromSeq == -1) {
                fromSeq = 1;
            } else if (fromSeq > toSeq) {
                throw new IllegalArgumentException("--from-seq " + fromSeq + " is after --to-seq " + toSeq);
            }
            return new Options(dataDir, exchangeConfig, mode, toSeq, fromSeq, reportDate, csv, out, debug);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length || args[i].startsWith("--")) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return args[i];
        }

        private static long number(String v, String option, long min) {
            try {
                long n = Long.parseLong(v);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException(option + " needs an integer >= " + min + ", got '" + v + "'");
        }

        private static LocalDate date(String v) {
            try {
                return LocalDate.parse(v);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("--report needs a session date YYYY-MM-DD, got '" + v + "'");
            }
        }
    }
}
