package exchange.gateway.http;

import com.fasterxml.jackson.core.JsonGenerator;
import exchange.engine.CommandType;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.command.GatewayCommands;
import exchange.gateway.readmodel.SessionStatus;
import exchange.gateway.session.MarketCalendar;
import exchange.gateway.session.TradingSession;
import io.javalin.http.Context;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import static exchange.gateway.http.RequestParams.dateParam;
import static exchange.gateway.http.RequestParams.instantOf;
import static exchange.gateway.http.RequestParams.nanosOf;
import static exchange.gateway.http.RequestParams.parseDate;
import static exchange.gateway.http.RequestParams.parseInstant;
import static exchange.gateway.http.RouteSupport.describe;
import static exchange.gateway.http.RouteSupport.json;

/**
 * The trading session and its calendar: {@code GET /v1/session} and {@code GET /v1/calendar}
 * (public), and the operator's override {@code POST /v1/admin/session/open} and {@code .../close}
 * (admin key). Reads the session read model and the calendar; stateless, used by Jetty request
 * threads.
 */
final class SessionRoutes implements RouteGroup {
    private final RouteSupport support;
    private final EpochNanoClock clock;
    private final SessionStatus session;
    private final MarketCalendar calendar;

    SessionRoutes(RouteSupport support, EpochNanoClock clock, SessionStatus session, MarketCalendar calendar) {
        this.support = support;
        this.clock = clock;
        this.session = session;
        this.calendar = calendar;
    }

    @Override
    public void register(Routes r) {
        r.post("/v1/admin/session/open", this::openSession);
        r.post("/v1/admin/session/close", this::closeSession);
        r.get("/v1/session", this::session);
        r.get("/v1/calendar", this::calendar);
    }

    private void openSession(Context ctx) {
        support.requireAdmin(ctx);
        RequestBodies.SessionOpen body = support.bodies().sessionOpen(support.body(ctx));
        Instant now = instantOf(clock.epochNanos());
        LocalDate date;
        if (body.sessionDate() != null) {
            date = parseDate(body.sessionDate(), "session_date");
        } else {
            date = nextSession(now).date();
        }
        Instant closesAt;
        if (body.closesAt() != null) {
            closesAt = parseInstant(body.closesAt(), "closes_at");
        } else {
            closesAt = calendar.session(date).map(TradingSession::closesAt).orElseThrow(() ->
                    ApiProblem.of(422, "INVALID_SESSION_DATE", "the calendar has no session on " + date
                            + "; give closes_at to open it anyway"));
        }
        if (!closesAt.isAfter(now)) {
            throw ApiProblem.invalidField("closes_at", "the session must close in the future");
        }
        long closesAtNanos = nanosOf(closesAt);
        support.submit(ctx, CommandType.SESSION_OPEN, GatewayCommands.SESSION_OPEN,
                new GatewayCommands.SessionOpen(clock, date.toEpochDay(), closesAtNanos), (c, r) -> {
                    switch (r.result()) {
                        case OK -> json(c, 200, sessionJson(true, date.toEpochDay(), nanosOf(now), closesAtNanos,
                                r.seq()));
                        case SESSION_ALREADY_OPEN -> throw ApiProblem.of(409, "SESSION_ALREADY_OPEN",
                                describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }

    private void closeSession(Context ctx) {
        support.requireAdmin(ctx);
        support.submit(ctx, CommandType.SESSION_CLOSE, GatewayCommands.SESSION_CLOSE, clock, (c, r) -> {
            switch (r.result()) {
                case OK -> json(c, 200, sessionJson(false, session.state().sessionDate(), 0, 0, r.seq()));
                case SESSION_ALREADY_CLOSED -> throw ApiProblem.of(409, "SESSION_ALREADY_CLOSED", describe(r.result()));
                default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
            }
        });
    }

    private void session(Context ctx) {
        SessionStatus.State s = session.state();
        if (s.open()) {
            long opensAt = s.openedAtNanos();
            if (opensAt == 0 && s.sessionDate() != 0) {
                opensAt = calendar.session(LocalDate.ofEpochDay(s.sessionDate()))
                        .map(t -> nanosOf(t.opensAt())).orElse(0L);
            }
            json(ctx, 200, sessionJson(true, s.sessionDate(), opensAt, s.closesAtNanos(), s.seq()));
        } else {
            TradingSession next = nextSession(instantOf(clock.epochNanos()));
            json(ctx, 200, sessionJson(false, next.date().toEpochDay(), nanosOf(next.opensAt()),
                    nanosOf(next.closesAt()), s.seq()));
        }
    }

    /** {@code GET /v1/calendar?start=YYYY-MM-DD&end=YYYY-MM-DD}: the sessions in a range (default: the next 30 days). */
    private void calendar(Context ctx) {
        LocalDate today = LocalDate.ofInstant(instantOf(clock.epochNanos()), calendar.zone());
        LocalDate start = dateParam(ctx, "start", today);
        LocalDate end = dateParam(ctx, "end", start.plusDays(30));
        if (end.isBefore(start) || start.plusDays(MarketCalendar.MAX_RANGE_DAYS).isBefore(end)) {
            throw ApiProblem.invalidField("end", "end must be on or after start and at most "
                    + MarketCalendar.MAX_RANGE_DAYS + " days later");
        }
        List<TradingSession> sessions = calendar.sessionsBetween(start, end);
        json(ctx, 200, HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("calendar", calendar.name());
            g.writeStringField("time_zone", calendar.zone().getId());
            g.writeStringField("start", start.toString());
            g.writeStringField("end", end.toString());
            g.writeArrayFieldStart("sessions");
            for (TradingSession t : sessions) {
                g.writeStartObject();
                g.writeStringField("date", t.date().toString());
                g.writeStringField("opens_at", HttpJson.instant(nanosOf(t.opensAt())));
                g.writeStringField("closes_at", HttpJson.instant(nanosOf(t.closesAt())));
                g.writeBooleanField("early_close", t.earlyClose());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
    }

    /**
     * The session an operator "open" starts by default, and the one {@code GET /v1/session}
     * announces while closed: the calendar's current or next session, but never one dated on or
     * before the engine's last session date.
     */
    private TradingSession nextSession(Instant now) {
        long engineDate = session.state().sessionDate();
        return calendar.nextSessionToOpen(engineDate == 0 ? null : LocalDate.ofEpochDay(engineDate), now);
    }

    private byte[] sessionJson(boolean open, long sessionDate, long opensAtNanos, long closesAtNanos, long seq) {
        return HttpJson.render(g -> {
            g.writeStartObject();
            g.writeStringField("state", open ? "open" : "closed");
            writeNullable(g, "session_date", HttpJson.date(sessionDate));
            writeNullable(g, "opens_at", HttpJson.instant(opensAtNanos));
            writeNullable(g, "closes_at", HttpJson.instant(closesAtNanos));
            g.writeStringField("calendar", calendar.name());
            g.writeNumberField("seq", seq);
            g.writeEndObject();
        });
    }

    private static void writeNullable(JsonGenerator g, String name, String value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, value);
        }
    }
}
