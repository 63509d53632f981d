package dev.ramp.gateway.events;

import java.util.List;

/**
 * The traffic listener's certificate files changed and new connections get the certificates read from them.
 *
 * @param certificates one line per certificate served: its hosts ("default" for the fallback), subject and serial
 */
public record CertificatesReloaded(List<String> certificates) implements EventLog.Event {
    static final String TYPE = "tls_reload";

    public CertificatesReloaded {
        certificates = List.copyOf(certificates);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "TLS certificates reloaded: " + certificates.size() + " certificate(s), new connections get them";
    }
}
