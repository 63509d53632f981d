package dev.ramp.gateway.admin;

import static dev.ramp.gateway.admin.AdminResponses.json;

import dev.ramp.gateway.config.ConfigState;
import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.netty.TlsStatus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /api/status} and {@code GET /api/events}, in the shapes of docs/admin-api.md. The per-route
 * part of the status is also the body of the kill switch's answers ({@link #route(LiveRoute, boolean)}).
 */
final class StatusHandlers {
    private final Supplier<RoutingSnapshot> snapshot;
    private final ConfigState configState;
    private final RouteStatusSource statusSource;
    private final EventLog events;
    private final Supplier<TlsStatus> tls;
    private final Supplier<JsonObject> cluster;

    StatusHandlers(Supplier<RoutingSnapshot> snapshot, ConfigState configState, RouteStatusSource statusSource,
                   EventLog events, Supplier<TlsStatus> tls, Supplier<JsonObject> cluster) {
        this.cluster = cluster;
        this.tls = tls;
        this.snapshot = snapshot;
        this.configState = configState;
        this.statusSource = statusSource;
        this.events = events;
    }

    /** The largest page of routes one status answer holds when {@code limit} asks for paging. */
    static final int MAX_LIMIT = 1000;

    /**
     * {@code GET /api/status}, all routes, or those {@code ?route=NAME} (one, 404 if unknown) or
     * {@code ?prefix=P} names, paged by {@code ?offset=N&limit=M} (file order); with 10 000 routes the whole
     * answer is megabytes, a route's is a kilobyte.
     */
    void status(RoutingContext ctx) {
        String route = ctx.request().getParam("route");
        String prefix = ctx.request().getParam("prefix");
        Integer offset = count(ctx, "offset", 0, Integer.MAX_VALUE);
        Integer limit = count(ctx, "limit", 1, MAX_LIMIT);
        if (offset == null || limit == null) {
            return;
        }
        if (route != null && prefix != null) {
            AdminResponses.error(ctx, 400, "bad_request", null, "route and prefix together (expected: one of them)");
            return;
        }
        RoutingSnapshot snap = snapshot.get();
        if (route != null && snap.route(route) == null) {
            AdminResponses.error(ctx, 404, "unknown_route", AdminResponses.clip(route), "no route named "
                    + AdminResponses.clip(route));
            return;
        }
        json(ctx, 200, status(snap, route, prefix, offset, limit == -1 ? Integer.MAX_VALUE : limit));
    }

    /** A whole-number query parameter in {@code [min, max]}; -1 when absent (0 for offset); null after a 400. */
    private static Integer count(RoutingContext ctx, String name, int min, int max) {
        String v = ctx.request().getParam(name);
        if (v == null) {
            return name.equals("offset") ? 0 : -1;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        AdminResponses.error(ctx, 400, "bad_request", null, name + "=" + AdminResponses.clip(v)
                + " (expected: a whole number " + min + ".." + max + ")");
        return null;
    }

    void events(RoutingContext ctx) {
        json(ctx, 200, EventJson.entries(events.entries()));
    }

    /** {@code {"config": {"file", "loadedAt", "lastError"}, "tls": {...} or null, "routes": [...]}}. */
    JsonObject status() {
        return status(snapshot.get(), null, null, 0, Integer.MAX_VALUE);
    }

    /**
     * The status with the routes named {@code route}, or whose names start with {@code prefix} (null: all),
     * from the {@code offset}-th of them, at most {@code limit}; {@code "total"} counts all that matched.
     */
    private JsonObject status(RoutingSnapshot snap, String route, String prefix, int offset, int limit) {
        ConfigState.View c = configState.current();
        JsonObject config = new JsonObject()
                .put("file", c.file() == null ? null : c.file().toString())
                .put("loadedAt", c.loadedAt() == null ? null : c.loadedAt().toString())
                .put("lastError", c.lastError());
        JsonArray routes = new JsonArray();
        int matched = 0;
        for (LiveRoute r : snap.routes()) {
            if (route != null && !r.name().equals(route) || prefix != null && !r.name().startsWith(prefix)) {
                continue;
            }
            if (matched++ < offset || routes.size() >= limit) {
                continue;
            }
            JsonObject guard = GuardJson.status(statusSource.guardStatus(r));
            JsonObject entry = new JsonObject()
                    .put("name", r.name())
                    .put("configuredWeight", r.config().weight().toString())
                    .put("effectiveWeight", effectiveWeight(r))
                    .put("state", guard.getValue("state"))
                    .put("stable", upstream(r.config().stable()))
                    .put("canary", upstream(r.config().canary()))
                    .put("latch", guard.getValue("latch"))
                    .put("window", guard.getValue("window"))
                    .put("guard", guard.getValue("guard")) // null while the route's guard is disabled
                    .put("rollout", RolloutStatusJson.status(statusSource.rollout(r))); // null without a plan
            JsonObject mirror = MirrorHandler.counts(r);
            routes.add(mirror == null ? entry : entry.put("mirror", mirror)); // only on a route with a dark launch
        }
        JsonObject out = new JsonObject().put("config", config).put("tls", tls(tls.get()));
        JsonObject replicas = cluster.get();
        if (replicas != null) {
            out.put("cluster", replicas); // only with replicas: a single replica's status is unchanged
        }
        return out.put("total", matched).put("routes", routes);
    }

    /**
     * A revert's or resume's answer: {@code {"route", "changed", "configuredWeight", "effectiveWeight"}} and
     * the guard's view of the route after it.
     */
    JsonObject route(LiveRoute route, boolean changed) {
        return new JsonObject()
                .put("route", route.name())
                .put("changed", changed)
                .put("configuredWeight", route.config().weight().toString())
                .put("effectiveWeight", effectiveWeight(route))
                .mergeIn(GuardJson.status(statusSource.guardStatus(route)))
                .put("rollout", RolloutStatusJson.status(statusSource.rollout(route)));
    }

    /** {@code {"provider", "loadedAt", "lastError", "lastErrorAt", "certificates": [...]}}; null for plain HTTP. */
    private static JsonObject tls(TlsStatus t) {
        if (t == null) {
            return null;
        }
        JsonArray certificates = new JsonArray();
        for (TlsStatus.Certificate c : t.certificates()) {
            certificates.add(new JsonObject()
                    .put("hosts", new JsonArray(new java.util.ArrayList<>(c.hosts())))
                    .put("file", c.file().toString())
                    .put("subject", c.subject())
                    .put("serial", c.serial())
                    .put("notAfter", c.notAfter().toString()));
        }
        return new JsonObject()
                .put("provider", t.provider())
                .put("loadedAt", t.loadedAt().toString())
                .put("lastError", t.lastError())
                .put("lastErrorAt", t.lastErrorAt() == null ? null : t.lastErrorAt().toString())
                .put("certificates", certificates);
    }

    private static String effectiveWeight(LiveRoute r) {
        return new Percent(r.effectiveWeightBasisPoints()).toString();
    }

    private static JsonObject upstream(Upstream u) {
        JsonObject o = new JsonObject().put("url", u.url().toString()).put("version", u.version());
        if (u.ssl()) {
            o.put("tls", new JsonObject().put("serverName", u.serverName())
                    .put("caFile", u.tls().caFile() == null ? null : u.tls().caFile().toString())
                    .put("insecureSkipVerify", u.tls().insecureSkipVerify()));
        }
        return o;
    }
}
