package exchange.gateway.http;

import exchange.engine.AccountSnapshot;
import exchange.engine.CommandType;
import exchange.engine.Fill;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.command.GatewayCommands;
import io.javalin.http.Context;

import static exchange.gateway.http.RequestParams.checkTimeRange;
import static exchange.gateway.http.RequestParams.pageLimit;
import static exchange.gateway.http.RequestParams.symbolParam;
import static exchange.gateway.http.RequestParams.timeParam;
import static exchange.gateway.http.RouteSupport.json;

/**
 * The key's own account (API key): {@code GET /v1/account} (balances, positions and holds, read
 * through the ring) and {@code GET /v1/account/fills} (from the history database). Stateless; used
 * by Jetty request threads.
 */
final class AccountRoutes implements RouteGroup {
    private final RouteSupport support;
    private final EpochNanoClock clock;
    private final HistoryReads history;

    AccountRoutes(RouteSupport support, EpochNanoClock clock, HistoryReads history) {
        this.support = support;
        this.clock = clock;
        this.history = history;
    }

    @Override
    public void register(Routes r) {
        r.get("/v1/account", this::account);
        r.get("/v1/account/fills", this::fills);
    }

    private void account(Context ctx) {
        long accountId = support.requireAccount(ctx);
        support.submit(ctx, CommandType.QUERY_ACCOUNT, GatewayCommands.ACCOUNT_QUERY,
                new GatewayCommands.AccountQuery(clock, accountId), (c, r) -> {
                    if (!(r.queryResult() instanceof AccountSnapshot a)) {
                        throw RouteSupport.unauthorized();
                    }
                    json(c, 200, HttpJson.account(a));
                });
    }

    /** {@code GET /v1/account/fills?symbol&after&until&limit&page_token}: from the history database. */
    private void fills(Context ctx) {
        long accountId = support.requireAccount(ctx);
        HistoryReads.FillQuery q = new HistoryReads.FillQuery(symbolParam(ctx), timeParam(ctx, "after"),
                timeParam(ctx, "until"), PageToken.decode(PageToken.Kind.FILLS, ctx.queryParam("page_token")),
                pageLimit(ctx));
        checkTimeRange(q.afterNanos(), q.untilNanos());
        HistoryReads.Page<Fill> page = history.fills(accountId, q);
        json(ctx, 200, HttpJson.fills(page.rows(), page.nextPageToken()));
    }
}
