package dev.ramp.gateway.config;

import java.net.URI;

/**
 * One version of a route's service: where it listens and which version it runs.
 * The URL is scheme, host and port only (no path, query or fragment); {@code tls} says how an
 * {@code https://} upstream's certificate is checked ({@link UpstreamTlsSettings#DEFAULT} for http).
 */
public record Upstream(URI url, String version, UpstreamTlsSettings tls) {

    public Upstream {
        java.util.Objects.requireNonNull(tls, "tls");
    }

    /** An upstream with the default TLS checks (system trust store, the url's host). */
    public Upstream(URI url, String version) {
        this(url, version, UpstreamTlsSettings.DEFAULT);
    }

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

    /**
     * Whether {@code other} runs the same service: the same url and version. Its TLS settings may differ (a new
     * CA file is not a new canary, so it does not lift a revert).
     */
    public boolean sameService(Upstream other) {
        return other != null && url.equals(other.url) && version.equals(other.version);
    }

    /** The name sent as SNI and verified against an https upstream's certificate. */
    public String serverName() {
        return tls.serverName() != null ? tls.serverName() : host();
    }

    /** {@code host:port} as sent in the Host header and used as the pool key. */
    public String authority() {
        return url.getRawAuthority();
    }
}
