package dev.ramp.gateway.admin;

import dev.ramp.gateway.proxy.LiveRoute;
import io.vertx.core.json.JsonObject;

/**
 * Supplies the guard's view of a route for {@code GET /api/status}: {@code {"state", "latch", "window"}}
 * with the shapes of DESIGN.md's Admin API. The guard implements it from its sliding windows and latches,
 * so the status shows the very numbers the guard judges on. Called on an event loop: must not block.
 */
@FunctionalInterface
public interface RouteStatusSource {

    /** {@code {"state": "...", "latch": {...} or null, "window": {"stable": {...}, "canary": {...}}}}. */
    JsonObject guardStatus(LiveRoute route);


    /** A window with no requests: {@code {"requests": 0, "errorRate": null, "p50Ms": null, ...}}. */
    static JsonObject emptyWindow() {
        return new JsonObject()
                .put("requests", 0)
                .putNull("errorRate")
                .putNull("p50Ms")
                .putNull("p95Ms")
                .putNull("p99Ms");
    }
}
