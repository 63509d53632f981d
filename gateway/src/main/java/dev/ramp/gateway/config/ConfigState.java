package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which config file is serving, since when, and why the last reload failed (if it did): what
 * {@code GET /api/status} reports under {@code "config"}. The reload code updates it; readers get an
 * immutable {@link View}.
 *
 * <p>Invariant: {@code lastError} is null after a successful load and stays set, with the old file and
 * load time, after a failed one, until the next success.
 */
public final class ConfigState {

    /** One consistent reading. {@code file} may be null for a config not read from a file. */
    public record View(Path file, Instant loadedAt, String lastError, Instant lastErrorAt) {}

    private final AtomicReference<View> current;

    private ConfigState(View initial) {
        this.current = new AtomicReference<>(initial);
    }

    /** The state right after {@code config} was loaded. */
    public static ConfigState of(GatewayConfig config) {
        return new ConfigState(new View(config.file(), config.loadedAt(), null, null));
    }

    /** A reload succeeded: {@code config} serves now, the last error is cleared. */
    public void loaded(GatewayConfig config) {
        current.set(new View(config.file(), config.loadedAt(), null, null));
    }

    /** A reload found the file valid but unchanged: nothing new serves, but the last error is over. */
    public void cleared() {
        current.updateAndGet(v -> new View(v.file(), v.loadedAt(), null, null));
    }

    /** A reload failed: the previous config keeps serving and {@code error} is reported. */
    public void failed(String error, Instant at) {
        Objects.requireNonNull(error, "error");
        current.updateAndGet(v -> new View(v.file(), v.loadedAt(), error, at));
    }

    public View current() {
        return current.get();
    }
}
