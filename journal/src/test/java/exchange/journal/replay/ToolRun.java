package exchange.journal.replay;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** One in-process run of {@link ReplayTool#run}: exit status and what it printed; plus file helpers for the tests. */
record ToolRun(int exit, byte[] outBytes, String err) {

    static ToolRun of(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = ReplayTool.run(args, o, e);
        }
        return new ToolRun(exit, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    String out() {
        return new String(outBytes, StandardCharsets.UTF_8);
    }

    List<String> lines() {
        return out().lines().toList();
    }

    /** The rest of the first output line starting with {@code key + " "}, or null. */
    String value(String key) {
        for (String l : lines()) {
            if (l.startsWith(key + " ")) {
                return l.substring(key.length() + 1);
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- stdout\n" + out() + "--- stderr\n" + err;
    }

    /** Every file and directory under {@code root}: path, size, modification time and content digest. */
    static String listing(Path root) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.sorted().toList()) {
                sb.append(root.relativize(p)).append(' ').append(Files.getLastModifiedTime(p).toInstant());
                if (Files.isRegularFile(p)) {
                    sb.append(' ').append(Files.size(p)).append(' ').append(sha256(p));
                } else {
                    sb.append(" dir");
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    private static String sha256(Path p) throws IOException {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            try (var in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    md.update(buf, 0, n);
                }
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single queue file ({@code .cq4}) in {@code dir}. */
    static Path cycleFile(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = s.filter(p -> p.toString().endsWith(".cq4")).toList();
            if (files.size() != 1) {
                throw new IllegalStateException("expected one queue file in " + dir + ", found " + files);
            }
            return files.get(0);
        }
    }

    /** Flips every bit of the first byte of the first occurrence of {@code ascii} in {@code file}. */
    static void corruptFirst(Path file, String ascii) throws IOException {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            byte[] chunk = new byte[1 << 20];
            for (long base = 0; base < raf.length(); base += chunk.length - needle.length) {
                raf.seek(base);
                int n = raf.read(chunk);
                for (int i = 0; i + needle.length <= n; i++) {
                    int k = 0;
                    while (k < needle.length && chunk[i + k] == needle[k]) {
                        k++;
                    }
                    if (k == needle.length) {
                        raf.seek(base + i);
                        raf.write(needle[0] ^ 0xFF);
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("'" + ascii + "' not found in " + file);
    }
}
