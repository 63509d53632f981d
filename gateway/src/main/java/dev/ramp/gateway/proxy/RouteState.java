package dev.ramp.gateway.proxy;

import dev.ramp.gateway.guard.RouteGuard;

/**
 * A route's live state that outlives config snapshots: one instance per route name, handed from each
 * snapshot's {@link LiveRoute} to the next, so a revert can never be lost to a reload that copies state
 * while it lands. The guard service owns its contents; the data path only reads them.
 */
public final class RouteState {
    private volatile boolean reverted;
    private volatile RouteGuard guard;

    /** Whether the canary is out of traffic (latched revert): new requests see 0 % at once. */
    public boolean reverted() {
        return reverted;
    }

    public void reverted(boolean value) {
        reverted = value;
    }

    /** The route's guard, fed by the data path; null when the guard is disabled for the route. */
    public RouteGuard guard() {
        return guard;
    }

    public void guard(RouteGuard value) {
        guard = value;
    }
}
