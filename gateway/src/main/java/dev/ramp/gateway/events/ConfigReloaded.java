package dev.ramp.gateway.events;

import java.nio.file.Path;

/**
 * A reload applied a valid config.
 *
 * @param file the config file (null for a config not read from a file)
 * @param routes how many routes it has
 */
public record ConfigReloaded(Path file, int routes) implements EventLog.Event {
    static final String TYPE = "reload";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "config " + file + " applied: " + routes + " route(s)";
    }
}
