package dev.ramp.gateway.events;

import static java.util.Objects.requireNonNull;

/**
 * This replica lost Redis (or could not reach it at start): it keeps serving with the state it last knew
 * and retries.
 *
 * @param url the Redis url, without its password
 * @param error why (may be null)
 */
public record ClusterDisconnected(String url, String error) implements EventLog.Event {
    static final String TYPE = "cluster_down";

    public ClusterDisconnected {
        requireNonNull(url, "url");
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String message() {
        return "Redis " + url + " unreachable (" + error + "): serving with the last known shared state, retrying";
    }
}
