package dev.ramp.gateway.admin;

import dev.ramp.gateway.config.ConfigState;
import dev.ramp.gateway.config.Endpoint;
import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API of DESIGN.md on its own listener (never the traffic port): {@code GET /metrics},
 * {@code /health/live}, {@code /health/ready}, {@code /api/status}, {@code /api/events}, and the
 * token-guarded {@code POST /api/routes/{name}/revert|resume}.
 *
 * <p>Every answer except {@code /metrics} is JSON; every error is {@code {"error", "message"}} (plus
 * {@code "route"} when one is named). Handlers run on an event loop; the Prometheus scrape, which grows
 * with the number of series, runs on a worker. The bearer token is read from the current config on each
 * request, so a reload that changes it takes effect at once.
 */
public final class AdminServer {
    private static final Logger log = LoggerFactory.getLogger(AdminServer.class);

    /** The Prometheus text exposition format served by {@code /metrics}. */
    public static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Admin requests are small; a larger body is refused and the connection closed. */
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final String ROUTES_PREFIX = "/api/routes/";

    private final Vertx vertx;
    private final Endpoint listen;
    private final Supplier<RoutingSnapshot> snapshot;
    private final RampMetrics metrics;
    private final EventLog events;
    private final ConfigState configState;
    private final BooleanSupplier ready;
    private final RouteStatusSource statusSource;
    private final RouteControl control;
    private HttpServer server;

    private AdminServer(Builder b) {
        this.vertx = b.vertx;
        this.listen = b.listen;
        this.snapshot = b.snapshot;
        this.metrics = b.metrics;
        this.events = b.events;
        this.configState = b.configState;
        this.ready = b.ready;
        this.statusSource = b.statusSource;
        this.control = b.control;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Binds the listener; completes with the bound port (meaningful when configured as 0). */
    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                        .setHost(listen.host())
                        .setPort(listen.port())
                        .setIdleTimeout(60)
                        .setIdleTimeoutUnit(TimeUnit.SECONDS))
                .requestHandler(this::handle);
        return server.listen().map(HttpServer::actualPort);
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest req) {
        // Read (and drop) any body before answering, so keep-alive connections stay usable; refuse large ones.
        long[] received = {0};
        req.handler(chunk -> {
            received[0] += chunk.length();
            if (received[0] > MAX_BODY_BYTES && !req.response().ended()) {
                Future<Void> sent = error(req, 413, "payload_too_large", null,
                        "admin requests carry at most " + MAX_BODY_BYTES + " bytes of body");
                if (sent != null) {
                    sent.onComplete(v -> req.connection().close());
                }
            }
        });
        req.end().onComplete(ar -> {
            if (ar.succeeded() && !req.response().ended()) {
                dispatch(req);
            }
        });
    }

    private void dispatch(HttpServerRequest req) {
        String path = req.path() == null ? "" : req.path();
        log.debug("admin {} {}", req.method(), path);
        switch (path) {
            case "/metrics" -> {
                if (allow(req, HttpMethod.GET)) {
                    scrape(req);
                }
            }
            case "/health/live" -> {
                if (allow(req, HttpMethod.GET)) {
                    json(req, 200, new JsonObject().put("status", "up"));
                }
            }
            case "/health/ready" -> {
                if (allow(req, HttpMethod.GET)) {
                    if (ready.getAsBoolean() && snapshot.get() != null) {
                        json(req, 200, new JsonObject().put("status", "ready"));
                    } else {
                        json(req, 503, new JsonObject().put("status", "not_ready")
                                .put("message", "config not loaded or traffic listener not up (starting or draining)"));
                    }
                }
            }
            case "/api/status" -> {
                if (allow(req, HttpMethod.GET)) {
                    json(req, 200, status());
                }
            }
            case "/api/events" -> {
                if (allow(req, HttpMethod.GET)) {
                    json(req, 200, EventJson.entries(events.entries()));
                }
            }
            default -> routeAction(req, path);
        }
    }

    /** {@code /api/routes/{name}/revert} and {@code /resume}; anything else is a 404. */
    private void routeAction(HttpServerRequest req, String path) {
        if (path.startsWith(ROUTES_PREFIX)) {
            String rest = path.substring(ROUTES_PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash > 0 && rest.indexOf('/', slash + 1) < 0) {
                String name = rest.substring(0, slash);
                String action = rest.substring(slash + 1);
                if (action.equals("revert") || action.equals("resume")) {
                    if (allow(req, HttpMethod.POST) && authorized(req)) {
                        control(req, name, action);
                    }
                    return;
                }
            }
        }
        error(req, 404, "not_found", null, "no admin endpoint " + req.method() + " " + clip(path)
                + " (expected: GET /metrics, /health/live, /health/ready, /api/status, /api/events;"
                + " POST /api/routes/{name}/revert or /resume)");
    }

    private void control(HttpServerRequest req, String name, String action) {
        LiveRoute route = snapshot.get().route(name);
        if (route == null) {
            unknownRoute(req, name);
            return;
        }
        Future<Boolean> result;
        try {
            RouteControl c = control;
            result = action.equals("revert") ? c.revert(name, "manual") : c.resume(name);
        } catch (RuntimeException e) {
            result = Future.failedFuture(e);
        }
        result.onComplete(ar -> {
            if (ar.succeeded()) {
                json(req, 200, new JsonObject()
                        .put("route", name)
                        .put("changed", ar.result())
                        .put("configuredWeight", route.config().weight().toString())
                        .put("effectiveWeight", new Percent(route.effectiveWeightBasisPoints()).toString())
                        .mergeIn(GuardJson.status(statusSource.guardStatus(route))));
            } else if (ar.cause() instanceof UnknownRouteException) {
                unknownRoute(req, name);
            } else {
                log.warn("route={} {} failed: {}", name, action, String.valueOf(ar.cause()));
                error(req, 500, "internal_error", name, action + " failed: " + ar.cause().getMessage());
            }
        });
    }

    private void unknownRoute(HttpServerRequest req, String name) {
        error(req, 404, "unknown_route", clip(name), "no route named \"" + clip(name) + "\" (configured: "
                + String.join(", ", snapshot.get().routes().stream().map(LiveRoute::name).toList()) + ")");
    }

    /** Bearer token check, constant-time; answers 403 when no token is configured, 401 when it does not match. */
    private boolean authorized(HttpServerRequest req) {
        Optional<String> token = snapshot.get().config().admin().token();
        if (token.isEmpty()) {
            error(req, 403, "admin_token_not_configured", null, "POST endpoints are disabled until an admin token"
                    + " is configured: set ramp.admin.token, e.g. token = ${?RAMP_ADMIN_TOKEN} in the config and"
                    + " RAMP_ADMIN_TOKEN in the environment, then send Authorization: Bearer <token>");
            return false;
        }
        String header = req.getHeader(HttpHeaders.AUTHORIZATION);
        String given = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? header.substring(7).trim() : null;
        if (given == null || !sameSecret(token.get(), given)) {
            req.response().putHeader("WWW-Authenticate", "Bearer realm=\"ramp-admin\"");
            error(req, 401, "unauthorized", null, given == null
                    ? "missing Authorization: Bearer <token> (the value of ramp.admin.token)"
                    : "wrong bearer token");
            return false;
        }
        return true;
    }

    /** Compares digests so neither the content nor the length of the token leaks through timing. */
    static boolean sameSecret(String expected, String given) {
        try {
            MessageDigest a = MessageDigest.getInstance("SHA-256");
            MessageDigest b = MessageDigest.getInstance("SHA-256");
            return MessageDigest.isEqual(a.digest(expected.getBytes(StandardCharsets.UTF_8)),
                    b.digest(given.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required on every JVM", e);
        }
    }

    private void scrape(HttpServerRequest req) {
        vertx.executeBlocking(metrics::scrape, false).onComplete(ar -> {
            HttpServerResponse res = req.response();
            if (res.ended() || res.closed()) {
                return;
            }
            if (ar.failed()) {
                log.warn("metrics scrape failed: {}", String.valueOf(ar.cause()));
                error(req, 500, "internal_error", null, "scrape failed: " + ar.cause().getMessage());
                return;
            }
            Buffer body = Buffer.buffer(ar.result(), "UTF-8");
            res.setStatusCode(200)
                    .putHeader(HttpHeaders.CONTENT_TYPE, METRICS_CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(body);
        });
    }

    /** The {@code GET /api/status} body of DESIGN.md. */
    JsonObject status() {
        RoutingSnapshot snap = snapshot.get();
        ConfigState.View c = configState.current();
        JsonObject config = new JsonObject()
                .put("file", c.file() == null ? null : c.file().toString())
                .put("loadedAt", c.loadedAt() == null ? null : c.loadedAt().toString())
                .put("lastError", c.lastError());
        JsonArray routes = new JsonArray();
        RouteStatusSource source = statusSource;
        for (LiveRoute r : snap.routes()) {
            JsonObject guard = GuardJson.status(source.guardStatus(r));
            routes.add(new JsonObject()
                    .put("name", r.name())
                    .put("configuredWeight", r.config().weight().toString())
                    .put("effectiveWeight", new Percent(r.effectiveWeightBasisPoints()).toString())
                    .put("state", guard.getValue("state"))
                    .put("stable", upstream(r.config().stable()))
                    .put("canary", upstream(r.config().canary()))
                    .put("latch", guard.getValue("latch"))
                    .put("window", guard.getValue("window")));
        }
        return new JsonObject().put("config", config).put("routes", routes);
    }

    private static JsonObject upstream(Upstream u) {
        return new JsonObject().put("url", u.url().toString()).put("version", u.version());
    }

    /** True if the method is {@code expected}; otherwise answers 405 with {@code Allow}. */
    private static boolean allow(HttpServerRequest req, HttpMethod expected) {
        if (req.method().equals(expected)) {
            return true;
        }
        req.response().putHeader(HttpHeaders.ALLOW, expected.name());
        error(req, 405, "method_not_allowed", null, req.method() + " " + clip(req.path()) + " (expected: "
                + expected.name() + ")");
        return false;
    }

    private static Future<Void> error(HttpServerRequest req, int status, String code, String route, String message) {
        JsonObject body = new JsonObject().put("error", code);
        if (route != null) {
            body.put("route", route);
        }
        return json(req, status, body.put("message", message));
    }

    private static Future<Void> json(HttpServerRequest req, int status, Object body) {
        HttpServerResponse res = req.response();
        if (res.headWritten() || res.ended() || res.closed()) {
            return null;
        }
        Buffer b = body instanceof JsonArray a ? a.toBuffer() : ((JsonObject) body).toBuffer();
        return res.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(b);
    }

    /** Echoed request text is bounded, so a long path cannot blow up an error body or a log line. */
    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    /** Wires an {@link AdminServer}; every part is required. */
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
