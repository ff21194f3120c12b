package exchange.journal.replay;

import exchange.engine.ReconciliationReport;
import exchange.engine.report.ReportFormat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The end-of-day report files of a data directory, {@code <dataDir>/reports/eod-YYYY-MM-DD.json}
 * (and {@code .csv}), checked against the report the engine regenerates at that session's close:
 * each file must equal {@link ReportFormat#toJson} (resp. {@link ReportFormat#toCsv}) byte for
 * byte. Files are read only when their session closes in the replay. Confined to one thread.
 */
final class ReportFiles {
    /** The reports' directory name under the data directory. */
    static final String DIRECTORY = "reports";
    private static final Pattern NAME = Pattern.compile("eod-(\\d{4}-\\d{2}-\\d{2})\\.(json|csv)");

    /** One report file and, once its session closed in the replay, the outcome of its comparison. */
    static final class ReportFile {
        final Path path;
        final long sessionDate;
        final boolean csv;
        boolean compared;
        String difference;

        ReportFile(Path path, long sessionDate, boolean csv) {
            this.path = path;
            this.sessionDate = sessionDate;
            this.csv = csv;
        }
    }

    private final List<ReportFile> files;

    private ReportFiles(List<ReportFile> files) {
        this.files = files;
    }

    /** The report files under {@code <dataDir>/reports}, by name; none if the directory is absent. */
    static ReportFiles find(Path dataDir) {
        Path dir = dataDir.resolve(DIRECTORY);
        List<ReportFile> found = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    Matcher m = NAME.matcher(p.getFileName().toString());
                    if (m.matches() && Files.isRegularFile(p)) {
                        found.add(new ReportFile(p, LocalDate.parse(m.group(1)).toEpochDay(), m.group(2).equals("csv")));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
        found.sort((a, b) -> a.path.getFileName().toString().compareTo(b.path.getFileName().toString()));
        return new ReportFiles(found);
    }

    List<ReportFile> files() {
        return files;
    }

    /** Compares every file of the report's session date with the report. */
    void onClose(ReconciliationReport report) {
        for (ReportFile f : files) {
            if (f.sessionDate == report.sessionDate()) {
                f.compared = true;
                f.difference = difference(f, report);
            }
        }
    }

    private static String difference(ReportFile f, ReconciliationReport report) {
        byte[] expected = (f.csv ? ReportFormat.toCsv(report) : ReportFormat.toJson(report)).getBytes(StandardCharsets.UTF_8);
        byte[] actual;
        try {
            actual = Files.readAllBytes(f.path);
        } catch (IOException e) {
            return "cannot read it: " + e;
        }
        int n = Math.min(expected.length, actual.length);
        for (int i = 0; i < n; i++) {
            if (expected[i] != actual[i]) {
                return "differs from the regenerated report at byte " + i + " (file " + actual.length + " bytes, regenerated "
                        + expected.length + ")";
            }
        }
        return expected.length == actual.length ? null
                : "file has " + actual.length + " bytes, the regenerated report " + expected.length;
    }
}
