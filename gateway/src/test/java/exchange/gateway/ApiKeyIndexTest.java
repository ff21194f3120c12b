package exchange.gateway;

import exchange.engine.EngineEvent;
import exchange.engine.EventType;
import exchange.gateway.auth.AdminKey;
import exchange.gateway.auth.ApiKeyIndex;
import exchange.gateway.auth.ApiKeys;
import exchange.risk.Ledger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** API keys: generation, hashing, the key index read model and the admin key check. */
@Timeout(10)
class ApiKeyIndexTest {

    private static EngineEvent accountCreated(long accountId, String hash) {
        EngineEvent e = new EngineEvent().reset(EventType.ACCOUNT_CREATED, accountId, 1);
        e.accountId = accountId;
        e.apiKeyHash = hash;
        return e;
    }

    @Test
    void shouldGenerateDistinct32ByteBase64UrlKeysAndHashThemToHex() {
        String a = ApiKeys.generate();
        String b = ApiKeys.generate();
        assertNotEquals(a, b);
        assertTrue(a.matches("[A-Za-z0-9_-]{43}"), a);
        // SHA-256("abc") from FIPS 180-2.
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ApiKeys.sha256Hex("abc"));
    }

    @Test
    void shouldAuthenticateKeysLearnedFromAccountCreatedEvents() {
        ApiKeyIndex index = new ApiKeyIndex();
        String key = ApiKeys.generate();
        index.onEvent(accountCreated(7, ApiKeys.sha256Hex(key)));
        index.onEvent(new EngineEvent().reset(EventType.FUNDS_DEPOSITED, 2, 1));
        assertEquals(7, index.authenticate(key));
        assertEquals(0, index.authenticate(key + "x"));
        assertEquals(0, index.authenticate(null));
        assertEquals(1, index.size());
    }

    @Test
    void shouldRebuildFromTheLedgerOfARecoveredExchange() {
        Ledger ledger = new Ledger(new String[] {"USD", "AAPL"});
        String k1 = ApiKeys.generate();
        String k2 = ApiKeys.generate();
        ledger.openAccount("a", ApiKeys.sha256Hex(k1), 0, 0);
        ledger.openAccount("b", ApiKeys.sha256Hex(k2), 0, 0);
        ApiKeyIndex index = new ApiKeyIndex();
        index.rebuildFrom(ledger);
        assertEquals(1, index.authenticate(k1));
        assertEquals(2, index.authenticate(k2));
    }

    @Test
    void shouldIgnoreValuesThatAreNotSha256Digests() {
        ApiKeyIndex index = new ApiKeyIndex();
        index.register("not-a-hash", 3);
        index.register(null, 3);
        assertEquals(0, index.size());
    }

    @Test
    void shouldDisableAKeyClaimedByTwoAccounts() {
        ApiKeyIndex index = new ApiKeyIndex();
        String key = ApiKeys.generate();
        index.register(ApiKeys.sha256Hex(key), 1);
        index.register(ApiKeys.sha256Hex(key), 1);
        assertEquals(1, index.authenticate(key), "the same account twice is harmless");
        index.register(ApiKeys.sha256Hex(key), 2);
        assertEquals(0, index.authenticate(key));
    }

    @Test
    void shouldParseBearerTokensAndCheckTheAdminKey() {
        assertEquals("abc", ApiKeys.bearerToken("Bearer abc"));
        assertEquals("abc", ApiKeys.bearerToken("bearer abc"));
        assertNull(ApiKeys.bearerToken("Basic abc"));
        assertNull(ApiKeys.bearerToken("Bearer "));
        assertNull(ApiKeys.bearerToken(null));
        assertNull(ApiKeys.bearerToken("Bearer " + "x".repeat(ApiKeys.MAX_KEY_LENGTH + 1)));

        AdminKey admin = new AdminKey("operator-secret-123");
        assertTrue(admin.matches("operator-secret-123"));
        assertFalse(admin.matches("operator-secret-12"));
        assertFalse(admin.matches(null));
    }
}
