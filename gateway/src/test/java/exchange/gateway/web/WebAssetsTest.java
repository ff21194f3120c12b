package exchange.gateway.web;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The page's files as the build ships them, and the promises the CSP relies on. */
@Timeout(30)
class WebAssetsTest {
    private final WebAssets assets = WebAssets.load(WebAssetsTest.class.getClassLoader());

    private String text(String path) {
        WebAssets.Asset a = assets.get(path);
        assertNotNull(a, path);
        return new String(a.body(), StandardCharsets.UTF_8);
    }

    @Test
    void shouldServeThePageAtRootWithItsFilesAndTypes() {
        assertSame(assets.get("/index.html"), assets.get("/"));
        assertEquals("text/html; charset=utf-8", assets.get("/").contentType());
        assertEquals("text/css; charset=utf-8", assets.get("/app.css").contentType());
        assertEquals("text/javascript; charset=utf-8", assets.get("/js/main.js").contentType());
        assertEquals("text/javascript; charset=utf-8", assets.get("/" + WebAssets.CHARTS).contentType());
        assertEquals("image/svg+xml", assets.get("/favicon.svg").contentType());
        assertTrue(text("/" + WebAssets.CHARTS).contains("createChart"), "the npm build of lightweight-charts");
        assertTrue(text("/vendor/lightweight-charts.LICENSE.txt").contains("Apache License"));
        assertEquals(null, assets.get("/js/nope.js"));
        assertEquals(null, assets.get("/../pom.xml"));
    }

    @Test
    void shouldRefuseToStartWhenAFileIsMissing() {
        ClassLoader empty = new ClassLoader(null) { };
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> WebAssets.load(empty));
        assertTrue(e.getMessage().contains("web/index.html"), e.getMessage());
    }

    /** Every module a module imports is served, so the browser never meets a 404 for one. */
    @Test
    void shouldServeEveryImportedModule() {
        Pattern imports = Pattern.compile("(?m)^import .* from '([^']+)';$");
        List<String> checked = new ArrayList<>();
        for (String path : assets.paths()) {
            if (!path.startsWith("/js/")) {
                continue;
            }
            Matcher m = imports.matcher(text(path));
            while (m.find()) {
                String target = URI.create("http://x" + path).resolve(m.group(1)).getPath();
                assertNotNull(assets.get(target), path + " imports " + m.group(1) + ", which is not served");
                checked.add(target);
            }
        }
        assertTrue(checked.contains("/" + WebAssets.CHARTS), "the chart imports the library: " + checked);
        assertTrue(text("/index.html").contains("<script type=\"module\" src=\"/js/main.js\"></script>"));
    }

    /** What the CSP forbids must not be what the page does: inline script, handlers, style attributes, eval. */
    @Test
    void shouldKeepThePageFreeOfInlineScriptAndStyle() {
        String html = text("/index.html");
        assertFalse(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(html).find(), "inline <script>");
        assertFalse(Pattern.compile("\\son[a-z]+=").matcher(html).find(), "inline event handler");
        assertFalse(html.contains("style="), "style attribute");
        assertFalse(html.contains("<style"), "inline <style>");
        for (String path : assets.paths()) {
            if (path.startsWith("/js/")) {
                String js = text(path);
                for (String banned : List.of("innerHTML", "eval(", "new Function", "setAttribute('style'", "localStorage",
                        "console.log")) {
                    assertFalse(js.contains(banned), path + " uses " + banned);
                }
            }
        }
    }

    /**
     * The CSP allows one inline style by hash: the attribution logo's, which lightweight-charts
     * injects. Recomputed here from the shipped library, so a new version with another style text
     * fails here rather than as a console error in a trader's browser.
     */
    @Test
    void shouldAllowExactlyTheChartLibrarysInjectedStyleByItsHash() throws Exception {
        Matcher m = Pattern.compile("createElement\\(\"style\"\\),this\\.[A-Za-z0-9_$]+\\.innerText=\"([^\"]*)\"")
                .matcher(text("/" + WebAssets.CHARTS));
        List<String> styles = new ArrayList<>();
        while (m.find()) {
            styles.add(m.group(1));
        }
        assertEquals(1, styles.size(), "one injected <style> in the library: " + styles);
        assertTrue(styles.get(0).contains("tv-attr-logo"), styles.get(0));
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(styles.get(0).getBytes(StandardCharsets.UTF_8));
        assertEquals("sha256-" + Base64.getEncoder().encodeToString(digest), WebPageRoutes.CHART_ATTRIBUTION_STYLE_HASH);
        assertTrue(WebPageRoutes.CONTENT_SECURITY_POLICY.contains("'" + WebPageRoutes.CHART_ATTRIBUTION_STYLE_HASH + "'"));
        assertFalse(WebPageRoutes.CONTENT_SECURITY_POLICY.contains("unsafe"), WebPageRoutes.CONTENT_SECURITY_POLICY);
    }
}
