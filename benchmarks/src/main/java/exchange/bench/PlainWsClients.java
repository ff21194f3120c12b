package exchange.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/** WebSocket clients on plain sockets for the stream harnesses: no client library's per-message cost. */
final class PlainWsClients {
    private PlainWsClients() {
    }

    /** A plain socket upgraded to a WebSocket at {@code path}, the 101 response read. */
    static Socket upgrade(int port, String path) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        OutputStream out = s.getOutputStream();
        out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        int matched = 0;
        while (matched < 4) { // to the end of the 101 response's headers
            int b = in.read();
            if (b < 0) {
                throw new IOException("upgrade refused");
            }
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return s;
    }

    /**
     * Subscribers on plain sockets, one reader thread each, draining 64 KB at a time and counting
     * the frames (a light parse, no text decoding): cheap enough that the server, not these
     * clients, is what the fan-out phase measures. Half subscribe on our face, half on Binance's.
     */
    static final class Subscribers implements AutoCloseable {
        final LongAdder received = new LongAdder();
        final List<Socket> sockets = new ArrayList<>();

        Subscribers(int port, int n) throws IOException {
            for (int i = 0; i < n; i++) {
                boolean ours = i % 2 == 0;
                Socket s = upgrade(port, ours ? "/v1/stream" : "/stream?streams=aapl@trade/aapl@depth");
                if (ours) {
                    sendMasked(s.getOutputStream(), "{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\",\"AAPL@depth\"],\"id\":1}");
                }
                sockets.add(s);
                Thread t = new Thread(() -> drain(s), "subscriber-" + i);
                t.setDaemon(true);
                t.start();
            }
        }

        /** Reads frames until the socket closes: 2-byte header, extended length, payload skipped. */
        private void drain(Socket s) {
            try {
                InputStream in = new java.io.BufferedInputStream(s.getInputStream(), 64 * 1024);
                while (true) {
                    int b0 = in.read();
                    int b1 = in.read();
                    if (b0 < 0 || b1 < 0) {
                        return;
                    }
                    long len = b1 & 0x7f;
                    if (len == 126) {
                        len = (in.read() << 8) | in.read();
                    } else if (len == 127) {
                        len = 0;
                        for (int k = 0; k < 8; k++) {
                            len = (len << 8) | in.read();
                        }
                    }
                    in.skipNBytes(len);
                    if ((b0 & 0x0f) == 0x1) {
                        received.increment();
                    }
                }
            } catch (IOException closed) {
                // closed by close() or dropped by the server
            }
        }

        private static void sendMasked(OutputStream out, String text) throws IOException {
            byte[] p = text.getBytes(StandardCharsets.UTF_8);
            out.write(0x81);
            out.write(0x80 | p.length); // requests here are shorter than 126 bytes
            out.write(new byte[] {0, 0, 0, 0}); // a zero mask leaves the payload as is
            out.write(p);
            out.flush();
        }

        @Override
        public void close() throws IOException {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
