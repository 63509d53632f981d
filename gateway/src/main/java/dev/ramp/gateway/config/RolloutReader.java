package dev.ramp.gateway.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and validates a route's {@code rollout} block (merged over {@code route-defaults.rollout}) into
 * {@link RolloutSettings}. Part of {@link ConfigLoader}; problems carry the file and line of the value.
 */
final class RolloutReader {

    /** The keys a route's rollout block may have besides those defaulted in reference.conf. */
    static final java.util.Set<String> PLAN_KEYS = java.util.Set.of("steps", "exponential");
    static final java.util.Set<String> EXPONENTIAL_KEYS = java.util.Set.of("start", "factor");

    private RolloutReader() {}

    static RolloutSettings rollout(ConfigReader r) {
        if (r == null) {
            return null;
        }
        int before = r.problems.count();
        boolean listed = r.has("steps");
        boolean exponential = r.has("exponential");
        List<Percent> steps = List.of();
        Percent start = null;
        double factor = 0;
        if (listed && exponential) {
            r.problem("exponential", "is set together with steps (expected: one of steps = [...] or "
                    + "exponential { start, factor })");
        } else if (!listed && !exponential) {
            r.problem("steps", "is required (expected: steps = [\"1%\", \"5%\", \"25%\", \"50%\", \"100%\"] or "
                    + "exponential { start = \"1%\", factor = 2 })");
        } else if (listed) {
            steps = steps(r);
        } else {
            ConfigReader e = r.object("exponential");
            if (e != null) {
                start = e.percent("start");
                Double f = e.number("factor");
                if (start != null && start.basisPoints() == 0) {
                    e.problem("start", "0% (expected: above 0%, e.g. \"1%\")");
                }
                if (f != null && (f <= 1 || f > 100)) {
                    e.problem("factor", f + " (expected: above 1 and at most 100, e.g. 2)");
                } else if (f != null && start != null && start.basisPoints() > 0
                           && Math.log(Percent.MAX_BASIS_POINTS / (double) start.basisPoints()) / Math.log(f)
                              > RolloutSettings.MAX_STEPS - 1) {
                    e.problem("factor", f + " needs more than " + RolloutSettings.MAX_STEPS + " steps from " + start
                            + " to 100% (expected: a larger factor or start)");
                }
                factor = f == null ? 0 : f;
            }
        }
        Duration stepEvery = r.positiveDuration("step-every");
        Integer minRequests = r.integer("min-requests");
        if (minRequests != null && minRequests < 0) {
            r.problem("min-requests", minRequests + " (expected: 0 or more)");
        }
        List<URI> gates = gates(r);
        Duration gateTimeout = r.positiveDuration("gate-timeout");
        Duration promoteAfter = r.duration("promote-after");
        if (promoteAfter != null && promoteAfter.isNegative()) {
            r.problem("promote-after", promoteAfter + " (expected: 0s or more)");
        }
        Boolean mirrorGate = r.bool("mirror-gate");
        if (r.problems.count() > before || stepEvery == null || minRequests == null || gates == null
            || gateTimeout == null || promoteAfter == null || mirrorGate == null) {
            return null;
        }
        return new RolloutSettings(steps, start, factor, stepEvery, minRequests, gates, gateTimeout, promoteAfter,
                mirrorGate);
    }

    /** Listed steps: each above 0 %, each above the one before (steps only go up), the last 100 %. */
    private static List<Percent> steps(ConfigReader r) {
        List<String> texts = r.stringList("steps");
        if (texts == null) {
            return List.of();
        }
        if (texts.isEmpty()) {
            r.problem("steps", "is empty (expected: at least one step, the last \"100%\")");
            return List.of();
        }
        if (texts.size() > RolloutSettings.MAX_STEPS) {
            r.problem("steps", texts.size() + " steps (expected: at most " + RolloutSettings.MAX_STEPS + ")");
            return List.of();
        }
        List<Percent> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            Percent p;
            try {
                p = Percent.parse(texts.get(i));
            } catch (IllegalArgumentException e) {
                r.problem("steps[" + i + "]", e.getMessage());
                continue;
            }
            if (p.basisPoints() == 0) {
                r.problem("steps[" + i + "]", "0% (expected: above 0%; the route's weight is where the plan starts)");
            } else if (!out.isEmpty() && p.basisPoints() <= out.get(out.size() - 1).basisPoints()) {
                r.problem("steps[" + i + "]", p + " is not above the step before it, " + out.get(out.size() - 1)
                        + " (expected: steps that only go up)");
            }
            out.add(p);
        }
        if (!out.isEmpty() && out.size() == texts.size() && out.get(out.size() - 1).basisPoints() != Percent.MAX_BASIS_POINTS) {
            r.problem("steps", "ends at " + out.get(out.size() - 1) + " (expected: the last step is \"100%\")");
        }
        return out;
    }

    private static List<URI> gates(ConfigReader r) {
        List<String> texts = r.stringList("gates");
        if (texts == null) {
            return null;
        }
        List<URI> out = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            try {
                URI u = new URI(t);
                if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
                    r.problem("gates[" + i + "]", "\"" + t + "\" (expected: an http:// or https:// URL with a host)");
                } else {
                    out.add(u);
                }
            } catch (URISyntaxException e) {
                r.problem("gates[" + i + "]", "\"" + t + "\" is not a URL: " + e.getReason());
            }
        }
        return out;
    }
}
