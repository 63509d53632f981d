package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.config.Percent;

/**
 * A reload changed a route's configured canary weight.
 *
 * @param route the route
 * @param from the weight before
 * @param to the weight now
 * @param reverted whether the route is reverted, so that its effective weight stays 0 %
 */
public record WeightChanged(String route, Percent from, Percent to, boolean reverted) implements EventLog.Event {
    static final String TYPE = "weight_change";

    public WeightChanged {
        requireNonNull(route, "route");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "canary weight " + from + " -> " + to + (reverted ? " (route is reverted: effective weight stays 0%)" : "");
    }
}
