package dev.ramp.gateway.state;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.TreeMap;

import io.vertx.core.json.JsonObject;

/**
 * The latch file format: {@code {"route", "reason", "at" (ISO-8601), "canaryUrl", "canaryVersion",
 * "evidence"}}, plus {@code "alert": {"name", "labels", "annotations"}} when an alert set the latch. The
 * admin API shows the same object, so operators read one shape in both places.
 *
 * <p>Reading is strict about the five string fields and lenient about everything else: unknown fields
 * are ignored, a missing evidence is empty and a missing alert is none, so files written by older and newer
 * versions still load.
 */
public final class LatchJson {

    private LatchJson() {}

    /** The JSON object of {@code latch}, fields in file order. */
    public static JsonObject toJson(Latch latch) {
        requireNonNull(latch, "latch");
        JsonObject json = new JsonObject()
                .put("route", latch.route())
                .put("reason", latch.reason())
                .put("at", latch.at().toString())
                .put("canaryUrl", latch.canaryUrl())
                .put("canaryVersion", latch.canaryVersion())
                .put("evidence", latch.evidence());
        if (latch.alert() != null) {
            AlertCause a = latch.alert();
            json.put("alert", new JsonObject().put("name", a.name()).put("labels", strings(a.labels()))
                    .put("annotations", strings(a.annotations())));
        }
        return json;
    }

    private static JsonObject strings(Map<String, String> map) {
        JsonObject o = new JsonObject();
        map.forEach(o::put);
        return o;
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
                         string(json, "canaryVersion"), (JsonObject) evidence, alert(json.getValue("alert")));
    }

    /** The alert of a latch, null when absent (files written before alerts existed). */
    private static AlertCause alert(Object value) {
        if (value == null) {
            return null;
        }
        if (!(value instanceof JsonObject a)) {
            throw new IllegalArgumentException("alert: " + value + " (expected: an object)");
        }
        return new AlertCause(string(a, "alert.name", "name"), stringMap(a, "labels"), stringMap(a, "annotations"));
    }

    private static Map<String, String> stringMap(JsonObject a, String key) {
        Object value = a.getValue(key);
        Map<String, String> out = new TreeMap<>();
        if (value == null) {
            return out;
        }
        if (!(value instanceof JsonObject o)) {
            throw new IllegalArgumentException("alert." + key + ": " + value + " (expected: an object of strings)");
        }
        for (String k : o.fieldNames()) {
            out.put(k, String.valueOf(o.getValue(k)));
        }
        return out;
    }

    private static String string(JsonObject json, String path, String key) {
        final Object value = json.getValue(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(path + ": " + value + " (expected: a string)");
        }
        return (String) value;
    }

    private static String string(JsonObject json, String key) {
        final Object value = json.getValue(key);
        if (!(value instanceof String)) {
            throw new IllegalArgumentException(key + ": " + value + " (expected: a string)");
        }
        return (String) value;
    }
}
