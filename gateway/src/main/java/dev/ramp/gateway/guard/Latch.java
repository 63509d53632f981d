package dev.ramp.gateway.guard;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.vertx.core.json.JsonObject;

/**
 * A route's revert, as persisted in {@code state-dir/<route>.json}: it holds the route on stable until
 * the canary's url or version changes in the config or an operator resumes the route.
 *
 * <p>Invariants: every field is non-null; {@code evidence} is copied in and out, so a latch is immutable.
 *
 * @param route the route name
 * @param reason the {@linkplain RevertReason#tag() reason tag}, e.g. {@code "error_rate"}; kept as a string
 *               so that a latch written by a newer version with a reason this one does not know still
 *               holds the route reverted
 * @param at when the revert happened
 * @param canaryUrl the reverted canary's url
 * @param canaryVersion the reverted canary's version
 * @param evidence what the guard saw ({@link Evidence#toJson()}), empty for a manual revert
 */
public record Latch(String route, String reason, Instant at, String canaryUrl, String canaryVersion,
                    JsonObject evidence) {

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

    /** {@code {"route", "reason", "at" (ISO-8601), "canaryUrl", "canaryVersion", "evidence"}}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("route", route)
                .put("reason", reason)
                .put("at", at.toString())
                .put("canaryUrl", canaryUrl)
                .put("canaryVersion", canaryVersion)
                .put("evidence", evidence.copy());
    }

    /**
     * The latch {@link #toJson()} wrote.
     *
     * @throws IllegalArgumentException naming the field if one is missing or has the wrong type
     */
    public static Latch fromJson(JsonObject json) {
        requireNonNull(json, "json");
        final String atText = string(json, "at");
        final Instant at;
        try {
            at = Instant.parse(atText);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("at: " + atText + " (expected: an ISO-8601 instant)", e);
        }
        final Object evidence = json.getValue("evidence");
        if (evidence != null && !(evidence instanceof JsonObject)) {
            throw new IllegalArgumentException("evidence: " + evidence + " (expected: an object)");
        }
        return new Latch(string(json, "route"), string(json, "reason"), at, string(json, "canaryUrl"),
                         string(json, "canaryVersion"), (JsonObject) evidence);
    }

    private static String string(JsonObject json, String key) {
        final Object value = json.getValue(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: a string)");
        }
        return (String) value;
    }
}
