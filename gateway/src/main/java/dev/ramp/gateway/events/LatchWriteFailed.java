package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * A revert's latch could not be written: the route is reverted in memory, but a restart would forget it.
 *
 * @param route the route
 * @param file the latch file
 * @param error the failure's message (may be null, as exception messages may)
 */
public record LatchWriteFailed(String route, Path file, String error) implements EventLog.Event {

    public LatchWriteFailed {
        requireNonNull(route, "route");
        requireNonNull(file, "file");
    }

    @Override
    public String type() {
        return LatchCorrupt.TYPE;
    }

    @Override
    public String message() {
        return "could not write latch " + file + ": " + error;
    }
}
