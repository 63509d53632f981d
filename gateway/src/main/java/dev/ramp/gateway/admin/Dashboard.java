package dev.ramp.gateway.admin;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's page, script and style ({@code GET /}, {@code /dashboard/app.js}, {@code /dashboard/app.css}),
 * read once from the jar's {@code dashboard/} resources and served from memory: no build step, no CDN, nothing
 * written to disk. The page reads {@code /api/status}, {@code /api/events}, {@code /api/stream} and
 * {@code /api/routes/:name/history}, and sends the token only with its POSTs. Its policy allows scripts,
 * styles and connections to this origin only.
 */
final class Dashboard {
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    /** Path served, resource name, content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "/", new String[] {"index.html", "text/html; charset=utf-8"},
            "/dashboard/app.js", new String[] {"app.js", "text/javascript; charset=utf-8"},
            "/dashboard/app.css", new String[] {"app.css", "text/css; charset=utf-8"});

    private final Map<String, Buffer> bodies;

    Dashboard() {
        java.util.HashMap<String, Buffer> m = new java.util.HashMap<>();
        FILES.forEach((path, f) -> m.put(path, Buffer.buffer(read(f[0]))));
        this.bodies = Map.copyOf(m);
    }

    /** The paths this serves. */
    static Iterable<String> paths() {
        return FILES.keySet();
    }

    void serve(RoutingContext ctx) {
        String path = ctx.request().path();
        ctx.response()
                .putHeader("Content-Type", FILES.get(path)[1])
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", CSP)
                .putHeader("Referrer-Policy", "no-referrer")
                .end(bodies.get(path));
    }

    private static byte[] read(String name) {
        try (InputStream in = Dashboard.class.getClassLoader().getResourceAsStream("dashboard/" + name)) {
            if (in == null) {
                throw new IllegalStateException("dashboard/" + name + ": not in the jar (expected: a resource)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
