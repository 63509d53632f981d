package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * How Ramp checks an {@code https://} upstream's certificate: the {@code tls { }} block of a route's
 * {@code stable} or {@code canary}. Its absence is {@link #DEFAULT}: the JDK's trust store, the url's host as
 * the name sent (SNI) and verified.
 *
 * <p>The CA certificates are read when the config is loaded, so a changed CA file takes effect on the next
 * reload (a new value, a new client context) and equal settings share one context.
 *
 * @param caFile             the PEM file of the trusted CAs; null for the JDK's trust store
 * @param trusted            the certificates read from {@code caFile}; empty when it is null
 * @param serverName         the name sent as SNI and verified against the certificate; null for the url's host
 * @param insecureSkipVerify accept any certificate for any name (logged as a warning at every load)
 */
public record UpstreamTlsSettings(Path caFile, List<X509Certificate> trusted, String serverName,
                                  boolean insecureSkipVerify) {
    /** No {@code tls} block: the system trust store and the url's host. */
    public static final UpstreamTlsSettings DEFAULT = new UpstreamTlsSettings(null, List.of(), null, false);

    public UpstreamTlsSettings {
        trusted = List.copyOf(trusted);
    }

    /** What the certificate is checked against, for messages: the CA file or the system trust store. */
    public String trustSource() {
        return insecureSkipVerify ? "nothing (insecure-skip-verify)"
                : caFile == null ? "the system trust store" : "ca-file " + caFile;
    }
}
