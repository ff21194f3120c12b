package exchange.gateway.web;

import exchange.gateway.http.RouteGroup;
import exchange.gateway.http.Routes;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * Serves the trader's page at {@code GET /} and its files ({@code /app.css}, {@code /js/*.js},
 * {@code /vendor/...}) from {@link WebAssets}, each with the page's security headers.
 *
 * <p>The Content-Security-Policy allows only this origin: scripts from our files (no inline
 * script, no eval), fetch and WebSocket to ourselves, no frames of us anywhere. Styles: our
 * stylesheet plus exactly one inline {@code <style>}, the one lightweight-charts 5 injects for the
 * TradingView attribution logo its licence asks us to keep, allowed by its SHA-256 hash
 * ({@link #CHART_ATTRIBUTION_STYLE_HASH}) rather than by {@code 'unsafe-inline'}, so that injected
 * markup still cannot bring its own styles. The page itself sets styles only through classes and
 * the CSSOM, which the policy does not restrict. A new library version with another style text
 * fails {@code WebAssetsTest} (which recomputes the hash from the shipped file) and shows up as a
 * console error in the browser test. Stateless; Jetty request threads.
 */
public final class WebPageRoutes implements RouteGroup {
    /** SHA-256 of lightweight-charts 5.2.1's attribution-logo style text, as CSP writes it. */
    public static final String CHART_ATTRIBUTION_STYLE_HASH = "sha256-3pRED1tOXas1FXFoPb9TGCjmYe9XQsmO9OV23khV2nY=";
    public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; "
            + "style-src 'self' '" + CHART_ATTRIBUTION_STYLE_HASH + "'; img-src 'self' data:; connect-src 'self'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Logger LOG = LoggerFactory.getLogger(WebPageRoutes.class);

    private final WebAssets assets;

    public WebPageRoutes(WebAssets assets) {
        this.assets = assets;
    }

    @Override
    public void register(Routes r) {
        for (String path : assets.paths()) {
            WebAssets.Asset asset = assets.get(path);
            r.get(path, ctx -> serve(ctx, asset));
        }
    }

    private static void serve(Context ctx, WebAssets.Asset asset) {
        HttpServletResponse res = ctx.res();
        res.setStatus(200);
        res.setContentType(asset.contentType());
        res.setContentLength(asset.body().length);
        res.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("X-Frame-Options", "DENY"); // frame-ancestors for browsers without CSP 2
        res.setHeader("Referrer-Policy", "no-referrer");
        res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
        // revalidate every load, so a restarted exchange's new page is never mixed with old modules
        res.setHeader("Cache-Control", "no-cache");
        try {
            res.getOutputStream().write(asset.body());
        } catch (IOException e) {
            LOG.debug("{} not delivered: {}", asset.path(), e.toString());
        }
    }
}
