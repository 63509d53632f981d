package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * Another replica reverted or resumed a route, and this replica followed. The replica that made the change
 * records the {@code revert} or {@code resume} event itself; this one says where it came from.
 *
 * @param route the route
 * @param reverted reverted (true) or resumed
 * @param canaryVersion the canary
 * @param reason the revert's reason tag; null for a resume
 * @param replica the replica that made the change (empty: a latch read back from a file)
 */
public record ReplicaChange(String route, boolean reverted, String canaryVersion, String reason, String replica)
        implements EventLog.Event {
    static final String REVERT = "replica_revert";
    static final String RESUME = "replica_resume";

    public ReplicaChange {
        requireNonNull(route, "route");
        requireNonNull(canaryVersion, "canaryVersion");
        requireNonNull(replica, "replica");
    }

    @Override
    public String type() {
        return reverted ? REVERT : RESUME;
    }

    @Override
    public String message() {
        String from = replica.isEmpty() ? "another replica" : "replica " + replica;
        return reverted ? "canary " + canaryVersion + " reverted to 0% by " + from + " (" + reason + ")"
                : "canary " + canaryVersion + " resumed by " + from;
    }
}
