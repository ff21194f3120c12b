package exchange.gateway.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body into a byte array of its exact size, refusing one over the limit with 413.
 *
 * <p>Javalin's {@code ctx.bodyAsBytes()} copies every body through a fresh 8 KiB buffer and a
 * growing {@code ByteArrayOutputStream}; for the ~150-byte order body that zeroing and copying
 * was about 5% of the request threads' CPU in a profile of order entry. With a
 * {@code Content-Length} (what every client here sends) the body is read straight into an array
 * of that length; a chunked body grows a small buffer up to the limit.
 *
 * <p>A refused body is read to its end and thrown away before the 413 goes out, up to
 * {@link #DRAIN_LIMIT} bytes. A connection closed with the client's bytes still unread is reset by
 * the kernel, and a reset can destroy the 413 before the client reads it: the client then sees a
 * dropped connection instead of {@code BODY_TOO_LARGE}. After draining, the connection stays open
 * for the next request. A body larger than the drain limit is not read to its end (one whose
 * {@code Content-Length} says so, not at all); the container then closes the connection.
 */
final class BodyReader {
    private static final int CHUNKED_INITIAL = 512;
    /** The most bytes of a refused body read and discarded so that its 413 arrives intact. */
    static final long DRAIN_LIMIT = 1 << 20;
    private static final int DRAIN_BUFFER = 8192;

    private final int maxBytes;

    BodyReader(int maxBytes) {
        this.maxBytes = maxBytes;
    }

    /** The whole body; 413 {@code BODY_TOO_LARGE} if it is larger than the limit. */
    byte[] read(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        try {
            // the container owns the stream (and the connection behind it): read it, never close it
            InputStream in = ctx.req().getInputStream();
            if (declared > maxBytes) {
                throw tooLarge(in, declared);
            }
            return declared >= 0 ? readExactly(in, (int) declared) : readChunked(in);
        } catch (IOException e) {
            // a body shorter than its Content-Length, broken chunking, a connection gone mid-body
            throw ApiProblem.forStatus(400);
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] body = new byte[length];
        int at = 0;
        while (at < length) {
            int n = in.read(body, at, length - at);
            if (n < 0) {
                throw new IOException("body ended after " + at + " of " + length + " bytes");
            }
            at += n;
        }
        return body;
    }

    private byte[] readChunked(InputStream in) throws IOException {
        byte[] buf = new byte[CHUNKED_INITIAL];
        int at = 0;
        while (true) {
            if (at == buf.length) {
                // at <= maxBytes here (more was refused below), so the buffer can still grow
                buf = Arrays.copyOf(buf, Math.min(buf.length * 2, maxBytes + 1));
            }
            int n = in.read(buf, at, buf.length - at);
            if (n < 0) {
                return Arrays.copyOf(buf, at);
            }
            at += n;
            if (at > maxBytes) {
                throw tooLarge(in, DRAIN_LIMIT - at);
            }
        }
    }

    /**
     * The 413 for a body too large, after reading and discarding up to {@code remaining} more
     * bytes of it (none when more than {@link #DRAIN_LIMIT} remain).
     */
    private static ApiProblem tooLarge(InputStream in, long remaining) {
        if (remaining <= DRAIN_LIMIT) {
            try {
                byte[] scratch = new byte[DRAIN_BUFFER];
                long left = remaining;
                while (left > 0) {
                    int n = in.read(scratch, 0, (int) Math.min(scratch.length, left));
                    if (n < 0) {
                        break;
                    }
                    left -= n;
                }
            } catch (IOException e) {
                // the client went away or broke its framing: the 413 stands, the container closes
            }
        }
        return ApiProblem.forStatus(413);
    }
}
