package dev.ramp.gateway.state;

import dev.ramp.gateway.rollout.Progress;
import dev.ramp.gateway.rollout.RolloutState;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * The rollout progress file format: {@code {"route", "state", "weightBasisPoints", "stepStartedAt"
 * (ISO-8601), "requests", "reason", "canaryUrl", "canaryVersion"}}. Strict about those fields (a progress
 * that cannot be read exactly must not be guessed), lenient about unknown ones.
 */
public final class RolloutJson {

    private RolloutJson() {}

    public static JsonObject toJson(String route, Progress p) {
        return new JsonObject()
                .put("route", route)
                .put("state", p.state().tag())
                .put("weightBasisPoints", p.weight())
                .put("stepStartedAt", p.stepStartedAt().toString())
                .put("requests", p.requests())
                .put("reason", p.reason())
                .put("canaryUrl", p.canaryUrl())
                .put("canaryVersion", p.canaryVersion());
    }

    /**
     * The progress {@link #toJson} wrote.
     *
     * @throws IllegalArgumentException naming the field that is missing or wrong
     */
    public static Progress fromJson(JsonObject json) {
        String at = string(json, "stepStartedAt");
        Instant started;
        try {
            started = Instant.parse(at);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("stepStartedAt: " + at + " (expected: an ISO-8601 instant)", e);
        }
        Object reason = json.getValue("reason");
        if (reason != null && !(reason instanceof String)) {
            throw new IllegalArgumentException("reason: " + reason + " (expected: a string or null)");
        }
        return new Progress(RolloutState.ofTag(string(json, "state")), (int) number(json, "weightBasisPoints"),
                started, number(json, "requests"), (String) reason, string(json, "canaryUrl"),
                string(json, "canaryVersion"));
    }

    static String string(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: a string)");
        }
        return s;
    }

    private static long number(JsonObject json, String key) {
        Object v = json.getValue(key);
        if (!(v instanceof Integer || v instanceof Long)) {
            throw new IllegalArgumentException(key + ": " + v + " (expected: a whole number)");
        }
        return ((Number) v).longValue();
    }
}
