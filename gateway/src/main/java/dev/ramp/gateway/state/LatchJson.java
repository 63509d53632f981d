package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import io.vertx.core.json.JsonObject;

/**
 * The latch file format: {@code {"route", "reason", "at" (ISO-8601), "canaryUrl", "canaryVersion",
 * "evidence"}}. The admin API shows the same object, so operators read one shape in both places.
 *
 * <p>Reading is strict about the five string fields and lenient about everything else: unknown fields
 * are ignored and a missing evidence is empty, so files written by older and newer versions still load.
 */
public final class LatchJson {

    private LatchJson() {}

    /** The JSON object of {@code latch}, fields in file order. */
    public static JsonObject toJson(Latch latch) {
        requireNonNull(latch, "latch");
        return new JsonObject()
                .put("route", latch.route())
                .put("reason", latch.reason())
                .put("at", latch.at().toString())
                .put("canaryUrl", latch.canaryUrl())
                .put("canaryVersion", latch.canaryVersion())
                .put("evidence", latch.evidence());
    }

    /**
     * The latch {@link #toJson(Latch)} wrote.
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
