package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.config.Percent;
import dev.ramp.gateway.state.LatchHold;

/**
 * An operator put a reverted canary back at its configured weight.
 *
 * @param route the route
 * @param canaryVersion the canary resumed
 * @param weight the configured weight it resumed at
 * @param was what held the route reverted, or null if nothing was known to
 */
public record Resumed(String route, String canaryVersion, Percent weight, LatchHold was) implements EventLog.Event {
    static final String TYPE = "resume";

    public Resumed {
        requireNonNull(route, "route");
        requireNonNull(canaryVersion, "canaryVersion");
        requireNonNull(weight, "weight");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "canary " + canaryVersion + " resumed at " + weight + " by an operator";
    }
}
