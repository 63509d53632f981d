package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * This replica reaches Redis again and has caught up: newer records taken in, its own newer ones written.
 *
 * @param url the Redis url, without its password
 * @param downFor how long it was unreachable
 */
public record ClusterConnected(String url, Duration downFor) implements EventLog.Event {
    static final String TYPE = "cluster_up";

    public ClusterConnected {
        requireNonNull(url, "url");
        requireNonNull(downFor, "downFor");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "Redis " + url + " reachable again after " + downFor.toMillis() + " ms; shared state reconciled";
    }
}
