package exchange.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A real WebSocket client for the stream tests ({@link java.net.http.WebSocket}, which answers pings
 * by itself): collects text messages in order and records the close frame it receives.
 */
final class WsTestClient implements WebSocket.Listener, AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(10);

    /** A close frame received from the server. */
    record Closed(int code, String reason) {
    }

    private final LinkedBlockingQueue<String> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private WsTestClient() {
    }

    /** Opens {@code ws://127.0.0.1:<port><pathAndQuery>}. */
    static WsTestClient connect(int port, String pathAndQuery) {
        WsTestClient client = new WsTestClient();
        client.socket = open(port, pathAndQuery, client).join();
        return client;
    }

    /** The HTTP status of a refused upgrade (fails if the upgrade succeeds). */
    static int refusedStatus(int port, String pathAndQuery) {
        try {
            WebSocket ws = open(port, pathAndQuery, new WsTestClient()).join();
            ws.abort();
            return fail("upgrade of " + pathAndQuery + " was accepted");
        } catch (CompletionException e) {
            if (e.getCause() instanceof WebSocketHandshakeException h) {
                return h.getResponse().statusCode();
            }
            throw e;
        }
    }

    private static CompletableFuture<WebSocket> open(int port, String pathAndQuery, WebSocket.Listener listener) {
        return HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(WAIT)
                .buildAsync(URI.create("ws://127.0.0.1:" + port + pathAndQuery), listener);
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    /** The next message, failing after {@link #WAIT}. */
    String next() {
        try {
            String m = messages.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(m, "no message within " + WAIT + " (close received: " + closed.getNow(null) + ")");
            return m;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message if one arrives within {@code millis}, else null. */
    String poll(long millis) throws InterruptedException {
        return messages.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Sends {@code request} and returns the next message (its answer, when nothing else is subscribed). */
    String ask(String request) {
        send(request);
        return next();
    }

    /** The close frame the server sent, failing after {@link #WAIT}. */
    Closed awaitClose() {
        return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    boolean isClosed() {
        return closed.isDone() || socket.isInputClosed();
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            messages.add(partial.toString());
            partial.setLength(0);
        }
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.complete(new Closed(-1, String.valueOf(error)));
    }

    @Override
    public void close() {
        if (socket != null) {
            socket.abort();
        }
    }
}
