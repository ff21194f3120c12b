package exchange.journal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class SnapshotStoreTest {
    @TempDir
    Path dataDir;

    /** A payload that identifies its sequence: seq, a string, then {@code filler} bytes. */
    private static BufferSnapshotOutput payload(long seq, int filler) {
        BufferSnapshotOutput out = new BufferSnapshotOutput(16);
        out.putLong(seq);
        out.putString("state after " + seq);
        for (int i = 0; i < filler; i++) {
            out.putByte((byte) i);
        }
        return out;
    }

    private static long seqOf(SnapshotStore.LoadedSnapshot s) {
        BufferSnapshotInput in = s.payload();
        long seq = in.getLong();
        assertEquals("state after " + seq, in.getString());
        return seq;
    }

    @Test
    void shouldRoundTripEveryPrimitiveThroughTheBuffers() {
        BufferSnapshotOutput out = new BufferSnapshotOutput(16); // tiny chunks: nearly every value straddles two
        long[] longs = new long[37];
        byte[] bytes = new byte[29];
        for (int i = 0; i < 1_000; i++) {
            out.putLong(Long.MIN_VALUE + i);
            out.putInt(Integer.MAX_VALUE - i);
            out.putByte((byte) i);
            out.putString(i % 3 == 0 ? null : i % 3 == 1 ? "" : "Zoë \uD83D\uDE80 " + i);
            java.util.Arrays.fill(longs, -i * 1_000_003L);
            java.util.Arrays.fill(bytes, (byte) -i);
            out.putLongs(longs, i % 5, longs.length - i % 5);
            out.putBytes(bytes, i % 7, bytes.length - i % 7);
        }
        BufferSnapshotInput in = BufferSnapshotInput.of(out);
        assertEquals(out.length(), in.remaining());
        for (int i = 0; i < 1_000; i++) {
            assertEquals(Long.MIN_VALUE + i, in.getLong());
            assertEquals(Integer.MAX_VALUE - i, in.getInt());
            assertEquals((byte) i, in.getByte());
            String s = in.getString();
            if (i % 3 == 0) {
                assertNull(s);
            } else {
                assertEquals(i % 3 == 1 ? "" : "Zoë \uD83D\uDE80 " + i, s);
            }
            long[] readLongs = new long[longs.length + 1];
            in.getLongs(readLongs, 1, longs.length - i % 5);
            for (int k = 1; k <= longs.length - i % 5; k++) {
                assertEquals(-i * 1_000_003L, readLongs[k]);
            }
            byte[] readBytes = new byte[bytes.length - i % 7];
            in.getBytes(readBytes, 0, readBytes.length);
            for (byte b : readBytes) {
                assertEquals((byte) -i, b);
            }
        }
        assertEquals(0, in.remaining());
        JournalFormatException e = assertThrows(JournalFormatException.class, in::getInt);
        assertEquals(JournalFormatException.Reason.MALFORMED_PAYLOAD, e.reason());
    }

    @Test
    void shouldLoadAFileMappedInManyWindowsAndStillCatchDamageInTheLastOne() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir, 3, 100); // 100-byte windows: headers, values and the CRC straddle them
        BufferSnapshotOutput out = new BufferSnapshotOutput(48);
        out.putLong(77);
        long[] values = new long[10_001];
        for (int i = 0; i < values.length; i++) {
            values[i] = i * 0x9E3779B97F4A7C15L;
        }
        out.putLongs(values, 0, values.length);
        Path p = store.write(77, out);
        BufferSnapshotInput in = store.loadNewestValid().orElseThrow().payload();
        assertEquals(77, in.getLong());
        long[] read = new long[values.length];
        in.getLongs(read, 0, read.length);
        assertArrayEquals(values, read);
        assertEquals(0, in.remaining());

        RawQueue.flipByte(p, Files.size(p) - SnapshotStore.CRC_LENGTH - 3);
        JournalFormatException e = assertThrows(JournalFormatException.class,
                () -> store.load(new SnapshotStore.SnapshotFile(p, 77)));
        assertEquals(JournalFormatException.Reason.CRC_MISMATCH, e.reason());
    }

    @Test
    void shouldWriteAndLoadASnapshotUnderItsTwentyDigitName() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        Path p = store.write(1234, payload(1234, 100_000));
        assertEquals("snapshot-00000000000000001234.snap", p.getFileName().toString());
        assertEquals(dataDir.resolve("snapshots"), p.getParent());
        assertEquals(SnapshotStore.HEADER_LENGTH + payload(1234, 100_000).length() + SnapshotStore.CRC_LENGTH, Files.size(p));
        SnapshotStore.LoadedSnapshot s = store.loadNewestValid().orElseThrow();
        assertEquals(1234, s.seq());
        assertEquals(1234, seqOf(s));
        assertEquals(100_000, s.payload().remaining());
    }

    @Test
    void shouldListNewestFirstAndLoadTheNewestAtOrBeforeASeq() {
        SnapshotStore store = new SnapshotStore(dataDir, 10);
        for (long seq : new long[] {50, 7, 300, 120}) {
            store.write(seq, payload(seq, 10));
        }
        assertEquals(List.of(300L, 120L, 50L, 7L), store.list().stream().map(SnapshotStore.SnapshotFile::seq).toList());
        assertEquals(300, seqOf(store.loadNewestValid().orElseThrow()));
        assertEquals(120, seqOf(store.loadNewestValid(299).orElseThrow()));
        assertEquals(Optional.empty(), store.loadNewestValid(6).map(SnapshotStore.LoadedSnapshot::seq));
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenAByteOfTheNewestFlips() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        store.write(10, payload(10, 500));
        Path newest = store.write(20, payload(20, 500));
        for (long pos : new long[] {0, 5, 12, 20, 300, Files.size(newest) - 1}) {
            RawQueue.flipByte(newest, pos);
            assertEquals(10, seqOf(store.loadNewestValid().orElseThrow()), "byte " + pos + " flipped");
            RawQueue.flipByte(newest, pos);
            assertEquals(20, seqOf(store.loadNewestValid().orElseThrow()), "byte " + pos + " restored");
        }
    }

    @Test
    void shouldFallBackToTheOlderSnapshotWhenTheNewestIsTruncated() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        store.write(10, payload(10, 500));
        Path newest = store.write(20, payload(20, 500));
        long size = Files.size(newest);
        for (long cut : new long[] {size - 1, size / 2, SnapshotStore.HEADER_LENGTH, 3, 0}) {
            try (RandomAccessFile raf = new RandomAccessFile(newest.toFile(), "rw")) {
                raf.setLength(cut);
            }
            assertEquals(10, seqOf(store.loadNewestValid().orElseThrow()), "cut to " + cut);
        }
    }

    @Test
    void shouldIgnoreAnIncompleteTempFileAndDeleteItOnTheNextWrite() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        store.write(10, payload(10, 50));
        Path temp = store.directory().resolve(SnapshotStore.fileName(30) + ".tmp");
        Files.write(temp, new byte[] {1, 2, 3});
        assertEquals(List.of(10L), store.list().stream().map(SnapshotStore.SnapshotFile::seq).toList());
        assertEquals(10, seqOf(store.loadNewestValid().orElseThrow()));
        store.write(40, payload(40, 50));
        assertFalse(Files.exists(temp));
    }

    @Test
    void shouldKeepOnlyTheNewestNSnapshots() {
        SnapshotStore store = new SnapshotStore(dataDir, 2);
        for (long seq = 1; seq <= 5; seq++) {
            store.write(seq * 100, payload(seq * 100, 10));
        }
        assertEquals(List.of(500L, 400L), store.list().stream().map(SnapshotStore.SnapshotFile::seq).toList());
        assertEquals(SnapshotStore.DEFAULT_RETAIN, 3);
        assertThrows(IllegalArgumentException.class, () -> new SnapshotStore(dataDir, 0));
    }

    @Test
    void shouldFindNothingWhenEverySnapshotIsCorruptOrAbsent() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        assertTrue(store.loadNewestValid().isEmpty());
        Path only = store.write(10, payload(10, 50));
        RawQueue.flipByte(only, 30);
        assertTrue(store.loadNewestValid().isEmpty());
    }

    @Test
    void shouldRejectASnapshotWhoseHeaderSeqDiffersFromItsName() throws IOException {
        SnapshotStore store = new SnapshotStore(dataDir);
        Path p = store.write(10, payload(10, 50));
        Files.move(p, p.resolveSibling(SnapshotStore.fileName(11)));
        assertTrue(store.loadNewestValid().isEmpty());
    }
}
