package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.config.Percent;

/**
 * A reload added a route.
 *
 * @param route the route
 * @param weight its configured canary weight
 */
public record RouteAdded(String route, Percent weight) implements EventLog.Event {
    static final String TYPE = "route_added";

    public RouteAdded {
        requireNonNull(route, "route");
        requireNonNull(weight, "weight");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "route added at canary weight " + weight;
    }
}
