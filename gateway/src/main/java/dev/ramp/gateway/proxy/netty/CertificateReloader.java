package dev.ramp.gateway.proxy.netty;

import dev.ramp.gateway.config.CertifiedKey;
import dev.ramp.gateway.config.TlsSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the listener's certificate and key files when their content changes, on its own daemon thread
 * (never an event loop). It hashes every file each period rather than watching directories: certbot and
 * cert-manager replace files by rename or by swapping a symlink, which a content hash sees whatever the
 * file system reports. A change is applied once the files have kept the same content for one more period,
 * so a renewal that replaces the certificate and then the key is read as one change, not as a key that does
 * not match.
 *
 * <p>A change whose files cannot be used (missing, bad PEM, key and certificate apart) keeps the contexts
 * served before; it is reported once, until the files change again.
 */
public final class CertificateReloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CertificateReloader.class);
    /** How often the files are hashed; a change is served within about two of these. */
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(500);

    /** Told about every change of the certificates served; called on the reloader's thread. */
    public interface Listener {
        void reloaded(TlsStatus status);

        void failed(String error);
    }

    private final TlsContexts contexts;
    private final Listener listener;
    private final ScheduledExecutorService thread;
    private volatile TlsSettings settings;
    /** The files' content as last served, as last seen, and as last refused; touched by the one thread. */
    private List<String> applied;
    private List<String> seen;
    private List<String> refused;

    /**
     * Starts polling {@code settings}' files, taking their content now as what {@code contexts} serves.
     */
    public CertificateReloader(TlsContexts contexts, TlsSettings settings, Duration period, Listener listener) {
        this.contexts = Objects.requireNonNull(contexts, "contexts");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.settings = settings;
        this.applied = fingerprint(settings);
        this.seen = applied;
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ramp-tls-reload");
            t.setDaemon(true);
            return t;
        });
        long ms = period.toMillis();
        thread.scheduleWithFixedDelay(this::poll, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** Serves {@code next}'s files from the next poll on (a config reload changed the paths). */
    public void follow(TlsSettings next) {
        settings = Objects.requireNonNull(next, "next");
    }

    private void poll() {
        try {
            TlsSettings s = settings;
            List<String> now = fingerprint(s);
            if (now.equals(applied)) {
                seen = now;
                if (refused != null) {
                    refused = null; // the bad change was undone: what serves matches the files again
                    contexts.cleared();
                    log.info("TLS certificate files are back to the ones served");
                }
                return;
            }
            if (!now.equals(seen)) {
                seen = now; // changing: wait until it holds still for one period
                return;
            }
            if (now.equals(refused)) {
                return; // already reported
            }
            try {
                contexts.reload(s);
            } catch (CertifiedKey.Unusable e) {
                refused = now;
                String error = e.getMessage();
                contexts.failed(error);
                log.error("TLS certificates not reloaded; the ones served keep serving: {}", error);
                listener.failed(error);
                return;
            }
            applied = now;
            refused = null;
            TlsStatus status = contexts.status();
            status.certificates().forEach(c -> log.info("TLS certificate reloaded: {} {} (serial {}, valid until {})",
                    c.hosts().isEmpty() ? "default" : String.join(",", c.hosts()), c.subject(), c.serial(),
                    c.notAfter()));
            listener.reloaded(status);
        } catch (RuntimeException e) {
            log.error("TLS certificate check failed unexpectedly", e);
        }
    }

    /** Each file's path and content hash, in order; a file that cannot be read is marked so. */
    static List<String> fingerprint(TlsSettings s) {
        List<String> out = new ArrayList<>();
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Path f : s.files()) {
            String hash;
            try {
                hash = HexFormat.of().formatHex(sha.digest(Files.readAllBytes(f)));
            } catch (NoSuchFileException e) {
                hash = "missing";
            } catch (IOException e) {
                hash = "unreadable: " + e.getMessage();
            }
            out.add(f + "=" + hash);
        }
        return out;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
