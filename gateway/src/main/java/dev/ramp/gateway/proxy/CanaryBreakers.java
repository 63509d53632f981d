package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.CircuitBreakerSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.guard.Outcome;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Creates the canary circuit breakers (Resilience4j) and keeps a route's breaker across a reload while its
 * canary (url, version) and breaker settings are unchanged, so a config edit does not forget that a canary
 * is down.
 */
public final class CanaryBreakers {
    private CanaryBreakers() {}

    /** The breaker for {@code route}: the previous route's if still valid, a new one, or null if disabled. */
    public static CircuitBreaker forRoute(RouteConfig route, LiveRoute previous) {
        CircuitBreakerSettings s = route.circuitBreaker();
        if (!s.enabled()) {
            return null;
        }
        if (previous != null && previous.canaryBreaker() != null
            && Objects.equals(previous.config().canary(), route.canary())
            && Objects.equals(previous.config().circuitBreaker(), s)) {
            return previous.canaryBreaker();
        }
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
        return CircuitBreaker.of(route.name() + "-canary", config,
                Map.of("route", route.name(), "version", route.canary().version()));
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
