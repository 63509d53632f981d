package dev.ramp.gateway.metrics;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Every configured route's {@link RouteHistory} (the dashboard's last 15 minutes), by name. A route keeps its
 * history across reloads while it stays configured; {@link #retain} forgets removed routes. {@link #tick} closes
 * a second for every route that has had traffic; idle routes cost one small object each.
 */
public final class History {
    private final ConcurrentMap<String, RouteHistory> routes = new ConcurrentHashMap<>();

    /** The history of {@code route}, made on first ask; it is that route's observer in each snapshot. */
    public RouteHistory forRoute(String route) {
        return routes.computeIfAbsent(route, RouteHistory::new);
    }

    /** The history of a configured route, or null. */
    public RouteHistory route(String route) {
        return routes.get(route);
    }

    /** Forgets the routes not named in {@code configured} (after a reload removed them). */
    public void retain(Set<String> configured) {
        routes.keySet().retainAll(configured);
    }

    /** Closes the second before {@code epochSecond} for every route with traffic (one thread calls this). */
    public void tick(long epochSecond) {
        for (RouteHistory h : routes.values()) {
            h.tick(epochSecond);
        }
    }

    /** All routes' histories, in no order. */
    public Collection<RouteHistory> all() {
        return routes.values();
    }
}
