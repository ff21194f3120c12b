package exchange.gateway.readmodel;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.Exchange;
import exchange.gateway.auth.ApiKeyIndex;

/**
 * The gateway's read models behind one {@link EventSink}, for the pipeline's event sink: the API
 * key index and the session status. Runs on the engine thread, so every update here is cheap and
 * allocation-light, and never throws for an event it does not care about.
 */
public final class GatewayEventSink implements EventSink {
    private final ApiKeyIndex apiKeys;
    private final SessionStatus session;

    public GatewayEventSink(ApiKeyIndex apiKeys, SessionStatus session) {
        this.apiKeys = apiKeys;
        this.session = session;
    }

    /**
     * Loads both read models from a recovered engine, before the pipeline starts (the engine is
     * then not running, so reading its ledger here is safe).
     */
    public void rebuildFrom(Exchange exchange) {
        apiKeys.rebuildFrom(exchange.ledger());
        session.reset(exchange.isSessionOpen(), exchange.sessionDate(), exchange.sessionClosesAtNanos(),
                exchange.lastSeq());
    }

    @Override
    public void onEvent(EngineEvent event) {
        switch (event.type) {
            case ACCOUNT_CREATED -> apiKeys.onEvent(event);
            case SESSION_OPENED, SESSION_CLOSED -> session.onEvent(event);
            default -> {
            }
        }
    }
}
