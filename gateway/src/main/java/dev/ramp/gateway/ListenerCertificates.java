package dev.ramp.gateway;

import dev.ramp.gateway.config.CertifiedKey;
import dev.ramp.gateway.config.TlsSettings;
import dev.ramp.gateway.events.CertificatesRejected;
import dev.ramp.gateway.events.CertificatesReloaded;
import dev.ramp.gateway.events.EventLog;
import dev.ramp.gateway.metrics.RampMetrics;
import dev.ramp.gateway.proxy.netty.CertificateReloader;
import dev.ramp.gateway.proxy.netty.TlsContexts;
import dev.ramp.gateway.proxy.netty.TlsStatus;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic listener's certificates as the gateway runs them: read at start (a listener that cannot read
 * them does not start), re-read by a {@link CertificateReloader} once the listener serves, and every change
 * reported as a bad config is: logged, counted ({@code ramp_tls_reloads_total}), recorded as an event, and
 * shown in {@code /api/status} through {@link #status()}.
 */
final class ListenerCertificates implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ListenerCertificates.class);

    private final TlsContexts contexts;
    private final TlsSettings settings;
    private final RampMetrics metrics;
    private final EventLog events;
    private volatile CertificateReloader reloader;

    private ListenerCertificates(TlsContexts contexts, TlsSettings settings, RampMetrics metrics, EventLog events) {
        this.contexts = contexts;
        this.settings = settings;
        this.metrics = metrics;
        this.events = events;
    }

    /**
     * Reads the certificates of {@code settings}.
     *
     * @throws IllegalStateException naming the config file and the certificate file that cannot be used
     */
    static ListenerCertificates load(Path configFile, TlsSettings settings, boolean http2, RampMetrics metrics,
                                     EventLog events) {
        TlsContexts contexts;
        try {
            contexts = TlsContexts.load(settings, http2);
        } catch (CertifiedKey.Unusable e) {
            throw new IllegalStateException(configFile + ": ramp.listen.tls: " + e.getMessage(), e);
        }
        contexts.status().certificates().forEach(c -> log.info("TLS certificate {}: {} (serial {}, valid until {}, {})",
                name(c), c.subject(), c.serial(), c.notAfter(), c.file()));
        metrics.tlsCertificates(expiries(contexts.status()));
        return new ListenerCertificates(contexts, settings, metrics, events);
    }

    /** What the listener's SniHandler maps host names with. */
    TlsContexts contexts() {
        return contexts;
    }

    /** Starts re-reading the files when they change; call once the listener is bound. */
    void startReloading() {
        reloader = new CertificateReloader(contexts, settings, CertificateReloader.DEFAULT_PERIOD,
                new CertificateReloader.Listener() {
                    @Override
                    public void reloaded(TlsStatus status) {
                        metrics.tlsReload(true);
                        metrics.tlsCertificates(expiries(status));
                        events.record(new CertificatesReloaded(status.certificates().stream()
                                .map(c -> name(c) + ": " + c.subject() + " serial " + c.serial())
                                .toList()));
                    }

                    @Override
                    public void failed(String error) {
                        metrics.tlsReload(false);
                        events.record(new CertificatesRejected(error));
                    }
                });
    }

    /** A reload brought other paths: they serve from the reloader's next look. */
    void follow(TlsSettings next) {
        CertificateReloader r = reloader;
        if (r != null) {
            r.follow(next);
        }
    }

    TlsStatus status() {
        return contexts.status();
    }

    /** "default" for the fallback certificate, else the SNI entry's hosts. */
    private static String name(TlsStatus.Certificate c) {
        return c.hosts().isEmpty() ? "default" : String.join(",", c.hosts());
    }

    private static Map<String, Instant> expiries(TlsStatus status) {
        Map<String, Instant> out = new LinkedHashMap<>();
        status.certificates().forEach(c -> out.put(name(c), c.notAfter()));
        return out;
    }

    @Override
    public void close() {
        CertificateReloader r = reloader;
        if (r != null) {
            r.close();
        }
    }
}
