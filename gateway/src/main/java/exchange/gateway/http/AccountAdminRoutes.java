package exchange.gateway.http;

import exchange.engine.CommandType;
import exchange.engine.ResultCode;
import exchange.gateway.EpochNanoClock;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.gateway.command.GatewayCommands;
import exchange.risk.Fees;
import exchange.risk.Ledger;
import exchange.risk.Money;
import io.javalin.http.Context;

import java.util.Set;

import static exchange.gateway.http.ExchangeHttpServer.MAX_NAME_LENGTH;
import static exchange.gateway.http.ExchangeHttpServer.MAX_SYMBOL_LENGTH;
import static exchange.gateway.http.RequestParams.decimal;
import static exchange.gateway.http.RequestParams.isPrintableAscii;
import static exchange.gateway.http.RequestParams.pathId;
import static exchange.gateway.http.RequestParams.required;
import static exchange.gateway.http.RequestParams.wholeShares;
import static exchange.gateway.http.RouteSupport.describe;
import static exchange.gateway.http.RouteSupport.json;

/**
 * Account administration (admin key): {@code POST /v1/admin/accounts} creates an account and its
 * API key; {@code POST /v1/admin/accounts/{account_id}/deposits} and {@code .../withdrawals} move
 * cash or shares, idempotent by {@code transfer_id}. Stateless but for the shared key index, in
 * which a created account's key is registered; used by Jetty request threads.
 */
final class AccountAdminRoutes implements RouteGroup {
    private final RouteSupport support;
    private final EpochNanoClock clock;
    private final ApiKeyIndex apiKeys;
    private final int defaultMakerFeeBps;
    private final int defaultTakerFeeBps;
    /** USD and the listed symbols, or empty if not given (then only the engine knows). */
    private final Set<String> assets;

    AccountAdminRoutes(RouteSupport support, EpochNanoClock clock, ApiKeyIndex apiKeys, int defaultMakerFeeBps,
                       int defaultTakerFeeBps, Set<String> assets) {
        this.support = support;
        this.clock = clock;
        this.apiKeys = apiKeys;
        this.defaultMakerFeeBps = defaultMakerFeeBps;
        this.defaultTakerFeeBps = defaultTakerFeeBps;
        this.assets = Set.copyOf(assets);
    }

    @Override
    public void register(Routes r) {
        r.post("/v1/admin/accounts", this::createAccount);
        r.post("/v1/admin/accounts/{account_id}/deposits", ctx -> transfer(ctx, CommandType.DEPOSIT));
        r.post("/v1/admin/accounts/{account_id}/withdrawals", ctx -> transfer(ctx, CommandType.WITHDRAW));
    }

    private void createAccount(Context ctx) {
        support.requireAdmin(ctx);
        RequestBodies.CreateAccount body = support.bodies().createAccount(support.body(ctx));
        String name = body.name();
        if (name == null) {
            throw ApiProblem.field("MISSING_FIELD", "name", "field 'name' is required");
        }
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw ApiProblem.invalidField("name", "name must be 1.." + MAX_NAME_LENGTH + " characters");
        }
        int maker = fee(body.makerFeeBps(), defaultMakerFeeBps, "maker_fee_bps");
        int taker = fee(body.takerFeeBps(), defaultTakerFeeBps, "taker_fee_bps");
        String apiKey = ApiKeys.generate();
        String hash = ApiKeys.sha256Hex(apiKey);
        support.submit(ctx, CommandType.CREATE_ACCOUNT, GatewayCommands.CREATE_ACCOUNT,
                new GatewayCommands.CreateAccount(clock, name, hash, maker, taker), (c, r) -> {
                    switch (r.result()) {
                        case OK -> {
                            apiKeys.register(hash, r.resultAccountId());
                            json(c, 201, HttpJson.render(g -> {
                                g.writeStartObject();
                                g.writeNumberField("account_id", r.resultAccountId());
                                g.writeStringField("api_key", apiKey);
                                g.writeStringField("name", name);
                                g.writeNumberField("maker_fee_bps", maker);
                                g.writeNumberField("taker_fee_bps", taker);
                                g.writeEndObject();
                            }));
                        }
                        case INVALID_NAME -> throw ApiProblem.invalidField("name", describe(r.result()));
                        case INVALID_FEE -> throw ApiProblem.invalidField("maker_fee_bps", describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }

    private static int fee(Integer bps, int defaultBps, String field) {
        if (bps == null) {
            return defaultBps;
        }
        if (bps < 0 || bps > Fees.MAX_FEE_BPS) {
            throw ApiProblem.invalidField(field, field + " must be in [0, " + Fees.MAX_FEE_BPS + "]");
        }
        return bps;
    }

    private void transfer(Context ctx, CommandType type) {
        support.requireAdmin(ctx);
        long accountId = pathId(ctx, "account_id");
        RequestBodies.Transfer body = support.bodies().transfer(support.body(ctx));
        String asset = required(body.asset(), "asset");
        String amountText = required(body.amount(), "amount");
        String transferId = required(body.transferId(), "transfer_id");
        if (!isPrintableAscii(asset, MAX_SYMBOL_LENGTH)) {
            throw ApiProblem.invalidField("asset", "asset must be USD or a symbol");
        }
        if (!assets.isEmpty() && !assets.contains(asset)) {
            // the engine would refuse it too; said first, the amount is not judged in the wrong units
            throw ApiProblem.of(422, ResultCode.UNKNOWN_ASSET.name(), "unknown asset " + asset
                    + ": transfers are in USD or a listed symbol");
        }
        if (!isPrintableAscii(transferId, Ledger.MAX_TRANSFER_ID_LENGTH)) {
            throw ApiProblem.invalidField("transfer_id",
                    "transfer_id must be 1.." + Ledger.MAX_TRANSFER_ID_LENGTH + " printable ASCII characters");
        }
        boolean cash = "USD".equals(asset);
        long amount = cash ? decimal(amountText, "amount") : wholeShares(amountText, "amount");
        if (amount == 0) {
            throw ApiProblem.invalidField("amount", "amount must be greater than zero");
        }
        String kind = type == CommandType.DEPOSIT ? "deposit" : "withdrawal";
        support.submit(ctx, type, GatewayCommands.TRANSFER,
                new GatewayCommands.Transfer(clock, type, accountId, asset, amount, transferId), (c, r) -> {
                    switch (r.result()) {
                        case OK, DUPLICATE -> json(c, r.result() == ResultCode.OK ? 201 : 200, HttpJson.render(g -> {
                            g.writeStartObject();
                            g.writeStringField("transfer_id", transferId);
                            g.writeNumberField("account_id", accountId);
                            g.writeStringField("kind", kind);
                            g.writeStringField("asset", asset);
                            g.writeStringField("amount", cash ? Money.format(amount) : Long.toString(amount));
                            g.writeStringField("status", "applied");
                            g.writeEndObject();
                        }));
                        case CONFLICT -> throw ApiProblem.of(409, "TRANSFER_ID_CONFLICT",
                                "transfer_id " + transferId + " was already used for a different transfer");
                        case ACCOUNT_NOT_FOUND -> throw ApiProblem.of(404, "ACCOUNT_NOT_FOUND", "no such account");
                        case INVALID_TRANSFER_ID -> throw ApiProblem.invalidField("transfer_id", describe(r.result()));
                        default -> throw ApiProblem.of(422, r.result().name(), describe(r.result()));
                    }
                });
    }
}
