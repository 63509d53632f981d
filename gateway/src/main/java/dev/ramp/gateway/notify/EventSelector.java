package dev.ramp.gateway.notify;

import java.util.Set;

/**
 * Which events a webhook's {@code events} list selects, by the event's wire type: {@code revert},
 * {@code resume}, {@code reload_failed} and {@code alert_unmatched} select that type; {@code rollout} every
 * type starting with {@code rollout_}; {@code ready_to_promote} the type {@code rollout_ready_to_promote}
 * alone; {@code all} every event.
 */
final class EventSelector {
    static final String ROLLOUT_PREFIX = "rollout_";
    static final String READY_TO_PROMOTE = "rollout_ready_to_promote";

    private EventSelector() {}

    static boolean selects(Set<String> categories, String type) {
        if (categories.contains("all") || categories.contains(type)) {
            return true;
        }
        if (type.startsWith(ROLLOUT_PREFIX)) {
            return categories.contains("rollout") || type.equals(READY_TO_PROMOTE) && categories.contains("ready_to_promote");
        }
        return false;
    }
}
