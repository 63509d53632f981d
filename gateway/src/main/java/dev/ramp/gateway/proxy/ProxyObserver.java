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

    /**
     * A canary-bound request was served by stable instead: {@code reason} is {@code connect_error},
     * {@code reset}, {@code timeout}, {@code status_NNN} or {@code circuit_open}.
     */
    default void onFallback(LiveRoute route, String reason) {}

    /** The client got its answer. {@code servedBy} is null when the gateway answered itself. */
    default void onClientResponse(LiveRoute route, Version servedBy, int status) {}

    ProxyObserver NOOP = new ProxyObserver() {};
}
