package exchange.gateway;

import exchange.gateway.stream.StreamConfig;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream layer's limits and liveness over a real server: each refusal or close is clear and counted. */
@Timeout(60)
class StreamLimitsTest {
    private static final String SUBSCRIBE_TRADES = "{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":1}";

    @TempDir
    Path dataDir;

    private TestExchange start(StreamConfig stream) {
        return TestExchange.start(TestExchange.config(dataDir).stream(stream).build());
    }

    private static StreamConfig relaxed() {
        return StreamConfig.defaults().withInboundMessagesPerSecond(1_000);
    }

    @Test
    void shouldRefuseConnectionsOverThePerAddressLimitWith429() throws Exception {
        try (TestExchange exchange = start(relaxed().withMaxConnectionsPerAddress(2));
             WsTestClient first = WsTestClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient second = WsTestClient.connect(exchange.server.port(), "/ws")) {
            StreamHub hub = exchange.server.streamHub();
            assertEquals(429, WsTestClient.refusedStatus(exchange.server.port(), "/v1/stream"));
            assertEquals(1, hub.connectionsRefused());
            first.close();
            while (hub.connectionCount() > 1) {
                Thread.sleep(10);
            }
            try (WsTestClient third = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
                assertEquals("{\"id\":1,\"result\":null}", third.ask(SUBSCRIBE_TRADES), "a freed slot is usable again");
            }
            assertTrue(exchange.api.get("/metrics", null).raw().contains("exchange_stream_connections_refused_total 1"));
        }
    }

    @Test
    void shouldRefuseSubscriptionsOverThePerConnectionLimitOnBothFaces() {
        try (TestExchange exchange = start(relaxed().withMaxSubscriptionsPerConnection(2));
             WsTestClient v1 = WsTestClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient binance = WsTestClient.connect(exchange.server.port(), "/ws/aapl@trade")) {
            assertEquals("{\"id\":1,\"result\":null}", v1.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\",\"AAPL@depth\"],\"id\":1}"));
            assertEquals("{\"stream\":\"AAPL@depth\",\"seq\":0,\"snapshot\":true,\"data\":{\"symbol\":\"AAPL\",\"seq\":0,"
                    + "\"bids\":[],\"asks\":[]}}", v1.next(), "the depth snapshot follows the answer");
            assertEquals("{\"id\":2,\"error\":{\"code\":\"TOO_MANY_SUBSCRIPTIONS\",\"msg\":\"at most 2 subscriptions per connection\"}}",
                    v1.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"MSFT@trade\"],\"id\":2}"));
            assertEquals("{\"id\":3,\"result\":null}", v1.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":3}"),
                    "subscribing again to a subscribed stream takes no new slot");
            assertEquals("{\"result\":null,\"id\":4}", binance.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"aapl@depth\"],\"id\":4}"));
            assertEquals("{\"error\":{\"code\":2,\"msg\":\"Invalid request: too many subscriptions (at most 2 per connection)\"},\"id\":5}",
                    binance.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"msft@trade\"],\"id\":5}"));
            assertEquals(400, WsTestClient.refusedStatus(exchange.server.port(), "/stream?streams=aapl@trade/aapl@depth/msft@trade"));
        }
    }

    @Test
    void shouldCloseAConnectionSendingFasterThanTheInboundRate() {
        try (TestExchange exchange = start(StreamConfig.defaults().withInboundMessagesPerSecond(5));
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            // stop as soon as the server has counted the refusal: a write racing its close would be
            // reset by the peer and reported by the client as an error instead of the close frame
            for (int i = 0; i < 20 && !ws.isClosed() && exchange.server.streamHub().rateLimitedCount() == 0; i++) {
                try {
                    ws.send("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":" + i + "}");
                } catch (RuntimeException closedMeanwhile) {
                    break;
                }
            }
            WsTestClient.Closed closed = ws.awaitClose();
            assertEquals(1008, closed.code());
            assertEquals("RATE_LIMITED: more than 5 messages per second", closed.reason());
            assertEquals(1, exchange.server.streamHub().rateLimitedCount());
        }
    }

    /**
     * A subscriber that never reads is dropped once its queue fills, while another subscriber of the
     * same topic receives every message in order. The producer's publish time is printed both ways
     * (with the stalled subscriber and after it was dropped), not asserted.
     */
    @Test
    void shouldDropASubscriberThatNeverReadsWhileOthersReceiveEveryMessageInOrder() throws Exception {
        try (TestExchange exchange = start(relaxed().withOutboundQueueLength(8));
             RawWsClient stalled = RawWsClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient reader = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            StreamHub hub = exchange.server.streamHub();
            String topic = StreamTopics.v1("AAPL@trade");
            stalled.sendText(SUBSCRIBE_TRADES);
            assertEquals("{\"id\":1,\"result\":null}", stalled.read().text()); // and never reads again
            assertEquals("{\"id\":1,\"result\":null}", reader.ask(SUBSCRIBE_TRADES));

            String pad = "x".repeat(4096);
            long stalledNanos = 0;
            int seq = 0;
            while (hub.slowConsumersDropped() == 0 && seq < 100_000) {
                seq++;
                String message = "{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}";
                long t0 = System.nanoTime();
                hub.publish(topic, seq, message);
                stalledNanos += System.nanoTime() - t0;
                assertEquals("{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}", reader.next());
            }
            assertEquals(1, hub.slowConsumersDropped(), "the stalled subscriber is dropped within " + seq + " messages");
            int droppedAt = seq;
            long aloneNanos = 0;
            for (int i = 0; i < 200; i++) {
                seq++;
                String message = "{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}";
                long t0 = System.nanoTime();
                hub.publish(topic, seq, message);
                aloneNanos += System.nanoTime() - t0;
                assertEquals("{\"seq\":" + seq + ",\"pad\":\"" + pad + "\"}", reader.next());
            }
            System.out.printf("stream publish: %d ns mean over %d messages with a stalled subscriber, %d ns mean over 200 after "
                    + "it was dropped%n", stalledNanos / droppedAt, droppedAt, aloneNanos / 200);
            assertEquals(1, hub.subscriberCount(topic), "only the reader is left");
            assertTrue(exchange.api.get("/metrics", null).raw().contains("exchange_stream_slow_consumers_dropped_total 1"));
        }
    }

    @Test
    void shouldCloseAConnectionThatAnswersNoPingAndKeepOneThatDoes() throws Exception {
        StreamConfig fastPings = relaxed().withPing(Duration.ofMillis(100), Duration.ofMillis(300));
        try (TestExchange exchange = start(fastPings);
             RawWsClient silent = RawWsClient.connect(exchange.server.port(), "/v1/stream");
             WsTestClient answering = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            assertEquals("{\"id\":1,\"result\":null}", answering.ask(SUBSCRIBE_TRADES));
            RawWsClient.Frame frame = silent.read();
            assertEquals(RawWsClient.PING, frame.opcode(), "the server pings");
            while (frame.opcode() != RawWsClient.CLOSE) {
                frame = silent.read();
            }
            assertEquals(1001, frame.closeCode());
            assertEquals("PING_TIMEOUT: no pong within 300 ms", frame.closeReason());
            assertEquals(1, exchange.server.streamHub().pingTimeouts());

            Thread.sleep(500); // several more ping rounds: the answering client stays
            assertFalse(answering.isClosed());
            exchange.server.streamHub().publish(StreamTopics.v1("AAPL@trade"), 1, "{\"seq\":1}");
            assertEquals("{\"seq\":1}", answering.next());
        }
    }
}
