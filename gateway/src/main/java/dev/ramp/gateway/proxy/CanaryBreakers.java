package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.CircuitBreakerSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.guard.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Creates the canary circuit breakers (Resilience4j), each in a {@link BreakerSlot} kept across a reload while
 * its canary (url, version) and breaker settings are unchanged, so a config edit does not forget that a canary
 * is down.
 */
public final class CanaryBreakers {
    private CanaryBreakers() {}

    /** The breaker slot for {@code route}: the previous route's if still valid, a new one, or null if disabled. */
    public static BreakerSlot forRoute(RouteConfig route, LiveRoute previous) {
        if (!route.circuitBreaker().enabled()) {
            return null;
        }
        BreakerSlot kept = previous == null ? null : previous.breakerSlot();
        return kept != null && kept.fits(route) ? kept : new BreakerSlot(route);
    }

    /** A new breaker for the canary {@code canary} of the route {@code routeName}. */
    static CircuitBreaker create(String routeName, Upstream canary, CircuitBreakerSettings s) {
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindow((int) Math.max(1, s.window().toSeconds()), s.minimumCalls(),
                        CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .failureRateThreshold((float) (s.failureRate().ratio() * 100))
                .waitDurationInOpenState(s.openFor())
                .permittedNumberOfCallsInHalfOpenState(s.halfOpenCalls())
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
        // No event subscription: with any consumer, Resilience4j builds an event (and a ZonedDateTime) on
        // every call. State transitions are logged by the guard service's periodic sweep instead.
        return CircuitBreaker.of(routeName + "-canary", config, Map.of("route", routeName, "version", canary.version()));
    }

    /** Reports a canary attempt's result to its breaker. */
    public static void record(CircuitBreaker b, Outcome outcome, long nanos) {
        if (outcome.isError()) {
            b.onError(nanos, TimeUnit.NANOSECONDS, new UpstreamFailure(outcome));
        } else {
            b.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** What the canary breaker records for a failed attempt: the outcome, without a stack trace. */
    static final class UpstreamFailure extends Exception {
        private static final long serialVersionUID = 1L;

        UpstreamFailure(Outcome outcome) {
            super(outcome.tag(), null, false, false);
        }
    }
}
