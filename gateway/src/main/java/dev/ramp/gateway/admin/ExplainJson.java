package dev.ramp.gateway.admin;

import dev.ramp.gateway.proxy.Explanation;
import io.vertx.core.json.JsonObject;

/**
 * An {@link Explanation} as JSON (docs/admin-api.md): {@code {"route", "version", "reason", "rule", "bucket",
 * "weight", "identity"}} as the contract has them, plus {@code "ruleText"} (the matching rule as written, or
 * null) and {@code "freshIdentity"}. The admin API and the {@code explain} command print the same object.
 */
public final class ExplainJson {
    private ExplainJson() {}

    public static JsonObject of(Explanation e) {
        return new JsonObject()
                .put("route", e.route())
                .put("version", e.version().tag())
                .put("reason", e.reason().tag())
                .put("rule", e.ruleIndex() < 0 ? null : e.ruleIndex())
                .put("bucket", e.bucket())
                .put("weight", e.weight().toString())
                .put("identity", e.identity())
                .put("freshIdentity", e.freshIdentity())
                .put("ruleText", e.rule() == null ? null : e.rule().toString());
    }
}
