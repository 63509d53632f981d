package dev.ramp.gateway.config;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the config file and its includes for edits. It watches their directories, not the files, because
 * editors and config management replace a file (write a temp file, rename it over) rather than write it in
 * place. A burst of events is debounced into one call of {@code onChange}, on the watcher's own daemon thread
 * (never an event loop).
 */
public final class ConfigWatcher implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ConfigWatcher.class);

    private final WatchService watcher;
    private final Duration debounce;
    private final Runnable onChange;
    private final Map<Path, WatchKey> keys = new HashMap<>();
    private volatile Set<Path> files;
    private final Thread thread;

    /**
     * @param files    absolute paths of the config file and its includes
     * @param debounce quiet time after the last event before {@code onChange} runs
     */
    public ConfigWatcher(Set<Path> files, Duration debounce, Runnable onChange) throws IOException {
        this.watcher = FileSystems.getDefault().newWatchService();
        this.debounce = debounce;
        this.onChange = onChange;
        watch(files);
        this.thread = new Thread(this::loop, "ramp-config-watcher");
        thread.setDaemon(true);
        thread.start();
    }

    /** Follows a new set of files (after a reload found other includes). */
    public synchronized void watch(Set<Path> newFiles) {
        this.files = Set.copyOf(newFiles);
        for (Path f : newFiles) {
            Path dir = f.getParent();
            if (dir != null && !keys.containsKey(dir)) {
                try {
                    keys.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE));
                } catch (IOException e) {
                    log.warn("cannot watch {} for config edits (SIGHUP still reloads): {}", dir, e.toString());
                }
            }
        }
    }

    private void loop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean relevant = relevant(key);
                // Debounce: keep draining until the directory has been quiet for the debounce time.
                while (true) {
                    WatchKey more = watcher.poll(debounce.toMillis(), TimeUnit.MILLISECONDS);
                    if (more == null) {
                        break;
                    }
                    relevant |= relevant(more);
                }
                if (relevant) {
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        log.error("config reload failed unexpectedly", e);
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private boolean relevant(WatchKey key) {
        boolean hit = false;
        Path dir = (Path) key.watchable();
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                hit = true;
            } else if (event.context() instanceof Path name && files.contains(dir.resolve(name).toAbsolutePath().normalize())) {
                hit = true;
            }
        }
        key.reset();
        return hit;
    }

    @Override
    public void close() {
        try {
            watcher.close();
        } catch (IOException e) {
            // nothing left to do
        }
        thread.interrupt();
    }
}
