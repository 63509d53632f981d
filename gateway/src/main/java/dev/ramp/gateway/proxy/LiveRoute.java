package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A configured route together with its live state (whether the guard or an operator reverted it).
 * The config part is immutable; the reverted flag is volatile so a revert reaches every event loop on the
 * next request.
 */
public final class LiveRoute {
    private final RouteConfig config;
    private final CircuitBreaker canaryBreaker;
    private volatile boolean reverted;

    /**
     * @param canaryBreaker the canary's breaker, kept across reloads while the canary is unchanged; null when
     *                      disabled
     */
    public LiveRoute(RouteConfig config, CircuitBreaker canaryBreaker) {
        this.config = config;
        this.canaryBreaker = canaryBreaker;
    }

    /** The canary's circuit breaker, or null when disabled for this route. */
    public CircuitBreaker canaryBreaker() {
        return canaryBreaker;
    }

    public RouteConfig config() {
        return config;
    }

    public String name() {
        return config.name();
    }

    public Upstream upstream(Version version) {
        return version == Version.CANARY ? config.canary() : config.stable();
    }

    public boolean reverted() {
        return reverted;
    }

    public void reverted(boolean value) {
        reverted = value;
    }

    /** The canary share new requests get now: 0 when reverted. */
    public int effectiveWeightBasisPoints() {
        return reverted ? 0 : config.weight().basisPoints();
    }

    // --- metrics (issue 3) -------------------------------------------------------------------------------
    // The route's meters, attached by RampMetrics.bind while the snapshot is built, so the data path reaches
    // them without a look-up. Typed Object because proxy must not depend on the metrics package.
    private volatile Object meters;

    /** What {@code RampMetrics} attached to this route, or null. */
    public Object meters() {
        return meters;
    }

    public void meters(Object value) {
        meters = value;
    }
}
