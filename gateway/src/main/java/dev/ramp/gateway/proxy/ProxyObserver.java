package dev.ramp.gateway.proxy;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.routing.Version;

/**
 * What the data path reports, called on event loops: must be cheap and must not block or throw.
 * Metrics and the guard implement it.
 */
public interface ProxyObserver {

    /** One attempt to an upstream ended (fallback attempts too). {@code nanos} is attempt start to end. */
    default void onAttempt(LiveRoute route, Version version, Outcome outcome, long nanos) {}

    /** The client got its answer. {@code servedBy} is null when the gateway answered itself. */
    default void onClientResponse(LiveRoute route, Version servedBy, int status) {}

    ProxyObserver NOOP = new ProxyObserver() {};
}
