package dev.ramp.gateway.admin;

import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.mirror.HeaderSnapshot;
import dev.ramp.gateway.proxy.mirror.MirrorDiff;
import dev.ramp.gateway.proxy.mirror.MirrorResult;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import dev.ramp.gateway.proxy.mirror.MirrorVerdict;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * {@code GET /api/routes/{name}/mirror/diffs}: the route's dark-launch counts and its latest differing pairs
 * (request line, both statuses, the first bytes of both bodies, the response headers that differed; never a
 * request header, nor the value of a secret-looking one), newest first. Read-only, so
 * no token. Also renders the {@code mirror} part of a route's {@code /api/status} entry ({@link #counts}).
 */
final class MirrorHandler {
    private final Supplier<RoutingSnapshot> snapshot;

    MirrorHandler(Supplier<RoutingSnapshot> snapshot) {
        this.snapshot = snapshot;
    }

    void diffs(RoutingContext ctx) {
        String name = ctx.pathParam("name");
        LiveRoute route = snapshot.get().route(name);
        if (route == null) {
            AdminResponses.error(ctx, 404, "unknown_route", AdminResponses.clip(name), "no route named "
                    + AdminResponses.clip(name));
            return;
        }
        MirrorStats stats = route.mirror();
        JsonArray diffs = new JsonArray();
        if (stats != null) {
            for (MirrorDiff d : stats.diffs()) {
                diffs.add(new JsonObject()
                        .put("at", d.at().toString())
                        .put("result", d.result().tag())
                        .put("method", d.method())
                        .put("uri", d.uri())
                        .put("stableStatus", d.stableStatus())
                        .put("canaryStatus", d.canaryStatus())
                        .put("stableBody", d.stableBody())
                        .put("canaryBody", d.canaryBody())
                        .put("headers", headers(d)));
            }
        }
        AdminResponses.json(ctx, 200, new JsonObject()
                .put("route", route.name())
                .put("mirror", counts(route))
                .put("diffs", diffs));
    }

    /** The differing response headers: name and both values, or name only (redacted) for secret-looking ones. */
    private static JsonArray headers(MirrorDiff d) {
        JsonArray out = new JsonArray();
        for (HeaderSnapshot.HeaderDiff h : d.headers()) {
            JsonObject o = new JsonObject().put("name", h.name());
            if (h.redacted()) {
                o.put("redacted", true);
            } else {
                o.put("stable", h.stable()).put("canary", h.canary());
            }
            out.add(o);
        }
        return out;
    }

    /** The route's dark-launch counts and verdict, or null when it mirrors nothing. */
    static JsonObject counts(LiveRoute route) {
        MirrorStats s = route.mirror();
        if (s == null) {
            return null;
        }
        return new JsonObject()
                .put("percent", route.config().mirror().percent().toString())
                .put("match", s.count(MirrorResult.MATCH))
                .put("statusDiff", s.count(MirrorResult.STATUS_DIFF))
                .put("bodyDiff", s.count(MirrorResult.BODY_DIFF))
                .put("headerDiff", s.count(MirrorResult.HEADER_DIFF))
                .put("error", s.count(MirrorResult.ERROR))
                .put("dropped", s.count(MirrorResult.DROPPED))
                .put("inFlight", s.inFlight())
                .put("verdict", verdict(s.verdict(route.config().mirror().verdict())));
    }

    private static JsonObject verdict(MirrorVerdict v) {
        return new JsonObject()
                .put("state", v.state().tag())
                .put("compared", v.compared())
                .put("mismatched", v.mismatched())
                .put("mismatchRatio", v.mismatchRatio())
                .put("stableP99Ms", v.stableP99Ms())
                .put("canaryP99Ms", v.canaryP99Ms())
                .put("latencyRatio", v.latencyRatio())
                .put("reason", v.reason());
    }
}
