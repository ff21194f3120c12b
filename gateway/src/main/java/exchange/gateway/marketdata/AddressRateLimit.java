package exchange.gateway.marketdata;

import exchange.gateway.ratelimit.TokenBucketRateLimiter;
import io.javalin.http.Context;

/**
 * The public market-data routes' token bucket per client address ({@code market_data.rate_limit}),
 * shared by both API faces. An address is keyed by its text's 64-bit fold (an IPv4 address
 * exactly, IPv6 addresses practically without collision). Thread-safe.
 */
final class AddressRateLimit {
    private final TokenBucketRateLimiter limiter;

    AddressRateLimit(TokenBucketRateLimiter limiter) {
        this.limiter = limiter;
    }

    /** Takes a token for the request's address; returns the seconds to wait when there is none, else 0. */
    long tryAcquire(Context ctx) {
        String address = ctx.ip();
        long key = 1_125_899_906_842_597L;
        for (int i = 0; i < address.length(); i++) {
            key = 31 * key + address.charAt(i);
        }
        TokenBucketRateLimiter.Decision d = limiter.tryAcquire(key);
        return d.allowed() ? 0 : TokenBucketRateLimiter.Decision.ceilSeconds(d.retryAfterNanos(), 1);
    }
}
