package dev.ramp.gateway;

import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.control.GuardService;
import dev.ramp.gateway.metrics.History;
import dev.ramp.gateway.metrics.MirrorMeters;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.AccessLog;
import dev.ramp.gateway.proxy.CanaryBreakers;
import dev.ramp.gateway.proxy.LiveRoute;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.proxy.RouteState;
import dev.ramp.gateway.proxy.RoutingSnapshot;
import dev.ramp.gateway.proxy.mirror.MirrorStats;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds the routing snapshot of a config (at start and on every reload): each route's live state carried
 * over from the previous snapshot, its canary breaker kept while its canary is unchanged, and its observer
 * made from the metrics, the guard, the dashboard's history and any extra observer (tests); the access log, when
 * on, rides along. A route whose config and observers are unchanged keeps its {@link LiveRoute} object whole, so a
 * reload costs little for the routes it does not touch. Builds run one at a time. See docs/architecture.md.
 */
final class SnapshotBuilder {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SnapshotBuilder.class);

    private final RampMetrics metrics;
    private final GuardService guards;
    private final RouteObserver.Factory extra;
    private final History history;
    private final AccessLog accessLog;
    /** Each route's observers in the last snapshot built, by name: a route whose are the same may be kept whole. */
    private Map<String, List<RouteObserver>> lastParts = Map.of();

    /**
     * @param history the dashboard's per-second history, one of each route's observers
     * @param accessLog where answered requests are logged; null when the access log is off
     */
    SnapshotBuilder(RampMetrics metrics, GuardService guards, RouteObserver.Factory extra, History history,
                    AccessLog accessLog) {
        this.metrics = metrics;
        this.guards = guards;
        this.extra = extra;
        this.history = history;
        this.accessLog = accessLog;
    }

    /** @param previous the routes of the snapshot being replaced, by name (empty at start) */
    RoutingSnapshot build(GatewayConfig config, Map<String, LiveRoute> previous) {
        Map<String, RouteState> states = new HashMap<>();
        for (RouteConfig rc : config.routes()) {
            LiveRoute old = previous.get(rc.name());
            // The state object moves to the new snapshot: a revert landing during a reload is never lost.
            states.put(rc.name(), old != null ? old.state() : new RouteState());
        }
        Map<String, ? extends RouteObserver> measured = metrics.bind(config.routes(), states);
        List<LiveRoute> routes = new ArrayList<>();
        Map<String, List<RouteObserver>> parts = new HashMap<>();
        int kept = 0;
        for (RouteConfig rc : config.routes()) {
            LiveRoute old = previous.get(rc.name());
            List<RouteObserver> observers = List.of(measured.get(rc.name()), guards.observerFor(rc.name()),
                    history.forRoute(rc.name()), extra.forRoute(rc));
            parts.put(rc.name(), observers);
            MirrorStats mirror = mirrorStats(rc, old);
            if (old != null && unchanged(old, rc, observers, mirror)) {
                routes.add(old); // nothing about it changed: a reload touches only the routes it changes
                kept++;
                continue;
            }
            routes.add(new LiveRoute(rc, CanaryBreakers.forRoute(rc, old), states.get(rc.name()),
                    RouteObserver.all(observers), mirror));
        }
        lastParts = parts;
        history.retain(states.keySet());
        if (!previous.isEmpty()) {
            log.debug("snapshot: {} of {} routes kept as they were", kept, routes.size());
        }
        previous.forEach((name, old) -> {
            if (old.mirror() != null && config.route(name).map(RouteConfig::mirror).isEmpty()) {
                MirrorMeters.unbind(metrics.registry(), name, old.mirror()); // a mirror added again starts afresh
            }
        });
        RouteObserver unrouted = RouteObserver.all(List.of(metrics.unrouted(), extra.forRoute(null)));
        return new RoutingSnapshot(config, routes, unrouted, accessLog);
    }

    /**
     * Whether {@code old} can serve as the route {@code rc} in the new snapshot: the same config (so the same
     * breaker slot, rules and upstream keys), the same observers and the same mirror counts.
     */
    private boolean unchanged(LiveRoute old, RouteConfig rc, List<RouteObserver> observers, MirrorStats mirror) {
        List<RouteObserver> before = lastParts.get(rc.name());
        if (before == null || old.mirror() != mirror || !old.config().equals(rc)) {
            return false;
        }
        for (int i = 0; i < observers.size(); i++) {
            if (before.get(i) != observers.get(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A mirroring route's counts, carried over from its previous snapshot so they survive reloads; its verdict's
     * windows start again with a new canary.
     */
    private MirrorStats mirrorStats(RouteConfig rc, LiveRoute old) {
        if (rc.mirror() == null) {
            return null;
        }
        MirrorStats stats = old != null && old.mirror() != null ? old.mirror() : new MirrorStats();
        stats.use(rc.mirror().verdict().window(), rc.canary().url() + " " + rc.canary().version());
        MirrorMeters.bind(metrics.registry(), rc, stats);
        return stats;
    }
}
