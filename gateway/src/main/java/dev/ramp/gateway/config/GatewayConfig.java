package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable, validated snapshot of the whole gateway configuration. A reload builds a new one and
 * swaps it in; nothing mutates a snapshot.
 */
public record GatewayConfig(
        Path file,
        Instant loadedAt,
        Endpoint listen,
        int eventLoops,
        Transport transport,
        Duration clientIdleTimeout,
        Limits limits,
        Http2Options http2,
        Optional<TlsSettings> tls,
        AdminConfig admin,
        Path stateDir,
        List<Cidr> trustedSources,
        Duration shutdownGrace,
        ClusterSettings cluster,
        List<RouteConfig> routes,
        Set<Path> sources,
        List<NotifyTarget> notifyTargets,
        AccessLogSettings accessLog) {

    public GatewayConfig {
        trustedSources = List.copyOf(trustedSources);
        routes = List.copyOf(routes);
        notifyTargets = List.copyOf(notifyTargets);
        sources = Set.copyOf(sources);
    }

    /** A copy whose {@link #sources()} (the files a reload watches) are {@code files}. */
    public GatewayConfig withSources(Set<Path> files) {
        return new GatewayConfig(file, loadedAt, listen, eventLoops, transport, clientIdleTimeout, limits, http2, tls,
                admin, stateDir, trustedSources, shutdownGrace, cluster, routes, files, notifyTargets, accessLog);
    }

    /** Whether every setting equals {@code other}'s; when and from which files it was loaded do not count. */
    public boolean sameSettings(GatewayConfig other) {
        return other != null && listen.equals(other.listen) && eventLoops == other.eventLoops
               && transport == other.transport
               && clientIdleTimeout.equals(other.clientIdleTimeout) && limits.equals(other.limits)
               && http2.equals(other.http2)
               && tls.equals(other.tls)
               && admin.equals(other.admin)
               && stateDir.equals(other.stateDir) && trustedSources.toString().equals(other.trustedSources.toString())
               && shutdownGrace.equals(other.shutdownGrace) && cluster.equals(other.cluster)
               && routes.equals(other.routes) && notifyTargets.equals(other.notifyTargets)
               && accessLog.equals(other.accessLog);
    }

    /** Event loops serving traffic: the configured number, or one per available processor when 0. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    public Optional<RouteConfig> route(String name) {
        return routes.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
