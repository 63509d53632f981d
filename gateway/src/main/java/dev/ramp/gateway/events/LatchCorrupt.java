package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A latch file exists but could not be read; the route stays reverted until resumed (fail safe).
 *
 * @param route the route
 * @param file the latch file
 * @param problem what is wrong with it
 */
public record LatchCorrupt(String route, Path file, String problem) implements EventLog.Event {
    static final String TYPE = "latch_corrupt";

    public LatchCorrupt {
        requireNonNull(route, "route");
        requireNonNull(file, "file");
        requireNonNull(problem, "problem");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "latch file " + file + " is corrupt; the route stays reverted until resumed: " + problem;
    }
}
