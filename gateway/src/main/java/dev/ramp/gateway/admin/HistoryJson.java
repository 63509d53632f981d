package dev.ramp.gateway.admin;

import dev.ramp.gateway.metrics.History;
import dev.ramp.gateway.metrics.RouteHistory;
import dev.ramp.gateway.routing.Version;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON of the dashboard's history (docs/admin-api.md): a route's last 15 minutes for
 * {@code GET /api/routes/:name/history}, and each active route's newest second in the stream's snapshots.
 * A latency of a second without attempts is {@code null}.
 */
final class HistoryJson {
    private HistoryJson() {}

    /**
     * {@code {"route", "end", "seconds", "stable": {"requests", "errors", "p50Ms", "p99Ms"}, "canary": {...}}},
     * each an array oldest first whose last element is the second {@code end} (epoch seconds; null before the
     * route's first attempt).
     */
    static JsonObject route(RouteHistory h) {
        JsonObject out = new JsonObject().put("route", h.route()).put("seconds", RouteHistory.SECONDS);
        Long end = null;
        for (Version v : Version.values()) {
            RouteHistory.Points p = h.points(v);
            if (p.size() > 0) {
                end = p.end();
            }
            JsonArray r = new JsonArray();
            JsonArray e = new JsonArray();
            JsonArray p50 = new JsonArray();
            JsonArray p99 = new JsonArray();
            for (int i = 0; i < p.size(); i++) {
                r.add(p.requests()[i]);
                e.add(p.errors()[i]);
                p50.add(ms(p.p50Ms()[i]));
                p99.add(ms(p.p99Ms()[i]));
            }
            out.put(v.tag(), new JsonObject().put("requests", r).put("errors", e).put("p50Ms", p50).put("p99Ms", p99));
        }
        return out.put("end", end);
    }

    /** {@code {"<route>": {"t", "stable": [requests, errors, p50Ms, p99Ms], "canary": [...]}}} for active routes. */
    static JsonObject latest(History history) {
        JsonObject out = new JsonObject();
        for (RouteHistory h : history.all()) {
            if (!h.active()) {
                continue;
            }
            RouteHistory.Point s = h.latest(Version.STABLE);
            RouteHistory.Point c = h.latest(Version.CANARY);
            if (s == null || c == null) {
                continue;
            }
            out.put(h.route(), new JsonObject().put("t", s.second()).put("stable", point(s)).put("canary", point(c)));
        }
        return out;
    }

    private static JsonArray point(RouteHistory.Point p) {
        return new JsonArray().add(p.requests()).add(p.errors()).add(ms(p.p50Ms())).add(ms(p.p99Ms()));
    }

    private static Double ms(float v) {
        return Float.isNaN(v) ? null : Math.round(v * 1000.0) / 1000.0;
    }
}
