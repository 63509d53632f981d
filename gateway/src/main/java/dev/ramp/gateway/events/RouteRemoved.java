package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * A reload removed a route. Its latch file, if any, stays: re-adding the same canary keeps it reverted.
 *
 * @param route the route
 */
public record RouteRemoved(String route) implements EventLog.Event {
    static final String TYPE = "route_removed";

    public RouteRemoved {
        requireNonNull(route, "route");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "route removed";
    }
}
