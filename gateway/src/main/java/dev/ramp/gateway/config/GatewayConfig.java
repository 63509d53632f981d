package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An immutable, validated snapshot of the whole gateway configuration. A reload builds a new one and
 * swaps it in; nothing mutates a snapshot.
 */
public record GatewayConfig(
        Path file,
        Instant loadedAt,
        Endpoint listen,
        int eventLoops,
        Duration clientIdleTimeout,
        AdminConfig admin,
        Path stateDir,
        List<Cidr> trustedSources,
        Duration shutdownGrace,
        List<RouteConfig> routes) {

    public GatewayConfig {
        trustedSources = List.copyOf(trustedSources);
        routes = List.copyOf(routes);
    }

    /** Event loops serving traffic: the configured number, or one per available processor when 0. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    public Optional<RouteConfig> route(String name) {
        return routes.stream().filter(r -> r.name().equals(name)).findFirst();
    }
}
