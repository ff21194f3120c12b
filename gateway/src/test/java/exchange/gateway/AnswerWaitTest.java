package exchange.gateway;

import exchange.gateway.ApiClient.Response;
import exchange.gateway.TestExchange.Account;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static exchange.gateway.TestExchange.aaplOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code http.answer_wait_us}: a command's answer is the same whether the request thread answers
 * it itself (its result came within the wait), hands it to the pool after waiting (a 1 us wait,
 * which a result hardly ever meets), or never waits (0): every status, code and order field alike
 * for orders, repeats, conflicts, rejects, queries and cancels.
 */
@Timeout(60)
class AnswerWaitTest {
    @TempDir
    Path dataDir;

    @Test
    void shouldAnswerAlikeWhetherTheResultIsAwaitedOnTheRequestThreadOrAnsweredFromThePool() {
        List<String> neverWaits = answers(0);
        assertEquals(neverWaits, answers(1), "waiting past the wait, then the pool");
        assertEquals(neverWaits, answers(HttpSettings.DEFAULT_ANSWER_WAIT_MICROS), "the default");
        assertEquals(neverWaits, answers(1_000), "the longest wait");
    }

    /** Each answer of a fixed sequence of commands as "status code-or-status-field order-fields". */
    private List<String> answers(long answerWaitMicros) {
        GatewayConfig config = TestExchange.config(dataDir.resolve("wait-" + answerWaitMicros))
                .http(HttpSettings.DEFAULTS.withAnswerWait(answerWaitMicros)).build();
        List<String> answers = new ArrayList<>();
        try (TestExchange exchange = TestExchange.start(config)) {
            exchange.openSession();
            Account a = exchange.fundedAccount("waiter", Map.of("USD", "10000.00"));
            Response placed = exchange.api.post("/v1/orders", a.key(), aaplOrder("w-1", "buy", 5, "190.00", "day"));
            answers.add(summary(placed));
            answers.add(summary(exchange.api.post("/v1/orders", a.key(), aaplOrder("w-1", "buy", 5, "190.00", "day"))));
            answers.add(summary(exchange.api.post("/v1/orders", a.key(), aaplOrder("w-1", "buy", 6, "190.00", "day"))));
            answers.add(summary(exchange.api.post("/v1/orders", a.key(), aaplOrder("w-2", "buy", 500, "190.00", "day"))));
            answers.add(summary(exchange.api.post("/v1/orders", a.key(), aaplOrder("w-3", "sell", 1, "190.00", "day"))));
            String orderId = placed.json().get("order_id").asText();
            answers.add(summary(exchange.api.get("/v1/orders/" + orderId, a.key())));
            answers.add(summary(exchange.api.get("/v1/orders/by-client-id/w-1", a.key())));
            answers.add(summary(exchange.api.delete("/v1/orders/" + orderId, a.key())));
            answers.add(summary(exchange.api.delete("/v1/orders/" + orderId, a.key())));
            answers.add(summary(exchange.api.delete("/v1/orders/999999", a.key())));
            answers.add(summary(exchange.api.get("/v1/orders", a.key())));
        }
        return answers;
    }

    private static String summary(Response r) {
        StringBuilder s = new StringBuilder().append(r.status());
        for (String field : new String[] {"code", "status", "client_order_id", "qty", "leaves_qty", "reject_reason"}) {
            if (r.json() != null && r.json().has(field)) {
                s.append(' ').append(field).append('=').append(r.json().get(field).asText());
            }
        }
        if (r.json() != null && r.json().has("orders")) {
            s.append(" orders=").append(r.json().get("orders").size());
        }
        return s.toString();
    }
}
