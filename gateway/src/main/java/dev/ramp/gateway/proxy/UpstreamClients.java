package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.Timeouts;
import dev.ramp.gateway.config.Upstream;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Keep-alive connection pools to upstreams, one per upstream origin, owned by one event loop (like an
 * nginx worker's upstream keepalive cache), so a request never hops threads. Not thread-safe: used only
 * from its verticle's event loop. A reload keeps the pools of origins still configured.
 */
public final class UpstreamClients {
    /** Per event loop; a connection is used by one request at a time (no pipelining). */
    static final int MAX_CONNECTIONS_PER_ORIGIN = 1024;

    private final Vertx vertx;
    private final Map<String, HttpClientAgent> clients = new HashMap<>();

    UpstreamClients(Vertx vertx) {
        this.vertx = vertx;
    }

    Vertx vertx() {
        return vertx;
    }

    /** The pool for {@code upstream}; {@code key} is {@link #key(Upstream, Timeouts)} of the two, precomputed. */
    HttpClientAgent client(Upstream upstream, Timeouts timeouts, String key) {
        HttpClientAgent c = clients.get(key);
        if (c == null) {
            HttpClientOptions options = new HttpClientOptions()
                    .setKeepAlive(true)
                    .setPipelining(false)
                    .setTcpNoDelay(true)
                    .setSsl(upstream.ssl())
                    .setDecompressionSupported(false)
                    .setMaxInitialLineLength(8192)
                    .setMaxHeaderSize(16 * 1024)
                    .setKeepAliveTimeout(60)
                    // Connection-level idle timeout: no bytes either way for this long, also mid-body, closes
                    // the connection (a per-request idle timeout stops at the response head in Vert.x).
                    .setIdleTimeout((int) timeouts.idle().toMillis())
                    .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                    .setName("ramp-upstream-" + upstream.authority());
            PoolOptions pool = new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_ORIGIN).setCleanerPeriod(1000);
            c = vertx.httpClientBuilder().with(options).with(pool).build();
            clients.put(key, c);
        }
        return c;
    }

    /** The pool key: one pool per upstream origin and idle timeout. */
    public static String key(Upstream upstream, Timeouts timeouts) {
        return upstream.url() + "|" + timeouts.idle().toMillis();
    }

    /** Closes the pools of origins no longer configured. */
    void retain(Set<String> keys) {
        clients.entrySet().removeIf(e -> {
            if (keys.contains(e.getKey())) {
                return false;
            }
            e.getValue().close();
            return true;
        });
    }

    void closeAll() {
        clients.values().forEach(HttpClientAgent::close);
        clients.clear();
    }
}
