package dev.ramp.gateway.admin;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link RouteControl#flagOnly}: the kill switch as a flag on the live route, without latches. */
final class FlagOnlyRouteControl implements RouteControl {
    private static final Logger log = LoggerFactory.getLogger(FlagOnlyRouteControl.class);

    private final Supplier<RoutingSnapshot> snapshot;
    private final RampMetrics metrics;
    private final EventLog events;

    FlagOnlyRouteControl(Supplier<RoutingSnapshot> snapshot, RampMetrics metrics, EventLog events) {
        this.snapshot = snapshot;
        this.metrics = metrics;
        this.events = events;
    }

    @Override
    public Future<JsonObject> revert(String name, String reason) {
        LiveRoute route = snapshot.get().route(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        boolean changed;
        synchronized (route) {
            changed = !route.reverted();
            route.reverted(true);
        }
        if (changed) {
            metrics.revert(name, reason);
            events.record(EventLog.REVERT, name, "canary " + route.config().canary().version()
                    + " taken out of traffic (" + reason + ")", new JsonObject().put("reason", reason)
                    .put("configuredWeight", route.config().weight().toString()));
            log.warn("route={} version={} reverted: reason={}", name, route.config().canary().version(), reason);
        }
        return Future.succeededFuture(result(route, changed));
    }

    @Override
    public Future<JsonObject> resume(String name) {
        LiveRoute route = snapshot.get().route(name);
        if (route == null) {
            return Future.failedFuture(new UnknownRouteException(name));
        }
        boolean changed;
        synchronized (route) {
            changed = route.reverted();
            route.reverted(false);
        }
        if (changed) {
            events.record(EventLog.RESUME, name, "canary " + route.config().canary().version()
                    + " back at " + route.config().weight(), new JsonObject()
                    .put("configuredWeight", route.config().weight().toString()));
            log.info("route={} version={} resumed at weight {}", name, route.config().canary().version(),
                    route.config().weight());
        }
        return Future.succeededFuture(result(route, changed));
    }

    private static JsonObject result(LiveRoute route, boolean changed) {
        return new JsonObject()
                .put("route", route.name())
                .put("state", route.reverted() ? "reverted" : "healthy")
                .put("configuredWeight", route.config().weight().toString())
                .put("effectiveWeight", new Percent(route.effectiveWeightBasisPoints()).toString())
                .put("changed", changed);
    }
}
