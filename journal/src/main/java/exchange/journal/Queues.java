package exchange.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opening Chronicle queues the same way everywhere, and the fsync helpers the journal needs. */
final class Queues {
    private Queues() {
    }

    /** Opens (creating if needed) a binary single-file-per-cycle queue in {@code dir}. */
    static SingleChronicleQueue open(Path dir, JournalOptions options) {
        SingleChronicleQueueBuilder b = SingleChronicleQueueBuilder.binary(dir.toFile()).rollCycle(options.rollCycle());
        if (options.timeProvider() != null) {
            b.timeProvider(options.timeProvider());
        }
        return b.build();
    }

    /**
     * Opens the existing queue in {@code dir} read-only: Chronicle maps its files read-only and
     * writes nothing, not even the directory listing it otherwise keeps in {@code metadata.cq4t}
     * (a writable open rewrites that file on every open, which the replay tool must not do).
     * The roll cycle is taken from the queue's metadata.
     */
    static SingleChronicleQueue openReadOnly(Path dir) {
        return SingleChronicleQueueBuilder.binary(dir.toFile()).readOnly(true).build();
    }

    /** True if {@code dir} holds a queue (its metadata or a cycle file): a read-only open of anything else fails. */
    static boolean holdsQueue(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.{cq4,cq4t}")) {
            return ds.iterator().hasNext();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /**
     * Copies the document content at the read position of {@code bytes} into {@code into}.
     *
     * @return the content length, or -1 if it is longer than {@code into} (nothing is copied)
     */
    static int copyContent(Bytes<?> bytes, byte[] into) {
        long remaining = bytes.readRemaining();
        if (remaining > into.length) {
            return -1;
        }
        int n = (int) remaining;
        int read = 0;
        while (read < n) {
            int r = bytes.read(into, read, n - read);
            if (r <= 0) {
                break;
            }
            read += r;
        }
        return read;
    }

    /** {@code fdatasync} of a file: flushes its dirty pages, including those written through a mapping. */
    static void forceFile(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ch.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync of " + file + " failed", e);
        }
    }

    /** {@code fsync} of a directory, so that files created or renamed in it survive an OS crash. */
    static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("fsync of directory " + dir + " failed", e);
        }
    }
}
