package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.routing.Assignment;
import dev.ramp.gateway.routing.Version;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One event loop's share of the traffic listener: an HTTP server (the listen port is shared between
 * instances) and its own upstream pools. Chooses the route and the version, then hands the request to an
 * {@link Exchange}.
 */
public final class ProxyVerticle extends VerticleBase {

    private final String host;
    private final int port;
    private final long idleTimeoutMillis;
    private final Supplier<RoutingSnapshot> snapshot;
    private final ProxyObserver observer;
    private UpstreamClients clients;
    private HttpServer server;

    public ProxyVerticle(String host, int port, long idleTimeoutMillis, Supplier<RoutingSnapshot> snapshot,
                         ProxyObserver observer) {
        this.host = host;
        this.port = port;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.snapshot = snapshot;
        this.observer = observer;
    }

    @Override
    public Future<?> start() {
        clients = new UpstreamClients(vertx);
        HttpServerOptions options = new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setTcpNoDelay(true)
                .setIdleTimeout((int) idleTimeoutMillis)
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setHandle100ContinueAutomatically(true)
                // HTTP/1.1 only: no h2c upgrade path that the data path and its tests do not cover.
                .setHttp2ClearTextEnabled(false)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setMaxHeaderSize(16 * 1024)
                .setMaxInitialLineLength(8192);
        server = vertx.createHttpServer(options)
                .requestHandler(this::handle)
                .invalidRequestHandler(ProxyVerticle::invalid);
        return server.listen();
    }

    @Override
    public Future<?> stop() {
        clients.closeAll();
        return Future.succeededFuture();
    }

    /** The bound port (meaningful after start, also when configured as 0). */
    public int actualPort() {
        return server.actualPort();
    }

    /** Stops accepting, lets in-flight requests finish for up to {@code graceMillis}. */
    public Future<Void> shutdown(long graceMillis) {
        Promise<Void> p = Promise.promise();
        context.runOnContext(v -> server.shutdown(graceMillis, TimeUnit.MILLISECONDS).onComplete(p));
        return p.future();
    }

    /** Drops pools of upstream origins that are no longer configured (runs on this verticle's loop). */
    public void retainUpstreams(Set<String> keys) {
        context.runOnContext(v -> clients.retain(keys));
    }

    private void handle(HttpServerRequest request) {
        RoutingSnapshot snap = snapshot.get();
        HostAndPort authority = request.authority();
        String path = request.path();
        LiveRoute route = path == null ? null : snap.table().match(authority == null ? null : authority.host(), path);
        if (route == null) {
            GatewayError.NO_ROUTE.send(request.response(), null,
                    Forwarding.noRouteMessage(authority == null ? null : authority.host(), path));
            observer.onClientResponse(null, null, GatewayError.NO_ROUTE.status());
            return;
        }
        RouteConfig rc = route.config();
        String peer = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        boolean trusted = snap.trusted(peer);

        Version override = null;
        String overrideValue = request.getHeader(rc.override().header());
        if (overrideValue != null && trusted) {
            override = Assignment.parseOverride(overrideValue);
            if (override == null) {
                GatewayError.BAD_REQUEST.send(request.response(), route.name(),
                        Forwarding.badOverrideMessage(rc.override().header(), overrideValue));
                observer.onClientResponse(route, null, GatewayError.BAD_REQUEST.status());
                return;
            }
        }
        String identity = request.getHeader(rc.sticky().userHeader());
        String newCookie = null;
        if (identity == null || identity.isEmpty()) {
            Cookie cookie = request.getCookie(rc.sticky().cookie());
            if (cookie != null && !cookie.getValue().isEmpty()) {
                identity = cookie.getValue();
            } else {
                identity = newCookie = Forwarding.randomId();
            }
        }
        Version version = Assignment.decide(route.name(), identity, route.effectiveWeightBasisPoints(),
                route.reverted(), override, rc.override().canaryUsers(), rc.override().stableUsers());
        new Exchange(request, route, trusted, newCookie, clients, observer).start(version);
    }

    private static void invalid(HttpServerRequest request) {
        Throwable cause = request.decoderResult() == null ? null : request.decoderResult().cause();
        Forwarding.Failure failure = Forwarding.malformed(cause);
        GatewayError error = failure.error();
        String message = failure.message();
        var sent = error.send(request.response().putHeader("connection", "close"), null, message);
        if (sent != null) {
            sent.onComplete(v -> request.connection().close());
        } else {
            request.connection().close();
        }
    }
}
