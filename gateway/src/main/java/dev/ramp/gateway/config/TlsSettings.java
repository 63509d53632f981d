package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * TLS on the traffic listener ({@code ramp.listen.tls}): the default certificate, for clients that send no
 * server name or one no SNI entry lists, and per-host certificates chosen by SNI. Paths only: the files are
 * read when the listener starts and re-read whenever they change, so a renewed certificate needs no reload.
 *
 * @param cert PEM certificate chain, leaf first (absolute: relative paths are resolved against the config
 *             file's directory when read)
 * @param key  PEM private key of the leaf
 * @param sni  certificates for named hosts; an exact name wins over a wildcard
 * @param provider which TLS implementation serves them
 */
public record TlsSettings(Path cert, Path key, List<Sni> sni, TlsProvider provider) {

    public TlsSettings {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(provider, "provider");
        sni = List.copyOf(sni);
    }

    /**
     * A certificate for the hosts a client may name in SNI.
     *
     * @param hosts exact names ({@code api.example.com}) or one-label wildcards ({@code *.example.com}), lower case
     */
    public record Sni(List<String> hosts, Path cert, Path key) {
        public Sni {
            hosts = List.copyOf(hosts);
            Objects.requireNonNull(cert, "cert");
            Objects.requireNonNull(key, "key");
        }
    }

    /** Every certificate and key file, each once: what the reloader watches. */
    public Set<Path> files() {
        Set<Path> files = new LinkedHashSet<>();
        files.add(cert);
        files.add(key);
        for (Sni s : sni) {
            files.add(s.cert());
            files.add(s.key());
        }
        return files;
    }
}
