package exchange.journal;

import exchange.engine.Command;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Test tooling that bypasses the journal: raw documents, and byte surgery on closed queue files. */
final class RawQueue {
    private RawQueue() {
    }

    /** Appends each byte array as one document to the queue in {@code dir}. */
    static void appendDocuments(Path dir, byte[]... documents) {
        try (SingleChronicleQueue q = SingleChronicleQueueBuilder.binary(dir.toFile()).build();
             ExcerptAppender a = q.createAppender()) {
            for (byte[] d : documents) {
                try (DocumentContext dc = a.writingDocument()) {
                    dc.wire().bytes().write(d);
                }
            }
        }
    }

    /** A correctly encoded journal record for {@code c} at {@code seq}. */
    static byte[] record(Command c, long seq) {
        CommandCodec codec = new CommandCodec();
        int len = codec.encode(c, seq);
        byte[] out = new byte[len];
        System.arraycopy(codec.buffer(), 0, out, 0, len);
        return out;
    }

    /** The queue's cycle files, oldest first. */
    static List<Path> cycleFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> files = new ArrayList<>(s.filter(p -> p.toString().endsWith(".cq4")).sorted().toList());
            return files;
        }
    }

    /** Position of the first occurrence of {@code ascii} in {@code file}, or -1. */
    static long find(Path file, String ascii) throws IOException {
        byte[] needle = ascii.getBytes(StandardCharsets.US_ASCII);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
            byte[] chunk = new byte[1 << 20];
            long base = 0;
            long length = raf.length();
            while (base < length) {
                raf.seek(base);
                int n = raf.read(chunk);
                for (int i = 0; i + needle.length <= n; i++) {
                    int k = 0;
                    while (k < needle.length && chunk[i + k] == needle[k]) {
                        k++;
                    }
                    if (k == needle.length) {
                        return base + i;
                    }
                }
                if (n < chunk.length) {
                    return -1;
                }
                base += n - needle.length;
            }
            return -1;
        }
    }

    /** XORs the byte at {@code position} of {@code file} with 0xFF. */
    static void flipByte(Path file, long position) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(position);
            int b = raf.read();
            raf.seek(position);
            raf.write(b ^ 0xFF);
        }
    }
}
