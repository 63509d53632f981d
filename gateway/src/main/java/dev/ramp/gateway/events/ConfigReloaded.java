package dev.ramp.gateway.events;

import java.nio.file.Path;

/**
 * A reload read a valid config: it was applied, or it is the one serving and ends a run of failed reloads
 * (the bad edit was undone).
 *
 * @param file the config file (null for a config not read from a file)
 * @param routes how many routes it has
 * @param recovered the file is valid again after failed reloads, unchanged from the config serving
 */
public record ConfigReloaded(Path file, int routes, boolean recovered) implements EventLog.Event {
    static final String TYPE = "reload";

    /** A reload that applied a changed config. */
    public ConfigReloaded(Path file, int routes) {
        this(file, routes, false);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return recovered
                ? "config " + file + " is valid again, the same as the one serving: " + routes + " route(s)"
                : "config " + file + " applied: " + routes + " route(s)";
    }
}
