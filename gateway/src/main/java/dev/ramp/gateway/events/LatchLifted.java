package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * At start-up, a latch on disk named a canary the config no longer has, so it was deleted.
 *
 * @param route the route
 * @param latchVersion the canary version the latch held
 * @param latchUrl the canary url the latch held
 * @param canaryVersion the configured canary's version
 * @param canaryUrl the configured canary's url
 */
public record LatchLifted(String route, String latchVersion, String latchUrl, String canaryVersion,
                          String canaryUrl) implements EventLog.Event {

    public LatchLifted {
        requireNonNull(route, "route");
        requireNonNull(latchVersion, "latchVersion");
        requireNonNull(latchUrl, "latchUrl");
        requireNonNull(canaryVersion, "canaryVersion");
        requireNonNull(canaryUrl, "canaryUrl");
    }

    @Override
    public String type() {
        return Resumed.TYPE;
    }

    @Override
    public String message() {
        return "latch for canary " + latchVersion + " at " + latchUrl + " lifted: the config now has canary "
               + canaryVersion + " at " + canaryUrl;
    }
}
