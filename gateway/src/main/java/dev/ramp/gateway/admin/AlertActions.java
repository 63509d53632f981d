package dev.ramp.gateway.admin;

import static dev.ramp.gateway.admin.AdminResponses.error;
import static dev.ramp.gateway.admin.AdminResponses.json;

import dev.ramp.gateway.events.AlertUnmatched;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/alerts}: Alertmanager's webhook (payload version 4) behind the admin bearer token. Each
 * firing alert whose {@code route} label names a configured route reverts it through {@link RouteControl}
 * (reason {@code alert:<alertname>}, labels and annotations in the latch); resolved alerts change nothing;
 * a firing alert naming no route is an {@code alert_unmatched} event and a line of the answer, not an error.
 *
 * <p>The body is checked whole before any alert is acted on: a malformed one is a 400 naming the problem,
 * and nothing changes. A repeat of an alert whose route is still reverted changes nothing either, so
 * Alertmanager's repeats make one revert and one event. A revert that fails is a 500, which Alertmanager
 * retries.
 */
final class AlertActions {
    private static final Logger log = LoggerFactory.getLogger(AlertActions.class);

    private final Supplier<RoutingSnapshot> snapshot;
    private final RouteControl control;
    private final EventLog events;
    private final RouteActions auth;

    AlertActions(Supplier<RoutingSnapshot> snapshot, RouteControl control, EventLog events, RouteActions auth) {
        this.snapshot = snapshot;
        this.control = control;
        this.events = events;
        this.auth = auth;
    }

    void receive(RoutingContext ctx) {
        if (!auth.authorized(ctx)) {
            return;
        }
        List<AlertPayload.Alert> alerts;
        try {
            alerts = AlertPayload.parse(ctx.body().asString());
        } catch (IllegalArgumentException e) {
            log.warn("POST /api/alerts refused: {}", e.getMessage());
            error(ctx, 400, "bad_alert_payload", null, e.getMessage());
            return;
        }
        List<Future<JsonObject>> results = new ArrayList<>(alerts.size());
        for (AlertPayload.Alert alert : alerts) {
            results.add(act(alert));
        }
        Future.join(results).onComplete(ar -> {
            JsonArray lines = new JsonArray();
            int reverted = 0;
            boolean failed = false;
            for (Future<JsonObject> f : results) {
                JsonObject line = f.succeeded() ? f.result() : new JsonObject().put("result", "failed")
                        .put("message", String.valueOf(f.cause().getMessage()));
                reverted += "reverted".equals(line.getString("result")) ? 1 : 0;
                failed |= "failed".equals(line.getString("result"));
                lines.add(line);
            }
            json(ctx, failed ? 500 : 200, new JsonObject().put("received", alerts.size()).put("reverted", reverted)
                    .put("alerts", lines));
        });
    }

    /** What one alert did: {@code {"alertname", "status", "route", "result"}}. */
    private Future<JsonObject> act(AlertPayload.Alert alert) {
        String name = alert.cause().name();
        JsonObject line = new JsonObject().put("alertname", name).put("status", alert.firing() ? "firing" : "resolved")
                .put("route", alert.route());
        if (!alert.firing()) {
            // A resolved alert lifts nothing: a person or a new canary version does.
            return Future.succeededFuture(line.put("result", "resolved_ignored"));
        }
        if (alert.route() == null || snapshot.get().route(alert.route()) == null) {
            return Future.succeededFuture(unmatched(alert, line));
        }
        Future<Boolean> done;
        try {
            done = control.revertForAlert(alert.route(), alert.cause());
        } catch (RuntimeException e) {
            done = Future.failedFuture(e);
        }
        return done.map(changed -> line.put("result", changed ? "reverted" : "already_reverted"))
                .recover(e -> {
                    if (e instanceof UnknownRouteException) {
                        return Future.succeededFuture(unmatched(alert, line)); // removed by a reload meanwhile
                    }
                    log.warn("route={} revert for alert {} failed: {}", alert.route(), name, String.valueOf(e));
                    return Future.succeededFuture(line.put("result", "failed").put("message", String.valueOf(e.getMessage())));
                });
    }

    private JsonObject unmatched(AlertPayload.Alert alert, JsonObject line) {
        events.record(new AlertUnmatched(alert.cause(), alert.route()));
        log.warn("alert {} {}: nothing reverted", alert.cause().name(), alert.route() == null
                ? "has no route label" : "names route " + AdminResponses.clip(alert.route()) + ", which is not configured");
        return line.put("result", alert.route() == null ? "no_route_label" : "unknown_route");
    }
}
