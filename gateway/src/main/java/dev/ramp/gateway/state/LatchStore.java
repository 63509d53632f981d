package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Revert latches on disk, one file per route: {@code <stateDir>/<route>.json}.
 *
 * <p>Invariants: a latch file is always complete, the old one or the new one, never a torn write: it is
 * written to {@code <route>.json.tmp}, forced to disk, renamed over the latch atomically, and the directory
 * is forced so that the rename itself survives a crash ({@link AtomicFile}).
 * A file that exists but cannot be read as this route's latch is reported as
 * {@linkplain LatchRead.Corrupt corrupt}, never thrown and never mistaken for "no latch". Route names
 * must match {@code [A-Za-z0-9._-]+}, which keeps every path inside {@code stateDir} ({@link RouteFiles}).
 *
 * <p>Blocking file I/O: call it from a worker thread, not an event loop. Writes and deletes are serialised.
 */
public final class LatchStore {

    private final Path stateDir;

    /**
     * A store in {@code stateDir}, which is created if missing.
     *
     * @throws UncheckedIOException if the directory cannot be created
     */
    public LatchStore(Path stateDir) {
        this.stateDir = requireNonNull(stateDir, "stateDir");
        try {
            Files.createDirectories(stateDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create state-dir " + stateDir, e);
        }
    }

    /** The directory the latches live in. */
    public Path stateDir() {
        return stateDir;
    }

    /** The file holding {@code route}'s latch. */
    public Path file(String route) {
        return RouteFiles.of(stateDir, route);
    }

    /** Replaces {@code latch.route()}'s latch atomically and durably ({@link AtomicFile}). */
    public synchronized void write(Latch latch) throws IOException {
        requireNonNull(latch, "latch");
        AtomicFile.write(file(latch.route()), LatchJson.toJson(latch).encodePrettily().getBytes(StandardCharsets.UTF_8));
    }

    /** Removes {@code route}'s latch, if any (and a leftover temporary file). */
    public synchronized void delete(String route) throws IOException {
        AtomicFile.delete(file(route));
    }

    /** Reads {@code route}'s latch: absent, present, or corrupt with the problem. */
    public LatchRead read(String route) {
        final Path file = file(route);
        final String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return LatchRead.absent();
        } catch (IOException | RuntimeException e) {
            // Unreadable (permissions, a directory in its place, invalid UTF-8): the latch may exist, so it
            // must hold the route, not vanish.
            return LatchRead.corrupt(file + ": unreadable: " + e);
        }
        if (text.isBlank()) {
            return LatchRead.corrupt(file + ": empty");
        }
        final Latch latch;
        try {
            latch = LatchJson.fromJson(new JsonObject(text));
        } catch (DecodeException e) {
            return LatchRead.corrupt(file + ": not a JSON object: " + e.getMessage());
        } catch (IllegalArgumentException | ClassCastException e) {
            return LatchRead.corrupt(file + ": not a latch: " + e.getMessage());
        }
        if (!latch.route().equals(route)) {
            return LatchRead.corrupt(file + ": holds the latch of route " + latch.route());
        }
        return LatchRead.present(latch);
    }
}
