package dev.ramp.gateway.metrics;

import dev.ramp.gateway.guard.Outcome;
import dev.ramp.gateway.proxy.RouteObserver;
import dev.ramp.gateway.routing.Version;

/**
 * A route's observer for metrics: its route's meters and the histograms of its two upstream versions,
 * indexed by {@link Version#ordinal()}. Immutable; made when the snapshot is built and carried by its
 * {@link dev.ramp.gateway.proxy.LiveRoute}, so the data path needs no look-up.
 */
final class RouteMeters implements RouteObserver {
    final RouteMetrics route;
    private final VersionMeters[] versions;

    RouteMeters(RouteMetrics route, VersionMeters stable, VersionMeters canary) {
        this.route = route;
        this.versions = new VersionMeters[] {stable, canary};
    }

    /** Whether this observer reports to exactly these meters. */
    boolean sameAs(RouteMetrics route, VersionMeters stable, VersionMeters canary) {
        return this.route == route && versions[0] == stable && versions[1] == canary;
    }

    VersionMeters version(Version v) {
        return versions[v.ordinal()];
    }

    @Override
    public void onAttempt(Version version, Outcome outcome, long nanos) {
        versions[version.ordinal()].record(outcome, nanos);
    }

    @Override
    public void onFallback(String reason) {
        route.fallback(reason).increment();
    }

    @Override
    public void onClientResponse(Version servedBy, int status) {
        route.request(servedBy, status);
    }

    @Override
    public void onRuleMatch(int rule) {
        route.ruleMatch(rule);
    }
}
