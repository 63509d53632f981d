package dev.ramp.gateway.admin;

import dev.ramp.gateway.config.ConfigState;
import dev.ramp.gateway.proxy.netty.TlsStatus;
import dev.ramp.gateway.config.Endpoint;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.History;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.metrics.RouteHistory;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of docs/admin-api.md on its own listener (never the traffic port): {@code GET /metrics},
 * {@code /health/live}, {@code /health/ready}, {@code /api/status}, {@code /api/events},
 * {@code /api/routes/:name/explain}, and the token-guarded {@code POST /api/routes/:name/revert|resume},
 * {@code .../rollout/pause|continue|next|abort} and {@code POST /api/alerts} (Alertmanager's webhook); and the
 * dashboard: its page at {@code GET /} ({@link Dashboard}), the Server-Sent Events of {@code GET /api/stream}
 * ({@link EventStream}) and each route's {@code GET /api/routes/:name/history} ({@link HistoryJson}).
 *
 * <p>This class only wires a Vert.x Web {@link Router}: every request's body is read first (at most
 * {@link #MAX_BODY_BYTES}, so keep-alive connections stay usable and large bodies are refused with 413),
 * then each path goes to its handler, a known path asked with another method gets 405 with {@code Allow},
 * and anything else 404. Every answer except {@code /metrics} is JSON, written by {@link AdminResponses}.
 */
public final class AdminServer {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** The Prometheus text exposition format served by {@code /metrics}. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Admin requests are small; a larger body is refused and the connection closed. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final Vertx vertx;
    private final Endpoint listen;
    private final Router router;
    private HttpServer server;

    private AdminServer(Builder b) {
        this.vertx = b.vertx;
        this.listen = b.listen;
        HealthHandlers health = new HealthHandlers(b.vertx, b.metrics, b.snapshot, b.ready, b.cluster);
        StatusHandlers status = new StatusHandlers(b.snapshot, b.configState, b.statusSource, b.events,
                b.tls, b.cluster);
        RouteActions actions = new RouteActions(b.snapshot, b.control, status);
        ExplainHandler explain = new ExplainHandler(b.snapshot);
        AlertActions alerts = new AlertActions(b.snapshot, b.control, b.events, actions);
        EventStream stream = new EventStream(b.vertx, status::status, b.events, b.history);
        Dashboard page = new Dashboard();
        this.router = router(b.vertx, health, status, actions, explain, alerts, new MirrorHandler(b.snapshot),
                r -> dashboard(r, page, stream, b.snapshot, b.history));
    }

    public static Builder builder() {
        return new Builder();
    }

    private static Router router(Vertx vertx, HealthHandlers health, StatusHandlers status, RouteActions actions,
                                 ExplainHandler explain, AlertActions alerts, MirrorHandler mirror,
                                 java.util.function.Consumer<Router> more) {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            log.debug("admin {} {}", ctx.request().method(), ctx.request().path());
            ctx.next();
        });
        // No file uploads: an admin request never needs one, and nothing must be written to disk for it.
        router.route().handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
        router.route().handler(AdminServer::exactPathsOnly);
        endpoint(router, HttpMethod.GET, "/metrics", health::metrics);
        endpoint(router, HttpMethod.GET, "/health/live", health::live);
        endpoint(router, HttpMethod.GET, "/health/ready", health::ready);
        endpoint(router, HttpMethod.GET, "/api/status", status::status);
        endpoint(router, HttpMethod.GET, "/api/events", status::events);
        endpoint(router, HttpMethod.POST, "/api/routes/:name/revert", actions::revert);
        endpoint(router, HttpMethod.POST, "/api/routes/:name/resume", actions::resume);
        endpoint(router, HttpMethod.GET, "/api/routes/:name/explain", explain::explain);
        for (String command : new String[] {"pause", "continue", "next", "abort"}) {
            endpoint(router, HttpMethod.POST, "/api/routes/:name/rollout/" + command, ctx -> actions.rollout(ctx, command));
        }
        endpoint(router, HttpMethod.POST, "/api/alerts", alerts::receive);
        endpoint(router, HttpMethod.GET, "/api/routes/:name/mirror/diffs", mirror::diffs);
        more.accept(router);
        router.route().handler(AdminResponses::notFound);
        router.errorHandler(404, AdminResponses::notFound);
        router.errorHandler(413, ctx -> AdminResponses.payloadTooLarge(ctx, MAX_BODY_BYTES));
        router.errorHandler(500, ctx -> {
            log.warn("admin {} {} failed: {}", ctx.request().method(), AdminResponses.clip(ctx.request().path()),
                    String.valueOf(ctx.failure()));
            AdminResponses.internalError(ctx, null, "request failed: "
                    + (ctx.failure() == null ? "unknown error" : ctx.failure().getMessage()));
        });
        return router;
    }

    /**
     * The dashboard: its page and files, the event stream, and each route's history. Added before the router's
     * last (404) route.
     */
    private static void dashboard(Router router, Dashboard dashboard, EventStream stream,
                                  Supplier<RoutingSnapshot> snapshot, History history) {
        for (String path : Dashboard.paths()) {
            endpoint(router, HttpMethod.GET, path, dashboard::serve);
        }
        endpoint(router, HttpMethod.GET, "/api/stream", stream::open);
        endpoint(router, HttpMethod.GET, "/api/routes/:name/history", ctx -> {
            String name = ctx.pathParam("name");
            RouteHistory h = snapshot.get().route(name) == null ? null : history.route(name);
            if (h == null) {
                AdminResponses.error(ctx, 404, "unknown_route", AdminResponses.clip(name), "no route named "
                        + AdminResponses.clip(name));
                return;
            }
            AdminResponses.json(ctx, 200, HistoryJson.route(h));
        });
    }

    /**
     * The router matches normalised paths and ignores a trailing slash; the API's paths are exact, so
     * {@code /metrics/} or {@code /api/../metrics} name no endpoint ({@code /}, the dashboard, is the one path
     * that ends with a slash). Checked after the body is read, so an
     * oversized body is a 413 whatever its path.
     */
    private static void exactPathsOnly(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path == null || path.endsWith("/") && !path.equals("/") || !path.equals(ctx.normalizedPath())) {
            AdminResponses.notFound(ctx);
        } else {
            ctx.next();
        }
    }

    /** {@code method path} goes to {@code handler}; any other method on that path is a 405 naming the method. */
    private static void endpoint(Router router, HttpMethod method, String path, Handler<RoutingContext> handler) {
        router.route(method, path).handler(handler);
        router.route(path).handler(ctx -> AdminResponses.methodNotAllowed(ctx, method));
    }

    /** Binds the listener; completes with the bound port (meaningful when configured as 0). */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(listen.host())
                        .setPort(listen.port())
                        .setIdleTimeout(60)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(router);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    /** Wires an {@link AdminServer}; every part is required but {@code tls}. */
    public static final class Builder {
        private Vertx vertx;
        private Endpoint listen;
        private Supplier<RoutingSnapshot> snapshot;
        private RampMetrics metrics;
        private EventLog events;
        private ConfigState configState;
        private BooleanSupplier ready;
        private RouteStatusSource statusSource;
        private RouteControl control;
        private Supplier<TlsStatus> tls = () -> null;
        private Supplier<JsonObject> cluster = () -> null;
        private History history = new History();

        private Builder() {}

        public Builder vertx(Vertx value) {
            vertx = Objects.requireNonNull(value, "vertx");
            return this;
        }

        public Builder listen(Endpoint value) {
            listen = Objects.requireNonNull(value, "listen");
            return this;
        }

        public Builder snapshot(Supplier<RoutingSnapshot> value) {
            snapshot = Objects.requireNonNull(value, "snapshot");
            return this;
        }

        public Builder metrics(RampMetrics value) {
            metrics = Objects.requireNonNull(value, "metrics");
            return this;
        }

        public Builder events(EventLog value) {
            events = Objects.requireNonNull(value, "events");
            return this;
        }

        public Builder configState(ConfigState value) {
            configState = Objects.requireNonNull(value, "configState");
            return this;
        }

        /** True once the config is loaded and the traffic listener is up, false again while draining. */
        public Builder ready(BooleanSupplier value) {
            ready = Objects.requireNonNull(value, "ready");
            return this;
        }

        /** The guard's view of each route: state, latch, window. */
        public Builder statusSource(RouteStatusSource value) {
            statusSource = Objects.requireNonNull(value, "statusSource");
            return this;
        }

        /** The kill switch behind revert and resume. */
        public Builder routeControl(RouteControl value) {
            control = Objects.requireNonNull(value, "routeControl");
            return this;
        }

        /** The traffic listener's TLS certificates and provider; optional (a plain listener reports null). */
        public Builder tls(Supplier<TlsStatus> value) {
            tls = Objects.requireNonNull(value, "tls");
            return this;
        }

        /**
         * How this replica reaches the others (Redis), as {@code /health/ready} details and the status's
         * {@code cluster}; optional (a single replica reports null and the answers leave it out).
         */
        public Builder cluster(Supplier<JsonObject> value) {
            cluster = Objects.requireNonNull(value, "cluster");
            return this;
        }

        /** Every route's per-second history, for the dashboard; optional (an empty one by default). */
        public Builder history(History value) {
            history = Objects.requireNonNull(value, "history");
            return this;
        }

        public AdminServer build() {
            String missing = vertx == null ? "vertx" : listen == null ? "listen" : snapshot == null ? "snapshot"
                    : metrics == null ? "metrics" : events == null ? "events" : configState == null ? "configState"
                    : ready == null ? "ready" : statusSource == null ? "statusSource"
                    : control == null ? "routeControl" : null;
            if (missing != null) {
                throw new IllegalStateException(missing + ": not set (expected: every part of the admin server)");
            }
            return new AdminServer(this);
        }
    }
}
