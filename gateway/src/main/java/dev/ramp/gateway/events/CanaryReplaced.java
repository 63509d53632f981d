package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * A reload brought a new canary (url or version) to a reverted route, which lifts the revert.
 *
 * @param route the route
 * @param wasVersion the reverted canary's version, {@code "unknown"} if its latch was unreadable
 * @param canaryVersion the new canary's version
 * @param canaryUrl the new canary's url
 */
public record CanaryReplaced(String route, String wasVersion, String canaryVersion, String canaryUrl)
        implements EventLog.Event {

    public CanaryReplaced {
        requireNonNull(route, "route");
        requireNonNull(wasVersion, "wasVersion");
        requireNonNull(canaryVersion, "canaryVersion");
        requireNonNull(canaryUrl, "canaryUrl");
    }

    @Override
    public String type() {
        return Resumed.TYPE;
    }

    @Override
    public String message() {
        return "new canary " + canaryVersion + " at " + canaryUrl + " lifts the revert of " + wasVersion;
    }
}
