package exchange.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * The snapshot files in {@code <dataDir>/snapshots}, one per snapshot, named
 * {@code snapshot-<seq, 20 digits>.snap} after the last sequence the state includes.
 *
 * <p>File layout (little-endian):
 * <pre>
 *   0                   1                   2                   3
 *   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 *  +---------------------------------------------------------------+
 *  |                     Magic 0x50414E53 ("SNAP")                 |
 *  +---------------------------------------------------------------+
 *  |                     Format Version (int32)                    |
 *  +---------------------------------------------------------------+
 *  |                 Sequence (int64, = the file name's)           |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |                    Payload Length (int64)                     |
 *  |                                                               |
 *  +---------------------------------------------------------------+
 *  |          Payload (the engine's snapshot, BufferSnapshotOutput) ...
 * ...                                                              |
 *  +---------------------------------------------------------------+
 *  |              CRC32C of Header and Payload                     |
 *  +---------------------------------------------------------------+
 * </pre>
 *
 * <p><b>Writing is atomic:</b> the bytes go to {@code <name>.tmp}, which is fsynced, renamed over
 * the final name (an atomic rename) and the directory fsynced; a crash leaves either no snapshot
 * or a complete one, plus perhaps a temp file, which is never read and is deleted by the next
 * write. After each write only the newest {@code retain} snapshots are kept.
 *
 * <p><b>Loading</b> takes the newest snapshot that validates (size, magic, version, sequence,
 * length, CRC32C) and logs a warning naming each newer file it skips and why.
 *
 * <p>One writer at a time; loading and listing may run from any thread.
 */
public final class SnapshotStore {
    /** The snapshots' directory name under the data directory. */
    public static final String DIRECTORY = "snapshots";
    public static final int DEFAULT_RETAIN = 3;
    public static final int MAGIC = 0x50414E53;
    public static final int FORMAT_VERSION = 1;
    static final int HEADER_LENGTH = 24;
    static final int CRC_LENGTH = 4;
    private static final Pattern NAME = Pattern.compile("snapshot-(\\d{20})\\.snap");
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotStore.class);

    /** Snapshot files are mapped for reading in windows of at most this many bytes (1 GiB). */
    static final int DEFAULT_MAP_WINDOW = 1 << 30;

    private final Path directory;
    private final int retain;
    private final int mapWindow;

    /** A snapshot file and the sequence its name carries. */
    public record SnapshotFile(Path path, long seq) {
    }

    /** A validated snapshot: its file, sequence and payload, ready for {@code Exchange.readSnapshot}. */
    public record LoadedSnapshot(Path path, long seq, BufferSnapshotInput payload) {
    }

    public SnapshotStore(Path dataDir) {
        this(dataDir, DEFAULT_RETAIN);
    }

    /** @param retain how many snapshots to keep after each write, at least 1 */
    public SnapshotStore(Path dataDir, int retain) {
        this(dataDir, retain, DEFAULT_MAP_WINDOW);
    }

    /** @param mapWindow the largest piece of a file mapped at once (small values are for tests) */
    SnapshotStore(Path dataDir, int retain, int mapWindow) {
        if (retain < 1) {
            throw new IllegalArgumentException("retain must be >= 1, was " + retain);
        }
        if (mapWindow < 64) {
            throw new IllegalArgumentException("mapWindow must be >= 64, was " + mapWindow);
        }
        this.directory = dataDir.resolve(DIRECTORY);
        this.retain = retain;
        this.mapWindow = mapWindow;
    }

    public Path directory() {
        return directory;
    }

    /** The file name of the snapshot at {@code seq}. */
    public static String fileName(long seq) {
        return String.format("snapshot-%020d.snap", seq);
    }

    /**
     * Writes the snapshot of the state after {@code seq} atomically and durably, then applies
     * retention.
     *
     * @return the snapshot's path
     */
    public Path write(long seq, BufferSnapshotOutput payload) {
        if (seq < 0) {
            throw new IllegalArgumentException("negative seq " + seq);
        }
        Path target = directory.resolve(fileName(seq));
        Path temp = directory.resolve(fileName(seq) + TEMP_SUFFIX);
        try {
            Files.createDirectories(directory);
            deleteTempFiles();
            ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            header.putInt(MAGIC).putInt(FORMAT_VERSION).putLong(seq).putLong(payload.length()).flip();
            CRC32C crc = new CRC32C();
            crc.update(header.array(), 0, HEADER_LENGTH);
            List<ByteBuffer> chunks = payload.buffers();
            for (ByteBuffer c : chunks) {
                crc.update(c.duplicate());
            }
            ByteBuffer trailer = ByteBuffer.allocate(CRC_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
            trailer.putInt((int) crc.getValue()).flip();
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                writeFully(ch, header);
                for (ByteBuffer c : chunks) {
                    writeFully(ch, c.duplicate());
                }
                writeFully(ch, trailer);
                ch.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            Queues.forceDirectory(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write snapshot " + target, e);
        }
        applyRetention();
        return target;
    }

    private static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    private void deleteTempFiles() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "snapshot-*.snap" + TEMP_SUFFIX)) {
            for (Path p : ds) {
                LOG.info("deleting incomplete snapshot temp file {}", p);
                Files.deleteIfExists(p);
            }
        }
    }

    private void applyRetention() {
        List<SnapshotFile> all = list();
        for (int i = retain; i < all.size(); i++) {
            Path p = all.get(i).path();
            try {
                Files.deleteIfExists(p);
                LOG.info("deleted old snapshot {} (keeping the newest {})", p, retain);
            } catch (IOException e) {
                LOG.warn("cannot delete old snapshot {}: {}", p, e.toString());
            }
        }
    }

    /** Every snapshot file (temp files excluded), newest (highest sequence) first. */
    public List<SnapshotFile> list() {
        List<SnapshotFile> files = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return files;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory)) {
            for (Path p : ds) {
                Matcher m = NAME.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p)) {
                    files.add(new SnapshotFile(p, Long.parseLong(m.group(1))));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        files.sort(Comparator.comparingLong(SnapshotFile::seq).reversed());
        return files;
    }

    /** The newest valid snapshot, if any. */
    public Optional<LoadedSnapshot> loadNewestValid() {
        return loadNewestValid(Long.MAX_VALUE);
    }

    /** The newest valid snapshot at or before {@code maxSeq}, if any; newer invalid ones are skipped with a warning. */
    public Optional<LoadedSnapshot> loadNewestValid(long maxSeq) {
        for (SnapshotFile f : list()) {
            if (f.seq() > maxSeq) {
                continue;
            }
            try {
                return Optional.of(load(f));
            } catch (JournalFormatException | IOException e) {
                LOG.warn("snapshot {} is unusable, falling back to an older one: {}", f.path(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    /**
     * Reads and validates one snapshot file.
     *
     * @throws JournalFormatException if it is incomplete or damaged
     */
    public LoadedSnapshot load(SnapshotFile f) throws IOException {
        long size = Files.size(f.path());
        if (size < HEADER_LENGTH + CRC_LENGTH) {
            throw new JournalFormatException(JournalFormatException.Reason.TRUNCATED,
                    "file of " + size + " bytes is shorter than header and checksum");
        }
        List<ByteBuffer> windows = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ)) {
            for (long at = 0; at < size; at += mapWindow) {
                windows.add(ch.map(FileChannel.MapMode.READ_ONLY, at, Math.min(mapWindow, size - at))
                        .order(ByteOrder.LITTLE_ENDIAN));
            }
        }
        ByteBuffer first = windows.get(0);
        int magic = first.getInt(0);
        int version = first.getInt(4);
        long seq = first.getLong(8);
        long payloadLength = first.getLong(16);
        if (payloadLength < 0 || HEADER_LENGTH + payloadLength + CRC_LENGTH != size) {
            throw new JournalFormatException(payloadLength > size - HEADER_LENGTH - CRC_LENGTH
                    ? JournalFormatException.Reason.TRUNCATED : JournalFormatException.Reason.LENGTH_MISMATCH,
                    "header announces a payload of " + payloadLength + " bytes but the file holds " + size);
        }
        // the payload is [HEADER_LENGTH, size - CRC_LENGTH) of the file, in windows
        long payloadEnd = size - CRC_LENGTH;
        List<ByteBuffer> payload = new ArrayList<>(windows.size());
        CRC32C crc = new CRC32C();
        crc.update(first.duplicate().limit(HEADER_LENGTH));
        for (int w = 0; w < windows.size(); w++) {
            long start = (long) w * mapWindow;
            ByteBuffer window = windows.get(w);
            int from = (int) Math.max(0, HEADER_LENGTH - start);
            int to = (int) Math.min(window.capacity(), payloadEnd - start);
            if (from < to) {
                ByteBuffer piece = window.duplicate().position(from).limit(to);
                crc.update(piece.duplicate());
                payload.add(piece);
            }
        }
        int stored = crcAt(windows, payloadEnd);
        if (stored != (int) crc.getValue()) {
            throw new JournalFormatException(JournalFormatException.Reason.CRC_MISMATCH,
                    "checksum 0x" + Integer.toHexString(stored) + " but computed 0x" + Integer.toHexString((int) crc.getValue()));
        }
        if (magic != MAGIC) {
            throw new JournalFormatException(JournalFormatException.Reason.BAD_MAGIC, "magic 0x" + Integer.toHexString(magic));
        }
        if (version != FORMAT_VERSION) {
            throw new JournalFormatException(JournalFormatException.Reason.UNSUPPORTED_VERSION,
                    "format version " + version + "; this build reads " + FORMAT_VERSION);
        }
        if (seq != f.seq()) {
            throw new JournalFormatException(JournalFormatException.Reason.MALFORMED_PAYLOAD,
                    "header sequence " + seq + " differs from the file name's " + f.seq());
        }
        return new LoadedSnapshot(f.path(), seq, new BufferSnapshotInput(payload));
    }

    /** The little-endian int at file offset {@code at}, which may straddle two windows. */
    private int crcAt(List<ByteBuffer> windows, long at) {
        int v = 0;
        for (int i = 0; i < CRC_LENGTH; i++) {
            long p = at + i;
            v |= (windows.get((int) (p / mapWindow)).get((int) (p % mapWindow)) & 0xFF) << (8 * i);
        }
        return v;
    }
}
