package exchange.gateway.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque {@code page_token} of the paged lists: where the next page starts (every row of a
 * page has a smaller id than the token's bound). A token names its list ({@link Kind}), so one
 * taken from the fills list is refused by the orders list. The filters are not in it: a client
 * sends the same filters with each page. The encoding is base64url of {@code v1:<kind>:<id>};
 * clients must treat it as opaque.
 */
final class PageToken {
    /** The list a token belongs to. */
    enum Kind {
        ORDERS("o"),
        FILLS("f");

        private final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private static final int MAX_LENGTH = 64;

    private PageToken() {
    }

    /** The token of the page that starts below {@code beforeId}. */
    static String encode(Kind kind, long beforeId) {
        String text = "v1:" + kind.tag + ":" + beforeId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The id bound a token carries; 0 (no bound) for a null token.
     *
     * @throws ApiProblem 400 {@code INVALID_PAGE_TOKEN} for anything not made by {@link #encode} for {@code kind}
     */
    static long decode(Kind kind, String token) {
        if (token == null) {
            return 0;
        }
        if (token.isEmpty() || token.length() > MAX_LENGTH) {
            throw invalid();
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.US_ASCII);
        } catch (IllegalArgumentException e) {
            throw invalid();
        }
        String prefix = "v1:" + kind.tag + ":";
        if (!text.startsWith(prefix)) {
            throw invalid();
        }
        long id = RequestParams.positiveInteger(text.substring(prefix.length()));
        if (id < 1) {
            throw invalid();
        }
        return id;
    }

    private static ApiProblem invalid() {
        return ApiProblem.field("INVALID_PAGE_TOKEN", "page_token",
                "page_token is not one this list returned; start again without it");
    }
}
