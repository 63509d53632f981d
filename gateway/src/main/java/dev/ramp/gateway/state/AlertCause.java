package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The alert that reverted a route: what Alertmanager sent about it, kept in the latch and the revert event
 * so that whoever lifts the latch sees why it was set.
 *
 * <p>Invariants: every field is non-null; the maps are sorted, unmodifiable copies.
 *
 * @param name the alert's {@code alertname} label
 * @param labels all of its labels (including {@code alertname} and {@code route})
 * @param annotations its annotations (summary, description, runbook, ...), possibly empty
 */
public record AlertCause(String name, Map<String, String> labels, Map<String, String> annotations) {

    public AlertCause {
        requireNonNull(name, "name");
        labels = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(labels, "labels")));
        annotations = Collections.unmodifiableMap(new TreeMap<>(requireNonNull(annotations, "annotations")));
    }

    /** The revert reason an alert gives: {@code alert:<alertname>}. */
    public String reason() {
        return "alert:" + name;
    }
}
