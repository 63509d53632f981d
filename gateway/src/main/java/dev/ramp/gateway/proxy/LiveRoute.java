package dev.ramp.gateway.proxy;

import dev.ramp.gateway.config.RouteConfig;
import dev.ramp.gateway.config.Upstream;
import dev.ramp.gateway.routing.Rules;
import dev.ramp.gateway.routing.Version;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * A configured route together with its live state (whether the guard or an operator reverted it) and its
 * observer. The config part is immutable; the state is shared across snapshots and volatile, so a revert
 * reaches every event loop on the next request.
 */
public final class LiveRoute {
    private final RouteConfig config;
    private final BreakerSlot canaryBreaker;
    private final RouteState state;
    private final RouteObserver observer;
    /** Upstream pool keys, computed once per snapshot instead of once per request. */
    private final String stableKey;
    private final String canaryKey;
    /** The Host header each version's upstream gets, as bytes ready to encode. */
    private final io.netty.util.AsciiString stableAuthority;
    private final io.netty.util.AsciiString canaryAuthority;
    /** The route's targeting rules, compiled once per snapshot. */
    private final Rules rules;
    /** The route's dark-launch counts, shared by every snapshot of it; null when it mirrors nothing. */
    private final dev.ramp.gateway.proxy.mirror.MirrorStats mirror;

    /**
     * @param canaryBreaker where the canary's breaker lives, kept across reloads while the canary is unchanged;
     *                      null when disabled
     * @param state         the route's live state, the same instance for every snapshot of this route
     * @param observer      what the data path reports this route's requests to
     */
    public LiveRoute(RouteConfig config, BreakerSlot canaryBreaker, RouteState state, RouteObserver observer) {
        this(config, canaryBreaker, state, observer, config.mirror() == null ? null
                : new dev.ramp.gateway.proxy.mirror.MirrorStats());
    }

    /** @param mirror the route's dark-launch counts (kept across reloads); null exactly when it has no mirror */
    public LiveRoute(RouteConfig config, BreakerSlot canaryBreaker, RouteState state, RouteObserver observer,
                     dev.ramp.gateway.proxy.mirror.MirrorStats mirror) {
        this.mirror = config.mirror() == null ? null : mirror;
        this.config = config;
        this.canaryBreaker = canaryBreaker;
        this.state = state;
        this.observer = observer;
        this.stableKey = poolKey(config.stable(), config.timeouts());
        this.canaryKey = poolKey(config.canary(), config.timeouts());
        this.stableAuthority = new io.netty.util.AsciiString(config.stable().authority());
        this.canaryAuthority = new io.netty.util.AsciiString(config.canary().authority());
        this.rules = Rules.of(config.rules());
    }

    /** The route's dark-launch counts, or null when it mirrors nothing (the data path's only check). */
    public dev.ramp.gateway.proxy.mirror.MirrorStats mirror() {
        return mirror;
    }

    /** The route's targeting rules, compiled (docs/targeting.md). */
    public Rules rules() {
        return rules;
    }

    /** {@code host:port} of the upstream that serves {@code version}, for its Host header. */
    public io.netty.util.AsciiString authority(Version version) {
        return version == Version.CANARY ? canaryAuthority : stableAuthority;
    }

    /**
     * The key of the keep-alive pool for {@code upstream}: routes with the same origin (scheme included),
     * timeouts and, for https, the same name and trust share it; a connection verified one way is never
     * reused for a route that asked for another.
     */
    public static String poolKey(Upstream upstream, dev.ramp.gateway.config.Timeouts timeouts) {
        String key = upstream.url() + "|" + timeouts.idle().toMillis();
        if (!upstream.ssl()) {
            return key;
        }
        dev.ramp.gateway.config.UpstreamTlsSettings t = upstream.tls();
        return key + "|" + upstream.serverName() + "|" + (t.insecureSkipVerify() ? "insecure"
                : t.caFile() == null ? "system" : t.caFile() + "#" + t.trusted().hashCode());
    }

    /** The key of the upstream pool that serves {@code version} on this route. */
    public String poolKey(Version version) {
        return version == Version.CANARY ? canaryKey : stableKey;
    }

    /** A route with fresh state and no observer (tests). */
    public LiveRoute(RouteConfig config, BreakerSlot canaryBreaker) {
        this(config, canaryBreaker, new RouteState(), RouteObserver.NOOP);
    }

    /** What the data path reports this route's requests to. */
    public RouteObserver observer() {
        return observer;
    }

    /** The live state shared by every snapshot of this route. */
    public RouteState state() {
        return state;
    }

    /** The canary's circuit breaker (made on the first call), or null when disabled for this route. */
    public CircuitBreaker canaryBreaker() {
        BreakerSlot slot = canaryBreaker;
        return slot == null ? null : slot.get();
    }

    /** Where the canary's breaker lives (null when disabled): what a reload keeps. */
    public BreakerSlot breakerSlot() {
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
        return state.reverted();
    }

    /** The canary share new requests get now: 0 when reverted, else the rollout plan's, else the configured. */
    public int effectiveWeightBasisPoints() {
        return state.effectiveBasisPoints(config.weight().basisPoints());
    }
}
