package dev.ramp.gateway.admin;

import dev.ramp.gateway.proxy.LiveRoute;

/**
 * Supplies the guard's view of a route for {@code GET /api/status}, rendered by {@link GuardJson}. The
 * guard implements it from its sliding windows and latches, so the status shows the very numbers the
 * guard judges on. Called on an event loop: must not block.
 */
@FunctionalInterface
public interface RouteStatusSource {

    /** The route's state, what holds it reverted, and the guard's last verdict. */
    GuardView guardStatus(LiveRoute route);

    /** The route's rollout plan; null when it has none (the default, for sources that know no plans). */
    default RolloutView rollout(LiveRoute route) {
        return null;
    }
}
