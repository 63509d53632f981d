package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;
import java.util.List;

/**
 * What the data path reports about one route's requests, called on event loops: must be cheap and must not
 * block or throw. Each {@link LiveRoute} carries its observer, made when its snapshot is built (metrics, the
 * guard's recorder, tests), so the data path reports without a look-up.
 */
public interface RouteObserver {

    /** One attempt to an upstream ended (fallback attempts too). {@code nanos} is attempt start to end. */
    default void onAttempt(Version version, Outcome outcome, long nanos) {}

    /**
     * A canary-bound request was served by stable instead: {@code reason} is {@code connect_error},
     * {@code reset}, {@code timeout}, {@code status_NNN} or {@code circuit_open}.
     */
    default void onFallback(String reason) {}

    /** The client got its answer. {@code servedBy} is null when the gateway answered itself. */
    default void onClientResponse(Version servedBy, int status) {}

    /**
     * Targeting rule {@code rule} (its index in the route's {@code rules}) decided a request's version. Not called
     * for requests an override, a ring or a revert decided, nor by explain.
     */
    default void onRuleMatch(int rule) {}

    RouteObserver NOOP = new RouteObserver() {};

    /** Makes the observer of each route of a snapshot being built. */
    @FunctionalInterface
    interface Factory {
        RouteObserver forRoute(RouteConfig route);
    }

    /**
     * One observer reporting to each of {@code observers} in order, leaving out {@link #NOOP}s. Each is
     * isolated: one that throws is logged and cannot keep the others, or the request, from going on.
     */
    static RouteObserver all(List<RouteObserver> observers) {
        List<RouteObserver> live = observers.stream().filter(o -> o != NOOP).toList();
        return live.isEmpty() ? NOOP : live.size() == 1 ? live.get(0) : new AllObservers(live);
    }
}
