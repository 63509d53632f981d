package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * Where a route's state file lives: {@code <dir>/<route>.json}. The one check of a route name used as a file
 * name ({@link LatchStore}, {@link RolloutFiles}): it must match {@code [A-Za-z0-9._-]+}, which keeps every path
 * inside {@code dir}.
 */
final class RouteFiles {
    private static final Pattern ROUTE_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private RouteFiles() {}

    /**
     * {@code route}'s file in {@code dir}.
     *
     * @throws IllegalArgumentException if the name could leave {@code dir} or is not a route name
     */
    static Path of(Path dir, String route) {
        requireNonNull(route, "route");
        if (!ROUTE_NAME.matcher(route).matches()) {
            throw new IllegalArgumentException("route: " + route + " (expected: [A-Za-z0-9._-]+)");
        }
        return dir.resolve(route + ".json");
    }
}
