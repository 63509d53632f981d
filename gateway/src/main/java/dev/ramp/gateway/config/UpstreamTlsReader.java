package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reads and validates the optional {@code tls { ca-file, server-name, insecure-skip-verify }} block of a
 * route's {@code stable} or {@code canary}, reading the CA file as the data path will, so {@code validate}
 * refuses a missing or unreadable one at its line. Part of {@link ConfigLoader}.
 */
final class UpstreamTlsReader {
    /** A DNS name as SNI sends it (no wildcard, no port, no trailing dot). */
    private static final Pattern SERVER_NAME =
            Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    private UpstreamTlsReader() {}

    /**
     * The upstream's TLS settings: {@link UpstreamTlsSettings#DEFAULT} without a block; null after recording
     * a problem.
     *
     * @param https whether the upstream's url is {@code https://} (a block on an http upstream is a mistake)
     * @param dir   the config file's directory, against which a relative {@code ca-file} resolves
     */
    static UpstreamTlsSettings read(ConfigReader upstream, boolean https, Path dir) {
        if (!upstream.config.hasPathOrNull("tls")) {
            return UpstreamTlsSettings.DEFAULT;
        }
        ConfigReader tls = upstream.object("tls");
        if (tls == null) {
            return null;
        }
        if (!https) {
            upstream.problem("tls", "is set on an http:// url (expected: an https:// url, or no tls block)");
            return null;
        }
        int before = tls.problems.count();
        boolean insecure = false;
        if (tls.has("insecure-skip-verify")) {
            Boolean b = tls.bool("insecure-skip-verify");
            insecure = b != null && b;
        }
        String serverName = null;
        if (tls.has("server-name")) {
            String s = tls.string("server-name");
            if (s != null && !SERVER_NAME.matcher(s.toLowerCase(Locale.ROOT)).matches()) {
                tls.problem("server-name", "\"" + s + "\" (expected: a host name such as \"api.internal\", "
                                           + "the name the upstream's certificate is issued for)");
            } else if (s != null) {
                serverName = s.toLowerCase(Locale.ROOT);
            }
        }
        Path caFile = null;
        List<X509Certificate> trusted = List.of();
        if (tls.has("ca-file")) {
            String s = tls.string("ca-file");
            if (s != null && s.isBlank()) {
                tls.problem("ca-file", "is empty (expected: the path of a PEM file of CA certificates)");
            } else if (s != null) {
                Path p = Path.of(s);
                caFile = (p.isAbsolute() || dir == null ? p : dir.resolve(p)).normalize();
                try {
                    trusted = CertifiedKey.certificates(caFile);
                } catch (CertifiedKey.Unusable e) {
                    tls.problem("ca-file", e.getMessage().replace(", leaf first", "")
                                .replace("a PEM certificate chain", "PEM CA certificates"));
                }
            }
        }
        if (insecure && caFile != null) {
            tls.problem("insecure-skip-verify", "is true while ca-file is set (expected: one of them; "
                                                + "with insecure-skip-verify nothing is verified)");
        }
        return tls.problems.count() > before ? null : new UpstreamTlsSettings(caFile, trusted, serverName, insecure);
    }
}
