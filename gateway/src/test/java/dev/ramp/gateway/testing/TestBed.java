package dev.ramp.gateway.testing;

import dev.ramp.gateway.Gateway;
import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.demo.DemoUpstream;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Real servers on port 0 for integration tests: a stable and a canary {@link DemoUpstream} on their own
 * Vert.x, configs written as HOCON files and loaded by {@link ConfigLoader}, and a blocking JDK HTTP
 * client (no Vert.x futures composed on the JUnit thread).
 */
public final class TestBed implements AutoCloseable {
    public static final String STABLE_VERSION = "v1.4.2";
    public static final String CANARY_VERSION = "v1.5.0";

    public final Vertx vertx = Vertx.vertx();
    public final DemoUpstream stable = new DemoUpstream("stable", STABLE_VERSION);
    public final DemoUpstream canary = new DemoUpstream("canary", CANARY_VERSION);
    public final int stablePort;
    public final int canaryPort;
    private final Path dir;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1) // no h2c upgrade attempts: plain HTTP/1.1 as curl sends
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private int files;

    public TestBed(Path dir) throws Exception {
        this.dir = dir;
        stablePort = stable.start(vertx, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
        canaryPort = canary.start(vertx, "127.0.0.1", 0).await(10, TimeUnit.SECONDS);
    }

    /** Writes {@code hocon} to a fresh file in the temp dir and loads it as a reload would. */
    public GatewayConfig config(String hocon) {
        Path file = dir.resolve("gateway-" + (++files) + ".conf");
        try {
            Files.writeString(file, hocon);
            return ConfigLoader.load(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            throw new AssertionError("test config does not load: " + e.getMessage(), e);
        }
    }

    /** A route block pointing at the demo upstreams; fallback off so attempts and answers map one to one. */
    public String route(String name, String pathPrefix, String weight) {
        return route(name, pathPrefix, weight, STABLE_VERSION, CANARY_VERSION);
    }

    public String route(String name, String pathPrefix, String weight, String stableVersion, String canaryVersion) {
        return "{ name = \"" + name + "\", match { path-prefix = \"" + pathPrefix + "\" }"
               + ", stable { url = \"http://127.0.0.1:" + stablePort + "\", version = \"" + stableVersion + "\" }"
               + ", canary { url = \"http://127.0.0.1:" + canaryPort + "\", version = \"" + canaryVersion + "\" }"
               + ", weight = \"" + weight + "\", fallback { enabled = false } }";
    }

    /** A whole config: traffic and admin on port 0, one event loop, the given token (null: none) and routes. */
    public String gatewayConf(String token, String... routes) {
        return "ramp {\n"
               + "  listen { host = \"127.0.0.1\", port = 0, event-loops = 1 }\n"
               + "  admin { host = \"127.0.0.1\", port = 0" + (token == null ? "" : ", token = \"" + token + "\"") + " }\n"
               + "  state-dir = \"" + dir.resolve("state").toString().replace("\\", "/") + "\"\n"
               + "  shutdown-grace = 1s\n"
               + "  routes = [\n    " + String.join(",\n    ", routes) + "\n  ]\n"
               + "}\n";
    }

    public Gateway start(String hocon) throws Exception {
        return Gateway.start(config(hocon));
    }

    public HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public HttpResponse<String> get(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    public HttpResponse<String> post(String url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b);
    }

    public static String traffic(Gateway g, String path) {
        return "http://127.0.0.1:" + g.port() + path;
    }

    public static String admin(Gateway g, String path) {
        return "http://127.0.0.1:" + g.adminPort() + path;
    }

    public PrometheusScrape scrape(Gateway g) {
        HttpResponse<String> r = get(admin(g, "/metrics"));
        if (r.statusCode() != 200) {
            throw new AssertionError("GET /metrics: " + r.statusCode() + " " + r.body());
        }
        return PrometheusScrape.parse(r.body());
    }

    @Override
    public void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }
}
