package dev.ramp.gateway.cluster;

import dev.ramp.gateway.state.LatchJson;
import dev.ramp.gateway.state.RouteRecord;
import dev.ramp.gateway.state.Stamp;
import io.vertx.core.json.JsonObject;

/**
 * A {@link RouteRecord} as stored in Redis: {@code {"route", "stamp", "state": "reverted" | "resumed",
 * "canaryUrl", "canaryVersion", "latch"}}, the latch in its file shape ({@link LatchJson}). Unknown fields
 * are ignored, so replicas of a newer version can add some.
 */
final class RecordJson {
    private RecordJson() {}

    static JsonObject toJson(RouteRecord r) {
        JsonObject json = new JsonObject()
                .put("route", r.route())
                .put("stamp", r.stamp().key())
                .put("state", r.reverted() ? "reverted" : "resumed")
                .put("canaryUrl", r.canaryUrl())
                .put("canaryVersion", r.canaryVersion());
        if (r.latch() != null) {
            json.put("latch", LatchJson.toJson(r.latch()));
        }
        return json;
    }

    /**
     * The record {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException (or ClassCastException) naming what is wrong
     */
    static RouteRecord fromJson(JsonObject json) {
        Stamp stamp = Stamp.parse(json.getString("stamp"));
        String state = json.getString("state");
        if ("reverted".equals(state)) {
            JsonObject latch = json.getJsonObject("latch");
            if (latch == null) {
                throw new IllegalArgumentException("latch: missing (expected: an object when reverted)");
            }
            return RouteRecord.reverted(LatchJson.fromJson(latch), stamp);
        }
        if ("resumed".equals(state)) {
            return RouteRecord.resumed(json.getString("route"), json.getString("canaryUrl"),
                    json.getString("canaryVersion"), stamp);
        }
        throw new IllegalArgumentException("state: " + state + " (expected: \"reverted\" or \"resumed\")");
    }
}
