package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.state.AlertCause;

/**
 * A firing alert reached {@code POST /api/alerts} but names no configured route (no {@code route} label, or
 * one naming no route): nothing was reverted. Recorded so that a typo in an alerting rule is seen before
 * the alert it was meant for fires for real.
 *
 * @param alert the alert as received
 * @param routeLabel its {@code route} label, or null when it has none
 */
public record AlertUnmatched(AlertCause alert, String routeLabel) implements EventLog.Event {
    static final String TYPE = "alert_unmatched";

    public AlertUnmatched {
        requireNonNull(alert, "alert");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return routeLabel == null
                ? "alert " + alert.name() + " has no route label: nothing reverted"
                : "alert " + alert.name() + " names route \"" + routeLabel + "\", which is not configured: nothing reverted";
    }
}
