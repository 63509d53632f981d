package dev.ramp.gateway.proxy.netty;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * What the traffic listener's TLS serves now, for {@code GET /api/status}: the provider, each certificate,
 * and why the last change to the files was refused, if it was.
 *
 * <p>Invariant: {@code lastError} is null after a good (re)load and stays set, with the certificates still
 * served, after a refused one, until the files are good again.
 *
 * @param provider     "OpenSSL" (BoringSSL through netty-tcnative) or "JDK"
 * @param loadedAt     when the certificates served were read
 * @param certificates the default one first, then one per SNI entry
 */
public record TlsStatus(String provider, Instant loadedAt, List<Certificate> certificates, String lastError,
                        Instant lastErrorAt) {

    public TlsStatus {
        certificates = List.copyOf(certificates);
    }

    /**
     * One served certificate.
     *
     * @param hosts    the SNI names it answers; empty for the default certificate
     * @param serial   the serial number in hexadecimal
     */
    public record Certificate(List<String> hosts, Path file, String subject, String serial, Instant notAfter) {
        public Certificate {
            hosts = List.copyOf(hosts);
        }
    }

    /** This status with {@code error} as the last error (null: none). */
    TlsStatus failed(String error, Instant at) {
        return new TlsStatus(provider, loadedAt, certificates, error, at);
    }
}
