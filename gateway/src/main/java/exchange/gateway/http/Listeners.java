package exchange.gateway.http;

import exchange.gateway.HttpSettings;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.Scheduler;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The server's sockets and what protects them from slow or numerous clients
 * ({@link HttpSettings}): the main listener on the configured host and port, and with
 * {@code http.admin_loopback_only} a second one on 127.0.0.1 that alone serves {@code /v1/admin/*}.
 * Every connection is closed after {@code idle_timeout_ms} without traffic, and after
 * {@code header_timeout_ms} if it has not sent a whole request head by then (a slowloris client
 * trickling header bytes resets the idle timer, not this one); at most {@code max_connections}
 * are open at once, a connection past it closed at once ({@link GuardedConnector}). Jetty reads
 * request heads without a thread, so a slow client holds a socket, never one of the request
 * threads. Built once per server; the deadline callbacks run on Jetty's scheduler thread.
 */
final class Listeners {
    static final String LOOPBACK = "127.0.0.1";

    private final HttpSettings settings;
    private final LongAdder cutBeforeRequestHead = new LongAdder();
    /** Open sockets of both listeners together. */
    private final AtomicInteger openConnections = new AtomicInteger();
    private final LongAdder refusedOverLimit = new LongAdder();
    private volatile ServerConnector main;
    private volatile ServerConnector admin;

    Listeners(HttpSettings settings) {
        this.settings = settings;
    }

    ServerConnector main(Server server, HttpConfiguration http, String host, int port) {
        main = connector(server, http, host, port);
        return main;
    }

    ServerConnector admin(Server server, HttpConfiguration http) {
        admin = connector(server, http, LOOPBACK, settings.adminPort());
        return admin;
    }

    private ServerConnector connector(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector c = new GuardedConnector(server, http, settings.maxConnections(), openConnections,
                refusedOverLimit);
        c.setHost(host);
        c.setPort(port);
        c.setIdleTimeout(settings.idleTimeoutMillis());
        c.addEventListener(new HeadDeadline(c.getScheduler(), settings.headerTimeoutMillis()));
        return c;
    }

    /**
     * Stops accepting connections on every listener; an open connection is closed after the
     * request it is serving (Jetty adds {@code Connection: close}). Requests in flight go on.
     */
    void stopAccepting() {
        for (ServerConnector c : new ServerConnector[] {main, admin}) {
            if (c != null) {
                c.shutdown();
            }
        }
    }

    /**
     * Closes every listener and every connection still open, idle keep-alive ones included. Called
     * once the requests in flight are answered, before Jetty stops its handlers: a request arriving
     * on a kept-alive connection while the handlers stop would otherwise be answered with a 500.
     * The sockets are closed first, directly: stopping a listener closes its connections through
     * Jetty, which fails a request still in progress on one and writes that failure, a 500
     * {@code INTERNAL_ERROR}, to the still-open socket. Such a request's command may yet be carried
     * out, so its client must see it cut off (outcome unknown, as a lost connection), not an error.
     */
    void closeConnections() throws Exception {
        for (ServerConnector c : new ServerConnector[] {main, admin}) {
            if (c != null) {
                for (EndPoint e : List.copyOf(c.getConnectedEndPoints())) {
                    e.close();
                }
                c.stop();
            }
        }
    }

    /** Whether a request arrived on the admin listener (always false without one). */
    boolean onAdminListener(int localPort) {
        ServerConnector a = admin;
        return a != null && a.getLocalPort() == localPort;
    }

    boolean adminSeparate() {
        return settings.adminLoopbackOnly();
    }

    int mainPort() {
        return main.getLocalPort();
    }

    /** The admin listener's port; -1 without one. */
    int adminPort() {
        ServerConnector a = admin;
        return a == null ? -1 : a.getLocalPort();
    }

    /** Connections closed because no whole request head arrived within {@code header_timeout_ms}. */
    long cutBeforeRequestHead() {
        return cutBeforeRequestHead.sum();
    }

    /** Connections closed on arrival because {@code max_connections} were open. */
    long refusedOverLimit() {
        return refusedOverLimit.sum();
    }

    /** Sockets open now on both listeners, refused ones until they are closed included. */
    int openConnections() {
        return openConnections.get();
    }

    /** Closes a new connection that has not delivered a whole request head by its deadline. */
    private final class HeadDeadline implements Connection.Listener {
        private final Scheduler scheduler;
        private final long timeoutMillis;
        private final Map<Connection, Scheduler.Task> pending = new ConcurrentHashMap<>();

        HeadDeadline(Scheduler scheduler, long timeoutMillis) {
            this.scheduler = scheduler;
            this.timeoutMillis = timeoutMillis;
        }

        @Override
        public void onOpened(Connection c) {
            pending.put(c, scheduler.schedule(() -> expire(c), timeoutMillis, TimeUnit.MILLISECONDS));
        }

        @Override
        public void onClosed(Connection c) {
            Scheduler.Task t = pending.remove(c);
            if (t != null) {
                t.cancel();
            }
        }

        private void expire(Connection c) {
            pending.remove(c);
            // getMessagesIn counts the requests whose head was parsed (HTTP/1.1: at headerComplete)
            if (c.getMessagesIn() == 0 && c.getEndPoint().isOpen()) {
                cutBeforeRequestHead.increment();
                c.getEndPoint().close();
            }
        }
    }
}
