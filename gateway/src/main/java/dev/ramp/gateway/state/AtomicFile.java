package dev.ramp.gateway.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Replaces a file atomically and durably: a new temporary file beside it ({@code <name>.tmp}, {@code O_EXCL},
 * never through a planted link), forced to disk, renamed over the target, then the directory forced so the
 * rename survives a crash (where the platform allows opening a directory). A reader sees the old content or the
 * new, never a torn write. The one write sequence of the state files ({@link LatchStore}, {@link RolloutFiles}).
 * Blocking: not for event loops; callers serialise writes to the same file.
 */
final class AtomicFile {

    private AtomicFile() {}

    /** Replaces {@code file}'s content with {@code bytes}, creating its directory if missing. */
    static void write(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Path tmp = temporary(file);
        Files.createDirectories(dir);
        try {
            // A new file, never an existing one: a link planted at the temporary name is removed (the link, not
            // its target), and CREATE_NEW (O_EXCL) refuses to follow one planted again in between.
            Files.deleteIfExists(tmp);
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW,
                                                        LinkOption.NOFOLLOW_LINKS)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                // Never fall back to a non-atomic move: a crash in between would leave a torn file.
                throw new IOException("directory " + dir + " does not support atomic renames", e);
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the next write removes it
            }
            throw e;
        }
        forceDirectory(dir);
    }

    /** Removes {@code file} and a leftover temporary file; the unlink is made durable. */
    static void delete(Path file) throws IOException {
        Files.deleteIfExists(temporary(file));
        if (Files.deleteIfExists(file)) {
            forceDirectory(file.getParent());
        }
    }

    private static Path temporary(Path file) {
        return file.resolveSibling(file.getFileName() + ".tmp");
    }

    private static void forceDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Not every platform opens directories (Windows); there the rename is as durable as the platform
            // makes it, which is the best available.
        }
    }
}
