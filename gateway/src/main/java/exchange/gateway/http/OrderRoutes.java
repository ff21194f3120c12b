package exchange.gateway.http;

import exchange.engine.Command;
import exchange.engine.CommandType;
import exchange.engine.OrderPage;
import exchange.engine.OrderStatus;
import exchange.engine.OrderView;
import exchange.engine.ResultCode;
import exchange.engine.SelfTradePrevention;
import exchange.engine.Side;
import exchange.engine.TimeInForce;
import exchange.engine.pipeline.CommandResult;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.command.GatewayCommands;
import io.javalin.http.Context;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static exchange.gateway.http.ExchangeHttpServer.MAX_SYMBOL_LENGTH;
import static exchange.gateway.http.RequestParams.checkTimeRange;
import static exchange.gateway.http.RequestParams.isPrintableAscii;
import static exchange.gateway.http.RequestParams.pageLimit;
import static exchange.gateway.http.RequestParams.pathId;
import static exchange.gateway.http.RequestParams.required;
import static exchange.gateway.http.RequestParams.symbolParam;
import static exchange.gateway.http.RequestParams.timeParam;
import static exchange.gateway.http.RouteSupport.describe;
import static exchange.gateway.http.RouteSupport.json;

/**
 * Orders (API key): {@code POST /v1/orders}, {@code GET /v1/orders}, {@code GET /v1/orders/{order_id}},
 * {@code GET /v1/orders/by-client-id/{client_order_id}} and {@code DELETE /v1/orders/{order_id}},
 * plus the load-test probes when enabled. Queries go through the ring, so a client reads its own
 * writes; an order the engine no longer holds is looked up in the history database
 * ({@link HistoryReads}). Another account's order answers as an unknown one (404). Stateless; used
 * by Jetty request threads.
 */
final class OrderRoutes implements RouteGroup {
    private final RouteSupport support;
    private final EpochNanoClock clock;
    private final HistoryReads history;
    private final int maxClientOrderIdLength;
    private final boolean loadProbes;

    OrderRoutes(RouteSupport support, EpochNanoClock clock, HistoryReads history, int maxClientOrderIdLength,
                boolean loadProbes) {
        this.support = support;
        this.clock = clock;
        this.history = history;
        this.maxClientOrderIdLength = maxClientOrderIdLength;
        this.loadProbes = loadProbes;
    }

    @Override
    public void register(Routes r) {
        r.post("/v1/orders", this::placeOrder);
        r.get("/v1/orders", this::listOrders);
        r.get("/v1/orders/by-client-id/{client_order_id}", this::orderByClientId);
        r.get("/v1/orders/{order_id}", this::getOrder);
        r.delete("/v1/orders/{order_id}", this::cancelOrder);
        if (loadProbes) {
            r.post("/probe/orders", ctx -> probeOrder(ctx, false));
            r.post("/probe/orders-async", ctx -> probeOrder(ctx, true));
        }
    }

    private void placeOrder(Context ctx) {
        support.submit(ctx, CommandType.PLACE_ORDER, GatewayCommands.PLACE_ORDER, placeOrderRequest(ctx),
                this::placeOrderResult);
    }

    /**
     * {@code POST /probe/orders[-async]}, served only with {@code load_probes}: the HTTP half of
     * order entry alone, so a load test can tell the framework's share of an order's cost from the
     * pipeline's. Authenticates, rate-limits and validates exactly as {@code POST /v1/orders}, then
     * answers 201 with the order as it would be accepted (rendered the same way) without entering
     * the ring; {@code async} answers through the same future and thread-pool hand-off a command's
     * result takes. Changes no state.
     */
    private void probeOrder(Context ctx, boolean async) {
        GatewayCommands.PlaceOrder p = placeOrderRequest(ctx);
        OrderView v = new OrderView();
        v.clientOrderId = p.clientOrderId();
        v.accountId = p.accountId();
        v.symbol = p.symbol();
        v.side = p.side();
        v.qty = p.qty();
        v.leavesQty = p.qty();
        v.priceTicks = p.priceTicks();
        v.timeInForce = p.timeInForce();
        v.postOnly = p.postOnly();
        v.selfTradePrevention = p.selfTradePrevention();
        v.status = OrderStatus.NEW;
        v.createdAtNanos = p.clock().epochNanos();
        v.updatedAtNanos = v.createdAtNanos;
        if (!async) {
            json(ctx, 201, HttpJson.order(v));
            return;
        }
        support.respondLater(ctx, CompletableFuture.completedFuture(v), (c, o) -> json(c, 201, HttpJson.order(o)));
    }

    /** Reads and validates a {@code POST /v1/orders} request into the command's arguments. */
    private GatewayCommands.PlaceOrder placeOrderRequest(Context ctx) {
        long accountId = support.requireAccount(ctx);
        support.rateLimit(ctx, accountId);
        RequestBodies.PlaceOrder body = support.bodies().placeOrder(support.body(ctx));
        String clientOrderId = checkClientOrderId(required(body.clientOrderId(), "client_order_id"));
        String symbol = required(body.symbol(), "symbol");
        if (symbol.isEmpty() || symbol.length() > MAX_SYMBOL_LENGTH) {
            throw ApiProblem.invalidField("symbol", "symbol must be 1.." + MAX_SYMBOL_LENGTH + " characters");
        }
        Side side = switch (required(body.side(), "side")) {
            case "buy" -> Side.BUY;
            case "sell" -> Side.SELL;
            default -> throw ApiProblem.invalidField("side", "side must be buy or sell");
        };
        long qty = OrderNumbers.qty(required(body.qty(), "qty"));
        long price = OrderNumbers.limitPrice(required(body.limitPrice(), "limit_price"));
        if (price == 0) {
            throw ApiProblem.invalidField("limit_price", "limit_price must be greater than zero");
        }
        TimeInForce tif = body.timeInForce() == null ? TimeInForce.DAY : switch (body.timeInForce()) {
            case "day" -> TimeInForce.DAY;
            case "gtc" -> TimeInForce.GTC;
            case "ioc" -> TimeInForce.IOC;
            case "fok" -> TimeInForce.FOK;
            default -> throw ApiProblem.invalidField("time_in_force", "time_in_force must be day, gtc, ioc or fok");
        };
        boolean postOnly = body.postOnly() != null && body.postOnly();
        SelfTradePrevention stp = body.selfTradePrevention() == null ? SelfTradePrevention.DEFAULT
                : switch (body.selfTradePrevention()) {
                    case "cancel_newest" -> SelfTradePrevention.CANCEL_NEWEST;
                    case "cancel_oldest" -> SelfTradePrevention.CANCEL_OLDEST;
                    case "cancel_both" -> SelfTradePrevention.CANCEL_BOTH;
                    default -> throw ApiProblem.invalidField("self_trade_prevention",
                            "self_trade_prevention must be cancel_newest, cancel_oldest or cancel_both");
                };
        return new GatewayCommands.PlaceOrder(clock, accountId, clientOrderId, symbol, side, qty, price, tif, postOnly,
                stp);
    }

    private String checkClientOrderId(String clientOrderId) {
        if (!isPrintableAscii(clientOrderId, maxClientOrderIdLength)) {
            throw ApiProblem.invalidField("client_order_id", "client_order_id must be 1.." + maxClientOrderIdLength
                    + " printable ASCII characters without spaces");
        }
        return clientOrderId;
    }

    private void placeOrderResult(Context ctx, CommandResult r) {
        OrderView order = r.order();
        switch (r.result()) {
            case OK -> {
                if (order.status == OrderStatus.REJECTED) {
                    ResultCode why = order.rejectReason != null ? order.rejectReason : ResultCode.INVALID_COMMAND;
                    throw ApiProblem.withOrder(422, why.name(), describe(why), order, null);
                }
                json(ctx, 201, HttpJson.order(order));
            }
            case DUPLICATE -> json(ctx, 200, HttpJson.order(order));
            case CONFLICT -> throw ApiProblem.withOrder(409, "CLIENT_ORDER_ID_CONFLICT",
                    "client_order_id was already used for an order with different fields",
                    order != null && order.isPresent() ? order : null, conflictFieldNames(r.conflictFields()));
            case INVALID_CLIENT_ORDER_ID -> throw ApiProblem.invalidField("client_order_id", describe(r.result()));
            case INVALID_COMMAND -> throw ApiProblem.of(400, "INVALID_COMMAND", describe(r.result()));
            case ACCOUNT_NOT_FOUND -> throw RouteSupport.unauthorized();
            default -> throw ApiProblem.withOrder(422, r.result().name(), describe(r.result()),
                    order != null && order.isPresent() ? order : null, null);
        }
    }

    private static List<String> conflictFieldNames(int bits) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < OrderView.FIELD_NAMES.length; i++) {
            if ((bits & (1 << i)) != 0) {
                names.add(OrderView.FIELD_NAMES[i]);
            }
        }
        return names;
    }

    private void getOrder(Context ctx) {
        long accountId = support.requireAccount(ctx);
        long orderId = pathId(ctx, "order_id");
        support.submit(ctx, CommandType.QUERY_ORDER, GatewayCommands.ORDER_REF,
                new GatewayCommands.OrderRef(clock, CommandType.QUERY_ORDER, accountId, orderId), (c, r) -> {
                    OrderView held = heldOrder(r, accountId);
                    // not held by the engine: an order that ended before its idempotency window, or none
                    OrderView o = held != null ? held
                            : history.order(accountId, orderId).orElseThrow(OrderRoutes::orderNotFound);
                    json(c, 200, HttpJson.order(o));
                });
    }

    private void orderByClientId(Context ctx) {
        long accountId = support.requireAccount(ctx);
        String clientOrderId = checkClientOrderId(ctx.pathParam("client_order_id"));
        support.submit(ctx, CommandType.QUERY_ORDER_BY_CLIENT_ID, GatewayCommands.CLIENT_ORDER_REF,
                new GatewayCommands.ClientOrderRef(clock, accountId, clientOrderId), (c, r) -> {
                    OrderView held = heldOrder(r, accountId);
                    OrderView o = held != null ? held : history.orderByClientId(accountId, clientOrderId)
                            .orElseThrow(OrderRoutes::orderNotFound);
                    json(c, 200, HttpJson.order(o));
                });
    }

    /** The order of a query result if the engine holds it for {@code accountId}; else null. */
    private static OrderView heldOrder(CommandResult r, long accountId) {
        OrderView o = r.order();
        if (r.result() != ResultCode.OK || o == null || !o.isPresent() || o.accountId != accountId) {
            return null;
        }
        return o;
    }

    private static ApiProblem orderNotFound() {
        return ApiProblem.of(404, "ORDER_NOT_FOUND", "no such order");
    }

    /**
     * {@code GET /v1/orders?status&symbol&after&until&limit&page_token}: the engine's live and
     * recent orders merged with older ones from the history database, newest first.
     */
    private void listOrders(Context ctx) {
        long accountId = support.requireAccount(ctx);
        String status = ctx.queryParam("status");
        Command.OrderFilter filter = status == null ? Command.OrderFilter.ALL : switch (status) {
            case "open" -> Command.OrderFilter.OPEN;
            case "closed" -> Command.OrderFilter.CLOSED;
            case "all" -> Command.OrderFilter.ALL;
            default -> throw ApiProblem.invalidField("status", "status must be open, closed or all");
        };
        HistoryReads.OrderQuery q = new HistoryReads.OrderQuery(filter, symbolParam(ctx), timeParam(ctx, "after"),
                timeParam(ctx, "until"), PageToken.decode(PageToken.Kind.ORDERS, ctx.queryParam("page_token")),
                pageLimit(ctx));
        checkTimeRange(q.afterNanos(), q.untilNanos());
        support.submit(ctx, CommandType.QUERY_ORDERS, GatewayCommands.ORDER_LIST,
                new GatewayCommands.OrderList(clock, accountId, filter, q.symbol(), q.afterNanos(),
                        q.untilNanos(), q.beforeOrderId(), q.limit() + 1), (c, r) -> {
                    if (!(r.queryResult() instanceof OrderPage page)) {
                        throw new IllegalStateException("QUERY_ORDERS returned " + r.result() + " without a page");
                    }
                    HistoryReads.Page<OrderView> merged = history.orders(accountId, q, page);
                    json(c, 200, HttpJson.orders(merged.rows(), merged.nextPageToken()));
                });
    }

    private void cancelOrder(Context ctx) {
        long accountId = support.requireAccount(ctx);
        support.rateLimit(ctx, accountId);
        long orderId = pathId(ctx, "order_id");
        support.submit(ctx, CommandType.CANCEL_ORDER, GatewayCommands.ORDER_REF,
                new GatewayCommands.OrderRef(clock, CommandType.CANCEL_ORDER, accountId, orderId), (c, r) -> {
                    OrderView o = r.order();
                    boolean own = o != null && o.isPresent() && o.accountId == accountId;
                    switch (r.result()) {
                        case OK, DUPLICATE -> {
                            if (!own) {
                                throw orderNotFound();
                            }
                            json(c, 200, HttpJson.order(o));
                        }
                        case ORDER_NOT_FOUND -> cancelFromHistory(c, accountId, orderId);
                        default -> {
                            if (!own) {
                                throw orderNotFound();
                            }
                            throw ApiProblem.withOrder(422, r.result().name(), describe(r.result()), o, null);
                        }
                    }
                });
    }

    /**
     * A cancel of an order the engine no longer holds: it ended before the idempotency window. A
     * canceled one answers as a repeated cancel does (200, the order); any other has ended
     * otherwise (422 TOO_LATE_TO_CANCEL); none is 404.
     */
    private void cancelFromHistory(Context ctx, long accountId, long orderId) {
        OrderView o = history.order(accountId, orderId).orElseThrow(OrderRoutes::orderNotFound);
        if (o.status == OrderStatus.CANCELED) {
            json(ctx, 200, HttpJson.order(o));
            return;
        }
        throw ApiProblem.withOrder(422, ResultCode.TOO_LATE_TO_CANCEL.name(), describe(ResultCode.TOO_LATE_TO_CANCEL),
                o, null);
    }
}
