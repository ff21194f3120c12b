package exchange.gateway.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trader's page (issue 18): its files, read once from the jar's classpath (under
 * {@code web/}) when the server is built, and served from memory. The list is fixed, so no request
 * path is ever turned into a resource name. {@code vendor/lightweight-charts.mjs} is not in the
 * sources: the gateway's build fetches it with npm ({@code gateway/web/fetch-vendor.sh}).
 * Immutable after construction; any thread.
 */
public final class WebAssets {
    /** Classpath folder of the page's files. */
    static final String ROOT = "web/";
    /** The library the chart module imports; fetched by the build, not committed. */
    static final String CHARTS = "vendor/lightweight-charts.mjs";

    /** URL path (after {@code /}) -> file under {@link #ROOT}; {@code ""} is the page itself. */
    private static final List<String> FILES = List.of("index.html", "app.css", "favicon.svg",
            "js/main.js", "js/api.js", "js/stream.js", "js/format.js", "js/markets.js", "js/book.js", "js/tape.js",
            "js/chart.js", "js/account.js", "js/reference.js", CHARTS, "vendor/lightweight-charts.LICENSE.txt");

    /** One file: its bytes and content type. */
    public record Asset(String path, String contentType, byte[] body) {
    }

    private final Map<String, Asset> byPath;

    private WebAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    /**
     * Reads every file of the page from {@code loader}. A missing file is a broken build (the npm
     * step did not run, or a file was renamed without updating {@link #FILES}): refused at start.
     */
    public static WebAssets load(ClassLoader loader) {
        Map<String, Asset> assets = new LinkedHashMap<>();
        for (String file : FILES) {
            byte[] body = read(loader, ROOT + file);
            if (body == null) {
                throw new IllegalStateException("the web page's file " + ROOT + file + " is not on the classpath"
                        + (file.startsWith("vendor/") ? "; the gateway's build fetches it with npm (gateway/web/fetch-vendor.sh)" : ""));
            }
            assets.put("/" + file, new Asset("/" + file, contentType(file), body));
        }
        assets.put("/", assets.get("/index.html"));
        return new WebAssets(Map.copyOf(assets));
    }

    /** The asset served at {@code urlPath} ({@code /}, {@code /app.css}, ...), or null. */
    public Asset get(String urlPath) {
        return byPath.get(urlPath);
    }

    /** Every URL path served, the page's {@code /} among them. */
    public Iterable<String> paths() {
        return byPath.keySet();
    }

    static String contentType(String file) {
        if (file.endsWith(".html")) {
            return "text/html; charset=utf-8";
        } else if (file.endsWith(".css")) {
            return "text/css; charset=utf-8";
        } else if (file.endsWith(".js") || file.endsWith(".mjs")) {
            return "text/javascript; charset=utf-8";
        } else if (file.endsWith(".svg")) {
            return "image/svg+xml";
        }
        return "text/plain; charset=utf-8";
    }

    private static byte[] read(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }
}
