package dev.ramp.gateway.config;

import java.net.URI;

/**
 * One version of a route's service: where it listens and which version it runs.
 * The URL is scheme, host and port only (no path, query or fragment).
 */
public record Upstream(URI url, String version) {

    public boolean ssl() {
        return "https".equals(url.getScheme());
    }

    public String host() {
        return url.getHost();
    }

    public int port() {
        int p = url.getPort();
        return p != -1 ? p : ssl() ? 443 : 80;
    }

    /** {@code host:port} as sent in the Host header and used as the pool key. */
    public String authority() {
        return url.getRawAuthority();
    }
}
