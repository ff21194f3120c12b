package exchange.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key material: generation (32 random bytes, base64url without padding) and the SHA-256
 * hash under which a key is stored. Keys themselves are never stored or journaled; only
 * {@link #sha256Hex} of a key reaches the engine (in {@code CREATE_ACCOUNT}) and the key index.
 */
public final class ApiKeys {
    /** Random bytes per generated key. */
    public static final int KEY_BYTES = 32;
    /** Longest bearer token the gateway will hash; longer ones are refused unread. */
    public static final int MAX_KEY_LENGTH = 256;

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    });

    private ApiKeys() {
    }

    /** A new random key: 32 bytes from {@link SecureRandom}, base64url without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[KEY_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** SHA-256 of the key's UTF-8 bytes. */
    public static byte[] sha256(String key) {
        MessageDigest md = SHA256.get();
        md.reset();
        return md.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of the key as 64 lowercase hex digits: the form stored in accounts and the journal. */
    public static String sha256Hex(String key) {
        return HexFormat.of().formatHex(sha256(key));
    }

    /**
     * The token of an {@code Authorization: Bearer <token>} header, or null when the header is
     * missing, uses another scheme, or the token is empty or longer than {@link #MAX_KEY_LENGTH}.
     */
    public static String bearerToken(String authorizationHeader) {
        if (authorizationHeader == null || authorizationHeader.length() < 8) {
            return null;
        }
        if (!authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorizationHeader.substring(7).trim();
        return token.isEmpty() || token.length() > MAX_KEY_LENGTH ? null : token;
    }
}
