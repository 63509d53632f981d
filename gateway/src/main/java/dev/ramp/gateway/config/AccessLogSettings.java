package dev.ramp.gateway.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * {@code ramp.access-log}: whether one JSON line per request is written, and where.
 *
 * @param enabled whether the access log is written (off by default)
 * @param file the file the lines are appended to; null for standard output ({@code path = "stdout"})
 */
public record AccessLogSettings(boolean enabled, Path file) {
    /** The value of {@code path} that means standard output. */
    public static final String STDOUT = "stdout";

    /** The default: off. */
    public static final AccessLogSettings OFF = new AccessLogSettings(false, null);

    /** Reads {@code path}: {@code stdout}, or a file resolved against {@code base} (the config's directory). */
    static AccessLogSettings of(boolean enabled, String path, Path base) {
        Objects.requireNonNull(path, "path");
        if (path.equals(STDOUT)) {
            return new AccessLogSettings(enabled, null);
        }
        Path p = Path.of(path);
        return new AccessLogSettings(enabled, base == null || p.isAbsolute() ? p : base.resolve(p));
    }

    /** Where the lines go, for logs: {@code stdout} or the file. */
    public String target() {
        return file == null ? STDOUT : file.toString();
    }
}
