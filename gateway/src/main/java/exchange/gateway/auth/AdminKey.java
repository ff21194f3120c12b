package exchange.gateway.auth;

import java.security.MessageDigest;

/**
 * The operator's admin key, held only as its SHA-256 hash and checked in constant time
 * ({@link MessageDigest#isEqual} over two equal-length digests, so the comparison time does not
 * depend on how much of the presented key is right). Immutable and thread safe.
 */
public final class AdminKey {
    private final byte[] hash;

    public AdminKey(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("admin key must not be empty");
        }
        this.hash = ApiKeys.sha256(key);
    }

    /** True if {@code presented} is the admin key. */
    public boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, ApiKeys.sha256(presented));
    }
}
