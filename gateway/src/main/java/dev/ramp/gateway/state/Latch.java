package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

import io.vertx.core.json.JsonObject;

/**
 * A route's revert, as persisted in {@code state-dir/<route>.json}: it holds the route on stable until
 * the canary's url or version changes in the config or an operator resumes the route.
 *
 * <p>Invariants: every field but {@code alert} is non-null; {@code evidence} is copied in and out, so a latch is immutable.
 * The evidence is kept as the JSON document it is on disk: a latch written by another version of the
 * gateway must load whatever its evidence holds, so it is not parsed back into the guard's types.
 *
 * @param route the route name
 * @param reason the reason tag, e.g. {@code "error_rate"}; kept as a string so that a latch written by a
 *               newer version with a reason this one does not know still holds the route reverted
 * @param at when the revert happened
 * @param canaryUrl the reverted canary's url
 * @param canaryVersion the reverted canary's version
 * @param evidence what the guard saw, empty for a manual revert
 * @param alert the alert that reverted the route ({@code reason} is then {@code alert:<alertname>}), or null
 */
public record Latch(String route, String reason, Instant at, String canaryUrl, String canaryVersion,
                    JsonObject evidence, AlertCause alert) {

    /** A latch set by the guard or an operator, not by an alert. */
    public Latch(String route, String reason, Instant at, String canaryUrl, String canaryVersion,
                 JsonObject evidence) {
        this(route, reason, at, canaryUrl, canaryVersion, evidence, null);
    }

    public Latch {
        requireNonNull(route, "route");
        requireNonNull(reason, "reason");
        requireNonNull(at, "at");
        requireNonNull(canaryUrl, "canaryUrl");
        requireNonNull(canaryVersion, "canaryVersion");
        evidence = evidence == null ? new JsonObject() : evidence.copy();
    }

    /** A copy of the evidence. */
    @Override
    public JsonObject evidence() {
        return evidence.copy();
    }
}
