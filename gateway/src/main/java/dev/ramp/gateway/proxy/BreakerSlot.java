package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.CircuitBreakerSettings;
import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * Where a route's canary circuit breaker lives: the breaker itself is made on the first canary request that
 * asks for it, so a route nobody sends to the canary holds none (a Resilience4j breaker with its time window is
 * about 2 KB; docs/benchmarks.md, "Many routes"). The slot is kept across reloads while the canary and the
 * breaker settings are unchanged ({@link CanaryBreakers#forRoute}), so a config edit does not forget that a
 * canary is down. Thread-safe: made at most once, under the slot's lock, then read through a volatile field.
 */
public final class BreakerSlot {
    private final String routeName;
    private final Upstream canary;
    private final CircuitBreakerSettings settings;
    private volatile CircuitBreaker breaker;

    BreakerSlot(RouteConfig route) {
        this.routeName = route.name();
        this.canary = route.canary();
        this.settings = route.circuitBreaker();
    }

    /** The breaker, made now if this is the first time it is asked for. */
    public CircuitBreaker get() {
        CircuitBreaker b = breaker;
        return b != null ? b : make();
    }

    /** The breaker if a request has made it, else null (for readers that must not make one: the guard's sweep). */
    public CircuitBreaker ifMade() {
        return breaker;
    }

    private synchronized CircuitBreaker make() {
        CircuitBreaker b = breaker;
        if (b == null) {
            b = CanaryBreakers.create(routeName, canary, settings);
            breaker = b;
        }
        return b;
    }

    /** Whether this slot's breaker is still the right one for {@code route}: same canary, same settings. */
    boolean fits(RouteConfig route) {
        return canary.equals(route.canary()) && settings.equals(route.circuitBreaker());
    }
}
