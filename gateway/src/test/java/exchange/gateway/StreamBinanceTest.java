package exchange.gateway;

import exchange.gateway.stream.StreamCatalog;
import exchange.gateway.stream.StreamConfig;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import exchange.gateway.stream.SymbolStreamCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Binance's WebSocket face ({@code /ws}, {@code /stream}) and snapshots on subscribe, over a real server. */
@Timeout(30)
class StreamBinanceTest {
    @TempDir
    Path dataDir;

    private GatewayConfig config() {
        return TestExchange.config(dataDir).stream(StreamConfig.defaults().withInboundMessagesPerSecond(1_000)).build();
    }

    @Test
    void shouldDeliverRawStreamsAtWsAndCombinedEnvelopesAtStream() {
        try (TestExchange exchange = TestExchange.start(config());
             WsTestClient raw = WsTestClient.connect(exchange.server.port(), "/ws/aapl@trade");
             WsTestClient combined = WsTestClient.connect(exchange.server.port(), "/stream?streams=aapl@trade/msft@depth@100ms")) {
            StreamHub hub = exchange.server.streamHub();
            assertEquals("{\"result\":[\"aapl@trade\"],\"id\":1}", raw.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":1}"));
            assertEquals("{\"result\":[\"aapl@trade\",\"msft@depth@100ms\"],\"id\":2}",
                    combined.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":2}"));

            String trade = "{\"e\":\"trade\",\"E\":1,\"s\":\"AAPL\",\"t\":12,\"p\":\"190.00\",\"q\":\"5\"}";
            hub.publish(StreamTopics.binance("aapl@trade"), 3, trade);
            hub.publish(StreamTopics.binance("msft@depth@100ms"), 4, "{\"e\":\"depthUpdate\",\"U\":4,\"u\":4}");
            assertEquals(trade, raw.next());
            assertEquals("{\"stream\":\"aapl@trade\",\"data\":" + trade + "}", combined.next());
            assertEquals("{\"stream\":\"msft@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"U\":4,\"u\":4}}", combined.next());
        }
    }

    @Test
    void shouldAnswerBinanceMethodsInBinanceShapes() {
        try (TestExchange exchange = TestExchange.start(config());
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/ws")) {
            StreamHub hub = exchange.server.streamHub();
            assertEquals("{\"result\":null,\"id\":1}",
                    ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"aapl@trade\",\"aapl@kline_1m\"],\"id\":1}"));
            assertEquals("{\"result\":[\"aapl@trade\",\"aapl@kline_1m\"],\"id\":3}", ws.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":3}"));
            assertEquals("{\"result\":null,\"id\":312}",
                    ws.ask("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"aapl@kline_1m\"],\"id\":312}"));
            assertEquals("{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown stream AAPL@trade\"},\"id\":4}",
                    ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":4}"), "Binance stream names are lowercase");
            assertEquals("{\"error\":{\"code\":3,\"msg\":\"Invalid JSON: expected a JSON object\"},\"id\":null}", ws.ask("{"));
            assertEquals("{\"error\":{\"code\":2,\"msg\":\"Invalid request: unknown variant SUBSCRIB, expected one of "
                    + "`SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`\"},\"id\":5}",
                    ws.ask("{\"method\":\"SUBSCRIB\",\"params\":[\"aapl@trade\"],\"id\":5}"));
            assertEquals("{\"result\":false,\"id\":6}", ws.ask("{\"method\":\"GET_PROPERTY\",\"params\":[\"combined\"],\"id\":6}"));
            assertEquals("{\"error\":{\"code\":1,\"msg\":\"Invalid value type: expected Boolean\"},\"id\":7}",
                    ws.ask("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",\"yes\"],\"id\":7}"));
            assertEquals("{\"result\":null,\"id\":8}", ws.ask("{\"method\":\"SET_PROPERTY\",\"params\":[\"combined\",true],\"id\":8}"));
            hub.publish(StreamTopics.binance("aapl@trade"), 9, "{\"e\":\"trade\"}");
            assertEquals("{\"stream\":\"aapl@trade\",\"data\":{\"e\":\"trade\"}}", ws.next(), "combined after SET_PROPERTY");
        }
    }

    @Test
    void shouldRefuseAnUpgradeNamingAnUnknownStream() {
        try (TestExchange exchange = TestExchange.start(config())) {
            assertEquals(400, WsTestClient.refusedStatus(exchange.server.port(), "/ws/tsla@trade"));
            assertEquals(400, WsTestClient.refusedStatus(exchange.server.port(), "/stream?streams=aapl@trade/aapl@nope"));
        }
    }

    /**
     * The catalog's snapshot is taken while the producer keeps publishing (here: from inside the
     * snapshot call, the worst moment): the subscriber gets the answer, the snapshot, then only the
     * messages newer than the snapshot, each once, in order.
     */
    @Test
    void shouldSendTheSnapshotFirstThenOnlyMessagesNewerThanIt() {
        AtomicReference<StreamHub> hubRef = new AtomicReference<>();
        String depth = StreamTopics.v1("AAPL@depth");
        StreamCatalog symbols = new SymbolStreamCatalog(List.of("AAPL", "MSFT"));
        StreamCatalog catalog = new StreamCatalog() {
            @Override
            public boolean exists(String topic) {
                return symbols.exists(topic);
            }

            @Override
            public Snapshot snapshot(String topic) {
                if (!topic.equals(depth)) {
                    return null;
                }
                hubRef.get().publish(depth, 5, "{\"diff\":5}");  // already in the snapshot: skipped
                hubRef.get().publish(depth, 6, "{\"diff\":6}");  // newer: follows the snapshot
                return new Snapshot(5, List.of("{\"snapshot\":5}"));
            }
        };
        try (TestExchange exchange = TestExchange.start(config(), o -> o.streamCatalog(catalog));
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            hubRef.set(exchange.server.streamHub());
            exchange.server.streamHub().publish(depth, 4, "{\"diff\":4}"); // before subscribing: never seen
            assertEquals("{\"id\":1,\"result\":null}", ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@depth\"],\"id\":1}"));
            assertEquals("{\"snapshot\":5}", ws.next());
            assertEquals("{\"diff\":6}", ws.next());
            exchange.server.streamHub().publish(depth, 7, "{\"diff\":7}");
            assertEquals("{\"diff\":7}", ws.next());
        }
    }
}
