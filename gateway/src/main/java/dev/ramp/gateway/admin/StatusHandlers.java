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

    StatusHandlers(Supplier<RoutingSnapshot> snapshot, ConfigState configState, RouteStatusSource statusSource,
                   EventLog events, Supplier<TlsStatus> tls) {
        this.tls = tls;
        this.snapshot = snapshot;
        this.configState = configState;
        this.statusSource = statusSource;
        this.events = events;
    }

    void status(RoutingContext ctx) {
        json(ctx, 200, status());
    }

    void events(RoutingContext ctx) {
        json(ctx, 200, EventJson.entries(events.entries()));
    }

    /** {@code {"config": {"file", "loadedAt", "lastError"}, "tls": {...} or null, "routes": [...]}}. */
    JsonObject status() {
        RoutingSnapshot snap = snapshot.get();
        ConfigState.View c = configState.current();
        JsonObject config = new JsonObject()
                .put("file", c.file() == null ? null : c.file().toString())
                .put("loadedAt", c.loadedAt() == null ? null : c.loadedAt().toString())
                .put("lastError", c.lastError());
        JsonArray routes = new JsonArray();
        for (LiveRoute r : snap.routes()) {
            JsonObject guard = GuardJson.status(statusSource.guardStatus(r));
            routes.add(new JsonObject()
                    .put("name", r.name())
                    .put("configuredWeight", r.config().weight().toString())
                    .put("effectiveWeight", effectiveWeight(r))
                    .put("state", guard.getValue("state"))
                    .put("stable", upstream(r.config().stable()))
                    .put("canary", upstream(r.config().canary()))
                    .put("latch", guard.getValue("latch"))
                    .put("window", guard.getValue("window"))
                    .put("guard", guard.getValue("guard"))); // null while the route's guard is disabled
        }
        return new JsonObject().put("config", config).put("tls", tls(tls.get())).put("routes", routes);
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
                .mergeIn(GuardJson.status(statusSource.guardStatus(route)));
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
        return new JsonObject().put("url", u.url().toString()).put("version", u.version());
    }
}
