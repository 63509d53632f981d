package dev.ramp.gateway.admin;

import dev.ramp.gateway.events.AlertUnmatched;
import dev.ramp.gateway.events.CanaryReplaced;
import dev.ramp.gateway.events.CertificatesRejected;
import dev.ramp.gateway.events.CertificatesReloaded;
import dev.ramp.gateway.events.ClusterConnected;
import dev.ramp.gateway.events.ClusterDisconnected;
import dev.ramp.gateway.events.ConfigRejected;
import dev.ramp.gateway.events.ConfigReloaded;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.events.LatchCorrupt;
import dev.ramp.gateway.events.LatchLifted;
import dev.ramp.gateway.events.LatchWriteFailed;
import dev.ramp.gateway.events.ReplicaChange;
import dev.ramp.gateway.events.Resumed;
import dev.ramp.gateway.events.Reverted;
import dev.ramp.gateway.events.RolloutEvent;
import dev.ramp.gateway.events.RouteAdded;
import dev.ramp.gateway.events.RouteRemoved;
import dev.ramp.gateway.events.UpstreamChanged;
import dev.ramp.gateway.events.WeightChanged;
import dev.ramp.gateway.state.LatchJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The JSON of {@code GET /api/events} (docs/admin-api.md): each event is {@code {"at", "type", "route",
 * "message", "details"}} with {@code at} in ISO-8601 UTC and {@code details} depending on the kind.
 */
public final class EventJson {

    private EventJson() {}

    /** The entries, in the order given (the log's: newest first). */
    public static JsonArray entries(List<EventLog.Entry> entries) {
        JsonArray out = new JsonArray();
        entries.forEach(e -> out.add(entry(e)));
        return out;
    }

    /** {@code {"at", "type", "route", "message", "details"}}. */
    public static JsonObject entry(EventLog.Entry entry) {
        EventLog.Event e = entry.event();
        return new JsonObject()
                .put("at", entry.at().toString())
                .put("type", e.type())
                .put("route", e.route())
                .put("message", e.message())
                .put("details", details(e));
    }

    /** The kind-specific part; an empty object for kinds that carry nothing beyond the message. */
    static JsonObject details(EventLog.Event e) {
        if (e instanceof Reverted r) {
            return LatchJson.toJson(r.latch());
        } else if (e instanceof Resumed r) {
            return new JsonObject().put("reason", "operator").put("was", r.was() == null ? null : GuardJson.hold(r.was()));
        } else if (e instanceof CanaryReplaced c) {
            return new JsonObject().put("reason", "new_canary").put("canaryVersion", c.canaryVersion())
                    .put("canaryUrl", c.canaryUrl());
        } else if (e instanceof LatchLifted) {
            return new JsonObject().put("reason", "new_canary");
        } else if (e instanceof LatchCorrupt c) {
            return new JsonObject().put("problem", c.problem());
        } else if (e instanceof LatchWriteFailed) {
            return new JsonObject();
        } else if (e instanceof ConfigReloaded c) {
            JsonObject data = new JsonObject().put("file", String.valueOf(c.file()));
            return c.recovered() ? data.put("recovered", true) : data;
        } else if (e instanceof ConfigRejected c) {
            return new JsonObject().put("error", c.error());
        } else if (e instanceof RouteAdded a) {
            return new JsonObject().put("weight", a.weight().toString());
        } else if (e instanceof RouteRemoved) {
            return new JsonObject();
        } else if (e instanceof WeightChanged w) {
            return new JsonObject().put("from", w.from().toString()).put("to", w.to().toString());
        } else if (e instanceof UpstreamChanged u) {
            return new JsonObject().put("role", u.role().tag()).put("fromVersion", u.from().version())
                    .put("toVersion", u.to().version());
        } else if (e instanceof CertificatesReloaded c) {
            return new JsonObject().put("certificates", new JsonArray(c.certificates()));
        } else if (e instanceof CertificatesRejected c) {
            return new JsonObject().put("error", c.error());
        } else if (e instanceof ClusterDisconnected c) {
            return new JsonObject().put("url", c.url()).put("error", c.error());
        } else if (e instanceof ClusterConnected c) {
            return new JsonObject().put("url", c.url()).put("downForMillis", c.downFor().toMillis());
        } else if (e instanceof ReplicaChange r) {
            return new JsonObject().put("replica", r.replica()).put("canaryVersion", r.canaryVersion())
                    .put("reason", r.reason());
        } else if (e instanceof RolloutEvent r) {
            return RolloutStatusJson.details(r);
        } else if (e instanceof AlertUnmatched a) {
            JsonObject labels = new JsonObject();
            a.alert().labels().forEach(labels::put);
            return new JsonObject().put("alertname", a.alert().name()).put("routeLabel", a.routeLabel())
                    .put("labels", labels);
        }
        throw new IllegalArgumentException("event: " + e + " (expected: a known kind)");
    }
}
