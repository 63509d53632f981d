package dev.ramp.gateway.config;

import java.util.List;

/**
 * Which requests a route takes: a Host header pattern ({@code "*"}, {@code "*.example.com"} or an exact
 * name, compared case-insensitively without port) and a raw path prefix (longest prefix wins).
 */
public record Match(List<String> hosts, String pathPrefix) {
    public Match {
        hosts = List.copyOf(hosts);
    }
}
