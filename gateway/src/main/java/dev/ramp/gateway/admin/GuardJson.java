package dev.ramp.gateway.admin;

import dev.ramp.gateway.guard.Breach;
import dev.ramp.gateway.guard.Evidence;
import dev.ramp.gateway.guard.RevertReason;
import dev.ramp.gateway.guard.RuleCheck;
import dev.ramp.gateway.guard.Verdict;
import dev.ramp.gateway.guard.WindowSnapshot;
import dev.ramp.gateway.state.LatchHold;
import dev.ramp.gateway.state.LatchJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The JSON of the guard's records, in the shapes of docs/admin-api.md. The guard itself knows no JSON;
 * this is the one place that decides how its windows, verdicts and evidence look on the wire (and in the
 * evidence a latch file keeps).
 */
public final class GuardJson {

    private GuardJson() {}

    /**
     * {@code {"requests", "errorRate", "p50Ms", "p95Ms", "p99Ms"}}, with the error rate as a ratio rounded
     * to 6 decimals (0.0001 %) and latencies to microseconds.
     */
    public static JsonObject window(WindowSnapshot w) {
        return new JsonObject()
                .put("requests", w.requests())
                .put("errorRate", round(w.errorRate(), 1e6))
                .put("p50Ms", round(w.p50Ms(), 1e3))
                .put("p95Ms", round(w.p95Ms(), 1e3))
                .put("p99Ms", round(w.p99Ms(), 1e3));
    }

    /** A window of a route without a guard: {@code {"requests": 0, "errorRate": null, "p50Ms": null, ...}}. */
    public static JsonObject emptyWindow() {
        return new JsonObject()
                .put("requests", 0)
                .putNull("errorRate")
                .putNull("p50Ms")
                .putNull("p95Ms")
                .putNull("p99Ms");
    }

    /**
     * {@code {"stable": {...}, "canary": {...}, "compared", "testLevel", "pValues": {"error_rate",
     * "error_rate_increase", "p99", "latency_increase"}, "rules": [{"rule", "value", "limit", "shareOfLimit",
     * "pValue", "breached"}]}}; each version as in {@link #window(WindowSnapshot)} plus its {@code errors}
     * count; a p-value that was not computed, or a figure that was not judged, is {@code null}.
     */
    public static JsonObject evidence(Evidence e) {
        JsonArray rules = new JsonArray();
        for (RuleCheck c : e.checks()) {
            rules.add(new JsonObject()
                    .put("rule", c.rule())
                    .put("value", figure(c.value()))
                    .put("limit", figure(c.limit()))
                    .put("shareOfLimit", figure(c.shareOfLimit()))
                    .put("pValue", pValue(c.pValue()))
                    .put("breached", c.breached()));
        }
        return new JsonObject()
                .put("stable", window(e.stable()).put("errors", e.stable().errors()))
                .put("canary", window(e.canary()).put("errors", e.canary().errors()))
                .put("compared", e.compared())
                .put("testLevel", pValue(e.testLevel()))
                .put("pValues", new JsonObject()
                        .put(RevertReason.ERROR_RATE.tag(), pValue(e.errorRatePValue()))
                        .put(RevertReason.ERROR_RATE_INCREASE.tag(), pValue(e.errorRateIncreasePValue()))
                        .put(RevertReason.P99.tag(), pValue(e.p99PValue()))
                        .put(RevertReason.LATENCY_INCREASE.tag(), pValue(e.latencyPValue())))
                .put("rules", rules);
    }

    /** {@code {"rule", "message"}}. */
    public static JsonObject breach(Breach b) {
        return new JsonObject().put("rule", b.rule()).put("message", b.message());
    }

    /** {@code {"state", "breaches": [{"rule", "message"}], "evidence": {...}}}. */
    public static JsonObject verdict(Verdict v) {
        return new JsonObject()
                .put("state", v.state().tag())
                .put("breaches", breaches(v))
                .put("evidence", evidence(v.evidence()));
    }

    /**
     * The latch of {@link LatchJson} (or {@code {"route", "corrupt": true, "problem"}} for a file that could
     * not be read) plus the file it lives in and how to lift it.
     */
    public static JsonObject hold(LatchHold hold) {
        String route = hold.route();
        JsonObject j = hold.latch() != null ? LatchJson.toJson(hold.latch())
                : new JsonObject().put("route", route).put("corrupt", true).put("problem", hold.corruptProblem());
        return j.put("file", hold.file().toString()).put("lift", "POST /api/routes/" + route + "/resume, or deploy "
                + "a new canary (change its version or url in the config); a weight-only edit leaves the route reverted");
    }

    /**
     * {@code {"state", "latch", "window": {"stable", "canary"}}}, plus {@code "guard": {"verdict", "breaches",
     * "consecutiveBreaches", "breachesToRevert", "evidence"}} when the route has a guard.
     */
    public static JsonObject status(GuardView view) {
        JsonObject out = new JsonObject().put("state", view.state());
        if (view.hold() != null) {
            out.put("latch", hold(view.hold()));
        } else {
            out.putNull("latch");
        }
        Verdict verdict = view.verdict();
        if (verdict == null) {
            return out.put("window", new JsonObject().put("stable", emptyWindow()).put("canary", emptyWindow()));
        }
        out.put("window", new JsonObject()
                .put("stable", window(verdict.evidence().stable()))
                .put("canary", window(verdict.evidence().canary())));
        return out.put("guard", new JsonObject()
                .put("verdict", verdict.state().tag())
                .put("breaches", breaches(verdict))
                .put("consecutiveBreaches", view.consecutiveBreaches())
                .put("breachesToRevert", view.breachesToRevert())
                .put("evidence", evidence(verdict.evidence())));
    }

    private static JsonArray breaches(Verdict v) {
        JsonArray out = new JsonArray();
        v.breaches().forEach(b -> out.add(breach(b)));
        return out;
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }

    /** A rule's figure (a ratio or milliseconds), rounded to 6 decimals; null when not judged. */
    private static Double figure(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? null : round(v, 1e6);
    }

    private static Double pValue(double p) {
        // JSON has no NaN; p-values are kept unrounded because the tiny ones are the informative ones.
        return Double.isNaN(p) ? null : p;
    }
}
