package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * The traffic listener's certificate files changed but cannot be used (missing, bad PEM, key and certificate
 * apart); the certificates served before keep serving.
 *
 * @param error the file at fault and why
 */
public record CertificatesRejected(String error) implements EventLog.Event {
    static final String TYPE = "tls_reload_failed";

    public CertificatesRejected {
        requireNonNull(error, "error");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "TLS certificates not reloaded, the ones served keep serving";
    }
}
