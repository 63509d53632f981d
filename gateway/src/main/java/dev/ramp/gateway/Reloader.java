package dev.ramp.gateway;

import dev.ramp.gateway.config.ConfigLoader;
import dev.ramp.gateway.config.ConfigWatcher;
import dev.ramp.gateway.config.GatewayConfig;
import dev.ramp.gateway.config.InvalidConfigException;
import dev.ramp.gateway.config.TlsSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live reload: on a file edit (watched, debounced) or SIGHUP, parses and validates the whole file exactly as
 * {@code validate} does, then swaps the new snapshot in atomically. A bad edit changes nothing: the last good
 * config keeps serving and the error (file:line, path, what was expected) is kept in {@link #lastError()} and
 * told to the listeners, until a later good edit clears it. Reloads are serialized.
 */
public final class Reloader implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Reloader.class);

    /** What a reload did. */
    public enum Result { APPLIED, UNCHANGED, FAILED }

    /** Told about every reload; called on the reloading thread (watcher or signal), never an event loop. */
    public interface Listener {
        default void reloaded(GatewayConfig previous, GatewayConfig next) {}

        default void failed(GatewayConfig current, InvalidConfigException error) {}
    }

    private final Gateway gateway;
    private final ConfigLoader loader;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private volatile java.util.Set<java.nio.file.Path> watched = java.util.Set.of();
    private ConfigWatcher watcher;

    public Reloader(Gateway gateway, ConfigLoader loader) {
        this.gateway = gateway;
        this.loader = loader;
    }

    public Reloader listener(Listener l) {
        listeners.add(l);
        return this;
    }

    /** Starts watching the config file and its includes; edits apply after {@code debounce} of quiet. */
    public Reloader watch(Duration debounce) throws IOException {
        watched = gateway.snapshot().config().sources();
        watcher = new ConfigWatcher(watched, debounce, () -> reload("file change"));
        return this;
    }

    /** The files watched now: the config file and the includes the last good load found. */
    public java.util.Set<java.nio.file.Path> watchedFiles() {
        return watched;
    }

    /** The last failed reload's problems, one per line with file:line; null once a good config is loaded. */
    public String lastError() {
        return gateway.configState().current().lastError();
    }

    /** Reloads now; {@code trigger} says why, for the log. */
    public synchronized Result reload(String trigger) {
        GatewayConfig current = gateway.snapshot().config();
        GatewayConfig next;
        try {
            next = loader.read(current.file());
        } catch (InvalidConfigException e) {
            gateway.reloadFailed(e.getMessage());
            log.error("config {} not reloaded ({}); the last good config keeps serving: {}", current.file(), trigger,
                    e.getMessage());
            listeners.forEach(l -> safely(() -> l.failed(current, e)));
            return Result.FAILED;
        }
        if (watcher != null) {
            watched = next.sources();
            watcher.watch(watched);
        }
        if (next.sameSettings(current)) {
            if (lastError() != null) {
                log.info("config {} is valid again ({}), the same as the one serving: the failed edit is undone",
                        current.file(), trigger);
            } else {
                log.info("config {} unchanged ({})", current.file(), trigger);
            }
            gateway.reloadUnchanged(next);
            return Result.UNCHANGED;
        }
        if (!next.listen().equals(current.listen()) || !next.admin().listen().equals(current.admin().listen())
            || next.eventLoops() != current.eventLoops() || !next.limits().equals(current.limits())
            || !next.clientIdleTimeout().equals(current.clientIdleTimeout())
            || next.transport() != current.transport() || !next.stateDir().equals(current.stateDir())
            || !next.tls().map(TlsSettings::provider).equals(current.tls().map(TlsSettings::provider))) {
            log.warn("config {}: ramp.listen (host, port, loops, transport, idle-timeout, limits, tls on or off, "
                     + "tls.provider), ramp.admin host/port or ramp.state-dir changed; they take effect on restart "
                     + "(routes, weights, thresholds and certificate paths apply now)", current.file());
        }
        gateway.reload(next);
        log.info("config {} reloaded ({}): {} route(s)", current.file(), trigger, next.routes().size());
        listeners.forEach(l -> safely(() -> l.reloaded(current, next)));
        return Result.APPLIED;
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            log.error("reload listener failed", e);
        }
    }

    @Override
    public void close() {
        if (watcher != null) {
            watcher.close();
        }
    }
}
