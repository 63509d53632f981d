package dev.ramp.gateway.admin;

import dev.ramp.gateway.state.AlertCause;
import io.vertx.core.Future;

/**
 * The operator's kill switch behind {@code POST /api/routes/{name}/revert} and {@code .../resume}. The
 * guard implements it with persistent latches. A result is whether the call changed anything; the admin
 * API answers with the route's status after it. A future failed with {@link UnknownRouteException}
 * becomes a 404.
 */
public interface RouteControl {

    /**
     * Takes the canary out of traffic (effective weight 0 %) for {@code reason} ("manual" from the API);
     * completes once the latch is on disk, with false if the route was already reverted.
     */
    Future<Boolean> revert(String route, String reason);

    /**
     * Takes the canary out of traffic because {@code alert} fires (reason {@code alert:<alertname>}, the alert
     * kept in the latch); completes once the latch is on disk, with false if the route was already reverted.
     */
    Future<Boolean> revertForAlert(String route, AlertCause alert);

    /** Puts the canary back at its configured weight; completes with false if it was not reverted. */
    Future<Boolean> resume(String route);

    /**
     * An operator's command to the route's rollout plan: {@code pause}, {@code continue}, {@code next} (step up
     * now) or {@code abort}. Completes with whether it changed the plan; fails with {@link UnknownRouteException}
     * (404) or {@link dev.ramp.gateway.rollout.RolloutConflict} (409: no plan, or a state that does not allow it).
     */
    default Future<Boolean> rollout(String route, String command) {
        return Future.failedFuture(new dev.ramp.gateway.rollout.RolloutConflict("route " + route + " has no rollout plan"));
    }
}
