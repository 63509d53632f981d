package dev.ramp.gateway.admin;

import dev.ramp.gateway.events.RolloutEvent;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigDecimal;

/** The JSON of rollout plans: the {@code "rollout"} object of a route's status and the details of rollout events. */
public final class RolloutStatusJson {

    private RolloutStatusJson() {}

    /**
     * {@code {"state", "step", "steps", "weight", "stepStartedAt", "nextStepAt", "reason", "requests",
     * "minRequests", "promote"}}; null for a route without a plan.
     */
    public static JsonObject status(RolloutView v) {
        if (v == null) {
            return null;
        }
        return new JsonObject()
                .put("state", v.state())
                .put("step", v.step())
                .put("steps", new JsonArray(v.steps()))
                .put("weight", v.weight())
                .put("stepStartedAt", v.stepStartedAt().toString())
                .put("nextStepAt", v.nextStepAt() == null ? null : v.nextStepAt().toString())
                .put("reason", v.reason())
                .put("requests", v.requests())
                .put("minRequests", v.minRequests())
                .put("promote", v.promote());
    }

    /** The kind-specific part of a rollout event in {@code GET /api/events}. */
    static JsonObject details(RolloutEvent e) {
        JsonObject o = new JsonObject().put("canaryVersion", e.canaryVersion());
        if (e instanceof RolloutEvent.Started s) {
            return o.put("weight", pct(s.weight())).put("steps", s.steps()).put("newCanary", s.newCanary());
        } else if (e instanceof RolloutEvent.Stepped s) {
            return o.put("from", pct(s.from())).put("to", pct(s.to())).put("step", s.step()).put("steps", s.steps())
                    .put("requests", s.requests()).put("guard", s.guard())
                    .put("by", s.byOperator() ? "operator" : "plan");
        } else if (e instanceof RolloutEvent.Paused p) {
            return o.put("weight", pct(p.weight()));
        } else if (e instanceof RolloutEvent.Continued c) {
            return o.put("weight", pct(c.weight()));
        } else if (e instanceof RolloutEvent.Aborted a) {
            return o.put("weight", pct(a.weight())).put("reason", a.reason());
        } else if (e instanceof RolloutEvent.GateHeld g) {
            return o.put("weight", pct(g.weight())).put("gate", g.gate()).put("answer", g.answer());
        } else if (e instanceof RolloutEvent.ReadyToPromote r) {
            return o.put("canaryUrl", r.canaryUrl()).put("promote", r.promote());
        }
        throw new IllegalArgumentException("event: " + e + " (expected: a known rollout event)");
    }

    private static String pct(int basisPoints) {
        return BigDecimal.valueOf(basisPoints, 2).stripTrailingZeros().toPlainString() + "%";
    }
}
