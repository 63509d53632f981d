package dev.ramp.gateway.metrics;

import dev.ramp.gateway.routing.Version;

/**
 * What a {@link dev.ramp.gateway.proxy.LiveRoute} carries for metrics: its route's meters and the
 * histograms of its two upstream versions, indexed by {@link Version#ordinal()}. Immutable; attached when
 * the snapshot is built, so the data path needs no lookup.
 */
final class RouteMeters {
    final RouteMetrics route;
    private final VersionMeters[] versions;

    RouteMeters(RouteMetrics route, VersionMeters stable, VersionMeters canary) {
        this.route = route;
        this.versions = new VersionMeters[] {stable, canary};
    }

    VersionMeters version(Version v) {
        return versions[v.ordinal()];
    }
}
