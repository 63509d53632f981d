package dev.ramp.gateway.cluster;

import io.vertx.core.json.JsonObject;
import java.time.Instant;

/**
 * Whether this replica reaches Redis, as {@code /health/ready} details and {@code /api/status} show it:
 * {@code {"redis": "up" | "down", "since", "replica", "url", "error", "retries"}}.
 *
 * @param up whether the last operation on Redis succeeded
 * @param since when it became so
 * @param replica this replica's id
 * @param url the Redis url without its password
 * @param error the last failure while down, else null
 * @param retries reconnection attempts since it went down
 */
public record ClusterStatus(boolean up, Instant since, String replica, String url, String error, int retries) {

    /** The JSON above. */
    public JsonObject toJson() {
        JsonObject json = new JsonObject()
                .put("redis", up ? "up" : "down")
                .put("since", since.toString())
                .put("replica", replica)
                .put("url", url);
        if (!up) {
            json.put("error", error).put("retries", retries)
                    .put("message", "serving with the last known shared state; retrying");
        }
        return json;
    }
}
