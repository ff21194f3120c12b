package exchange.gateway.quotes;

import com.fasterxml.jackson.core.JsonGenerator;
import exchange.gateway.http.HttpJson;
import exchange.gateway.http.RouteGroup;
import exchange.gateway.http.RouteSupport;
import exchange.gateway.http.Routes;
import exchange.gateway.quotes.SourceHealth.RestOutcome;
import exchange.risk.Money;
import io.javalin.http.Context;

import java.io.IOException;
import java.util.Locale;

/**
 * {@code GET /v1/admin/sources} (admin key): each quote source's health and the latest quote it
 * holds per symbol, as the adapters see them now (not through the ring: the adapters are the
 * gateway's own state). With no source configured the list is empty. Stateless; used by Jetty
 * request threads.
 */
public final class QuoteSourceRoutes implements RouteGroup {
    private final RouteSupport support;
    private final QuoteSources sources;

    public QuoteSourceRoutes(RouteSupport support, QuoteSources sources) {
        this.support = support;
        this.sources = sources;
    }

    @Override
    public void register(Routes r) {
        r.get("/v1/admin/sources", this::list);
    }

    private void list(Context ctx) {
        support.requireAdmin(ctx);
        RouteSupport.json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeArrayFieldStart("sources");
            for (QuoteAdapter a : sources.adapters()) {
                source(g, a);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    private void source(JsonGenerator g, QuoteAdapter a) throws IOException {
        QuoteSourceConfig c = a.config();
        SourceHealth h = a.health();
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeStringField("ws_url", c.wsUrl().toString());
        g.writeStringField("rest_url", c.restUrl().toString());
        g.writeNumberField("stale_after_ms", c.staleAfterMillis());
        g.writeBooleanField("connected", h.connected());
        long age = sources.ageMillis(h.lastMessageNanos());
        if (age < 0) {
            g.writeNullField("last_message_age_ms");
        } else {
            g.writeNumberField("last_message_age_ms", age);
        }
        g.writeNumberField("reconnects", h.reconnects());
        g.writeNumberField("messages", h.messages());
        g.writeNumberField("quotes_published", h.quotesPublished());
        g.writeNumberField("keep_alives", h.keepAlives());
        g.writeNumberField("ring_full", h.ringFull());
        g.writeNumberField("engine_refused", h.engineRefused());
        g.writeObjectFieldStart("dropped");
        for (DropReason r : DropReason.values()) {
            g.writeNumberField(r.wireName(), h.dropped(r));
        }
        g.writeEndObject();
        g.writeObjectFieldStart("rest_calls");
        for (RestOutcome o : RestOutcome.values()) {
            g.writeNumberField(o.name().toLowerCase(Locale.ROOT), h.rest(o));
        }
        g.writeEndObject();
        g.writeArrayFieldStart("symbols");
        for (QuoteAdapter.SymbolState s : a.symbols()) {
            symbol(g, s);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void symbol(JsonGenerator g, QuoteAdapter.SymbolState s) throws IOException {
        g.writeStartObject();
        g.writeStringField("external", s.external());
        g.writeStringField("symbol", s.symbol());
        price(g, "bid", s.bidTicks());
        qty(g, "bid_qty", s.bidQty());
        price(g, "ask", s.askTicks());
        qty(g, "ask_qty", s.askQty());
        price(g, "last", s.lastTicks());
        long age = sources.ageMillis(s.publishedAtNanos());
        if (age < 0) {
            g.writeNullField("published_age_ms");
        } else {
            g.writeNumberField("published_age_ms", age);
        }
        g.writeEndObject();
    }

    private static void price(JsonGenerator g, String name, long ticks) throws IOException {
        if (ticks == 0) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Money.format(ticks));
        }
    }

    private static void qty(JsonGenerator g, String name, long qty) throws IOException {
        if (qty == 0) {
            g.writeNullField(name);
        } else {
            g.writeNumberField(name, qty);
        }
    }
}
