package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import dev.ramp.gateway.state.Latch;

/**
 * A canary was taken out of traffic, by its guard or an operator. The latch is the one persisted for it.
 *
 * @param latch what holds the route reverted: reason, time, canary and evidence
 */
public record Reverted(Latch latch) implements EventLog.Event {
    static final String TYPE = "revert";

    public Reverted {
        requireNonNull(latch, "latch");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String route() {
        return latch.route();
    }

    @Override
    public String message() {
        return "canary " + latch.canaryVersion() + " reverted to 0% (" + latch.reason() + ")";
    }
}
