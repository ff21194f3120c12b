package exchange.bench;

import exchange.gateway.ExchangeServer;
import exchange.gateway.GatewayConfig;
import exchange.gateway.session.AlwaysOpenCalendar;
import exchange.gateway.stream.StreamConfig;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap per idle WebSocket stream connection and per subscription, on a real server: heap used
 * after full collections with the server alone, with {@code connections} idle connections to
 * {@code /v1/stream}, and with each of them subscribed to {@code subscriptions} streams. The
 * clients are plain sockets in this JVM (no WebSocket client library); their own share is
 * measured apart, as the same number of sockets connected to a bare server socket, and subtracted.
 *
 * <p>{@code java $FLAGS -Xmx1g -cp benchmarks/target/benchmarks.jar exchange.bench.StreamMemoryHarness [connections=1000] [subscriptions=4]}
 */
public final class StreamMemoryHarness {
    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final String[] STREAMS = {"AAPL@trade", "AAPL@depth", "AAPL@kline_1m", "AAPL@ticker",
        "AAPL@kline_1s", "AAPL@kline_5m"};

    private StreamMemoryHarness() {
    }

    public static void main(String[] args) throws Exception {
        int connections = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int subscriptions = args.length > 1 ? Math.min(STREAMS.length, Integer.parseInt(args[1])) : 4;
        long clientShare = clientSocketBytes(connections);
        Path dir = Files.createTempDirectory("stream-memory");
        GatewayConfig config = GatewayConfig.builder().port(0).dataDir(dir).adminKey("bench-admin-key-0123456789")
                .ringSize(1024).calendar(GatewayConfig.CalendarType.ALWAYS_OPEN, AlwaysOpenCalendar.DEFAULT_ZONE, null)
                .symbol("AAPL", 1_900_000L)
                .stream(StreamConfig.defaults().withMaxConnectionsPerAddress(connections + 10)
                        .withInboundMessagesPerSecond(1_000))
                .build();
        try (ExchangeServer server = ExchangeServer.start(config, new ExchangeServer.Options()
                .environment(n -> null).sessionScheduler(false).out(new PrintStream(new ByteArrayOutputStream())))) {
            int port = server.port();
            // warm the upgrade path so its one-off classes and buffers are in the baseline
            close(open(port, 20));
            while (server.streamHub().connectionCount() > 0) {
                Thread.sleep(10);
            }
            long base = usedAfterFullGc();
            List<Socket> clients = open(port, connections);
            while (server.streamHub().connectionCount() < connections) {
                Thread.sleep(10);
            }
            long withConnections = usedAfterFullGc();
            for (Socket s : clients) {
                subscribe(s, subscriptions);
            }
            long withSubscriptions = usedAfterFullGc();
            double perConnection = (double) (withConnections - base - clientShare) / connections;
            double perSubscription = (double) (withSubscriptions - withConnections) / ((long) connections * subscriptions);
            System.out.printf("connections=%d subscriptions/connection=%d hub: connections=%d subscriptions=%d%n",
                    connections, subscriptions, server.streamHub().connectionCount(), server.streamHub().subscriptionCount());
            System.out.printf("heap: base %,d B, +connections %,d B, +subscriptions %,d B, client sockets' own share %,d B%n",
                    base, withConnections - base, withSubscriptions - withConnections, clientShare);
            System.out.printf("per idle connection (server side): %,.0f B; per subscription: %,.0f B%n",
                    perConnection, perSubscription);
            close(clients);
        }
        System.exit(0);
    }

    /** Heap held by {@code n} connected client sockets alone (against a bare server socket, accepted sides closed). */
    private static long clientSocketBytes(int n) throws IOException {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0), n);
            long before = usedAfterFullGc();
            List<Socket> clients = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Socket s = new Socket("127.0.0.1", server.getLocalPort());
                s.getInputStream();
                s.getOutputStream();
                clients.add(s);
                accepted.add(server.accept());
            }
            close(accepted);
            long after = usedAfterFullGc();
            close(clients);
            return after - before;
        }
    }

    private static List<Socket> open(int port, int n) throws IOException {
        List<Socket> sockets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Socket s = new Socket("127.0.0.1", port);
            OutputStream out = s.getOutputStream();
            out.write(("GET /v1/stream HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            int matched = 0;
            while (matched < 4) { // read to the end of the 101 response's headers
                int b = in.read();
                if (b < 0) {
                    throw new IOException("upgrade refused");
                }
                matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            sockets.add(s);
        }
        return sockets;
    }

    /** SUBSCRIBE to the first {@code k} streams and read the answer (a masked text frame, as a client must send). */
    private static void subscribe(Socket s, int k) throws IOException {
        StringBuilder params = new StringBuilder();
        for (int i = 0; i < k; i++) {
            params.append(i == 0 ? "" : ",").append('"').append(STREAMS[i]).append('"');
        }
        byte[] p = ("{\"method\":\"SUBSCRIBE\",\"params\":[" + params + "],\"id\":1}").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        frame.write(0x81);
        if (p.length < 126) {
            frame.write(0x80 | p.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(p.length >> 8);
            frame.write(p.length & 0xff);
        }
        frame.write(new byte[4]); // mask key 0: the payload goes as is
        frame.write(p);
        s.getOutputStream().write(frame.toByteArray());
        InputStream in = s.getInputStream();
        in.read();
        int len = in.read() & 0x7f;
        in.readNBytes(len);
    }

    private static void close(List<Socket> sockets) throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static long usedAfterFullGc() {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = MEMORY.getHeapMemoryUsage().getUsed();
            if (now >= used) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }
}
