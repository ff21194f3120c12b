package exchange.gateway;

import exchange.gateway.TestExchange.Account;
import exchange.gateway.stream.StreamConfig;
import exchange.gateway.stream.StreamHub;
import exchange.gateway.stream.StreamTopics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Our WebSocket face, {@code /v1/stream}, over a real server and a real client. */
@Timeout(30)
class StreamV1Test {
    @TempDir
    Path dataDir;

    /** The default limits but the inbound rate, which these conversations exceed on purpose. */
    private GatewayConfig config() {
        return TestExchange.config(dataDir).stream(StreamConfig.defaults().withInboundMessagesPerSecond(1_000)).build();
    }

    @Test
    void shouldAnswerSubscribeUnsubscribeAndListWithTheirIdsAndDeliverPublishedMessages() throws Exception {
        try (TestExchange exchange = TestExchange.start(config());
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            StreamHub hub = exchange.server.streamHub();
            assertEquals("{\"id\":1,\"result\":null}",
                    ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\",\"AAPL@kline_1m\"],\"id\":1}"));
            assertEquals("{\"id\":\"q2\",\"result\":[\"AAPL@trade\",\"AAPL@kline_1m\"]}",
                    ws.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":\"q2\"}"));

            hub.publish(StreamTopics.v1("AAPL@trade"), 7, "{\"e\":\"trade\",\"seq\":7}");
            hub.publish(StreamTopics.v1("MSFT@trade"), 8, "{\"e\":\"trade\",\"seq\":8}");
            hub.publish(StreamTopics.v1("AAPL@kline_1m"), 9, "{\"e\":\"kline\",\"seq\":9}");
            assertEquals("{\"e\":\"trade\",\"seq\":7}", ws.next());
            assertEquals("{\"e\":\"kline\",\"seq\":9}", ws.next(), "MSFT was not subscribed");

            assertEquals("{\"id\":3,\"result\":null}",
                    ws.ask("{\"method\":\"UNSUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":3}"));
            assertEquals("{\"id\":4,\"result\":[\"AAPL@kline_1m\"]}", ws.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":4}"));
            hub.publish(StreamTopics.v1("AAPL@trade"), 10, "{\"e\":\"trade\",\"seq\":10}");
            hub.publish(StreamTopics.v1("AAPL@kline_1m"), 11, "{\"e\":\"kline\",\"seq\":11}");
            assertEquals("{\"e\":\"kline\",\"seq\":11}", ws.next(), "no trade after UNSUBSCRIBE");
            assertEquals(1, hub.subscriberCount(StreamTopics.v1("AAPL@kline_1m")));
            assertEquals(0, hub.subscriberCount(StreamTopics.v1("AAPL@trade")));
        }
    }

    @Test
    void shouldAnswerBadRequestsWithStableCodesAndSubscribeNothingFromARefusedRequest() {
        try (TestExchange exchange = TestExchange.start(config());
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            assertEquals("{\"id\":5,\"error\":{\"code\":\"UNKNOWN_STREAM\",\"msg\":\"unknown stream TSLA@trade\"}}",
                    ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\",\"TSLA@trade\"],\"id\":5}"));
            assertEquals("{\"id\":6,\"result\":[]}", ws.ask("{\"method\":\"LIST_SUBSCRIPTIONS\",\"id\":6}"),
                    "all or nothing: AAPL@trade was not subscribed either");
            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"aapl@trade\"],\"id\":7}")
                    .contains("\"UNKNOWN_STREAM\""), "symbols are uppercase on our face");
            assertTrue(ws.ask("not json").startsWith("{\"id\":null,\"error\":{\"code\":\"INVALID_JSON\""));
            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":\"AAPL@trade\",\"id\":8}")
                    .startsWith("{\"id\":8,\"error\":{\"code\":\"INVALID_REQUEST\""));
            assertTrue(ws.ask("{\"params\":[],\"id\":9}").startsWith("{\"id\":9,\"error\":{\"code\":\"INVALID_REQUEST\""));
            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"AAPL@trade\"],\"id\":{\"x\":1}}")
                    .startsWith("{\"id\":null,\"error\":{\"code\":\"INVALID_REQUEST\""));
            assertTrue(ws.ask("{\"method\":\"PING\",\"id\":10}").startsWith("{\"id\":10,\"error\":{\"code\":\"UNKNOWN_METHOD\""));
        }
    }

    @Test
    void shouldServeTheOrdersStreamOnlyAfterAuthAndOnlyTheAuthenticatedAccountsOrders() throws Exception {
        try (TestExchange exchange = TestExchange.start(config());
             WsTestClient ws = WsTestClient.connect(exchange.server.port(), "/v1/stream")) {
            Account alice = exchange.createAccount("alice");
            Account bob = exchange.createAccount("bob");
            StreamHub hub = exchange.server.streamHub();

            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders\"],\"id\":1}")
                    .startsWith("{\"id\":1,\"error\":{\"code\":\"AUTH_REQUIRED\""));
            assertTrue(ws.ask("{\"method\":\"AUTH\",\"params\":[\"not-a-key\"],\"id\":2}")
                    .startsWith("{\"id\":2,\"error\":{\"code\":\"INVALID_API_KEY\""));
            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders\"],\"id\":3}").contains("AUTH_REQUIRED"),
                    "a refused key authenticates nothing");
            assertEquals("{\"id\":4,\"result\":null}", ws.ask("{\"method\":\"AUTH\",\"params\":[\"" + alice.key() + "\"],\"id\":4}"));
            assertTrue(ws.ask("{\"method\":\"AUTH\",\"params\":[\"" + bob.key() + "\"],\"id\":5}")
                    .contains("ALREADY_AUTHENTICATED"), "a connection stays bound to its first account");
            assertTrue(ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders:" + bob.id() + "\"],\"id\":6}")
                    .contains("UNKNOWN_STREAM"), "no stream name reaches another account's orders");
            assertEquals("{\"id\":7,\"result\":null}", ws.ask("{\"method\":\"SUBSCRIBE\",\"params\":[\"orders\"],\"id\":7}"));

            hub.publish(StreamTopics.v1Orders(bob.id()), 20, "{\"order_id\":1,\"account_id\":" + bob.id() + "}");
            hub.publish(StreamTopics.v1Orders(alice.id()), 21, "{\"order_id\":2,\"account_id\":" + alice.id() + "}");
            assertEquals("{\"order_id\":2,\"account_id\":" + alice.id() + "}", ws.next());
            assertNull(ws.poll(200), "bob's order update never reaches alice's connection");
            assertEquals(1, hub.subscriberCount(StreamTopics.v1Orders(alice.id())));
            assertEquals(0, hub.subscriberCount(StreamTopics.v1Orders(bob.id())));
        }
    }
}
