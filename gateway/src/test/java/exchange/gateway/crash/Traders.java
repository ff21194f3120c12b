package exchange.gateway.crash;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The accounts the crash tests trade with, created and funded through the admin API. Every trader
 * gets the same deposits ({@link #USD}, {@link #SHARES} of each symbol), so what the exchange must
 * hold in total is {@code traders x deposit}. Transfer ids are fixed per account and asset, so a
 * repeated funding call is an idempotent retry, never a second deposit.
 */
final class Traders {
    static final String USD = "100000000.00";
    static final long SHARES = 1_000_000;
    static final List<String> SYMBOLS = List.of("AAPL", "MSFT");
    static final int MAKER_FEE_BPS = 1;
    static final int TAKER_FEE_BPS = 2;

    /** One funded account and its API key. */
    record Trader(int index, long accountId, String apiKey) {
        @Override
        public String toString() {
            return "trader " + index + " (account " + accountId + ")";
        }
    }

    private Traders() {
    }

    /** Creates {@code n} accounts named {@code trader-1..n} and funds each; every call must succeed. */
    static List<Trader> create(ExchangeClient admin, int n) {
        List<Trader> traders = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ExchangeClient.Response r = admin.post("/v1/admin/accounts", ChildExchange.ADMIN_KEY,
                    "{\"name\":\"trader-" + i + "\",\"maker_fee_bps\":" + MAKER_FEE_BPS + ",\"taker_fee_bps\":"
                            + TAKER_FEE_BPS + "}");
            assertEquals(201, r.status(), () -> "create account: " + r);
            Trader t = new Trader(i, r.json().get("account_id").asLong(), r.json().get("api_key").asText());
            fund(admin, t);
            traders.add(t);
        }
        return List.copyOf(traders);
    }

    private static void fund(ExchangeClient admin, Trader t) {
        deposit(admin, t, "USD", USD);
        for (String symbol : SYMBOLS) {
            deposit(admin, t, symbol, Long.toString(SHARES));
        }
    }

    private static void deposit(ExchangeClient admin, Trader t, String asset, String amount) {
        String body = "{\"asset\":\"" + asset + "\",\"amount\":\"" + amount + "\",\"transfer_id\":\"fund-" + t.accountId()
                + "-" + asset + "\"}";
        ExchangeClient.Response r = admin.post("/v1/admin/accounts/" + t.accountId() + "/deposits",
                ChildExchange.ADMIN_KEY, body);
        assertEquals(201, r.status(), () -> "deposit into " + t + ": " + r);
    }

    /** Cash all traders deposited, in ticks (1/10,000 USD). */
    static long depositedCashTicks(int traders) {
        return Math.multiplyExact(ticks(USD), traders);
    }

    /** Shares of one symbol all traders deposited. */
    static long depositedShares(int traders) {
        return Math.multiplyExact(SHARES, traders);
    }

    /** A decimal string of the API ({@code "123.45"}) in ticks. */
    static long ticks(String decimal) {
        return new BigDecimal(decimal).movePointRight(4).longValueExact();
    }

    /** A decimal field of a JSON object in ticks. */
    static long ticks(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw new AssertionError("expected a decimal string in '" + field + "' of " + node);
        }
        return ticks(v.asText());
    }
}
