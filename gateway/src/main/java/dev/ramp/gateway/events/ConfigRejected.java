package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * A reload found an invalid config; the last good one keeps serving.
 *
 * @param error every problem, one per line with file:line
 */
public record ConfigRejected(String error) implements EventLog.Event {
    static final String TYPE = "reload_failed";

    public ConfigRejected {
        requireNonNull(error, "error");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "config not reloaded, the last good config keeps serving";
    }
}
