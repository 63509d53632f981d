package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Pattern;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

/**
 * Revert latches on disk, one file per route: {@code <stateDir>/<route>.json}.
 *
 * <p>Invariants: a latch file is always complete, the old one or the new one, never a torn write: it is
 * written to {@code <route>.json.tmp}, forced to disk, renamed over the latch atomically, and the directory
 * is forced so that the rename itself survives a crash (where the platform allows opening a directory).
 * A file that exists but cannot be read as this route's latch is reported as
 * {@linkplain LatchRead.Corrupt corrupt}, never thrown and never mistaken for "no latch". Route names
 * must match {@code [A-Za-z0-9._-]+}, which keeps every path inside {@code stateDir}.
 *
 * <p>Blocking file I/O: call it from a worker thread, not an event loop. Writes and deletes are serialised.
 */
public final class LatchStore {

    private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

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
        return stateDir.resolve(checkRoute(route) + ".json");
    }

    /** Replaces {@code latch.route()}'s latch atomically and durably. */
    public synchronized void write(Latch latch) throws IOException {
        requireNonNull(latch, "latch");
        final Path file = file(latch.route());
        final Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.createDirectories(stateDir);
        final byte[] bytes = LatchJson.toJson(latch).encodePrettily().getBytes(StandardCharsets.UTF_8);
        try {
            // A new file, never an existing one: a link planted at the temporary name is removed (the link, not
            // its target), and CREATE_NEW (O_EXCL) refuses to follow one planted again in between.
            Files.deleteIfExists(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                                                        LinkOption.NOFOLLOW_LINKS)) {
                final ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Never fall back to a non-atomic move: a crash in between would leave a torn latch.
                throw new IOException("state-dir " + stateDir + " does not support atomic renames", e);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
        forceDirectory();
    }

    /** Removes {@code route}'s latch, if any (and a leftover temporary file). */
    public synchronized void delete(String route) throws IOException {
        final Path file = file(route);
        Files.deleteIfExists(file.resolveSibling(file.getFileName() + ".tmp"));
        if (Files.deleteIfExists(file)) {
            forceDirectory();
        }
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

    private void forceDirectory() {
        // Makes the rename or unlink durable. Opening a directory for reading fails on some platforms
        // (Windows); there the rename is as durable as the platform makes it, which is the best available.
        try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // ignored, see above
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException ignored) {
            // The next write truncates it anyway.
        }
    }

    private static String checkRoute(String route) {
        requireNonNull(route, "route");
        if (!ROUTE_NAME.matcher(route).matches()) {
            throw new IllegalArgumentException("route: " + route + " (expected: [A-Za-z0-9._-]+)");
        }
        return route;
    }
}
