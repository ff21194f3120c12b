package exchange.gateway.auth;

import exchange.engine.EngineEvent;
import exchange.engine.EventSink;
import exchange.engine.EventType;
import exchange.risk.Account;
import exchange.risk.Ledger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Read model mapping API-key hashes to account ids, used to authenticate requests. Written by
 * {@code ACCOUNT_CREATED} events (this class is an {@link EventSink}; the pipeline calls it on the
 * engine thread before the command's result is released, so a new key works as soon as the
 * client learns it), by {@link #register} and, after a restart, by {@link #rebuildFrom(Ledger)}
 * because the accounts then come from the journal. Read concurrently by the HTTP threads.
 *
 * <p>Only hashes are held. A lookup hashes the presented key, finds the entry by the hex hash and
 * confirms it with {@link MessageDigest#isEqual}. Invariant: a hash authenticates at most one account.
 */
public final class ApiKeyIndex implements EventSink {
    private static final HexFormat HEX = HexFormat.of();
    private static final Logger LOG = LoggerFactory.getLogger(ApiKeyIndex.class);
    /** Account id of a hash claimed by two accounts: it authenticates nobody. */
    private static final long AMBIGUOUS = -1;

    private record Entry(byte[] hash, long accountId) {
    }

    private final ConcurrentHashMap<String, Entry> byHash = new ConcurrentHashMap<>();

    /** The account the key belongs to, or 0 if the key is unknown. */
    public long authenticate(String presentedKey) {
        if (presentedKey == null) {
            return 0;
        }
        byte[] hash = ApiKeys.sha256(presentedKey);
        Entry e = byHash.get(HEX.formatHex(hash));
        return e != null && e.accountId > 0 && MessageDigest.isEqual(e.hash, hash) ? e.accountId : 0;
    }

    /**
     * Records that {@code apiKeyHashHex} (64 hex digits) belongs to {@code accountId}. A value that
     * is not a SHA-256 hex digest is ignored (no presented key can match it). Should two accounts
     * ever carry the same hash, the key is disabled for both and the clash is logged, rather than
     * letting one key act for two accounts.
     */
    public void register(String apiKeyHashHex, long accountId) {
        if (accountId <= 0 || !isSha256Hex(apiKeyHashHex)) {
            return;
        }
        String key = apiKeyHashHex.toLowerCase(Locale.ROOT);
        Entry entry = new Entry(HEX.parseHex(key), accountId);
        Entry prior = byHash.putIfAbsent(key, entry);
        if (prior != null && prior.accountId != accountId) {
            byHash.put(key, new Entry(entry.hash, AMBIGUOUS));
            LOG.error("API key hash of account {} already belongs to account {}; the key is disabled for both",
                    accountId, prior.accountId);
        }
    }

    private static boolean isSha256Hex(String s) {
        if (s == null || s.length() != 64) {
            return false;
        }
        for (int i = 0; i < 64; i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Registers every account of {@code ledger}; call it after recovery, before serving requests. */
    public void rebuildFrom(Ledger ledger) {
        for (long id = 1; id <= ledger.accountCount(); id++) {
            Account a = ledger.account(id);
            if (a.apiKeyHash() != null && !a.apiKeyHash().isEmpty()) {
                register(a.apiKeyHash(), a.id());
            }
        }
    }

    /** Number of keys known. */
    public int size() {
        return byHash.size();
    }

    @Override
    public void onEvent(EngineEvent event) {
        if (event.type == EventType.ACCOUNT_CREATED) {
            register(event.apiKeyHash, event.accountId);
        }
    }
}
